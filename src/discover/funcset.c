// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kallsyms/kallsyms.h"
#include "src/arch.h"
#include "src/discover/funcset.h"
#include "src/discover/re2.h"

/* As deep as libbpf resolves (MAX_RESOLVE_DEPTH): a crafted BTF may loop. */
#define MAX_MODS 32

const struct btf_type *funcset_skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);
	int depth = 0;

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		if (++depth > MAX_MODS)
			return NULL;
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/*
 * The answer per type id for the BTF a walk is in (0: not asked yet, 1: no, 2: yes): the
 * kernel's 80,000 prototypes share their parameters' few types (struct net_device *, u32),
 * and the answer took two chains of lookups and a name compare each time. Only while a
 * walk holds it: a BTF freed after may share its address with the next one.
 */
static struct {
	const struct btf *btf;
	uint32_t n;
	uint8_t *v;
} skb_memo;

static void skb_memo_begin(const struct btf *btf)
{
	uint32_t n = btf__type_cnt(btf);

	skb_memo.v = calloc(n, 1);
	skb_memo.btf = skb_memo.v ? btf : NULL;
	skb_memo.n = skb_memo.v ? n : 0;
}

static void skb_memo_end(void)
{
	free(skb_memo.v);
	memset(&skb_memo, 0, sizeof(skb_memo));
}

static int is_skb_ptr(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = funcset_skip_mods(btf, &id);
	const char *name;

	if (!t || !btf_is_ptr(t))
		return 0;
	id = t->type;
	t = funcset_skip_mods(btf, &id);
	name = t && btf_is_struct(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
	return name && !strcmp(name, "sk_buff");
}

int funcset_is_skb_ptr(const struct btf *btf, uint32_t id)
{
	if (btf != skb_memo.btf || id >= skb_memo.n)
		return is_skb_ptr(btf, id);
	if (!skb_memo.v[id])
		skb_memo.v[id] = (uint8_t)(1 + is_skb_ptr(btf, id));
	return skb_memo.v[id] - 1;
}

static int is_struct_value(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = funcset_skip_mods(btf, &id);

	return t && (btf_is_struct(t) || btf_is_union(t));
}

/* An int or a (signed) enum: the register's upper half holds nothing meaningful. */
static int returns_s32(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = id ? funcset_skip_mods(btf, &id) : NULL;

	if (!t || t->size != 4)
		return 0;
	if (btf_is_int(t))
		return (btf_int_encoding(t) & BTF_INT_SIGNED) != 0;
	return btf_is_enum(t);
}

int funcset_proto_layout(const struct btf *btf, uint32_t proto_id, struct arg_layout *out)
{
	const struct btf_type *proto = btf__type_by_id(btf, proto_id);
	const struct btf_param *p;
	int i, regs = ARCH_REG_ARGS, stack = 0, slot, irregular = 0;
	long sz;

	memset(out, 0, sizeof(*out));
	if (!proto || !btf_is_func_proto(proto))
		return 0;
	p = btf_params(proto);
	/* most of the kernel's functions take no skb: find that out before any sizing */
	for (i = 0; i < btf_vlen(proto) && !funcset_is_skb_ptr(btf, p[i].type); i++)
		;
	if (i == btf_vlen(proto))
		return 0;
	out->flags |= returns_s32(btf, proto->type) ? FUNC_RET_S32 : 0;
	for (i = 0; i < btf_vlen(proto); i++) {
		if (!p[i].type) { /* "...": varargs */
			out->flags |= FUNC_VARARGS;
			break;
		}
		sz = btf__resolve_size(btf, p[i].type);
		if (sz <= 0)
			sz = 8;
		if (is_struct_value(btf, p[i].type))
			out->flags |= FUNC_STRUCT_ARG | (sz > 16 ? FUNC_BIG_ARG : 0);
		slot = arch_place_arg(sz, &regs, &stack, &irregular);
		if (!out->pos && funcset_is_skb_ptr(btf, p[i].type) && slot <= FUNCSET_MAX_POS)
			out->pos = (uint8_t)slot;
	}
	out->flags |= irregular ? FUNC_IRREGULAR : 0;
	out->nslots = (uint8_t)(ARCH_REG_ARGS - regs + stack);
	return out->pos;
}

int funcset_skb_position(const struct btf *btf, uint32_t func_id)
{
	const struct btf_type *fn = btf__type_by_id(btf, func_id);

	if (!fn || !btf_is_func(fn))
		return 0;
	return funcset_proto_skb_position(btf, fn->type);
}

int funcset_proto_skb_position(const struct btf *btf, uint32_t proto_id)
{
	struct arg_layout l;

	return funcset_proto_layout(btf, proto_id, &l);
}

/* By name, then vmlinux before modules, then by module name. */
static int cmp_entry(const void *a, const void *b)
{
	const struct func_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c || x->module == y->module)
		return c;
	if (!x->module || !y->module)
		return x->module ? 1 : -1;
	return strcmp(x->module, y->module);
}

