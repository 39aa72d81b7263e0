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

bool insn_is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

bool insn_target(const struct bpf_insn *in, size_t i, int64_t *to)
{
	const struct bpf_insn *c = &in[i];
	uint8_t cls = BPF_CLASS(c->code), op = BPF_OP(c->code);

	if (insn_is_ld_imm64(c) && c->src_reg == BPF_PSEUDO_FUNC) {
		*to = (int64_t)i + 1 + c->imm;
		return true;
	}
	if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_EXIT ||
	    (op == BPF_CALL && c->src_reg != BPF_PSEUDO_CALL))
		return false;
	/* bpf-to-bpf calls and gotol (the 32-bit ja) count in imm */
	if (op == BPF_CALL || (cls == BPF_JMP32 && op == BPF_JA))
		*to = (int64_t)i + 1 + c->imm;
	else
		*to = (int64_t)i + 1 + c->off;
	return true;
}

bool *insn_landings(const struct bpf_insn *in, size_t n)
{
	bool *t = calloc(n + 1, sizeof(*t));
	size_t i;

	for (i = 0; t && i < n; i++) {
		int64_t to;

		/* a jump to the next instruction (`ja +0`: a fold's no-op) joins no other path */
		if (insn_target(in, i, &to) && to >= 0 && (size_t)to <= n &&
		    (to != (int64_t)i + 1 || BPF_OP(in[i].code) == BPF_CALL))
			t[to] = true;
		if (insn_is_ld_imm64(&in[i]))
			i++; /* its second half is data */
	}
	return t;
}
