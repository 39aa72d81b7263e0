// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "src/discover/traceable_cache.h"

#define CACHE_MAGIC	"pwrutc1"
#define CACHE_MAX_BYTES (64u << 20)

struct cache_head {
	char magic[8];
	struct traceable_key key;
	uint32_t kind; /* 'a': sorted call sites; 'n': sorted names, each NUL-ended */
	uint32_t count;
	uint64_t bytes;
	char source[160];
};

static int read_small(const char *root, const char *path, char *buf, size_t len)
{
	char full[512];
	FILE *f;
	size_t n;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return 0;
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ ' ') * 1099511628211ULL;
}

/*
 * "name size uses deps state address": all but the use count and users, which change as
 * modules are used. A hidden address (all zeros) cannot tell a reload from the original.
 */
static int modules_hash(const char *root, uint64_t *out)
{
	char full[512], line[1024], name[64], size[24], state[24], addr[24];
	uint64_t h = 1469598103934665603ULL;
	int rc = 0;
	FILE *f;

	snprintf(full, sizeof(full), "%s/proc/modules", root);
	f = fopen(full, "re");
	if (!f) { /* no modules at all */
		*out = h;
		return errno == ENOENT ? 0 : -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %23s %*s %*s %23s %23s", name, size, state, addr) != 4 ||
		    !strtoull(addr, NULL, 16))
			rc = -1;
		h = fnv(fnv(fnv(fnv(h, name), size), state), addr);
	}
	fclose(f);
	*out = h;
	return rc;
}

/* This boot and these modules: the copy's key. */
static int make_key(const char *root, struct traceable_key *k)
{
	memset(k, 0, sizeof(*k));
	if (read_small(root, "/proc/sys/kernel/random/boot_id", k->boot_id, sizeof(k->boot_id)) ||
	    strlen(k->boot_id) < 32 || modules_hash(root, &k->modules))
		return -1;
	k->ok = 1;
	return 0;
}

/* ROOT/run/pwru, made if need be; only when it is ours and closed to others. */
static int cache_dir(const char *root, char *dir, size_t len)
{
	const char *off = getenv("PWRU_NO_CACHE");
	struct stat st;

	if (off && *off && strcmp(off, "0"))
		return -1;
	snprintf(dir, len, "%s/run", root);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return -1;
	snprintf(dir, len, "%s/run/pwru", root);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -1;
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077))
		return -1;
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	ssize_t n;
	size_t done = 0;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

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

static int take_body(struct traceable *t, const struct cache_head *h, char *body)
{
	if (h->kind == 'a' && h->bytes == (uint64_t)h->count * sizeof(uint64_t)) {
		t->ftrace_ips = (uint64_t *)(void *)body;
		t->nftrace_ips = h->count;
		return 0;
	}
	return h->kind == 'n' ? index_names(t, body, h->bytes, h->count) : -1;
}

static int open_copy(const char *root, struct traceable_key *key)
{
	char dir[400], path[420];
	struct stat st;
	int fd;

	if (cache_dir(root, dir, sizeof(dir)) || make_key(root, key))
		return -1;
	snprintf(path, sizeof(path), "%s/traceable", dir);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid())) {
		close(fd);
		fd = -1;
	}
	return fd;
}

bool traceable_cache_read(struct traceable *t, const char *root, struct traceable_key *key)
{
	struct cache_head have;
	char *body = NULL;
	int fd;

	memset(key, 0, sizeof(*key));
	fd = open_copy(root, key);
	if (fd < 0)
		return false;
	if (read_all(fd, &have, sizeof(have)) || memcmp(have.magic, CACHE_MAGIC, 8) ||
	    memcmp(&have.key, key, sizeof(*key)) || !have.count || have.bytes > CACHE_MAX_BYTES)
		goto miss;
	body = malloc(have.bytes);
	if (!body || read_all(fd, body, have.bytes) || take_body(t, &have, body))
		goto miss;
	close(fd);
	have.source[sizeof(have.source) - 1] = '\0';
	snprintf(t->ftrace_source, sizeof(t->ftrace_source), "%.100s, kept in %s/run/pwru",
		 have.source, root);
	return true;
miss:
	free(body);
	close(fd);
	return false;
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

static int write_copy(int fd, const struct traceable *t, struct cache_head *h)
{
	size_t n = t->nftrace_ips * sizeof(uint64_t);

	snprintf(h->source, sizeof(h->source), "%s", t->ftrace_source);
	h->kind = t->nftrace_ips ? 'a' : 'n';
	h->count = (uint32_t)(t->nftrace_ips ? t->nftrace_ips : t->nftrace_names);
	if (write(fd, h, sizeof(*h)) != (ssize_t)sizeof(*h))
		return -1;
	if (t->nftrace_ips) {
		h->bytes = n;
		if (write(fd, t->ftrace_ips, n) != (ssize_t)n)
			return -1;
	} else if (write_names(fd, t, &h->bytes)) {
		return -1;
	}
	/* the size is known only now: a reader never sees a header without its body */
	return pwrite(fd, h, sizeof(*h), 0) == (ssize_t)sizeof(*h) ? 0 : -1;
}

void traceable_cache_write(const struct traceable *t, const char *root,
			   const struct traceable_key *key)
{
	char dir[400], tmp[440], path[420];
	struct cache_head h = {.magic = CACHE_MAGIC, .key = *key};
	int fd, rc;

	if (!key->ok || (!t->nftrace_ips && !t->nftrace_names) || cache_dir(root, dir, sizeof(dir)))
		return;
	snprintf(tmp, sizeof(tmp), "%s/.traceable.XXXXXX", dir);
	snprintf(path, sizeof(path), "%s/traceable", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return;
	/* renamed into place whole: starts at the same time read the old copy or the new */
	rc = write_copy(fd, t, &h);
	if (close(fd) || rc || rename(tmp, path))
		unlink(tmp);
}
