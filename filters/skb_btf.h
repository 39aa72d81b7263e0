/* SPDX-License-Identifier: GPL-2.0 */
/* The running kernel's sk_buff layout, for Linux ancillary loads in compiled filters. */
#ifndef PWRU_SKB_BTF_H
#define PWRU_SKB_BTF_H

#include <stddef.h>
#include "filters/cbpf_xlate.h"

struct btf;

/* Reads the offsets from BTF (the kernel's). Returns 0, or -ENOENT with a message in ERR. */
int skb_layout_from_btf(const struct btf *btf, struct skb_layout *l, char *err, size_t errlen);

#endif
