// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "src/discover/traceable_cache.h"

#define COPY_NAME      "traceable"
#define COPY_MAX_BYTES (64u << 20)

/* Names point into BODY: BYTES of COUNT NUL-ended names, already sorted. */
static int index_names(struct traceable *t, char *body, size_t bytes, size_t count)
{
	size_t i, off = 0;

	if (!bytes || body[bytes - 1])
		return -1;
	t->ftrace_names = malloc((count ? count : 1) * sizeof(char *));
	if (!t->ftrace_names)
		return -1;
	for (i = 0; i < count && off < bytes; i++) {
		t->ftrace_names[i] = body + off;
		off += strlen(body + off) + 1;
	}
	if (i != count || off != bytes) {
		free(t->ftrace_names);
		t->ftrace_names = NULL;
		return -1;
	}
	t->names_blob = body;
	t->nftrace_names = count;
	return 0;
}

int traceable_cache_take(struct traceable *t, const struct boot_copy *c, char *body)
{
	if (c->kind == TRACEABLE_ADDRS && c->bytes == (uint64_t)c->count * sizeof(uint64_t)) {
		t->ftrace_ips = (uint64_t *)(void *)body;
		t->nftrace_ips = c->count;
		return 0;
	}
	return c->kind == TRACEABLE_NAMES ? index_names(t, body, c->bytes, c->count) : -1;
}

bool traceable_cache_read(struct traceable *t, const char *root, struct boot_key *key)
{
	struct boot_copy c;
	char *body = NULL;
	int fd = boot_cache_open(root, COPY_NAME, key, &c);

	if (fd < 0)
		return false;
	if (!c.count || c.bytes > COPY_MAX_BYTES || !(body = malloc(c.bytes)) ||
	    boot_cache_read(fd, body, c.bytes) || traceable_cache_take(t, &c, body)) {
		free(body);
		close(fd);
		return false;
	}
	close(fd);
	snprintf(t->ftrace_source, sizeof(t->ftrace_source), "%.100s, kept in %s/run/pwru",
		 c.source, root);
	return true;
}

static int write_names(int fd, const struct traceable *t, uint64_t *bytes)
{
	size_t i, n;

	for (i = 0, *bytes = 0; i < t->nftrace_names; i++) {
		n = strlen(t->ftrace_names[i]) + 1;
		if (write(fd, t->ftrace_names[i], n) != (ssize_t)n)
			return -1;
		*bytes += n;
	}
	return 0;
}

static int write_body(int fd, const struct traceable *t, struct boot_copy *c)
{
	size_t n = t->nftrace_ips * sizeof(uint64_t);

	c->kind = t->nftrace_ips ? TRACEABLE_ADDRS : TRACEABLE_NAMES;
	c->count = (uint32_t)(t->nftrace_ips ? t->nftrace_ips : t->nftrace_names);
	if (!t->nftrace_ips)
		return write_names(fd, t, &c->bytes);
	c->bytes = n;
	return write(fd, t->ftrace_ips, n) == (ssize_t)n ? 0 : -1;
}

void traceable_cache_write(const struct traceable *t, const char *root, const struct boot_key *key)
{
	struct boot_cache_new *n;
	struct boot_copy c = {0};

	if (!t->nftrace_ips && !t->nftrace_names)
		return;
	n = boot_cache_create(root, COPY_NAME, key);
	if (!n)
		return;
	snprintf(c.source, sizeof(c.source), "%s", t->ftrace_source);
	boot_cache_commit(n, &c, !write_body(boot_cache_fd(n), t, &c));
}
