// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "src/discover/boot_cache.h"
#include "src/discover/ksyms_cache.h"

#define COPY_NAME "kallsyms"

struct teeing {
	FILE *copy;
	uint32_t lines;
};

/* "ffffffff81000000 T name" or "... t name\t[module]": not BPF's nor the kernel's own. */
static bool static_function(const char *line, size_t len)
{
	const char *mod;

	if (len <= 20 || line[16] != ' ' || line[18] != ' ' || !strchr("tTwW", line[17]))
		return false;
	mod = memchr(line + 19, '\t', len - 19);
	return !mod || (strncmp(mod, "\t[bpf]", 6) && strncmp(mod, "\t[__builtin", 11));
}

static void copy_line(const char *line, size_t len, void *arg)
{
	struct teeing *t = arg;

	if (static_function(line, len)) {
		fwrite(line, 1, len, t->copy);
		t->lines++;
	}
}

/* A line's address is not all zeros. */
static bool shows_address(const char *line)
{
	int i;

	for (i = 0; i < 16; i++)
		if (line[i] != '0')
			return true;
	return false;
}

/*
 * Whether kptr_restrict hides addresses from this reader: some address of the first lines
 * is not zero (x86-64's first are per-CPU offsets, which are).
 */
bool ksyms_addresses_shown(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	const char *line, *nl, *end = buf + (n > 0 ? n : 0);

	if (fd >= 0)
		close(fd);
	for (line = buf; end - line > 16; line = nl + 1) {
		if (shows_address(line))
			return true;
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			break;
	}
	return false;
}

/* The kernel's file, copied on the way into a new copy when KEY allows one. */
static int from_kernel(const char *root, const char *path, const struct kallsyms_filter *f,
		       const struct boot_key *key, struct kallsyms **out)
{
	struct boot_cache_new *n = boot_cache_create(root, COPY_NAME, key);
	int rc, dfd = n ? dup(boot_cache_fd(n)) : -1;
	struct teeing t = {.copy = dfd >= 0 ? fdopen(dfd, "w") : NULL};
	struct kallsyms_filter tf = *f;
	struct boot_copy c = {.kind = 'k'};
	bool copied;

	if (!t.copy && dfd >= 0)
		close(dfd);
	if (t.copy) {
		tf.tee = copy_line;
		tf.tee_arg = &t;
	}
	rc = kallsyms_load_filtered(path, &tf, out);
	copied = t.copy && !fclose(t.copy);
	c.count = t.lines;
	snprintf(c.source, sizeof(c.source), "%.150s", path);
	/* a hidden table, or one read or copied only in part, is not kept */
	boot_cache_commit(n, &c, !rc && copied && t.lines && !kallsyms_hidden(*out));
	return rc;
}

int ksyms_cache_load(const char *root, const struct kallsyms_filter *f, bool functions_only,
		     struct kallsyms **out, const char **from)
{
	static char where[300];
	char path[256];
	struct boot_key key = {0};
	struct boot_copy c;
	int fd = -1, rc = -ENOENT;

	snprintf(path, sizeof(path), "%s/proc/kallsyms", root);
	/* the copy is for those who may see the addresses themselves */
	if (ksyms_addresses_shown(path))
		fd = boot_cache_open(root, COPY_NAME, &key, &c);
	if (fd >= 0) {
		if (functions_only && c.count)
			rc = kallsyms_load_filtered_fd(fd, f, out);
		close(fd);
		memset(&key, 0, sizeof(key)); /* this copy stands: no new one */
	}
	if (!rc) {
		snprintf(where, sizeof(where), "%s's functions, kept in %s/run/pwru", path, root);
		*from = where;
		return 0;
	}
	snprintf(where, sizeof(where), "%s", path);
	*from = where;
	return from_kernel(root, path, f, &key, out);
}
