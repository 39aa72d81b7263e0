// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "src/discover/boot_cache.h"
#include "src/probe/verdicts.h"

#define COPY_NAME   "probes"
#define KIND_PASSES 'p'
#define BODY_MAX    2048

/* What can take a backend away during a boot; a missing file reads as "-". */
static const char *const switches[] = {
    "/sys/kernel/security/lockdown",
    "/proc/sys/kernel/ftrace_enabled",
    "/sys/kernel/debug/kprobes/enabled",
};

/*
 * The pwru build that probed: another build's probe programs (or a broken one) vouch for
 * nothing here. Its file's identity, as the discovery copy's config word takes it.
 */
static void build_id(const char *root, char *buf, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/proc/self/exe", root);
	boot_cache_file_id(path, buf, len);
}

/* The switches' first lines and the build joined by '|', then '\n': the body's first line. */
static size_t read_switches(const char *root, char *buf, size_t len)
{
	char path[512], line[128];
	size_t i, off = 0;
	FILE *f;

	for (i = 0; i < sizeof(switches) / sizeof(switches[0]) && off < len; i++) {
		snprintf(path, sizeof(path), "%s%s", root, switches[i]);
		f = fopen(path, "re");
		if (!f || !fgets(line, sizeof(line), f))
			strcpy(line, "-");
		if (f)
			fclose(f);
		line[strcspn(line, "|\n")] = '\0';
		off += (size_t)snprintf(buf + off, len - off, "%s|", line);
	}
	if (off < len) {
		build_id(root, line, sizeof(line));
		off += (size_t)snprintf(buf + off, len - off, "%s\n", line);
	}
	return off < len ? off : len - 1;
}

/*
 * The copy's passes ("NAME\n" each) into BUF, NUL-ended, when it is this boot's under the
 * switches as they are now: returns their length, or -1. Sets KEY either way.
 */
static int read_passes(const char *root, struct boot_key *key, char *buf, size_t len)
{
	char now[BODY_MAX / 2], body[BODY_MAX + 1];
	size_t nl = read_switches(root, now, sizeof(now));
	struct boot_copy c;
	int fd = boot_cache_open(root, COPY_NAME, key, &c), rc = -1;

	if (fd < 0)
		return -1;
	if (c.kind == KIND_PASSES && c.bytes >= nl && c.bytes <= BODY_MAX &&
	    !boot_cache_read(fd, body, c.bytes) && !memcmp(body, now, nl) && c.bytes - nl < len) {
		memcpy(buf, body + nl, c.bytes - nl);
		buf[c.bytes - nl] = '\0';
		rc = (int)(c.bytes - nl);
	}
	close(fd);
	return rc;
}

static bool has(const char *passes, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = passes; (p = strstr(p, name)); p += n)
		if ((p == passes || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

bool verdicts_passed(const char *root, const char *name)
{
	char passes[BODY_MAX / 2];
	struct boot_key key;

	return read_passes(root, &key, passes, sizeof(passes)) > 0 && has(passes, name);
}

void verdicts_drop(const char *root)
{
	boot_cache_remove(root, COPY_NAME);
}

void verdicts_keep(const char *root, const char *name)
{
	char body[BODY_MAX], passes[BODY_MAX / 2] = "";
	struct boot_copy c = {.kind = KIND_PASSES};
	struct boot_cache_new *n;
	struct boot_key key;
	const char *p;
	size_t len;

	if (read_passes(root, &key, passes, sizeof(passes)) < 0)
		passes[0] = '\0';
	if (has(passes, name) || strchr(name, '\n'))
		return;
	len = read_switches(root, body, sizeof(body) / 2);
	len += (size_t)snprintf(body + len, sizeof(body) - len, "%s%s\n", passes, name);
	if (len >= sizeof(body))
		return;
	n = boot_cache_create(root, COPY_NAME, &key);
	if (!n)
		return;
	c.bytes = len;
	for (c.count = 1, p = passes; (p = strchr(p, '\n')); p++)
		c.count++; /* the passes, this one included */
	snprintf(c.source, sizeof(c.source), "backend probes");
	boot_cache_commit(n, &c, write(boot_cache_fd(n), body, len) == (ssize_t)len);
}
