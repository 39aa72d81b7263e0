// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "src/output/u64map.h"

struct slot {
	uint64_t key;
	uint64_t val;
	bool used;
};

struct u64map {
	struct slot *s;
	size_t cap; /* power of two */
	size_t n;
	uint64_t resets;
};

struct u64map *u64map_new(size_t cap)
{
	struct u64map *m = calloc(1, sizeof(*m));
	size_t c = 16;

	while (c < cap)
		c <<= 1;
	if (m && !(m->s = calloc(c, sizeof(*m->s)))) {
		free(m);
		return NULL;
	}
	if (m)
		m->cap = c;
	return m;
}

static size_t home(const struct u64map *m, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (m->cap - 1);
}

static struct slot *find(struct u64map *m, uint64_t key)
{
	size_t i = home(m, key);

	while (m->s[i].used && m->s[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return &m->s[i];
}

uint64_t *u64map_get(struct u64map *m, uint64_t key, bool *fresh)
{
	struct slot *s = find(m, key);

	*fresh = !s->used;
	if (s->used)
		return &s->val;
	if (4 * (m->n + 1) > 3 * m->cap) {
		memset(m->s, 0, m->cap * sizeof(*m->s));
		m->n = 0;
		m->resets++;
		s = find(m, key);
	}
	*s = (struct slot){.key = key, .used = true};
	m->n++;
	return &s->val;
}

uint64_t *u64map_find(struct u64map *m, uint64_t key)
{
	struct slot *s = find(m, key);

	return s->used ? &s->val : NULL;
}

/* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
void u64map_del(struct u64map *m, uint64_t key)
{
	struct slot *s = find(m, key);
	size_t i = (size_t)(s - m->s), j = i, h;

	if (!s->used)
		return;
	for (;;) {
		m->s[i].used = false;
		for (;;) {
			j = (j + 1) & (m->cap - 1);
			if (!m->s[j].used)
				goto done;
			h = home(m, m->s[j].key);
			/* the entry at j may move to i if i lies on its path from h */
			if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j))
				break;
		}
		m->s[i] = m->s[j];
		i = j;
	}
done:
	m->n--;
}

uint64_t u64map_resets(const struct u64map *m)
{
	return m->resets;
}

void u64map_free(struct u64map *m)
{
	if (!m)
		return;
	free(m->s);
	free(m);
}
