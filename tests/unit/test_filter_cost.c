// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel really runs, counted in call instructions of the loaded (xlated) program:
 * the empty expression must leave none, and the block translation must not grow with the
 * number of packet loads, where the per-load baseline adds one helper call per load.
 */
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "tap.h"
#include "src/check_filter.h"
#include "checker_tap.h"

static int count_calls(const char *expr, bool per_load)
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
			calls += insns[i].code == (BPF_JMP | BPF_CALL);
	free(insns);
	filter_checker_close(c);
	return calls;
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
	return tap_done();
}
