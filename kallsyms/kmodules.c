// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms/kmodules.h"

struct kmod {
	char name[64];
	uint64_t start, end;
};

struct kmodules {
	struct kmod *v;
	size_t n;
};

static int parse_line(const char *line, struct kmod *m)
{
	unsigned long long size, addr;
	char state[16];

	if (sscanf(line, "%63s %llu %*s %*s %15s 0x%llx", m->name, &size, state, &addr) != 4)
		return -1;
	m->start = addr;
	m->end = addr + size;
	return addr && size ? 0 : -1; /* hidden addresses bound nothing */
}

int kmodules_parse(const char *buf, size_t len, struct kmodules **out)
{
	struct kmodules *m = calloc(1, sizeof(*m));
	char *text = malloc(len + 1), *line, *next;
	size_t n = 1, i;

	if (!m || !text)
		goto nomem;
	memcpy(text, buf, len);
	text[len] = '\0';
	for (i = 0; i < len; i++)
		n += text[i] == '\n';
	m->v = calloc(n, sizeof(*m->v));
	if (!m->v)
		goto nomem;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!parse_line(line, &m->v[m->n]))
			m->n++;
	}
	free(text);
	*out = m;
	return 0;
nomem:
	free(text);
	kmodules_free(m);
	return -ENOMEM;
}

int kmodules_load(const char *path, struct kmodules **out)
{
	FILE *f = fopen(path ? path : "/proc/modules", "re");
	char *buf = NULL;
	size_t cap = 0, len = 0, r;
	int err = 0;

	if (!f)
		return -errno;
	do {
		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		r = fread(buf + len, 1, cap - len, f);
		len += r;
	} while (r);
	if (!err && ferror(f))
		err = -EIO;
	fclose(f);
	if (!err)
		err = kmodules_parse(buf ? buf : "", len, out);
	free(buf);
	return err;
}

void kmodules_free(struct kmodules *m)
{
	if (!m)
		return;
	free(m->v);
	free(m);
}

int kmodules_range(const struct kmodules *m, const char *name, uint64_t *start, uint64_t *end)
{
	size_t i;

	for (i = 0; m && i < m->n; i++)
		if (!strcmp(m->v[i].name, name)) {
			*start = m->v[i].start;
			*end = m->v[i].end;
			return 1;
		}
	return 0;
}
