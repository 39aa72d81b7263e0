// SPDX-License-Identifier: GPL-2.0
/* The translator's output buffer: instructions, and jumps resolved once all are emitted. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "filters/xlate_emit.h"

int xl_fail(struct xl *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, x->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

size_t xl_emit(struct xl *x, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn *grown;

	if (x->cnt == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 256;

		grown = realloc(x->out, cap * sizeof(*grown));
		if (!grown) {
			x->oom = true;
			return x->cnt;
		}
		x->out = grown;
		x->cap = cap;
	}
	x->out[x->cnt] =
	    (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
	return x->cnt++;
}

/* A jump whose offset is filled in once every cBPF instruction has an address. */
void xl_jump_to(struct xl *x, uint8_t code, uint8_t dst, uint8_t src, int32_t imm, uint32_t target)
{
	size_t at = xl_emit(x, code, dst, src, 0, imm);
	struct fixup *grown;

	if (x->nfix == x->capfix) {
		size_t cap = x->capfix ? 2 * x->capfix : 64;

		grown = realloc(x->fix, cap * sizeof(*grown));
		if (!grown) {
			x->oom = true;
			return;
		}
		x->fix = grown;
		x->capfix = cap;
	}
	x->fix[x->nfix++] = (struct fixup){.at = at, .target = target};
}

/*
 * Rejects the packet. A conditional jump that is always taken, not a plain JA: the verifier's
 * CFG check would otherwise call the code after it unreachable.
 */
void xl_reject(struct xl *x)
{
	xl_jump_to(x, BPF_JMP | BPF_JGE | BPF_K, RCAP, 0, 0, T_NOMATCH);
}

void xl_patch_local(struct xl *x, size_t at)
{
	if (at < x->cnt)
		x->out[at].off = (int16_t)(x->cnt - at - 1);
}
