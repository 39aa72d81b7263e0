/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions to trace: every BTF function (vmlinux, and the split BTF of each module
 * given) taking a struct sk_buff pointer in one of its first FUNCSET_MAX_POS argument slots,
 * narrowed by --filter-func, joined with the addresses kallsyms has for it in the same
 * module: a name can live in vmlinux and in modules, each its own entry. Which backend can
 * reach which slot is the backend's business (src/probe/).
 */
#ifndef PWRU_FUNCSET_H
#define PWRU_FUNCSET_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "src/error.h"

struct btf;
struct btf_type;
struct kallsyms;

/*
 * Argument slots a BPF trampoline can reach (MAX_BPF_FUNC_ARGS): the skb's position is its
 * slot, registers first (1..ARCH_REG_ARGS, src/arch.h), then 8-byte stack slots.
 */
#define FUNCSET_MAX_POS 12

enum func_flags {
	FUNC_STRUCT_ARG = 1 << 0, /* a struct or union passed by value */
	FUNC_BIG_ARG = 1 << 1,	  /* one larger than 16 bytes: trampolines refuse it */
	FUNC_IRREGULAR = 1 << 2,  /* a struct went to the stack while registers were left */
	FUNC_VARARGS = 1 << 3,
	FUNC_SYNTHETIC = 1 << 4, /* typed by pwru, the kernel has no BTF for it */
	FUNC_WANT_RET = 1 << 5,	 /* its event should carry its return value (fexit) */
	FUNC_RET_S32 = 1 << 6,	 /* returns a signed 32-bit integer (int, or an enum) */
	FUNC_NF_HOOK = 1 << 7,	 /* nf_hook_slow: its event carries the hook and family */
};

/* Where a prototype's skb is, and what else a backend needs to know about its arguments. */
struct arg_layout {
	uint8_t pos;	/* slot of the first struct sk_buff pointer, 0: none reachable */
	uint8_t nslots; /* slots of all the arguments */
	uint8_t flags;	/* enum func_flags */
};

/* One BTF to walk: vmlinux (MODULE NULL), or a module's split BTF on top of vmlinux's. */
struct funcset_btf {
	const struct btf *btf;
	const char *module;
	bool synthetic; /* made by pwru (kmod_ko.h), not the kernel's: its ids mean nothing there */
};

struct func_entry {
	char *name;
	char *module;	 /* NULL for vmlinux */
	uint64_t *addrs; /* every kallsyms address of NAME in MODULE, ascending */
	uint32_t naddrs;
	uint32_t btf_id; /* FUNC id in its BTF (vmlinux's, or MODULE's split BTF) */
	uint8_t pos;	 /* 1..FUNCSET_MAX_POS: argument slot holding the skb */
	uint8_t nslots;	 /* argument slots of the whole prototype */
	uint8_t flags;	 /* enum func_flags */
	uint8_t dropped; /* in funcset.dropped: enum func_dropped */
};

/* Why a function found in BTF is not in the set (--debug says). */
enum func_dropped {
	DROPPED_NO_SYMBOL = 1, /* not in kallsyms: inlined everywhere, or notrace aliases */
	DROPPED_AMBIGUOUS = 2, /* one name, prototypes disagreeing on the skb's slot */
};

struct funcset {
	struct func_entry *funcs; /* sorted by name */
	size_t n;
	size_t btf_matches; /* skb functions in BTF passing the name filter */
	size_t in_modules;  /* of the final set, functions living in modules */
	size_t no_symbol;   /* of those, absent from kallsyms (inlined, or notrace aliases) */
	size_t ambiguous;   /* one name, several BTF prototypes disagreeing on the skb slot */
	struct func_entry *dropped; /* those two kinds, without addresses */
	size_t ndropped;
	struct funcset_name {
		size_t hash;
		const char *name;
	} * names;	      /* hash index of the entries' names (funcset_has_name) */
	size_t names_cap;     /* a power of two */
	uint64_t quick[1024]; /* a bit per quick key of a name: most misses stop there */
};

/*
 * The type behind ID's modifiers and typedefs (ID updated), or NULL: no such type, or a
 * chain deeper than libbpf follows (a crafted BTF may loop).
 */
const struct btf_type *funcset_skip_mods(const struct btf *btf, uint32_t *id);
/* Whether type ID is a pointer to struct sk_buff, through modifiers and typedefs. */
int funcset_is_skb_ptr(const struct btf *btf, uint32_t id);
/* The slot of function FUNC_ID's struct sk_buff pointer (see FUNCSET_MAX_POS), else 0. */
int funcset_skb_position(const struct btf *btf, uint32_t func_id);
/* The same for a FUNC_PROTO (a function pointer's type). */
int funcset_proto_skb_position(const struct btf *btf, uint32_t proto_id);
/* The whole layout of FUNC_PROTO PROTO_ID into OUT; returns OUT->pos. */
int funcset_proto_layout(const struct btf *btf, uint32_t proto_id, struct arg_layout *out);

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
/*
 * What to collect from BTF: NAME gives a type's name when it is one (else NULL). SHOWN: the
 * prefix pwru prints before those names (NULL: none); the regex matches either form.
 */
struct funcset_kind {
	const char *(*name)(const struct btf *btf, const struct btf_type *t);
	int (*layout)(const struct btf *btf, const struct btf_type *t, struct arg_layout *l);
	const char *shown;
};

/* Functions: the kind funcset_build() collects. */
extern const struct funcset_kind funcset_functions;

/*
 * Into each SETS[i], the types KINDS[i] picks from the NBTFS BTFs (one pass over each, for
 * every kind: at most 4) whose name REGEX matches and whose layout has an skb, sorted by
 * name, without addresses. Returns as funcset_build().
 */
int funcset_walk(const struct funcset_btf *btfs, size_t nbtfs,
		 const struct funcset_kind *const *kinds, struct funcset *const *sets,
		 size_t nkinds, const char *regex, struct pwru_err *e);
/* After funcset_walk() for functions: the duplicate check and the name index. */
int funcset_finish(struct funcset *fs, struct pwru_err *e);

/*
 * funcset_build() in two steps, so that kallsyms is read knowing which names matter
 * (kallsyms_load_filtered): the BTF walk and the duplicate check, then the addresses.
 * funcset_join frees FS on failure.
 */
int funcset_collect(const struct funcset_btf *btfs, size_t nbtfs, const char *regex,
		    struct funcset *fs, struct pwru_err *e);
int funcset_join(struct funcset *fs, const struct kallsyms *ks, struct pwru_err *e);
/* Between funcset_collect() and funcset_join(): whether some entry is called NAME (LEN long). */
int funcset_has_name(const struct funcset *fs, const char *name, size_t len);

/* NAME in MODULE (NULL: vmlinux), or NULL. */
const struct func_entry *funcset_find(const struct funcset *fs, const char *name,
				      const char *module);
void funcset_free(struct funcset *fs);

#endif
