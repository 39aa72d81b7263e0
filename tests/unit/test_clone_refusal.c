// SPDX-License-Identifier: GPL-2.0
/*
 * A copy the verifier refuses (src/probe/clone.c) is said with the verifier's reason, as
 * the fentry and tracepoint backends report a function they could not take; libbpf's
 * mark for a CO-RE relocation it could not resolve is named as such. Socket filters on
 * this machine's kernel: the reason comes from the same log whatever the program type.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "src/probe/clone.h"

/* exit with r0 never written: every kernel's verifier refuses it ("R0 !read_ok") */
static struct bpf_insn refused[] = {
    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = 0},
    {.code = BPF_JMP | BPF_EXIT},
};

/* what libbpf leaves of a CO-RE relocation it could not resolve: a call to 0xbad2310 */
static struct bpf_insn poisoned[] = {
    {.code = BPF_JMP | BPF_CALL, .imm = 0xbad2310},
    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
    {.code = BPF_JMP | BPF_EXIT},
};

static struct bpf_insn fine[] = {
    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
    {.code = BPF_JMP | BPF_EXIT},
};

static int load(struct bpf_insn *insns, size_t cnt, char *log, size_t len)
{
	struct clone_tpl t = {.img = {.insns = insns, .cnt = cnt},
			      .type = BPF_PROG_TYPE_SOCKET_FILTER,
			      .name = "refusal"};
	struct clone_target tg = {0};
	size_t k;

	for (k = 0; k < CLONE_NVALUES; k++)
		t.at[k] = SIZE_MAX;
	log[0] = '\0';
	return clone_load(&t, &tg, log, len);
}

int main(void)
{
	char log[256];
	int fd = load(fine, 2, log, sizeof(log));

	if (fd < 0) {
		skip("this machine cannot load a socket filter (%d): run as root", fd);
		return tap_done();
	}
	close(fd);
	fd = load(refused, 2, log, sizeof(log));
	ok(fd < 0 && strstr(log, "Permission denied") && strstr(log, "R0 !read_ok"),
	   "a refused copy says the errno and the verifier's reason (%s)", log);
	ok(!strstr(log, "processed ") && !strstr(log, "verification time"),
	   "not the verifier's summary lines");
	fd = load(poisoned, 3, log, sizeof(log));
	ok(fd < 0 && strstr(log, "a CO-RE relocation libbpf could not resolve"),
	   "libbpf's mark of an unresolved relocation is named (%s)", log);
	return tap_done();
}
