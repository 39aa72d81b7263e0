// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "src/output/drop_reason.h"

struct reason {
	uint64_t value;
	char *name;
};

struct drop_reasons {
	struct reason *r; /* sorted by value */
	size_t n;
	/* SKB_CONSUMED's value (6.2+), asked of every drop event; has_consumed: it is there */
	uint64_t consumed;
	bool has_consumed;
};

static int cmp_reason(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	return x->value < y->value ? -1 : x->value > y->value;
}

static uint64_t enum_value(const struct btf_type *t, int i)
{
	if (btf_is_enum64(t))
		return btf_enum64_value(&btf_enum64(t)[i]);
	return (uint32_t)btf_enum(t)[i].val;
}

static uint32_t enum_name_off(const struct btf_type *t, int i)
{
	return btf_is_enum64(t) ? btf_enum64(t)[i].name_off : btf_enum(t)[i].name_off;
}

int drop_reasons_add(struct drop_reasons *dr, uint64_t value, const char *name)
{
	struct reason *r = realloc(dr->r, (dr->n + 1) * sizeof(*dr->r));

	if (!r)
		return -ENOMEM;
	dr->r = r;
	r[dr->n].value = value;
	r[dr->n].name = strdup(name);
	if (!r[dr->n].name)
		return -ENOMEM;
	dr->n++;
	return 0;
}

void drop_reasons_done(struct drop_reasons *dr)
{
	if (dr->n) /* no table at all before 5.17: qsort wants an array */
		qsort(dr->r, dr->n, sizeof(*dr->r), cmp_reason);
	dr->has_consumed = !drop_reason_value(dr, "SKB_CONSUMED", &dr->consumed);
}

size_t drop_reasons_count(const struct drop_reasons *dr)
{
	return dr ? dr->n : 0;
}

const char *drop_reasons_at(const struct drop_reasons *dr, size_t i, uint64_t *value)
{
	*value = dr->r[i].value;
	return dr->r[i].name;
}

static int fill(const struct btf *btf, const struct btf_type *t, struct drop_reasons *dr)
{
	int i, n = btf_vlen(t), err;

	for (i = 0; i < n; i++) {
		const char *name = btf__name_by_offset(btf, enum_name_off(t, i));

		/* outside the strings: a broken BTF; the value prints as a number */
		if (name && (err = drop_reasons_add(dr, enum_value(t, i), name)))
			return err;
	}
	return 0;
}

struct drop_reasons *drop_reasons_new(void)
{
	return calloc(1, sizeof(struct drop_reasons));
}

int drop_reasons_load(const struct btf *btf, struct drop_reasons **out)
{
	struct drop_reasons *dr = drop_reasons_new();
	int id, err = 0;

	if (!dr)
		return -ENOMEM;
	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id < 0)
		id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM64);
	if (id > 0)
		err = fill(btf, btf__type_by_id(btf, id), dr);
	if (err) {
		drop_reasons_free(dr);
		return err;
	}
	drop_reasons_done(dr);
	*out = dr;
	return 0;
}

const char *drop_reason_name(const struct drop_reasons *dr, uint64_t value)
{
	struct reason key = {.value = value}, *hit;

	if (!dr || !dr->n)
		return NULL;
	hit = bsearch(&key, dr->r, dr->n, sizeof(key), cmp_reason);
	return hit ? hit->name : NULL;
}

int drop_reason_value(const struct drop_reasons *dr, const char *name, uint64_t *value)
{
	size_t i;

	for (i = 0; dr && i < dr->n; i++) {
		if (!strcmp(dr->r[i].name, name)) {
			*value = dr->r[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

bool drop_reason_consumed(const struct drop_reasons *dr, uint64_t value)
{
	return dr && dr->has_consumed && value == dr->consumed;
}

void drop_reasons_free(struct drop_reasons *dr)
{
	size_t i;

	if (!dr)
		return;
	for (i = 0; i < dr->n; i++)
		free(dr->r[i].name);
	free(dr->r);
	free(dr);
}
