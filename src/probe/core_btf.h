/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object's CO-RE target cut from the kernel's BTF (libbpf's btf_custom_path), and the
 * kernel type ids the programs take from .rodata (bpf/ktype_ids.h).
 */
#ifndef PWRU_CORE_BTF_H
#define PWRU_CORE_BTF_H

#include <linux/types.h>
#include "bpf/ktype_ids.h"

struct btf;
struct bpf_object;
struct btf_want;

/*
 * Writes into FD, as raw BTF, the types of KERNEL that LOCAL's (an object's BTF) CO-RE
 * relocations can resolve to, with what they hold. 0 or a negative errno.
 */
int core_btf_write(const struct btf *kernel, const struct btf *local, int fd);
/*
 * core_btf_write() for OBJ's programs that are to be loaded: from VMLINUX, or from the
 * split BTF of the module whose types one of them relocates against.
 */
int core_btf_fill(const struct btf *vmlinux, struct bpf_object *obj, int fd);
/* IDS[k]: KERNEL's id of the struct enum pwru_ktype K names, 0 where it has none. */
void ktype_ids_find(const struct btf *kernel, __u32 ids[PWRU_KT_N]);
/* W[k]: the struct enum pwru_ktype K names, for a caller's own btf_find_all(). */
void ktype_wants(struct btf_want *w);

#endif
