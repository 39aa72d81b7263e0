// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kallsyms/kallsyms.h"
#include "src/discover/funcset.h"

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

/*
 * x86-64 passes an argument of up to 8 bytes in one register, up to 16 bytes in two, and
 * larger ones in memory, so a by-value struct before the skb shifts its register.
 */
static int regs_used(const struct btf *btf, uint32_t id)
{
	long sz = btf__resolve_size(btf, id);

	if (sz <= 0 || sz > 16)
		return sz > 16 ? 0 : 1;
	return sz > 8 ? 2 : 1;
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
	const struct btf_type *proto = btf__type_by_id(btf, proto_id);
	const struct btf_param *p;
	int i, reg = 1;

	if (!proto || !btf_is_func_proto(proto))
		return 0;
	p = btf_params(proto);
	for (i = 0; i < btf_vlen(proto) && reg <= FUNCSET_MAX_POS; i++) {
		if (!p[i].type) /* "...": varargs */
			return 0;
		if (is_skb_ptr(btf, p[i].type))
			return reg;
		reg += regs_used(btf, p[i].type);
	}
	return 0;
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
	size_t n = strlen(regex) + 5;
	char *anchored = malloc(n);
	int rc;

	if (!anchored)
		return err_from_errno(e, -ENOMEM, "--filter-func");
	snprintf(anchored, n, "^(%s)$", regex);
	rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		return err_bad_input(e, EINVAL, "--filter-func '%s' is not a valid regex: %s",
				     regex, msg);
	}
	return 0;
}

static int add_entry(struct funcset *fs, size_t *cap, const char *name, const char *module, int pos)
{
	if (fs->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		struct func_entry *nf = realloc(fs->funcs, ncap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		fs->funcs = nf;
		*cap = ncap;
	}
	fs->funcs[fs->n] = (struct func_entry){.name = strdup(name), .pos = (uint8_t)pos};
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

/* A split BTF repeats its base's ids first: walk only what the module adds. */
static int collect(const struct funcset_btf *b, const regex_t *re, struct funcset *fs, size_t *cap)
{
	const struct btf *btf = b->btf, *base = btf__base_btf(btf);
	uint32_t id = base ? btf__type_cnt(base) : 1, cnt = btf__type_cnt(btf);
	int pos, err;

	for (; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_func(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || !*name) /* a name outside the strings: a broken BTF */
			continue;
		if (re && regexec(re, name, 0, NULL, 0))
			continue;
		pos = funcset_skb_position(btf, id);
		if (!pos)
			continue;
		err = add_entry(fs, cap, name, b->module, pos);
		if (err)
			return err;
	}
	return 0;
}

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
			free_entry(&fs->funcs[i]);
		} else {
			fs->funcs[out++] = fs->funcs[i];
		}
		i = j;
	}
	fs->n = out;
}

static int join_kallsyms(const struct kallsyms *ks, struct funcset *fs)
{
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
			if (kallsyms_is_text(s[k].type) && s[k].addr)
				f->addrs[f->naddrs++] = s[k].addr;
		if (!f->naddrs) {
			fs->no_symbol++;
			free_entry(f);
			continue;
		}
		fs->in_modules += f->module != NULL;
		fs->funcs[out++] = *f;
	}
	fs->n = out;
	return 0;
}

int funcset_build(const struct funcset_btf *btfs, size_t nbtfs, const struct kallsyms *ks,
		  const char *regex, struct funcset *fs, struct pwru_err *e)
{
	size_t i, cap = 0;
	regex_t re;
	int rc = 0, use_re = regex && *regex;

	memset(fs, 0, sizeof(*fs));
	if (use_re) {
		if (funcset_regex_compile(regex, &re, e))
			return -1;
	}
	for (i = 0; i < nbtfs && !rc; i++)
		rc = collect(&btfs[i], use_re ? &re : NULL, fs, &cap);
	if (use_re)
		regfree(&re);
	if (!rc && fs->n)
		qsort(fs->funcs, fs->n, sizeof(*fs->funcs), cmp_entry);
	if (!rc) {
		drop_ambiguous(fs);
		rc = join_kallsyms(ks, fs);
	}
	if (rc) {
		funcset_free(fs);
		return err_from_errno(e, rc, "building the function set");
	}
	return 0;
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
	free(fs->funcs);
	memset(fs, 0, sizeof(*fs));
}
