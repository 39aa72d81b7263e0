/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Values a program learns per copy: the loader clones one verified-per-target template for
 * each hooked function (src/probe/clone.c) and writes that function's values into the
 * 64-bit immediates carrying these markers. A constant to the verifier, so branches on it
 * are pruned per copy (an argument the function does not have is never read).
 */
#ifndef PWRU_CLONE_H
#define PWRU_CLONE_H

#define CLONE_MAGIC_FUNC_IP 0x70777275665f6970ULL /* "pwruf_ip": the function's address */
#define CLONE_MAGIC_NARGS   0x70777275615f6e72ULL /* "pwrua_nr": its argument slots */
#define CLONE_MAGIC_FLAGS   0x70777275666c6167ULL /* "pwruflag": enum clone_flags */
/* "pwrutext": a traced BPF program's JIT image, where its code starts (0: unknown) */
#define CLONE_MAGIC_PROG_TEXT 0x7077727574657874ULL

enum clone_flags {
	CLONE_STASH = 1,    /* hold the entry event for the exit's return value */
	CLONE_RET_S32 = 2,  /* the return value is a signed 32-bit integer: sign-extend it */
	CLONE_NF_STATE = 4, /* nf_hook_slow(): arg 2 is its hook and family, not the pointer */
};

/*
 * With CLONE_STASH, bits 8-11 of the flags: the skb's argument slot (0-based), which the
 * exit compares with the held event's (emit_pending()).
 */
#define CLONE_SKB_SLOT_SHIFT  8
#define CLONE_SKB_SLOT(flags) (((flags) >> CLONE_SKB_SLOT_SHIFT) & 0xf)

#ifdef __bpf__
/* An ld_imm64 clang cannot fold away or merge with another. */
#define CLONE_VALUE(magic)                                                                         \
	({                                                                                         \
		__u64 v_;                                                                          \
		asm volatile("%0 = %1 ll" : "=r"(v_) : "i"(magic));                                \
		v_;                                                                                \
	})

/*
 * Slot I of a u64 argument array at a fixed offset: clang would otherwise compute the
 * offset of guarded loads, and the verifier refuses a ctx access through a moved pointer.
 */
#define CTX_SLOT(ctx, i)                                                                           \
	({                                                                                         \
		__u64 v_;                                                                          \
		asm volatile("%0 = *(u64 *)(%1 + %2)" : "=r"(v_) : "r"(ctx), "i"((i)*8));          \
		v_;                                                                                \
	})
#endif

#endif
