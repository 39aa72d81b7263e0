// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "src/output/prog_names.h"

/* Open addressing at most half full: a lookup is a probe or two. */
#define SLOTS (2 * PROG_NAMES_MAX)

struct slot {
	uint32_t id; /* 0: empty (the kernel's program ids start at 1) */
	enum prog_kind kind;
	char *label;
};

struct prog_names {
	pthread_mutex_t lock;
	size_t n;
	struct slot slots[SLOTS];
};

struct prog_names *prog_names_new(void)
{
	struct prog_names *t = calloc(1, sizeof(*t));

	if (t)
		pthread_mutex_init(&t->lock, NULL);
	return t;
}

static struct slot *find(struct prog_names *t, uint32_t id)
{
	size_t i = (id * 2654435761u) % SLOTS;

	while (t->slots[i].id && t->slots[i].id != id)
		i = (i + 1) % SLOTS;
	return &t->slots[i];
}

static char *label_of(const char *name, enum prog_kind kind)
{
	size_t n = strlen(name) + sizeof("(xdp)");
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s(%s)", name, kind == PROG_XDP ? "xdp" : "tc");
	return s;
}

int prog_names_add(struct prog_names *t, uint32_t id, const char *name, enum prog_kind kind)
{
	struct slot *s;
	int rc = 0;

	if (!id)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	s = find(t, id);
	if (s->id) {
		s->kind = kind; /* the label stays: a sink may hold it */
	} else if (t->n == PROG_NAMES_MAX) {
		rc = -ENOSPC;
	} else if (!(s->label = label_of(name, kind))) {
		rc = -ENOMEM;
	} else {
		s->id = id;
		s->kind = kind;
		t->n++;
	}
	pthread_mutex_unlock(&t->lock);
	return rc;
}

const char *prog_names_get(struct prog_names *t, uint32_t id, enum prog_kind *kind)
{
	const char *label = NULL;
	struct slot *s;

	if (!t || !id)
		return NULL;
	pthread_mutex_lock(&t->lock);
	s = find(t, id);
	if (s->id) {
		label = s->label;
		*kind = s->kind;
	}
	pthread_mutex_unlock(&t->lock);
	return label;
}

void prog_names_free(struct prog_names *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < SLOTS; i++)
		free(t->slots[i].label);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
