// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "src/discover/boot_cache.h"

#define CACHE_MAGIC "pwrubc1"

struct cache_head {
	char magic[8];
	struct boot_key key;
	struct boot_copy copy;
};

struct boot_cache_new {
	int fd;
	struct cache_head head;
	char tmp[440], path[420];
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
static int make_key(const char *root, struct boot_key *k)
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

void boot_cache_remove(const char *root, const char *name)
{
	char dir[400], path[420];

	if (cache_dir(root, dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

int boot_cache_read(int fd, void *buf, uint64_t len)
{
	ssize_t n;
	uint64_t done = 0;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int open_copy(const char *root, const char *name, struct boot_key *key)
{
	char dir[400], path[420];
	struct stat st;
	int fd;

	if (cache_dir(root, dir, sizeof(dir)) || make_key(root, key))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	/* pwru writes its copies 0600: one others could have changed is not taken */
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
			(st.st_mode & 022))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int boot_cache_open(const char *root, const char *name, struct boot_key *key, struct boot_copy *c)
{
	struct cache_head have;
	int fd;

	memset(key, 0, sizeof(*key));
	fd = open_copy(root, name, key);
	if (fd < 0)
		return -1;
	if (boot_cache_read(fd, &have, sizeof(have)) || memcmp(have.magic, CACHE_MAGIC, 8) ||
	    memcmp(&have.key, key, sizeof(*key))) {
		close(fd);
		return -1;
	}
	*c = have.copy;
	c->source[sizeof(c->source) - 1] = '\0';
	return fd;
}

/*
 * An unnamed file in DIR (O_TMPFILE), named only once complete: a start killed while
 * writing leaves nothing behind. Where the file system lacks it, a named temporary.
 * No fsync: a copy half on disk after a crash belongs to a boot that is over (boot_id).
 */
static int open_new(struct boot_cache_new *n, const char *dir)
{
	n->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (n->fd >= 0) {
		n->tmp[0] = '\0';
		return 0;
	}
	n->fd = mkstemp(n->tmp);
	return n->fd < 0 ? -1 : 0;
}

struct boot_cache_new *boot_cache_create(const char *root, const char *name,
					 const struct boot_key *key)
{
	static const struct cache_head blank;
	struct boot_cache_new *n;
	char dir[400];

	if (!key->ok || cache_dir(root, dir, sizeof(dir)))
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	snprintf(n->tmp, sizeof(n->tmp), "%s/.%s.XXXXXX", dir, name);
	snprintf(n->path, sizeof(n->path), "%s/%s", dir, name);
	memcpy(n->head.magic, CACHE_MAGIC, sizeof(CACHE_MAGIC));
	n->head.key = *key;
	if (open_new(n, dir)) {
		free(n);
		return NULL;
	}
	/* room for the header, written once the body's size is known */
	if (write(n->fd, &blank, sizeof(blank)) != sizeof(blank)) {
		close(n->fd);
		if (n->tmp[0])
			unlink(n->tmp);
		free(n);
		return NULL;
	}
	return n;
}

int boot_cache_fd(const struct boot_cache_new *n)
{
	return n->fd;
}

/*
 * An unnamed file gets a name of its own first (linkat cannot replace), then takes the
 * copy's by rename, so a reader never opens half a copy.
 */
static int name_new(struct boot_cache_new *n)
{
	char self[32];

	if (n->tmp[0])
		return 0;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", n->fd);
	/* the pid's own name: one left by a killed start of the same pid goes */
	snprintf(n->tmp, sizeof(n->tmp), "%s.%d", n->path, getpid());
	unlink(n->tmp);
	if (!linkat(AT_FDCWD, self, AT_FDCWD, n->tmp, AT_SYMLINK_FOLLOW))
		return 0;
	n->tmp[0] = '\0';
	return -1;
}

void boot_cache_commit(struct boot_cache_new *n, const struct boot_copy *c, bool ok)
{
	if (!n)
		return;
	n->head.copy = *c;
	if (ok && pwrite(n->fd, &n->head, sizeof(n->head), 0) != sizeof(n->head))
		ok = false;
	if (ok && name_new(n))
		ok = false;
	if ((close(n->fd) || !ok || rename(n->tmp, n->path)) && n->tmp[0])
		unlink(n->tmp);
	free(n);
}

void boot_cache_put(const char *root, const char *name, const struct boot_key *key,
		    const struct boot_copy *c, const void *body, size_t len)
{
	struct boot_copy whole = *c;
	struct boot_cache_new *n = boot_cache_create(root, name, key);

	whole.bytes = len;
	if (n)
		boot_cache_commit(n, &whole, write(boot_cache_fd(n), body, len) == (ssize_t)len);
}

void *boot_cache_get(const char *root, const char *name, struct boot_key *key, uint32_t kind,
		     uint64_t max, size_t *len)
{
	struct boot_copy c;
	void *body = NULL;
	int fd = boot_cache_open(root, name, key, &c);

	if (fd < 0)
		return NULL;
	if (c.kind == kind && c.bytes <= max && (body = malloc(c.bytes ? c.bytes : 1)) &&
	    boot_cache_read(fd, body, c.bytes)) {
		free(body);
		body = NULL;
	}
	close(fd);
	*len = body ? c.bytes : 0;
	return body;
}

void boot_cache_file_id(const char *path, char *buf, size_t len)
{
	struct stat st;

	if (stat(path, &st))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llx:%llx:%llx:%lld.%09ld:%lld.%09ld",
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
			 (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}
