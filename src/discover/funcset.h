/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions to trace: every BTF function (vmlinux, and the split BTF of each module
 * given) taking a struct sk_buff pointer in one of the first five argument registers,
 * narrowed by --filter-func, joined with the addresses kallsyms has for it in the same
 * module: a name can live in vmlinux and in modules, each its own entry.
 */
#ifndef PWRU_FUNCSET_H
#define PWRU_FUNCSET_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include "src/error.h"

struct btf;
struct kallsyms;

#define FUNCSET_MAX_POS 5

/* One BTF to walk: vmlinux (MODULE NULL), or a module's split BTF on top of vmlinux's. */
struct funcset_btf {
	const struct btf *btf;
	const char *module;
};

struct func_entry {
	char *name;
	char *module;	 /* NULL for vmlinux */
	uint64_t *addrs; /* every kallsyms address of NAME in MODULE, ascending */
	uint32_t naddrs;
	uint8_t pos; /* 1..5: argument register holding the skb */
};

struct funcset {
	struct func_entry *funcs; /* sorted by name */
	size_t n;
	size_t btf_matches; /* skb functions in BTF passing the name filter */
	size_t in_modules;  /* of the final set, functions living in modules */
	size_t no_symbol;   /* of those, absent from kallsyms (inlined, or notrace aliases) */
	size_t ambiguous;   /* one name, several BTF prototypes disagreeing on the skb slot */
};

/*
 * The type behind ID's modifiers and typedefs (ID updated), or NULL: no such type, or a
 * chain deeper than libbpf follows (a crafted BTF may loop).
 */
const struct btf_type *funcset_skip_mods(const struct btf *btf, uint32_t *id);
/* 1..5 when function BTF id FUNC_ID takes a struct sk_buff pointer in that register, else 0. */
int funcset_skb_position(const struct btf *btf, uint32_t func_id);
/* The same for a FUNC_PROTO (a function pointer's type). */
int funcset_proto_skb_position(const struct btf *btf, uint32_t proto_id);

/*
 * RE matches a whole function name against REGEX (extended syntax). Returns 0 (regfree RE
 * after use), or -1 with E set: bad input for a bad regex.
 */
int funcset_regex_compile(const char *regex, regex_t *re, struct pwru_err *e);
/*
 * Fills FS from the NBTFS BTFs. REGEX (NULL or "": all) must match the whole name. Returns
 * 0, or -1 with E set (bad input for a bad regex).
 */
int funcset_build(const struct funcset_btf *btfs, size_t nbtfs, const struct kallsyms *ks,
		  const char *regex, struct funcset *fs, struct pwru_err *e);
/* NAME in MODULE (NULL: vmlinux), or NULL. */
const struct func_entry *funcset_find(const struct funcset *fs, const char *name,
				      const char *module);
void funcset_free(struct funcset *fs);

#endif
