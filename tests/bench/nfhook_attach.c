// SPDX-License-Identifier: GPL-2.0
/*
 * What hooking nf_hook_slow's entry and return costs, way by way, with programs that do
 * nothing (issue #11: pwru's fentry/fexit pair there is most of a warm start's attach):
 * each program's load and each attach call timed, the attachments held until SIGINT or
 * SIGTERM (with --hold: a flood then gives the per-call cost), then the detach timed.
 *
 *	nfhook_attach [--hold] pair|fentry|fexit|kmulti|kret|session|fsession
 *	NFHOOK WAY load S attach S [S ...] detach S
 *
 * pair: fentry then fexit (pwru's way, two trampoline updates); kmulti: a one-function
 * kprobe-multi link; kret: a kprobe-multi entry link and a return link; session: one
 * kprobe-multi session link (6.10+, run at entry and return); fsession: one trampoline
 * program run at entry and return (BPF_TRACE_FSESSION, 7.0+).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* attach types newer than Debian 12's headers */
#define ATTACH_KPROBE_SESSION 56
#define ATTACH_FSESSION	      58

static volatile sig_atomic_t done;

static void on_signal(int sig)
{
	(void)sig;
	done = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int nop_prog(enum bpf_prog_type type, int at, uint32_t btf_id)
{
	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = (enum bpf_attach_type)at,
		    .attach_btf_id = btf_id);
	int fd = bpf_prog_load(type, "nfhook", "GPL", insns, 2, &o);

	if (fd < 0)
		fprintf(stderr, "nfhook_attach: load (type %d, attach %d): %s\n", type, at,
			strerror(errno));
	return fd;
}

static uint64_t kallsyms_addr(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sym[256];
	uint64_t a = 0, v;

	while (f && !a && fgets(line, sizeof(line), f))
		if (sscanf(line, "%" SCNx64 " %*c %255s", &v, sym) == 2 && !strcmp(sym, name))
			a = v;
	if (f)
		fclose(f);
	return a;
}

/* A kprobe-multi link of one address: AT is kprobe-multi or session; RET: a return probe. */
static int kmulti_link(int prog, int at, uint64_t addr, int ret)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)prog;
	a.link_create.attach_type = (uint32_t)at;
	a.link_create.kprobe_multi.flags = ret ? BPF_F_KPROBE_MULTI_RETURN : 0;
	a.link_create.kprobe_multi.cnt = 1;
	a.link_create.kprobe_multi.addrs = (uint64_t)(uintptr_t)&addr;
	return (int)syscall(SYS_bpf, BPF_LINK_CREATE, &a, sizeof(a));
}

static int trace_link(int prog, int at)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)prog;
	a.link_create.attach_type = (uint32_t)at;
	return (int)syscall(SYS_bpf, BPF_LINK_CREATE, &a, sizeof(a));
}

struct way {
	const char *name;
	int type, at[2], nprogs; /* the programs' type and attach types */
	int kret;		 /* kprobe-multi links: the second a return probe */
};

static const struct way ways[] = {
    {"pair", BPF_PROG_TYPE_TRACING, {BPF_TRACE_FENTRY, BPF_TRACE_FEXIT}, 2, 0},
    {"fentry", BPF_PROG_TYPE_TRACING, {BPF_TRACE_FENTRY}, 1, 0},
    {"fexit", BPF_PROG_TYPE_TRACING, {BPF_TRACE_FEXIT}, 1, 0},
    {"fsession", BPF_PROG_TYPE_TRACING, {ATTACH_FSESSION}, 1, 0},
    {"kmulti", BPF_PROG_TYPE_KPROBE, {BPF_TRACE_KPROBE_MULTI}, 1, 0},
    {"kret", BPF_PROG_TYPE_KPROBE, {BPF_TRACE_KPROBE_MULTI, BPF_TRACE_KPROBE_MULTI}, 2, 1},
    {"session", BPF_PROG_TYPE_KPROBE, {ATTACH_KPROBE_SESSION}, 1, 0},
};

int main(int argc, char **argv)
{
	int hold = argc > 2 && !strcmp(argv[1], "--hold"), prog[2], link[2] = {-1, -1}, i;
	const struct way *w = NULL;
	double t0, load, att[2] = {0, 0}, det;
	struct btf *btf = btf__load_vmlinux_btf();
	int id = btf ? btf__find_by_name_kind(btf, "nf_hook_slow", BTF_KIND_FUNC) : -1;
	uint64_t addr = kallsyms_addr("nf_hook_slow");

	for (i = 0; argc > 1 && i < (int)(sizeof(ways) / sizeof(ways[0])); i++)
		if (!strcmp(argv[argc - 1], ways[i].name))
			w = &ways[i];
	if (!w || id <= 0 || !addr) {
		fprintf(stderr, "usage: nfhook_attach [--hold] "
				"pair|fentry|fexit|fsession|kmulti|kret|session (as root, "
				"with nf_hook_slow in BTF and kallsyms)\n");
		return 2;
	}
	t0 = now();
	for (i = 0; i < w->nprogs; i++)
		if ((prog[i] = nop_prog(w->type, w->at[i],
					w->type == BPF_PROG_TYPE_TRACING ? (uint32_t)id : 0)) < 0)
			return 1;
	load = now() - t0;
	for (i = 0; i < w->nprogs; i++) {
		t0 = now();
		link[i] = w->type == BPF_PROG_TYPE_TRACING
			      ? trace_link(prog[i], w->at[i])
			      : kmulti_link(prog[i], w->at[i], addr, w->kret && i == 1);
		att[i] = now() - t0;
		if (link[i] < 0) {
			fprintf(stderr, "nfhook_attach: %s attach %d: %s\n", w->name, i,
				strerror(errno));
			return 1;
		}
	}
	printf("READY\n");
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (hold && !done)
		pause();
	t0 = now();
	for (i = w->nprogs - 1; i >= 0; i--) {
		close(link[i]);
		close(prog[i]);
	}
	det = now() - t0;
	printf("NFHOOK %s load %.4f attach %.4f %.4f detach %.4f\n", w->name, load, att[0], att[1],
	       det);
	btf__free(btf);
	return 0;
}
