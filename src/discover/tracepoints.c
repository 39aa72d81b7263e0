// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <bpf/btf.h>
#include "src/discover/tracepoints.h"
#include "src/tp_name.h"

static const char prefix[] = "btf_trace_";

static const char *tp_name(const struct btf *btf, const struct btf_type *t)
{
	const char *name;

	if (!btf_is_typedef(t))
		return NULL;
	name = btf__name_by_offset(btf, t->name_off);
	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return NULL;
	return name + sizeof(prefix) - 1;
}

/* Arguments after the data pointer, one 8-byte slot each (tracepoints pass no structs). */
static int tp_layout(const struct btf *btf, const struct btf_type *t, struct arg_layout *l)
{
	const struct btf_type *p = btf__type_by_id(btf, t->type);
	const struct btf_param *a;
	int i, n;

	memset(l, 0, sizeof(*l));
	if (!p || !btf_is_ptr(p))
		return 0;
	p = btf__type_by_id(btf, p->type);
	if (!p || !btf_is_func_proto(p) || btf_vlen(p) < 2)
		return 0;
	a = btf_params(p);
	n = btf_vlen(p);
	for (i = 1; i < n && i <= FUNCSET_MAX_POS; i++)
		if (!l->pos && funcset_is_skb_ptr(btf, a[i].type))
			l->pos = (uint8_t)i;
	l->nslots = (uint8_t)(n - 1);
	return l->pos;
}

const struct funcset_kind tpset_tracepoints = {tp_name, tp_layout, TP_NAME_PREFIX};

int tpset_build(const struct funcset_btf *btfs, size_t nbtfs, const char *regex, struct funcset *fs,
		struct pwru_err *e)
{
	const struct funcset_kind *kind = &tpset_tracepoints;

	return funcset_walk(btfs, nbtfs, &kind, &fs, 1, regex, e);
}
