// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "src/probe/prog_edit.h"

int prog_edit(struct bpf_program *prog, insn_edit_fn edit, const void *arg)
{
	size_t n = bpf_program__insn_cnt(prog);
	struct bpf_insn *in = malloc((n ? n : 1) * sizeof(*in));
	int changed, rc = 0;

	if (!in)
		return -ENOMEM;
	memcpy(in, bpf_program__insns(prog), n * sizeof(*in));
	changed = edit(in, n, arg);
	if (changed > 0)
		rc = bpf_program__set_insns(prog, in, n);
	free(in);
	return rc ? rc : changed;
}
