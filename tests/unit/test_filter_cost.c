// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel really runs, counted in call instructions of the loaded (xlated) program:
 * the empty expression must leave none, and the block translation must not grow with the
 * number of packet loads, where the per-load baseline adds one helper call per load. Where
 * the kernel can cast (6.2+), the packet is loaded in place: no helper call at all.
 */
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "tap.h"
#include "src/check_filter.h"
#include "checker_tap.h"

/* Calls of helpers only (not subprograms) when HELPERS is set. */
static int count_calls_of(const char *expr, bool per_load, bool helpers)
{
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info), n;
	struct filter_checker *c;
	struct bpf_insn *insns;
	struct pwru_err e = {0};
	int fd, calls = 0;

	if (filter_checker_open_opts(expr, DLT_EN10MB, per_load, &c, &e)) {
		printf("# '%s': %s\n", expr, e.msg);
		return -1;
	}
	fd = filter_checker_prog_fd(c);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.xlated_prog_len) {
		filter_checker_close(c);
		return -1;
	}
	n = info.xlated_prog_len / sizeof(*insns);
	insns = calloc(n, sizeof(*insns));
	info = (struct bpf_prog_info){.xlated_prog_len = n * sizeof(*insns),
				      .xlated_prog_insns = (__u64)(unsigned long)insns};
	len = sizeof(info);
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		for (__u32 i = 0; i < n; i++)
			calls += insns[i].code == (BPF_JMP | BPF_CALL) &&
				 (!helpers || insns[i].src_reg == 0);
	free(insns);
	filter_checker_close(c);
	return calls;
}

static int count_calls(const char *expr, bool per_load)
{
	return count_calls_of(expr, per_load, false);
}

static bool kernel_can_cast(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool yes = btf && btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) > 0;

	btf__free(btf);
	return yes;
}

int main(void)
{
	const char *ten = "ip[0] = 0x45 and ip[1] = 0 and ip[6] = 0x40 and ip[8] = 64 and "
			  "ip[9] = 6 and ip[12] = 10 and ip[13] = 0 and ip[14] = 0 and "
			  "ip[15] = 1 and ip[19] = 7";
	int empty, one, many, base_one, base_many;
	char why[512];

	if (!checker_loadable(why, sizeof(why))) {
		printf("1..0 # SKIP %s\n", why);
		return 0;
	}
	empty = count_calls("", false);
	one = count_calls("tcp", false);
	many = count_calls(ten, false);
	base_one = count_calls("tcp", true);
	base_many = count_calls(ten, true);
	is_int(empty, 0, "empty expression: no call at all in the loaded program");
	ok(one > 0, "'tcp' calls helpers (%d calls)", one);
	is_int(many, one, "ten loads cost no more calls than one (all inside the copied block)");
	ok(base_many - base_one >= 9,
	   "the per-load baseline adds a helper call per load (%d vs %d calls)", base_many,
	   base_one);
	if (kernel_can_cast()) {
		is_int(count_calls_of("tcp", false, true), 0,
		       "'tcp' in place (bpf_rdonly_cast): no helper call, no packet copy");
		setenv("PWRU_FILTER_COPY", "1", 1);
		is_int(count_calls_of("tcp", false, true), 1,
		       "'tcp' on the copy path: one helper call, the packet copy");
		unsetenv("PWRU_FILTER_COPY");
		/* fixed loads past a load's 16-bit offset cast their own address */
		ok(count_calls_of("ether[40000] = 1 or udp port 9", false, true) == 0,
		   "in place, a load at 40000 and the window's loads pass the verifier");
	}
	return tap_done();
}
