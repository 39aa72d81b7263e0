/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel objects the programs reference by BTF id (bpf/kernel_refs.h), resolved from
 * the BTF the loader has parsed, so that libbpf never parses the kernel's BTF for them.
 */
#ifndef PWRU_PROBE_KERNEL_REFS_H
#define PWRU_PROBE_KERNEL_REFS_H

#include <stddef.h>
#include <linux/types.h>
#include "src/discover/btf_find.h"

struct btf;
struct bpf_insn;
struct bpf_program;

/* vmlinux BTF ids; 0 where the kernel has none (the references then read as absent) */
struct kernel_refs {
	__u32 rdonly_cast;   /* FUNC bpf_rdonly_cast, a kfunc from 6.2 */
	__u32 redirect_info; /* VAR bpf_redirect_info, per-CPU until 6.10 */
};

/* What struct kernel_refs holds, in its order: for a caller's own btf_find_all() */
#define KERNEL_REFS_N 2
extern const struct btf_want kernel_refs_wants[KERNEL_REFS_N];

/* R from the running kernel's vmlinux BTF (NULL: none, every reference absent). */
void kernel_refs_find(const struct btf *vmlinux, struct kernel_refs *r);
/*
 * Turns each marker in the N instructions at IN into its reference: a kfunc call, a
 * per-CPU variable's ld_imm64; where the kernel lacks one, what libbpf makes of a weak
 * __ksym extern it cannot resolve (a kfunc call to id 0, the address 0), which the
 * verifier accepts on code it never reaches. Returns how many were turned.
 */
int kernel_refs_patch_insns(struct bpf_insn *in, size_t n, const struct kernel_refs *r);
/* The same on PROG's instructions, from a libbpf prepare-load step; or a negative errno. */
int kernel_refs_patch(struct bpf_program *prog, const struct kernel_refs *r);

#endif
