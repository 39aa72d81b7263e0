// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
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

bool *insn_landings(const struct bpf_insn *in, size_t n)
{
	bool *t = calloc(n + 1, sizeof(*t));

	if (t)
		insn_landings_into(in, n, t);
	return t;
}

void insn_landings_into(const struct bpf_insn *in, size_t n, bool *t)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t to;

		/* a jump to the next instruction (`ja +0`: a fold's no-op) joins no other path */
		if (insn_target(in, i, &to) && to >= 0 && (size_t)to <= n &&
		    (to != (int64_t)i + 1 || BPF_OP(in[i].code) == BPF_CALL))
			t[to] = true;
		if (insn_is_ld_imm64(&in[i]))
			i++; /* its second half is data */
	}
}
