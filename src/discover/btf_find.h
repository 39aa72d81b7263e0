/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Many named types looked up in one walk over a BTF's types: btf__find_by_name_kind() walks
 * all of them for each name, and a cold start asks the kernel's BTF for a dozen.
 */
#ifndef PWRU_BTF_FIND_H
#define PWRU_BTF_FIND_H

#include <stddef.h>
#include <linux/types.h>

struct btf;

struct btf_want {
	const char *name;
	__u16 kind; /* BTF_KIND_* */
	__u32 id;   /* the first type of that kind and name; 0 when there is none */
};

/* Sets the id of each of the N wants W. */
void btf_find_all(const struct btf *btf, struct btf_want *w, size_t n);

#endif
