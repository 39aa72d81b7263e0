// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kallsyms/kallsyms.h"
#include "src/funcset.h"

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static int is_skb_ptr(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = skip_mods(btf, &id);

	if (!t || !btf_is_ptr(t))
		return 0;
	id = t->type;
	t = skip_mods(btf, &id);
	return t && btf_is_struct(t) && !strcmp(btf__name_by_offset(btf, t->name_off), "sk_buff");
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
	const struct btf_type *fn = btf__type_by_id(btf, func_id), *proto;
	const struct btf_param *p;
	int i, reg = 1;

	if (!fn || !btf_is_func(fn))
		return 0;
	proto = btf__type_by_id(btf, fn->type);
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

static int cmp_entry(const void *a, const void *b)
{
	const struct func_entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int compile_filter(const char *regex, regex_t *re, char *err, size_t errlen)
{
	size_t n = strlen(regex) + 5;
	char *anchored = malloc(n);
	int rc;

	if (!anchored)
		return -ENOMEM;
	snprintf(anchored, n, "^(%s)$", regex);
	rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc) {
		char msg[128];

		regerror(rc, re, msg, sizeof(msg));
		snprintf(err, errlen, "bad --filter-func regex '%s': %s", regex, msg);
		return -EINVAL;
	}
	return 0;
}

static int add_entry(struct funcset *fs, size_t *cap, const char *name, int pos)
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
	if (!fs->funcs[fs->n].name)
		return -ENOMEM;
	fs->n++;
	return 0;
}

static int collect(const struct btf *btf, const regex_t *re, struct funcset *fs)
{
	uint32_t id, cnt = btf__type_cnt(btf);
	size_t cap = 0;
	int pos, err;

	for (id = 1; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_func(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (re && regexec(re, name, 0, NULL, 0))
			continue;
		pos = funcset_skb_position(btf, id);
		if (!pos)
			continue;
		err = add_entry(fs, &cap, name, pos);
		if (err)
			return err;
	}
	return 0;
}

/* Same-named static functions may disagree on where the skb is: no safe register, drop. */
static void drop_ambiguous(struct funcset *fs)
{
	size_t i = 0, j, k, out = 0;

	while (i < fs->n) {
		int clash = 0;

		for (j = i + 1; j < fs->n && !strcmp(fs->funcs[i].name, fs->funcs[j].name); j++)
			clash |= fs->funcs[j].pos != fs->funcs[i].pos;
		fs->btf_matches++;
		for (k = i + 1; k < j; k++)
			free(fs->funcs[k].name);
		if (clash) {
			fs->ambiguous++;
			free(fs->funcs[i].name);
		} else {
			fs->funcs[out++] = fs->funcs[i];
		}
		i = j;
	}
	fs->n = out;
}

static int is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

static int join_kallsyms(const struct kallsyms *ks, struct funcset *fs)
{
	size_t i, out = 0;

	for (i = 0; i < fs->n; i++) {
		struct func_entry *f = &fs->funcs[i];
		const struct ksym *s;
		size_t k, n = kallsyms_lookup_name(ks, f->name, NULL, &s);

		f->addrs = calloc(n ? n : 1, sizeof(uint64_t));
		if (!f->addrs) {
			for (k = i; k < fs->n; k++)
				free(fs->funcs[k].name);
			fs->n = out;
			return -ENOMEM;
		}
		for (k = 0; k < n; k++)
			if (is_text(s[k].type) && s[k].addr)
				f->addrs[f->naddrs++] = s[k].addr;
		if (!f->naddrs) {
			fs->no_symbol++;
			free(f->name);
			free(f->addrs);
			continue;
		}
		fs->funcs[out++] = *f;
	}
	fs->n = out;
	return 0;
}

int funcset_build(const struct btf *btf, const struct kallsyms *ks, const char *regex,
		  struct funcset *fs, char *err, size_t errlen)
{
	regex_t re;
	int rc, use_re = regex && *regex;

	memset(fs, 0, sizeof(*fs));
	if (use_re) {
		rc = compile_filter(regex, &re, err, errlen);
		if (rc)
			return rc;
	}
	rc = collect(btf, use_re ? &re : NULL, fs);
	if (use_re)
		regfree(&re);
	if (!rc) {
		qsort(fs->funcs, fs->n, sizeof(*fs->funcs), cmp_entry);
		drop_ambiguous(fs);
		rc = join_kallsyms(ks, fs);
	}
	if (rc) {
		snprintf(err, errlen, "building the function set: %s", strerror(-rc));
		funcset_free(fs);
	}
	return rc;
}

const struct func_entry *funcset_find(const struct funcset *fs, const char *name)
{
	struct func_entry key = {.name = (char *)name};

	return bsearch(&key, fs->funcs, fs->n, sizeof(key), cmp_entry);
}

void funcset_free(struct funcset *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		free(fs->funcs[i].name);
		free(fs->funcs[i].addrs);
	}
	free(fs->funcs);
	memset(fs, 0, sizeof(*fs));
}
