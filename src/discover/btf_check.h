/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What libbpf 1.1 does not check in a BTF it parses and pwru reads anyway: a type section
 * at an offset that is not a multiple of 4 makes every type a misaligned struct (undefined
 * behaviour, and a fault on strict architectures). A user's --kernel-btf can be anything.
 */
#ifndef PWRU_BTF_CHECK_H
#define PWRU_BTF_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

/* True when BTF's sections are laid out as the kernel writes them; else WHY says what. */
bool btf_layout_ok(const struct btf *btf, char *why, size_t len);

/* True when BTF's enum ENUM has the value NAME: a helper in bpf_func_id, say. */
bool btf_enum_has(const struct btf *btf, const char *enum_name, const char *name);

#endif
