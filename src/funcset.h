/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions to trace: every vmlinux BTF function taking a struct sk_buff pointer in
 * one of the first five argument registers, narrowed by --filter-func, joined with the
 * addresses kallsyms has for it.
 */
#ifndef PWRU_FUNCSET_H
#define PWRU_FUNCSET_H

#include <stddef.h>
#include <stdint.h>

struct btf;
struct kallsyms;

#define FUNCSET_MAX_POS 5

struct func_entry {
	char *name;
	uint64_t *addrs; /* every kallsyms address of NAME, ascending */
	uint32_t naddrs;
	uint8_t pos; /* 1..5: argument register holding the skb */
};

struct funcset {
	struct func_entry *funcs; /* sorted by name */
	size_t n;
	size_t btf_matches; /* skb functions in BTF passing the name filter */
	size_t no_symbol;   /* of those, absent from kallsyms (inlined, or notrace aliases) */
	size_t ambiguous;   /* one name, several BTF prototypes disagreeing on the skb slot */
};

/* 1..5 when function BTF id FUNC_ID takes a struct sk_buff pointer in that register, else 0. */
int funcset_skb_position(const struct btf *btf, uint32_t func_id);

/*
 * Fills FS. REGEX (NULL or "": all) must match the whole name. Returns 0, -EINVAL for a bad
 * regex (message in ERR), or another negative errno.
 */
int funcset_build(const struct btf *btf, const struct kallsyms *ks, const char *regex,
		  struct funcset *fs, char *err, size_t errlen);
const struct func_entry *funcset_find(const struct funcset *fs, const char *name);
void funcset_free(struct funcset *fs);

#endif
