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

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

int funcset_is_skb_ptr(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = skip_mods(btf, &id);

	if (!t || !btf_is_ptr(t))
		return 0;
	id = t->type;
	t = skip_mods(btf, &id);
	return t && btf_is_struct(t) && !strcmp(btf__name_by_offset(btf, t->name_off), "sk_buff");
}

static int is_struct_value(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = skip_mods(btf, &id);

	return t && (btf_is_struct(t) || btf_is_union(t));
}

/* An int or a (signed) enum: the register's upper half holds nothing meaningful. */
static int returns_s32(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = id ? skip_mods(btf, &id) : NULL;

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
	int i, regs = ARCH_REG_ARGS, stack = 0, slot;
	long sz;

	memset(out, 0, sizeof(*out));
	if (!proto || !btf_is_func_proto(proto))
		return 0;
	out->flags |= returns_s32(btf, proto->type) ? FUNC_RET_S32 : 0;
	p = btf_params(proto);
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
		if (arch_arg_in_regs(sz, regs)) {
			slot = ARCH_REG_ARGS - regs + 1;
			regs -= arch_arg_slots(sz);
		} else {
			/* later arguments may still take registers: slots are out of order */
			if (regs)
				out->flags |= FUNC_IRREGULAR;
			slot = ARCH_REG_ARGS + stack + 1;
			stack += arch_arg_slots(sz);
		}
		if (!out->pos && funcset_is_skb_ptr(btf, p[i].type) && slot <= FUNCSET_MAX_POS)
			out->pos = (uint8_t)slot;
	}
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

int funcset_regex_compile(const char *regex, regex_t *re, char *err, size_t errlen)
{
	size_t n = strlen(regex) + 5;
	char *anchored = malloc(n);
	int rc;

	if (!anchored) {
		snprintf(err, errlen, "--filter-func: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	snprintf(anchored, n, "^(%s)$", regex);
	rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		snprintf(err, errlen, "--filter-func '%s' is not a valid regex: %s", regex, msg);
		return -EINVAL;
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
static int collect(const struct funcset_btf *b, const struct funcset_kind *kind, const regex_t *re,
		   struct funcset *fs, size_t *cap)
{
	const struct btf *btf = b->btf, *base = btf__base_btf(btf);
	uint32_t id = base ? btf__type_cnt(base) : 1, cnt = btf__type_cnt(btf);
	struct arg_layout l;
	int err;

	for (; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = kind->name(btf, t);

		if (!name || (re && regexec(re, name, 0, NULL, 0)))
			continue;
		if (!kind->layout(btf, t, &l))
			continue;
		if (b->synthetic)
			l.flags |= FUNC_SYNTHETIC;
		err = add_entry(fs, cap, name, b->module, &l, id);
		if (err)
			return err;
	}
	return 0;
}

int funcset_walk(const struct funcset_btf *btfs, size_t nbtfs, const struct funcset_kind *kind,
		 const char *regex, struct funcset *fs, char *err, size_t errlen)
{
	size_t i, cap = 0;
	regex_t re;
	int rc = 0, use_re = regex && *regex;

	memset(fs, 0, sizeof(*fs));
	if (use_re) {
		rc = funcset_regex_compile(regex, &re, err, errlen);
		if (rc)
			return rc;
	}
	for (i = 0; i < nbtfs && !rc; i++)
		rc = collect(&btfs[i], kind, use_re ? &re : NULL, fs, &cap);
	if (use_re)
		regfree(&re);
	if (!rc && fs->n)
		qsort(fs->funcs, fs->n, sizeof(*fs->funcs), cmp_entry);
	if (rc) {
		snprintf(err, errlen, "building the function set: %s", strerror(-rc));
		funcset_free(fs);
	}
	return rc;
}

static const char *func_name(const struct btf *btf, const struct btf_type *t)
{
	return btf_is_func(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
}

static int func_layout(const struct btf *btf, const struct btf_type *t, struct arg_layout *l)
{
	return funcset_proto_layout(btf, t->type, l);
}

static const struct funcset_kind functions = {func_name, func_layout};

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

int funcset_build(const struct funcset_btf *btfs, size_t nbtfs, const struct kallsyms *ks,
		  const char *regex, struct funcset *fs, char *err, size_t errlen)
{
	int rc = funcset_walk(btfs, nbtfs, &functions, regex, fs, err, errlen);

	if (rc)
		return rc;
	drop_ambiguous(fs);
	rc = join_kallsyms(ks, fs);
	if (rc) {
		snprintf(err, errlen, "building the function set: %s", strerror(-rc));
		funcset_free(fs);
	}
	return rc;
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
	memset(fs, 0, sizeof(*fs));
}
