// SPDX-License-Identifier: GPL-2.0
/*
 * No-op removal on a hand-made program with no-ops inside a loop, at jump targets, at the
 * start of the program and of each subprogram: run by this kernel (BPF_PROG_TEST_RUN, a
 * socket filter) as written and compacted, with its func_info and line_info, which the
 * verifier refuses when an offset is off. Needs root for the runs; the rest runs anywhere.
 */
#include <string.h>
#include "tap.h"
#include "insn_prog.h"
#include "src/probe/nop_compact.h"

/*
 * main: r6 = 5 + 4 + 3 + 2 + 1 (a loop whose head is a no-op), r6 = sub(r6) = 30, +1000
 * unless above 40 (a jump over a no-op to a no-op), +1, a 32-bit jump not taken,
 * + bpf_loop(3, cb) = 3, a gotol over +5000 and a no-op: 1034.
 * sub (30): a no-op, then r0 = r1 * 2. cb (34): a no-op, then r0 = 0.
 */
#define WANT 1034
static const struct bpf_insn prog[] = {
    /* 0 */ NOP,
    MOV(6, 0),
    MOV(7, 5),
    NOP, /* 3: the loop's head */
    ADDX(6, 7),
    NOP,
    ALU(BPF_SUB, 7, 1),
    JMP(BPF_JMP, BPF_JNE, 7, 0, -5), /* 7: to 3 */
    MOVX(1, 6),
    CALL(20), /* 9: sub */
    /* 10 */ MOVX(6, 0),
    JMP(BPF_JMP, BPF_JGT, 6, 40, 2), /* 11: to 14 */
    NOP,
    ALU(BPF_ADD, 6, 1000),
    NOP, /* 14 */
    ALU(BPF_ADD, 6, 1),
    JMP(BPF_JMP32, BPF_JEQ, 6, 0, 9), /* 16: to 26, never taken (gotol's skip is reached) */
    NOP,
    MOV(1, 3),
    FUNC_LO(2, 14), /* 19: cb */
    /* 20 */ LD_HI,
    MOV(3, 0),
    MOV(4, 0),
    HELPER(BPF_FUNC_loop),
    ADDX(6, 0),
    GOTOL(2), /* 25: to 28 */
    ALU(BPF_ADD, 6, 5000),
    NOP,
    MOVX(0, 6),
    EXIT,
    /* 30: sub */ NOP,
    MOVX(0, 1),
    ALU(BPF_MUL, 0, 2),
    EXIT,
    /* 34: cb */ NOP,
    MOV(0, 0),
    EXIT,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* the records' insn_off, before and after: a line on a no-op followed by another is dropped */
static const __u32 func_off[] = {0, 30, 34}, func_want[] = {0, 23, 26};
static const __u32 line_off[] = {0, 1, 3, 4, 8, 12, 13, 18, 19, 25, 30, 31, 34, 35};
static const __u32 line_want[] = {0, 2, 5, 9, 12, 13, 19, 23, 26};
static const __u32 line_kept[] = {1, 3, 4, 6, 7, 8, 9, 11, 13}; /* which records */

static const struct insn_src src = {prog, N(prog), func_off, line_off, N(func_off), N(line_off)};

static void copy_init(struct insn_copy *c, __u32 fn_type, __u32 file_off, __u32 text_off)
{
	insn_copy_init(c, &src, fn_type, file_off, text_off);
}

static int has_nop(const struct prog_image *img)
{
	static const struct bpf_insn nop = NOP;
	size_t i;

	for (i = 0; i < img->cnt; i++)
		if (!memcmp(&img->insns[i], &nop, sizeof(nop)))
			return 1;
	return 0;
}

static void test_records(void)
{
	struct insn_copy c;
	size_t i;
	int same;

	copy_init(&c, 1, 0, 0);
	is_int(nop_compact_image(&c.img), 9, "the nine no-ops go");
	is_int(c.img.cnt, N(prog) - 9, "the program is nine instructions shorter");
	ok(!has_nop(&c.img), "no `ja +0` is left");
	is_int(c.img.func_cnt, 3, "every func_info record stays");
	for (i = 0, same = 1; i < N(func_want); i++)
		same &= c.funcs[i].insn_off == func_want[i];
	ok(same, "each subprogram's record is where its first instruction went (0, 23, 26)");
	is_int(c.img.line_cnt, N(line_want), "a line record on a no-op before a line goes");
	ok(insn_lines_are(&c, line_want, line_kept, N(line_want)),
	   "the other line records moved with their instructions");
	is_int(c.insns[4].off, -3, "the loop's jump back lands on its body's first instruction");
	is_int(c.insns[8].off, 1, "the jump over a no-op to a no-op lands after both");
	is_int(c.insns[11].off, 8, "the 32-bit jump lands on the add gotol skips");
	is_int(c.insns[6].imm, 16, "the call lands on sub's first instruction");
	is_int(c.insns[13].imm, 12, "the callback's address is cb's first instruction");
	is_int(c.insns[19].imm, 1, "gotol's 32-bit offset lost the no-op it jumped over");
}

static void test_refused(void)
{
	struct insn_copy c;

	copy_init(&c, 1, 0, 0);
	c.insns[7].off = -9; /* before the program */
	is_int(nop_compact_image(&c.img), -EINVAL, "a jump out of the program is refused");
	c.insns[7].off = -5;
	ok(!memcmp(c.insns, prog, sizeof(prog)) && c.img.cnt == N(prog) && c.img.line_cnt == 14,
	   "and the program is left as it was");
	copy_init(&c, 1, 0, 0);
	c.lines[13].insn_off = N(prog);
	is_int(nop_compact_image(&c.img), -EINVAL, "a line record past the end is refused");
	copy_init(&c, 1, 0, 0);
	c.img.func_info = c.img.line_info = NULL;
	c.img.func_cnt = c.img.line_cnt = 0;
	is_int(nop_compact_image(&c.img), 9, "a program without records is compacted too");
	copy_init(&c, 1, 0, 0);
	nop_compact_image(&c.img);
	is_int(nop_compact_image(&c.img), 0, "a second pass finds nothing");
}

static void run_pass(struct insn_copy *c)
{
	nop_compact_image(&c->img);
}

static void test_runs(void)
{
	insn_prog_runs(&src, (const char *const[]){"main", "sub", "cb"}, run_pass, WANT,
		       "compacted, with its moved records");
}

int main(void)
{
	test_records();
	test_refused();
	test_runs();
	return tap_done();
}
