// SPDX-License-Identifier: GPL-2.0
/*
 * Branches on known constants decided before the load, and the code they leave dead
 * removed (dead_code_insns, then nop_compact_image as the loader runs them): a socket
 * filter run by this kernel (BPF_PROG_TEST_RUN) as written and after both, loaded with its
 * func_info and line_info, and the exact instructions and records in between. Needs root
 * for the runs; the rest runs anywhere.
 */
#include <string.h>
#include "tap.h"
#include "insn_prog.h"
#include "bpf/clone.h"
#include "src/probe/dead_code.h"
#include "src/probe/nop_compact.h"

#define DEAD ALU(BPF_ADD, 6, 1000) /* never runs: a result above 1000 says it did */

/*
 * main returns 65: r6 = 1 (+10 in a loop that lands in a decided branch's dead side,
 * +20 after a call whose result is not known) = 31, sub(31) = 62, + bpf_loop(3, cb) = 3.
 * dead_sub is called and dead_cb referenced only from code a decided branch skips.
 */
#define WANT 65
static const struct bpf_insn prog[] = {
    /* 0 */ MOV(6, 0),
    MOV(7, 0),
    LD64(1, 0),				     /* 2: a folded switch, off */
    JMP(BPF_JMP, BPF_JNE, 1, 0, 2),	     /* 4: to 7, never taken */
    ALU(BPF_ADD, 6, 1),			     /* r6 = 1 */
    JA(2),				     /* 6: to 9, over code only 4 reached */
    CALL(50),				     /* 7: dead_sub */
    DEAD,				     /* 8 */
    MOV(2, 1),				     /* 9 */
    /* 10 */ JMP(BPF_JMP, BPF_JEQ, 2, 1, 2), /* to 13, always taken */
    DEAD,
    ALU(BPF_ADD, 6, 10),	    /* 12: the loop at 15 lands here */
    ALU(BPF_ADD, 7, 1),		    /* 13 */
    JMP(BPF_JMP, BPF_JGT, 7, 1, 1), /* 14: to 16 on the second pass */
    JA(-4),			    /* 15: to 12 */
    MOV(4, 1),			    /* 16 */
    JMP(BPF_JMP, BPF_JGE, 7, 2, 1), /* 17: to 19, taken: r4 stays 1 */
    MOV(4, 2),			    /* 18 */
    JMP(BPF_JMP, BPF_JEQ, 4, 1, 1), /* 19: r4 is 1 or 2 here: kept */
    /* 20 */ DEAD,
    MOV(0, 0),			      /* 21 */
    HELPER(BPF_FUNC_ktime_get_ns),    /* 22 */
    JMP(BPF_JMP, BPF_JEQ, 0, 0, 1),   /* 23: the helper's result: kept */
    ALU(BPF_ADD, 6, 20),	      /* 24 */
    LD64(1, CLONE_MAGIC_FLAGS),	      /* 25: clone.c writes each copy's own */
    JMP(BPF_JMP, BPF_JNE, 1, 0, 1),   /* 27: so kept */
    DEAD,			      /* 28 */
    LD64(4, 0x100000001ULL),	      /* 29 */
    JMP(BPF_JMP32, BPF_JEQ, 4, 1, 2), /* 31: to 34, taken: the low 32 bits are 1 */
    FUNC_LO(2, 29),		      /* 32: dead_cb */
    LD_HI,
    MOV(5, -1),			     /* 34 */
    JMP(BPF_JMP, BPF_JSLT, 5, 0, 1), /* 35: to 37, taken (signed) */
    DEAD,
    JMP(BPF_JMP, BPF_JGT, 5, 5, 1), /* 37: to 39, taken (unsigned) */
    DEAD,
    MOV(5, 2), /* 39 */
    /* 40 */ ALU(BPF_LSH, 5, 3),
    JMP(BPF_JMP, BPF_JEQ, 5, 16, 1), /* 41: to 43, taken */
    DEAD,
    MOVX(1, 6), /* 43 */
    CALL(10),	/* 44: sub */
    MOVX(6, 0),
    MOV(1, 3),
    FUNC_LO(2, 12), /* 47: cb */
    LD_HI,
    MOV(3, 0),
    /* 50 */ MOV(4, 0),
    HELPER(BPF_FUNC_loop),
    ADDX(6, 0),
    MOVX(0, 6),
    EXIT,
    /* 55: sub */ MOVX(0, 1),
    ALU(BPF_MUL, 0, 2),
    EXIT,
    /* 58: dead_sub */ MOV(0, 7),
    EXIT,
    /* 60: cb */ MOV(0, 0),
    EXIT,
    /* 62: dead_cb, the last */ MOV(0, 1),
    EXIT,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const __u32 gone[] = {4, 6, 7, 8, 11, 31, 32, 33, 35, 36, 37, 38, 41, 42, 58, 59, 62, 63};
static const __u32 func_off[] = {0, 55, 58, 60, 62};
static const __u32 func_want[] = {0, 41, 44}, func_kept[] = {0, 1, 3};
/* on dead code: 7, 11, 32, 58, 59, 62, 63 */
static const __u32 line_off[] = {0, 7, 11, 12, 32, 55, 58, 59, 60, 62, 63};
static const __u32 line_want[] = {0, 5, 7, 26, 41, 44}, line_kept[] = {0, 1, 3, 4, 5, 8};

static const struct insn_src src = {prog, N(prog), func_off, line_off, N(func_off), N(line_off)};

static void copy_init(struct insn_copy *c, __u32 fn_type, __u32 file_off, __u32 text_off)
{
	insn_copy_init(c, &src, fn_type, file_off, text_off);
}

static bool same_insn(const struct bpf_insn *a, const struct bpf_insn *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Which instructions became no-ops: exactly GONE. */
static bool nops_are(const struct bpf_insn *in, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		bool want = k < N(gone) && gone[k] == i;

		if (same_insn(&in[i], &NOP) != want)
			return false;
		k += want;
	}
	return k == N(gone);
}

static bool unchanged(const struct bpf_insn *in, const __u32 *at, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!same_insn(&in[at[i]], &prog[at[i]]))
			return false;
	return true;
}

