// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 call targets. Linux's arm64 BPF JIT calls a helper, kfunc or subprogram by building
 * its address in x10 (movn/movk/movk: emit_addr_mov_i64) and "blr x10": Debian's 6.1, 6.12
 * and 7.2 all do (tests/data/jit/). So the walk keeps, per register, the constant the code
 * before it built, and forgets it when anything else writes the register, across a call
 * (the caller-saved registers) and where a branch lands (the value there depends on the way
 * in). A direct "bl", which a JIT may use for a target within its reach, is read too.
 * Instructions are matched on their encodings (Arm ARM, A64 encoding index), not on
 * capstone's names, whose aliases (mov for movz or movn) change between its versions;
 * capstone says what decodes and which registers the other instructions write.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms/disasm_int.h"

#define NREGS	     31		 /* x0..x30; register number 31 is sp or xzr */
#define CALLER_SAVED 0x4007ffffU /* x0..x18 and x30: a callee may change them */

struct regs {
	uint64_t val[NREGS];
	uint32_t known; /* bit n: val[n] holds a constant */
};

static void set(struct regs *r, unsigned int n, uint64_t v)
{
	if (n < NREGS) {
		r->val[n] = v;
		r->known |= 1U << n;
	}
}

static void forget(struct regs *r, unsigned int n)
{
	if (n < NREGS)
		r->known &= ~(1U << n);
}

static int known(const struct regs *r, unsigned int n, uint64_t *v)
{
	if (n >= NREGS || !(r->known >> n & 1))
		return 0;
	*v = r->val[n];
	return 1;
}

