// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "track.skel.h"
#include "src/probe/bpfmap.h"

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && !strcmp(s + n - m, end);
}

/* The first parameter is the map: struct bpf_map *, or the helper's "u64 map". */
static int takes_map(const struct btf *btf, const char *func)
{
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_param *p;
	const char *name;

	t = t ? btf__type_by_id(btf, t->type) : NULL;
	if (!t || !btf_is_func_proto(t) || !btf_vlen(t))
		return 0;
	p = btf_params(t);
	t = skip_mods(btf, p->type);
	if (t && btf_is_ptr(t)) {
		t = skip_mods(btf, t->type);
		return t && btf_is_struct(t) &&
		       !strcmp(btf__name_by_offset(btf, t->name_off), "bpf_map");
	}
	name = btf__name_by_offset(btf, p->name_off);
	return t && btf_is_int(t) && t->size == 8 && name && ends_with(name, "map");
}

enum bpfmap_kind bpfmap_kind(const struct btf *btf, const char *func)
{
	if (!takes_map(btf, func))
		return BPFMAP_NONE;
	if (!strcmp(func, "__htab_map_lookup_elem"))
		return BPFMAP_LOOKUP_ELEM;
	if (ends_with(func, "_lookup_elem"))
		return BPFMAP_LOOKUP;
	if (ends_with(func, "_update_elem"))
		return BPFMAP_UPDATE;
	if (ends_with(func, "_delete_elem"))
		return BPFMAP_DELETE;
	return BPFMAP_NONE;
}

/* offsetof(struct htab_elem, key) in bytes; 0 when BTF does not say. */
static uint32_t htab_key_off(const struct btf *btf)
{
	int id = btf__find_by_name_kind(btf, "htab_elem", BTF_KIND_STRUCT);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_member *m = t ? btf_members(t) : NULL;
	int i;

	for (i = 0; t && i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), "key"))
			return btf_member_bit_offset(t, i) / 8;
	return 0;
}

static const char *const progs[] = {"trk_map_lookup", "trk_map_lookup_ret", "trk_map_elem_ret",
				    "trk_map_update", "trk_map_delete"};

int bpfmap_configure(struct track_bpf *tk, const struct pwru_bpf *skel, const struct btf *btf)
{
	struct bpf_map_info info;
	struct bpf_map *m;
	uint32_t len, n = 0;
	size_t i;

	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(tk->obj, progs[i]);

		if (!p)
			return -ENOENT;
		bpf_program__set_autoload(p, true);
	}
	bpf_object__for_each_map(m, skel->obj)
	{
		len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (n < sizeof(tk->rodata->cfg_bpfmap_own) / sizeof(uint32_t) &&
		    !bpf_obj_get_info_by_fd(bpf_map__fd(m), &info, &len))
			tk->rodata->cfg_bpfmap_own[n++] = info.id;
	}
	tk->rodata->cfg_bpfmap_nown = n;
	tk->rodata->cfg_bpfmap_htab_key_off = htab_key_off(btf);
	return 0;
}

int bpfmap_attach(struct track_bpf *tk, const char *func, enum bpfmap_kind kind,
		  struct bpf_link **l, size_t *n)
{
	static const char *const entry[] = {
	    [BPFMAP_LOOKUP] = "trk_map_lookup",
	    [BPFMAP_LOOKUP_ELEM] = "trk_map_lookup",
	    [BPFMAP_UPDATE] = "trk_map_update",
	    [BPFMAP_DELETE] = "trk_map_delete",
	};
	const char *ret = kind == BPFMAP_LOOKUP	       ? "trk_map_lookup_ret"
			  : kind == BPFMAP_LOOKUP_ELEM ? "trk_map_elem_ret"
						       : NULL;
	struct bpf_program *p = bpf_object__find_program_by_name(tk->obj, entry[kind]);

	*n = 0;
	/* the return first: an entry without it would hold events no return sends */
	if (ret) {
		l[0] = bpf_program__attach_kprobe(bpf_object__find_program_by_name(tk->obj, ret),
						  true, func);
		if (!l[0])
			return -errno;
		*n = 1;
	}
	l[*n] = p ? bpf_program__attach_kprobe(p, false, func) : NULL;
	if (!l[*n])
		return p ? -errno : -ENOENT;
	(*n)++;
	return 0;
}
