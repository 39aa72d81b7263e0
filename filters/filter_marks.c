// SPDX-License-Identifier: GPL-2.0
/*
 * The glue's markers, rewritten in a spliced program: a marker is a register load, not a
 * call, so clang keeps the glue's values in registers around it (bpf/filter.bpf.h).
 */
#include <errno.h>
#include "bpf/filter_scratch.h"
#include "filters/cbpf_xlate.h"
#include "filters/filter_marks.h"

void filter_marks_add(struct filter_marks *m, const struct ebpf_code *body)
{
	/* the glue copies the packet's first bytes only as far as a body loads from them */
	if (body->copy_len > m->copy_len)
		m->copy_len = body->copy_len;
	m->reads_meta = m->reads_meta || body->reads_meta;
	m->needs_scratch = m->needs_scratch || body->needs_scratch;
}

int filter_marks_value(const struct filter_marks *m, uint64_t mark, uint64_t *value)
{
	if (mark == FILTER_MARK_COPY_LEN)
		*value = m->copy_len;
	else if (mark == FILTER_MARK_META)
		*value = m->reads_meta;
	else if (mark == FILTER_MARK_SCRATCH)
		*value = m->needs_scratch;
	else
		return -ENOENT;
	return 0;
}

void filter_marks_apply(const struct filter_marks *m, struct bpf_insn *insns, size_t cnt)
{
	for (size_t i = 0; i + 1 < cnt; i++) {
		uint64_t imm = (uint32_t)insns[i].imm | (uint64_t)(uint32_t)insns[i + 1].imm << 32;
		uint64_t v;

		if (insns[i].code != (BPF_LD | BPF_DW | BPF_IMM) || insns[i].src_reg)
			continue;
		if (!filter_marks_value(m, imm, &v)) {
			insns[i].imm = (int32_t)(uint32_t)v;
			insns[i + 1].imm = (int32_t)(uint32_t)(v >> 32);
		}
		i++; /* the immediate's second half */
	}
}
