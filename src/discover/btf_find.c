// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <bpf/btf.h>
#include "src/discover/btf_find.h"

/* Marks the wants of KIND named S as found at ID; returns how many it marked. */
static size_t take(struct btf_want *w, size_t n, __u16 kind, const char *s, __u32 id)
{
	size_t i, got = 0;

	for (i = 0; i < n; i++)
		if (!w[i].id && w[i].kind == kind && !strcmp(w[i].name, s)) {
			w[i].id = id;
			got++;
		}
	return got;
}

void btf_find_all(const struct btf *btf, struct btf_want *w, size_t n)
{
	__u32 id, cnt = btf ? btf__type_cnt(btf) : 0, kinds = 0, first[256] = {0};
	size_t i, left = n;

	for (i = 0; i < n; i++) {
		w[i].id = 0;
		kinds |= 1u << (w[i].kind & 31);
		first[(unsigned char)w[i].name[0]] |= 1u << (w[i].kind & 31);
	}
	/*
	 * The kind first, then the name's first letter: of the 120,000 types of a vmlinux, a
	 * few hundred are worth a comparison.
	 */
	for (id = 1; left && id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		__u32 kind = btf_kind(t);
		const char *s;

		if (!(kinds & 1u << kind) || !t->name_off)
			continue;
		s = btf__name_by_offset(btf, t->name_off);
		if (s && first[(unsigned char)s[0]] & 1u << kind)
			left -= take(w, n, (__u16)kind, s, id);
	}
}