int funcset_regex_compile(const char *regex, regex_t *re, struct pwru_err *e)
{
	char *ere, *anchored;
	int rc, cflags;

	if (re2_to_ere(regex, &ere, &cflags, e))
		return -1;
	rc = asprintf(&anchored, "^(%s)$", ere);
	free(ere);
	if (rc < 0)
		return err_from_errno(e, -ENOMEM, "--filter-func");
	rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB | cflags);
	free(anchored);
	if (rc) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		return err_bad_input(e, EINVAL, "--filter-func '%s' is not a valid regex: %s",
				     regex, msg);
	}
	return 0;
}

static int add_entry(struct funcset *fs, size_t *cap, const char *name, const char *module,
		     const struct arg_layout *l, uint32_t btf_id)
{
	if (fs->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		struct func_entry *nf = realloc(fs->funcs, ncap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		fs->funcs = nf;
		*cap = ncap;
	}
	fs->funcs[fs->n] = (struct func_entry){.name = strdup(name),
					       .pos = l->pos,
					       .nslots = l->nslots,
					       .flags = l->flags,
					       .btf_id = btf_id};
	if (module)
		fs->funcs[fs->n].module = strdup(module);
	if (!fs->funcs[fs->n].name || (module && !fs->funcs[fs->n].module)) {
		free(fs->funcs[fs->n].name);
		free(fs->funcs[fs->n].module);
		return -ENOMEM;
	}
	fs->n++;
	return 0;
}

static void free_entry(struct func_entry *f)
{
	free(f->name);
	free(f->module);
	free(f->addrs);
}

/* Keeps F's name for --debug, with WHY; it leaves the set (F's slot is reused). */
static void drop(struct funcset *fs, struct func_entry *f, enum func_dropped why)
{
	struct func_entry *nd = realloc(fs->dropped, (fs->ndropped + 1) * sizeof(*nd));

	free(f->addrs);
	f->addrs = NULL;
	f->naddrs = 0;
	if (!nd) {
		free_entry(f);
		return;
	}
	fs->dropped = nd;
	f->dropped = (uint8_t)why;
	fs->dropped[fs->ndropped++] = *f;
}

/* A split BTF repeats its base's ids first: walk only what the module adds. */
struct walk_set {
	const struct funcset_kind *kind;
	struct funcset *fs;
	size_t cap;
};

/* RE (NULL: all) matches NAME, or NAME as pwru shows it (KIND's prefix before it). */
static bool name_matches(const struct funcset_kind *kind, const regex_t *re, const char *name)
{
	char shown[256];

	if (!re || !regexec(re, name, 0, NULL, 0))
		return true;
	if (!kind->shown)
		return false;
	snprintf(shown, sizeof(shown), "%s%s", kind->shown, name);
	return !regexec(re, shown, 0, NULL, 0);
}

static int collect(const struct funcset_btf *b, struct walk_set *w, size_t nw, const regex_t *re)
{
	const struct btf *btf = b->btf, *base = btf__base_btf(btf);
	uint32_t id = base ? btf__type_cnt(base) : 1, cnt = btf__type_cnt(btf);
	struct arg_layout l;
	size_t k;
	int err;

	skb_memo_begin(btf);
	for (; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		for (k = 0; k < nw; k++) {
			const char *name = w[k].kind->name(btf, t);

			/* a name outside the strings: a broken BTF */
			if (!name || !*name || !name_matches(w[k].kind, re, name))
				continue;
			if (!w[k].kind->layout(btf, t, &l))
				continue;
			if (b->synthetic)
				l.flags |= FUNC_SYNTHETIC;
			err = add_entry(w[k].fs, &w[k].cap, name, b->module, &l, id);
			if (err) {
				skb_memo_end();
				return err;
			}
		}
	}
	skb_memo_end();
	return 0;
}

int funcset_walk(const struct funcset_btf *btfs, size_t nbtfs,
		 const struct funcset_kind *const *kinds, struct funcset *const *sets,
		 size_t nkinds, const char *regex, struct pwru_err *e)
{
	struct walk_set w[4];
	size_t i;
	regex_t re;
	int rc = 0, use_re = regex && *regex;

	if (nkinds > 4)
		return err_from_errno(e, -E2BIG, "building the function set");
	for (i = 0; i < nkinds; i++) {
		memset(sets[i], 0, sizeof(*sets[i]));
		w[i] = (struct walk_set){.kind = kinds[i], .fs = sets[i]};
	}
	if (use_re && funcset_regex_compile(regex, &re, e))
		return -1;
	/* one pass over each BTF for every kind: walking 100,000 types is the cost */
	for (i = 0; i < nbtfs && !rc; i++)
		rc = collect(&btfs[i], w, nkinds, use_re ? &re : NULL);
	if (use_re)
		regfree(&re);
	for (i = 0; i < nkinds; i++) {
		if (!rc && sets[i]->n)
			qsort(sets[i]->funcs, sets[i]->n, sizeof(*sets[i]->funcs), cmp_entry);
		if (rc)
			funcset_free(sets[i]);
	}
	return rc ? err_from_errno(e, rc, "building the function set") : 0;
}

static const char *func_name(const struct btf *btf, const struct btf_type *t)
{
	return btf_is_func(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
}

static int func_layout(const struct btf *btf, const struct btf_type *t, struct arg_layout *l)
{
	return funcset_proto_layout(btf, t->type, l);
}

const struct funcset_kind funcset_functions = {func_name, func_layout};

/*
 * Same-named static functions of one module (or of vmlinux) may disagree on where the skb
 * is: kallsyms cannot tell their addresses apart, so there is no safe register: drop.
 */
static void drop_ambiguous(struct funcset *fs)
{
	size_t i = 0, j, k, out = 0;

	while (i < fs->n) {
		int clash = 0;

		for (j = i + 1; j < fs->n && !cmp_entry(&fs->funcs[i], &fs->funcs[j]); j++)
			clash |= fs->funcs[j].pos != fs->funcs[i].pos;
		fs->btf_matches++;
		for (k = i + 1; k < j; k++)
			free_entry(&fs->funcs[k]);
		if (clash) {
			fs->ambiguous++;
			drop(fs, &fs->funcs[i], DROPPED_AMBIGUOUS);
		} else {
			fs->funcs[out++] = fs->funcs[i];
		}
		i = j;
	}
	fs->n = out;
}

static int join_kallsyms(const struct kallsyms *ks, struct funcset *fs)
{
	/* addresses hidden (not root): count the copies all the same, for --list-funcs */
	int hidden = kallsyms_hidden(ks);
	size_t i, out = 0;

	for (i = 0; i < fs->n; i++) {
		struct func_entry *f = &fs->funcs[i];
		const struct ksym *s;
		size_t k, n = kallsyms_lookup_name(ks, f->name, f->module, &s);

		f->addrs = calloc(n ? n : 1, sizeof(uint64_t));
		if (!f->addrs) {
			for (k = i; k < fs->n; k++)
				free_entry(&fs->funcs[k]);
			fs->n = out;
			return -ENOMEM;
		}
		for (k = 0; k < n; k++)
			if (kallsyms_is_text(s[k].type) && (s[k].addr || hidden))
				f->addrs[f->naddrs++] = s[k].addr;
		if (!f->naddrs) {
			fs->no_symbol++;
			drop(fs, f, DROPPED_NO_SYMBOL);
			continue;
		}
		fs->in_modules += f->module != NULL;
		fs->funcs[out++] = *f;
	}
	fs->n = out;
	return 0;
}

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* A cheap first look: the length and four characters, mixed, one bit in 65536. */
static inline size_t quick_key(const char *s, size_t len)
{
	uint32_t h = (uint32_t)len;

	h = h * 31 + (unsigned char)s[0];
	h = h * 31 + (unsigned char)s[len > 1 ? 1 : 0];
	h = h * 31 + (unsigned char)s[len > 2 ? 2 : 0];
	h = h * 31 + (unsigned char)s[len - 1];
	h *= 0x9e3779b1u;
	return h >> 16;
}

/* Every name once, for the kallsyms filter: 120,000 lookups, nearly all of them misses. */
static int index_names(struct funcset *fs)
{
	size_t i, cap = 16;

	while (cap < fs->n * 4)
		cap *= 2;
	fs->names = calloc(cap, sizeof(*fs->names));
	if (!fs->names)
		return -ENOMEM;
	fs->names_cap = cap;
	for (i = 0; i < fs->n; i++) {
		size_t hv = name_hash(fs->funcs[i].name), h = hv & (cap - 1);

		while (fs->names[h].name && strcmp(fs->names[h].name, fs->funcs[i].name))
			h = (h + 1) & (cap - 1);
		fs->names[h] = (struct funcset_name){hv, fs->funcs[i].name};
		h = quick_key(fs->funcs[i].name, strlen(fs->funcs[i].name));
		fs->quick[h / 64] |= 1ULL << (h % 64);
	}
	return 0;
}

int funcset_has_name(const struct funcset *fs, const char *name, size_t len)
{
	size_t hv, h;

	if (!fs->names_cap || !len)
		return 0;
	h = quick_key(name, len);
	if (!(fs->quick[h / 64] & 1ULL << (h % 64)))
		return 0;
	hv = name_hash(name);
	for (h = hv & (fs->names_cap - 1); fs->names[h].name; h = (h + 1) & (fs->names_cap - 1))
		if (fs->names[h].hash == hv && !strcmp(fs->names[h].name, name))
			return 1;
	return 0;
}

int funcset_finish(struct funcset *fs, struct pwru_err *e)
{
	int rc;

	drop_ambiguous(fs);
	rc = index_names(fs);
	if (rc) {
		funcset_free(fs);
		return err_from_errno(e, rc, "building the function set");
	}
	return 0;
}

int funcset_collect(const struct funcset_btf *btfs, size_t nbtfs, const char *regex,
		    struct funcset *fs, struct pwru_err *e)
{
	const struct funcset_kind *kind = &funcset_functions;

	if (funcset_walk(btfs, nbtfs, &kind, &fs, 1, regex, e))
		return -1;
	return funcset_finish(fs, e);
}

int funcset_join(struct funcset *fs, const struct kallsyms *ks, struct pwru_err *e)
{
	int rc;

	/* the index is for reading kallsyms; joining moves entries away */
	free(fs->names);
	fs->names = NULL;
	fs->names_cap = 0;
	rc = join_kallsyms(ks, fs);
	if (rc) {
		funcset_free(fs);
		return err_from_errno(e, rc, "building the function set");
	}
	return 0;
}

int funcset_build(const struct funcset_btf *btfs, size_t nbtfs, const struct kallsyms *ks,
		  const char *regex, struct funcset *fs, struct pwru_err *e)
{
	if (funcset_collect(btfs, nbtfs, regex, fs, e))
		return -1;
	return funcset_join(fs, ks, e);
}

const struct func_entry *funcset_find(const struct funcset *fs, const char *name,
				      const char *module)
{
	struct func_entry key = {.name = (char *)name, .module = (char *)module};

	return fs->n ? bsearch(&key, fs->funcs, fs->n, sizeof(key), cmp_entry) : NULL;
}

void funcset_free(struct funcset *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		free_entry(&fs->funcs[i]);
	for (i = 0; i < fs->ndropped; i++)
		free_entry(&fs->dropped[i]);
	free(fs->funcs);
	free(fs->dropped);
	free(fs->names);
	memset(fs, 0, sizeof(*fs));
}
