// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <capstone/capstone.h>
#include "kallsyms/disasm.h"

enum disasm_arch disasm_host_arch(void)
{
#if defined(__aarch64__)
	return DISASM_ARM64;
#else
	return DISASM_X86_64;
#endif
}

/* The target of a direct call, or 0. */
static uint64_t call_target(enum disasm_arch arch, const cs_insn *insn)
{
	const cs_detail *d = insn->detail;

	if (arch == DISASM_X86_64 && insn->id == X86_INS_CALL && d->x86.op_count == 1 &&
	    d->x86.operands[0].type == X86_OP_IMM)
		return (uint64_t)d->x86.operands[0].imm;
	if (arch == DISASM_ARM64 && insn->id == ARM64_INS_BL && d->arm64.op_count == 1 &&
	    d->arm64.operands[0].type == ARM64_OP_IMM)
		return (uint64_t)d->arm64.operands[0].imm;
	return 0;
}

static int push(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	uint64_t *nv;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		nv = realloc(*v, *cap * sizeof(**v));
		if (!nv)
			return -ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = x;
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

/* Decodes CODE, stepping over what does not decode (an x86 decoder resynchronises). */
static int walk(csh h, enum disasm_arch arch, const uint8_t *code, size_t len, uint64_t addr,
		uint64_t **v, size_t *n)
{
	size_t cap = 0, step = arch == DISASM_ARM64 ? 4 : 1;
	cs_insn *insn = cs_malloc(h);
	uint64_t t;
	int rc = insn ? 0 : -ENOMEM;

	while (!rc && len) {
		if (!cs_disasm_iter(h, &code, &len, &addr, insn)) {
			step = step < len ? step : len;
			code += step;
			len -= step;
			addr += step;
			continue;
		}
		t = call_target(arch, insn);
		if (t)
			rc = push(v, n, &cap, t);
	}
	if (insn)
		cs_free(insn, 1);
	return rc;
}

int disasm_call_targets(enum disasm_arch arch, const uint8_t *code, size_t len, uint64_t addr,
			uint64_t **targets, size_t *n)
{
	cs_arch a = arch == DISASM_ARM64 ? CS_ARCH_ARM64 : CS_ARCH_X86;
	cs_mode m = arch == DISASM_ARM64 ? CS_MODE_ARM : CS_MODE_64;
	uint64_t *v = NULL;
	csh h;
	int rc;

	*targets = NULL;
	*n = 0;
	if (cs_open(a, m, &h) != CS_ERR_OK)
		return -ENOTSUP;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	rc = walk(h, arch, code, len, addr, &v, n);
	cs_close(&h);
	if (rc) {
		free(v);
		*n = 0;
		return rc;
	}
	*n = uniq(v, *n);
	*targets = v;
	return 0;
}
