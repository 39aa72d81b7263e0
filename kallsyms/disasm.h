/* SPDX-License-Identifier: GPL-2.0 */
/* Call targets in machine code (capstone): what a JITed BPF program calls. */
#ifndef PWRU_DISASM_H
#define PWRU_DISASM_H

#include <stddef.h>
#include <stdint.h>

enum disasm_arch {
	DISASM_X86_64,
	DISASM_ARM64,
};

/* The architecture pwru was built for. */
enum disasm_arch disasm_host_arch(void);

/* 0 if capstone can be used, else -ENOENT with why in WHY (one line). */
int disasm_available(char *why, size_t len);

/*
 * The targets of the calls in CODE, LEN bytes loaded at ADDR: x86-64 "call rel32"; arm64
 * "bl", and "blr Xn" where the code before it built Xn's address (disasm_arm64.c). Sorted,
 * each once, in a malloc'd array. Other indirect calls, and jumps, are not calls to a known
 * place and are left out. Bytes that do not decode are skipped.
 * Returns 0 or -errno (-ENOTSUP: capstone lacks the architecture; -ENOENT: no capstone,
 * disasm_available() says why).
 */
int disasm_call_targets(enum disasm_arch arch, const uint8_t *code, size_t len, uint64_t addr,
			uint64_t **targets, size_t *n);

#endif
