// SPDX-License-Identifier: GPL-2.0
/*
 * A CO-RE target for libbpf (btf_custom_path) holding only the kernel types the object could
 * be relocated against. Given vmlinux BTF, libbpf 1.1 walks all of its ~130,000 types once
 * per relocated type to find candidates (about 10 ms each under emulation, ten of them a
 * start); given this file, it walks a few hundred.
 *
 * Taken from the kernel's BTF: every struct, union, enum and typedef named as one of the
 * object's own named types (the roots of its relocations are among them), with everything
 * they hold by value (members, array elements, what a typedef or modifier names): what a
 * relocation's access path can cross. What they point at is not followed: libbpf never
 * crosses a pointer in an access path and finds any two pointer fields compatible, so a
 * pointer to a type not otherwise taken becomes a pointer to void.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bpf/ktype_ids.h"
#include "src/discover/btf_find.h"
#include "src/probe/core_btf.h"

#define NAME_SLOTS 1024 /* a power of two, well above the object's named types */

struct name_set {
	const char *name[NAME_SLOTS];
	size_t len[NAME_SLOTS];
};

/* X___Y, X and Y not underscores: where a libbpf "flavour" suffix starts (at the X) */
static bool flavour_at(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] && s[4] != '_';
}

/* A name's length up to its last flavour suffix (as libbpf matches), and its hash over that. */
static uint32_t essential(const char *s, size_t *len)
{
	uint32_t h = 2166136261u;
	size_t i, n = strlen(s);

	*len = n;
	for (i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;)
		if (flavour_at(s + i)) {
			*len = i + 1;
			break;
		}
	for (i = 0; i < *len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static bool set_slot(struct name_set *set, const char *s, bool add)
{
	size_t len, n = 0;
	uint32_t i = essential(s, &len) & (NAME_SLOTS - 1);

	for (; set->name[i] && n < NAME_SLOTS; i = (i + 1) & (NAME_SLOTS - 1), n++)
		if (set->len[i] == len && !memcmp(set->name[i], s, len))
			return true;
	if (add && n < NAME_SLOTS) {
		set->name[i] = s;
		set->len[i] = len;
	}
	return false;
}

/* The kinds a relocation's root can have, and what libbpf compares candidates by. */
static bool named_kind(const struct btf_type *t)
{
	return btf_is_composite(t) || btf_is_any_enum(t) || btf_is_typedef(t) || btf_is_fwd(t);
}

static int local_names(const struct btf *local, struct name_set *set)
{
	__u32 i, n = btf__type_cnt(local), added = 0;

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(local, i);
		const char *s = btf__name_by_offset(local, t->name_off);

		if (!named_kind(t) || !s || !*s || set_slot(set, s, false))
			continue;
		if (++added > NAME_SLOTS / 2)
			return -E2BIG;
		set_slot(set, s, true);
	}
	return 0;
}

struct pick {
	const struct btf *k;
	__u32 *map;   /* kernel id -> id in the new BTF, 0 where not taken */
	__u32 *order; /* kernel ids, in the new BTF's order */
	__u32 n;
};

static void take(struct pick *p, __u32 id)
{
	if (id && !p->map[id]) {
		p->order[p->n++] = id;
		p->map[id] = p->n;
	}
}

/* What T holds by value; a pointer's target is not followed. */
static void take_held(struct pick *p, const struct btf_type *t)
{
	const struct btf_member *m;
	__u16 i;

	if (btf_is_composite(t)) {
		m = btf_members(t);
		for (i = 0; i < btf_vlen(t); i++)
			take(p, m[i].type);
	} else if (btf_is_array(t)) {
		take(p, btf_array(t)->type);
		take(p, btf_array(t)->index_type);
	} else if (btf_is_mod(t) || btf_is_typedef(t)) {
		take(p, t->type);
	} else if (btf_is_func_proto(t)) { /* a typedef's (never a member's) */
		take(p, t->type);
		for (i = 0; i < btf_vlen(t); i++)
			take(p, btf_params(t)[i].type);
	}
}

/* T's type ids, from the kernel's numbering to the new one. */
static int renumber(const __u32 *map, struct btf_type *t)
{
	struct btf_member *m;
	struct btf_param *q;
	struct btf_array *a;
	__u16 i;

	if (btf_is_ptr(t)) {
		t->type = map[t->type]; /* void where not taken */
		return 0;
	}
	if (btf_is_composite(t)) {
		m = btf_members(t);
		for (i = 0; i < btf_vlen(t); i++)
			if (!(m[i].type = map[m[i].type]))
				return -EINVAL;
	} else if (btf_is_array(t)) {
		a = btf_array(t);
		a->type = map[a->type];
		a->index_type = map[a->index_type];
		if (!a->type || !a->index_type)
			return -EINVAL;
	} else if (btf_is_mod(t) || btf_is_typedef(t) || btf_is_func_proto(t)) {
		if (t->type && !(t->type = map[t->type]))
			return -EINVAL;
	}
	q = btf_is_func_proto(t) ? btf_params(t) : NULL;
	for (i = 0; q && i < btf_vlen(t); i++)
		if (q[i].type && !(q[i].type = map[q[i].type]))
			return -EINVAL;
	return 0;
}

static int write_picked(const struct pick *p, int fd)
{
	struct btf *out = btf__new_empty();
	const void *raw;
	__u32 i, size;
	int id, rc = out ? 0 : -ENOMEM;

	if (!rc)
		rc = btf__set_pointer_size(out, btf__pointer_size(p->k));
	for (i = 0; !rc && i < p->n; i++) {
		id = btf__add_type(out, p->k, btf__type_by_id(p->k, p->order[i]));
		if (id < 0)
			rc = id;
		else /* ours: the const is libbpf's view of any BTF */
			rc = renumber(p->map, (struct btf_type *)btf__type_by_id(out, id));
	}
	raw = rc ? NULL : btf__raw_data(out, &size);
	if (!rc && !raw)
		rc = -ENOMEM;
	if (!rc && (ftruncate(fd, 0) || pwrite(fd, raw, size, 0) != (ssize_t)size))
		rc = -errno;
	btf__free(out);
	return rc;
}

int core_btf_write(const struct btf *kernel, const struct btf *local, int fd)
{
	__u32 i, n = btf__type_cnt(kernel);
	struct pick p = {.k = kernel};
	struct name_set *set = calloc(1, sizeof(*set));
	int rc = -ENOMEM;

	p.map = calloc(n, sizeof(*p.map));
	p.order = calloc(n, sizeof(*p.order));
	if (!set || !p.map || !p.order)
		goto out;
	rc = local_names(local, set);
	for (i = 1; !rc && i < n; i++) {
		const struct btf_type *t = btf__type_by_id(kernel, i);

		if (named_kind(t) && t->name_off &&
		    set_slot(set, btf__name_by_offset(kernel, t->name_off), false))
			take(&p, i);
	}
	/* P.order grows behind I: the held types of held types */
	for (i = 0; !rc && i < p.n; i++)
		take_held(&p, btf__type_by_id(kernel, p.order[i]));
	if (!rc)
		rc = write_picked(&p, fd);
out:
	free(set);
	free(p.map);
	free(p.order);
	return rc;
}

/*
 * Programs whose CO-RE types are a module's (bpf/entry_nft.h): where one is to be loaded,
 * the cut is taken from the module's split BTF, which holds vmlinux's types too. libbpf,
 * given a CO-RE target, never looks in modules itself.
 */
static const struct {
	const char *prog, *module;
} module_progs[] = {
    {"pwru_nft_entry", "nf_tables"},
};

int core_btf_fill(const struct btf *vmlinux, struct bpf_object *obj, int fd)
{
	struct btf *split = NULL;
	struct bpf_program *p;
	char path[80];
	size_t i;
	int rc;

	for (i = 0; !split && i < sizeof(module_progs) / sizeof(module_progs[0]); i++) {
		p = bpf_object__find_program_by_name(obj, module_progs[i].prog);
		if (!p || !bpf_program__autoload(p))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", module_progs[i].module);
		split = btf__parse_split(path, (struct btf *)vmlinux);
		/* no such module: its types are not in libbpf's default target either */
		if (!split && errno != ENOENT)
			return -errno;
	}
	rc = core_btf_write(split ? split : vmlinux, bpf_object__btf(obj), fd);
	btf__free(split);
	return rc;
}

void ktype_wants(struct btf_want *w)
{
	static const char *const names[PWRU_KT_N] = {PWRU_KTYPE_NAMES};

	for (int k = 0; k < PWRU_KT_N; k++)
		w[k] = (struct btf_want){names[k], BTF_KIND_STRUCT, 0};
}

void ktype_ids_find(const struct btf *kernel, __u32 ids[PWRU_KT_N])
{
	struct btf_want w[PWRU_KT_N];

	ktype_wants(w);
	btf_find_all(kernel, w, PWRU_KT_N);
	for (int k = 0; k < PWRU_KT_N; k++)
		ids[k] = w[k].id;
}
