// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "kallsyms/cs_calls.h"
#include "kallsyms/disasm.h"
#include "kallsyms/disasm_int.h"

enum disasm_arch disasm_host_arch(void)
{
#if defined(__aarch64__)
	return DISASM_ARM64;
#else
	return DISASM_X86_64;
#endif
}

/* The target of a direct call ("call rel32"), or 0. */
static uint64_t call_target(const cs_insn *insn)
{
	const cs_detail *d = insn->detail;

	if (insn->id == X86_INS_CALL && d->x86.op_count == 1 &&
	    d->x86.operands[0].type == X86_OP_IMM)
		return (uint64_t)d->x86.operands[0].imm;
	return 0;
}

int disasm_out_push(struct disasm_out *o, uint64_t x)
{
	uint64_t *nv;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		nv = realloc(o->v, o->cap * sizeof(*o->v));
		if (!nv)
			return -ENOMEM;
		o->v = nv;
	}
	o->v[o->n++] = x;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t uniq(uint64_t *v, size_t n)
{
	size_t i, k = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* Decodes x86-64 CODE, stepping a byte over what does not decode (the decoder resynchronises). */
static int walk_x86(const struct cs_calls *cs, csh h, const uint8_t *code, size_t len,
		    uint64_t addr, struct disasm_out *o)
{
	cs_insn *insn = cs->malloc(h);
	uint64_t t;
	int rc = insn ? 0 : -ENOMEM;

	while (!rc && len) {
		if (!cs->disasm_iter(h, &code, &len, &addr, insn)) {
			code++;
			len--;
			addr++;
			continue;
		}
		t = call_target(insn);
		if (t)
			rc = disasm_out_push(o, t);
	}
	if (insn)
		cs->free(insn, 1);
	return rc;
}

int disasm_available(char *why, size_t len)
{
	return cs_calls(why, len) ? 0 : -ENOENT;
}

int disasm_call_targets(enum disasm_arch arch, const uint8_t *code, size_t len, uint64_t addr,
			uint64_t **targets, size_t *n)
{
	cs_arch a = arch == DISASM_ARM64 ? CS_ARCH_ARM64 : CS_ARCH_X86;
	cs_mode m = arch == DISASM_ARM64 ? CS_MODE_ARM : CS_MODE_64;
	const struct cs_calls *cs = cs_calls(NULL, 0);
	struct disasm_out o = {0};
	csh h;
	int rc;

	*targets = NULL;
	*n = 0;
	if (!cs)
		return -ENOENT;
	if (cs->open(a, m, &h) != CS_ERR_OK)
		return -ENOTSUP;
	cs->option(h, CS_OPT_DETAIL, CS_OPT_ON);
	if (arch == DISASM_ARM64)
		rc = disasm_arm64_walk(cs, h, code, len, addr, &o);
	else
		rc = walk_x86(cs, h, code, len, addr, &o);
	cs->close(&h);
	if (rc) {
		free(o.v);
		return rc;
	}
	*n = uniq(o.v, o.n);
	*targets = o.v;
	return 0;
}