static void test_decided(void)
{
	static const __u32 kept[] = {12, 14, 17, 19, 20, 23, 27, 28};
	struct insn_copy c;

	copy_init(&c, 1, 0, 0);
	ok(dead_code_insns(c.insns, N(prog), NULL) > 0, "the pass changes the program");
	ok(same_insn(&c.insns[10], &JA(2)), "an always-taken branch is a ja to the same place");
	ok(unchanged(c.insns, kept, N(kept)),
	   "branches on a value a landing, a call or a clone marker makes unknown are kept, and "
	   "what they guard");
	ok(unchanged(c.insns, (const __u32[]){12}, 1),
	   "an instruction in a decided branch's dead side that live code jumps to is kept");
	ok(nops_are(c.insns, N(prog)),
	   "never-taken branches, the dead sides of the others (a 32-bit, a signed, an unsigned "
	   "compare, a shifted value), the jumps over them and the two subprograms only they "
	   "reached are no-ops");
	is_int(dead_code_insns(c.insns, N(prog), NULL), 0, "a second pass finds nothing");
}

static void test_compacted(void)
{
	struct insn_copy c;
	size_t i;
	bool same = true;

	copy_init(&c, 1, 0, 0);
	dead_code_insns(c.insns, N(prog), NULL);
	is_int(nop_compact_image(&c.img), (int)N(gone), "nop_compact removes all %zu", N(gone));
	is_int(c.img.func_cnt, 3, "the two dead subprograms' func_info records go");
	for (i = 0; i < N(func_want); i++)
		same &=
		    c.funcs[i].insn_off == func_want[i] && c.funcs[i].type_id == 1 + func_kept[i];
	ok(same, "main's, sub's and cb's stay, at their first instructions (0, 41, 44)");
	is_int(c.img.line_cnt, N(line_want), "line records in dead code go, or give way");
	ok(insn_lines_are(&c, line_want, line_kept, N(line_want)),
	   "one on a dead range goes to the next live instruction unless it has its own");
	is_int(c.insns[6].off, 1, "the decided branch lands where it did");
	is_int(c.insns[10].off, -4, "the loop's jump back lands in what was the dead side");
	is_int(c.insns[30].imm, 10, "the call lands on sub");
	is_int(c.insns[33].imm, 10, "the callback's address is cb's");
}

static void test_refused(void)
{
	struct insn_copy c;

	copy_init(&c, 1, 0, 0);
	c.insns[15].off = -20; /* before the program */
	is_int(dead_code_insns(c.insns, N(prog), NULL), -EINVAL,
	       "a jump out of the program is refused");
	c.insns[15].off = -4;
	ok(!memcmp(c.insns, prog, sizeof(prog)), "and nothing was changed");
	copy_init(&c, 1, 0, 0);
	c.insns[N(prog) - 1] = MOV(0, 1);
	is_int(dead_code_insns(c.insns, N(prog), NULL), -EINVAL,
	       "a live instruction falling off the end is refused");
}

/*
 * A no-op is skipped by the pass, but a jump landing on one is still a join: the values
 * known on the way in by falling through are not known after it.
 */
static void test_nop_landing(void)
{
	struct bpf_insn in[] = {
	    HELPER(BPF_FUNC_ktime_get_ns),
	    MOV(3, 5),
	    NOP,			    /* 2: no jump lands here */
	    JMP(BPF_JMP, BPF_JEQ, 3, 5, 1), /* 3: r3 is 5: always taken */
	    MOV(0, 7),
	    MOV(2, 1),
	    JMP(BPF_JMP, BPF_JEQ, 0, 0, 1), /* 6: to 8 with r2 = 1 */
	    MOV(2, 2),
	    NOP,			    /* 8: reached with r2 = 1 or 2 */
	    JMP(BPF_JMP, BPF_JEQ, 2, 2, 1), /* 9: kept */
	    /* 10 */ MOV(0, 1),
	    EXIT,
	};

	is_int(dead_code_insns(in, N(in), NULL), 3, "one branch decided, two instructions cleared");
	ok(same_insn(&in[3], &NOP) && same_insn(&in[4], &NOP),
	   "a branch after a no-op nothing lands on is decided, and what it skipped cleared");
	ok(same_insn(&in[9], &JMP(BPF_JMP, BPF_JEQ, 2, 2, 1)),
	   "one after a no-op a jump lands on is kept");
}

static void run_pass(struct insn_copy *c)
{
	dead_code_insns(c->insns, c->img.cnt, NULL);
	nop_compact_image(&c->img);
}

static void test_runs(void)
{
	insn_prog_runs(&src, (const char *const[]){"main", "sub", "dead_sub", "cb", "dead_cb"},
		       run_pass, WANT,
		       "without its dead code and subprograms, with the records left");
}

int main(void)
{
	test_decided();
	test_compacted();
	test_refused();
	test_nop_landing();
	test_runs();
	return tap_done();
}
