// SPDX-License-Identifier: GPL-2.0
/*
 * The glue's markers in a program's instructions (filters/filter_marks.h): each 64-bit
 * immediate load of a marker gets its value, both halves; nothing else is touched.
 */
#include <errno.h>
#include <stdint.h>
#include "tap.h"
#include "bpf/filter_scratch.h"
#include "filters/cbpf_xlate.h"
#include "filters/filter_marks.h"

/* A 64-bit immediate load of V into R1 (two instructions), SRC its src_reg. */
static void ld_imm64(struct bpf_insn *i, uint64_t v, uint8_t src)
{
	i[0] = (struct bpf_insn){.code = BPF_LD | BPF_DW | BPF_IMM,
				 .dst_reg = 1,
				 .src_reg = src,
				 .imm = (int32_t)(uint32_t)v};
	i[1] = (struct bpf_insn){.imm = (int32_t)(uint32_t)(v >> 32)};
}

static uint64_t imm64(const struct bpf_insn *i)
{
	return (uint32_t)i[0].imm | (uint64_t)(uint32_t)i[1].imm << 32;
}

static void test_add(void)
{
	struct ebpf_code a = {.copy_len = 78, .needs_scratch = true};
	struct ebpf_code b = {.copy_len = 34, .reads_meta = true}, none = {0};
	struct filter_marks m = {0};
	uint64_t v;

	filter_marks_add(&m, &none);
	ok(!m.copy_len && !m.reads_meta && !m.needs_scratch,
	   "a body that needs nothing adds nothing");
	filter_marks_add(&m, &a);
	filter_marks_add(&m, &b);
	filter_marks_add(&m, &none); /* one that needs less takes nothing back */
	is_int(m.copy_len, 78, "the copy is as long as the longest body's loads");
	ok(m.reads_meta, "one body reading len turns META on");
	ok(m.needs_scratch, "one body reading the scratch turns SCRATCH on");
	is_int(filter_marks_value(&m, FILTER_MARK_META, &v), 0, "META is a marker");
	is_int(v, 1, "and its value is 1");
	is_int(filter_marks_value(&m, 42, &v), -ENOENT, "another number is no marker");
}

static void test_apply(void)
{
	struct filter_marks m = {.copy_len = 0x1234, .reads_meta = true};
	struct bpf_insn insns[11] = {0};

	ld_imm64(&insns[0], FILTER_MARK_COPY_LEN, 0);
	ld_imm64(&insns[2], FILTER_MARK_META, 0);
	ld_imm64(&insns[4], FILTER_MARK_SCRATCH, 0);
	/* a map's address (src_reg BPF_PSEUDO_MAP_FD) with a marker's number is not one */
	ld_imm64(&insns[6], FILTER_MARK_COPY_LEN, BPF_PSEUDO_MAP_FD);
	ld_imm64(&insns[8], 42, 0);
	insns[10] = (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
	filter_marks_apply(&m, insns, 11);
	is_int(imm64(&insns[0]), 0x1234, "COPY_LEN gets the copy's length, both halves");
	is_int(imm64(&insns[2]), 1, "META gets 1");
	is_int(imm64(&insns[4]), 0, "SCRATCH gets 0");
	ok(imm64(&insns[6]) == FILTER_MARK_COPY_LEN, "a map load keeps its number");
	is_int(imm64(&insns[8]), 42, "an immediate that is no marker keeps its value");
	/* a marker cut off at the end of the array is left alone, not read past it */
	ld_imm64(&insns[9], FILTER_MARK_META, 0);
	filter_marks_apply(&m, insns, 10);
	is_int((uint32_t)insns[9].imm, (uint32_t)FILTER_MARK_META,
	       "a lone first half at the end stays");
}

int main(void)
{
	test_add();
	test_apply();
	return tap_done();
}