static uint32_t word(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t sext(uint64_t v, unsigned int bits)
{
	uint64_t m = 1ULL << (bits - 1);

	return (v ^ m) - m;
}

/* b, bl, b.cond, cbz/cbnz, tbz/tbnz: 1 and where to in *T. */
static int branch_target(uint32_t w, uint64_t pc, uint64_t *t)
{
	if ((w & 0x7c000000) == 0x14000000)
		*t = pc + (sext(w & 0x3ffffff, 26) << 2);
	else if ((w & 0xff000010) == 0x54000000 || (w & 0x7e000000) == 0x34000000)
		*t = pc + (sext(w >> 5 & 0x7ffff, 19) << 2);
	else if ((w & 0x7e000000) == 0x36000000)
		*t = pc + (sext(w >> 5 & 0x3fff, 14) << 2);
	else
		return 0;
	return 1;
}

/* Bit i: some branch in the N words of CODE lands on word i. */
static uint8_t *landings(const uint8_t *code, size_t n, uint64_t addr)
{
	uint8_t *l = calloc(n / 8 + 1, 1);
	uint64_t t;
	size_t i;

	for (i = 0; l && i < n; i++) {
		if (!branch_target(word(code + 4 * i), addr + 4 * i, &t))
			continue;
		t -= addr;
		if (t < 4 * (uint64_t)n && !(t & 3))
			l[t / 32] |= (uint8_t)(1U << (t / 4 % 8));
	}
	return l;
}

/* movz, movn, movk (move wide immediate), on an X or a W register. */
static int move_wide(struct regs *r, uint32_t w)
{
	unsigned int rd = w & 31, opc = w >> 29 & 3, shift = (w >> 21 & 3) * 16;
	uint64_t mask = w >> 31 ? ~0ULL : 0xffffffffULL;
	uint64_t imm = (uint64_t)(w >> 5 & 0xffff) << shift, v;

	if ((w & 0x1f800000) != 0x12800000 || opc == 1)
		return 0;
	if (opc == 0)
		set(r, rd, ~imm & mask);
	else if (opc == 2)
		set(r, rd, imm);
	else if (known(r, rd, &v))
		set(r, rd, ((v & ~(0xffffULL << shift)) | imm) & mask);
	return 1;
}

/* adrp: the 4 KB page at a signed 21-bit page offset from PC's. */
static int adrp(struct regs *r, uint32_t w, uint64_t pc)
{
	uint64_t pages = (uint64_t)(w >> 5 & 0x7ffff) << 2 | (w >> 29 & 3);

	if ((w & 0x9f000000) != 0x90000000)
		return 0;
	set(r, w & 31, (pc & ~0xfffULL) + (sext(pages, 21) << 12));
	return 1;
}

/* add Xd, Xn, #imm{, lsl #12}: adrp's low bits, or the JIT's register move (#0). */
static int add_imm(struct regs *r, uint32_t w)
{
	unsigned int rd = w & 31, rn = w >> 5 & 31;
	uint64_t imm = (uint64_t)(w >> 10 & 0xfff) << (w >> 22 & 1 ? 12 : 0), v;

	if ((w & 0xff800000) != 0x91000000)
		return 0;
	if (rn != 31 && known(r, rn, &v))
		set(r, rd, v + imm);
	else
		forget(r, rd);
	return 1;
}

/* bl and blr: 1, and the target when known in *T (else 0). */
static int call(struct regs *r, uint32_t w, uint64_t pc, uint64_t *t)
{
	*t = 0;
	if ((w & 0xfc000000) == 0x94000000)
		*t = pc + (sext(w & 0x3ffffff, 26) << 2);
	else if ((w & 0xfffffc1f) == 0xd63f0000)
		known(r, w >> 5 & 31, t);
	else
		return 0;
	r->known &= ~CALLER_SAVED;
	return 1;
}

/* x0..x30 and w0..w30 (fp, lr) by capstone's name; NREGS for the others. */
static unsigned int reg_number(const struct cs_calls *cs, csh h, unsigned int reg)
{
	const char *s = cs->reg_name(h, reg);
	unsigned long n;
	char *end;

	if (!s)
		return NREGS;
	if (!strcmp(s, "fp"))
		return 29;
	if (!strcmp(s, "lr"))
		return 30;
	if (s[0] != 'x' && s[0] != 'w')
		return NREGS;
	n = strtoul(s + 1, &end, 10);
	return end != s + 1 && !*end && n < NREGS ? (unsigned int)n : NREGS;
}

static void forget_written(const struct cs_calls *cs, csh h, const cs_insn *insn, struct regs *r)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr, i;

	if (cs->regs_access(h, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK) {
		r->known = 0;
		return;
	}
	for (i = 0; i < nwr; i++)
		forget(r, reg_number(cs, h, wr[i]));
}

static int step(const struct cs_calls *cs, csh h, cs_insn *insn, const uint8_t *p, uint64_t pc,
		struct regs *r, struct disasm_out *o)
{
	const uint8_t *c = p;
	size_t left = 4;
	uint64_t at = pc, t;
	uint32_t w = word(p);

	if (!cs->disasm_iter(h, &c, &left, &at, insn)) {
		r->known = 0; /* data, or what capstone lacks: anything may have changed */
		return 0;
	}
	if (call(r, w, pc, &t))
		return t ? disasm_out_push(o, t) : 0;
	if (!move_wide(r, w) && !adrp(r, w, pc) && !add_imm(r, w))
		forget_written(cs, h, insn, r);
	return 0;
}

int disasm_arm64_walk(const struct cs_calls *cs, csh h, const uint8_t *code, size_t len,
		      uint64_t addr, struct disasm_out *o)
{
	size_t n = len / 4, i;
	uint8_t *lands = landings(code, n, addr);
	cs_insn *insn = cs->malloc(h);
	struct regs r = {.known = 0};
	int rc = lands && insn ? 0 : -ENOMEM;

	for (i = 0; !rc && i < n; i++) {
		if (lands[i / 8] >> (i % 8) & 1)
			r.known = 0;
		rc = step(cs, h, insn, code + 4 * i, addr + 4 * i, &r, o);
	}
	free(lands);
	if (insn)
		cs->free(insn, 1);
	return rc;
}
