/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel objects the programs reference by BTF id: the kfunc bpf_rdonly_cast and the
 * per-CPU variable bpf_redirect_info. As __ksym externs they made libbpf parse the
 * kernel's BTF itself at every load (docs/performance.md, session 12), though the loader
 * has parsed it already. The programs carry these markers instead, which the loader turns
 * into the references, with ids from its own BTF (src/probe/kernel_refs.c), or into what
 * libbpf made of a weak extern the kernel lacks. Shared by BPF and userspace.
 */
#ifndef PWRU_KERNEL_REFS_H
#define PWRU_KERNEL_REFS_H

/* A helper number no kernel has: the call is bpf_rdonly_cast()'s. */
#define PWRU_KREF_RDONLY_CAST 0x7077c001
/* An ld_imm64's value: the address of bpf_redirect_info. */
#define PWRU_KREF_REDIRECT_INFO 0x70777265646972ULL

#endif
