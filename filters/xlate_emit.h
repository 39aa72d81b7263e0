/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The translator's internals shared by its files: the output buffer with pending jump
 * fixups, and the register and stack conventions of the generated code.
 */
#ifndef PWRU_XLATE_EMIT_H
#define PWRU_XLATE_EMIT_H

#include <stdbool.h>
#include "filters/cbpf_xlate.h"

/*
 * A and X live in callee-saved registers so that helper calls never clobber them; the
 * captured length and the scratch pointer too. R0..R5 are temporaries.
 */
#define RA   BPF_REG_6
#define RX   BPF_REG_7
#define RCAP BPF_REG_8
#define RS   BPF_REG_9

#define SCRATCH_SLOTS 16
#define LOOP_SLOT     (-8 * (SCRATCH_SLOTS / 2) - 8)
#define READ_SLOT     (LOOP_SLOT - 8)
#define DATA_SLOT     (READ_SLOT - 8) /* the packet's address, a number */
#define WINDOW_REACH  INT16_MAX	      /* a load's offset is 16 bits: fixed loads through RS */

#define PROBE_READ_KERNEL 113 /* BPF_FUNC_probe_read_kernel, fixed by the kernel ABI */

#define T_NOMATCH UINT32_MAX

struct fixup {
	size_t at;
	uint32_t target; /* cBPF index, or T_NOMATCH */
};

struct xl {
	const struct sock_filter *prog;
	size_t n;
	enum cbpf_xlate_mode mode;
	const struct skb_layout *lay;
	const struct cbpf_cast *cast; /* CBPF_XLATE_DIRECT */
	uint32_t x_max;		      /* the most X can hold (UINT32_MAX: unknown) */
	uint32_t copy_len;	      /* bytes the loads may take from the copy */
	bool reads_meta;	      /* loads the scratch's len or skb */
	/*
	 * CBPF_XLATE_DIRECT without the scratch: RS holds the packet's address cast to the
	 * window type, and loads at a fixed offset read through it
	 */
	bool window;
	struct bpf_insn *out;
	size_t cnt, cap;
	struct fixup *fix;
	size_t nfix, capfix;
	size_t *addrs;
	bool oom;
	char *err;
	size_t errlen;
};

int xl_fail(struct xl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t xl_emit(struct xl *x, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm);
void xl_jump_to(struct xl *x, uint8_t code, uint8_t dst, uint8_t src, int32_t imm, uint32_t target);
void xl_reject(struct xl *x);
void xl_patch_local(struct xl *x, size_t at);

/* Packet and skb loads (filters/xlate_loads.c). */
int cbpf_bytes(uint16_t code);
void emit_ntoh(struct xl *x, uint8_t dst, int bytes);
void emit_load_abs(struct xl *x, uint8_t dst, int bytes, uint32_t k);
void emit_load_ind(struct xl *x, uint8_t dst, int bytes, uint32_t k);
int emit_ancillary(struct xl *x, uint32_t ad);

#endif
