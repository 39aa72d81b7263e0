/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's BTF (or the --kernel-btf file's), parsed at its first use: a warm start
 * whose uses of it were all kept for the boot (src/probe/btf_uses.h) never parses it.
 */
#ifndef PWRU_KBTF_H
#define PWRU_KBTF_H

#include <stdbool.h>

struct btf;

/* PATH (NULL: /sys/kernel/btf/vmlinux) is what kbtf_get() parses; before its first call. */
void kbtf_use_file(const char *path);
/* The BTF, parsed on the first call; NULL (errno set) when it cannot be read. */
struct btf *kbtf_get(void);
/* Whether kbtf_get() was called: said by --debug. */
bool kbtf_parsed(void);
void kbtf_free(void);

#endif
