// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "src/discover/traceable.h"
#include "src/discover/traceable_cache.h"

/* The ftrace call sits after an endbr64 when IBT is on: allow that far into a function. */
#define FTRACE_SLACK 8

/* debugfs's tracing/ is never looked into: its automount would leave a tracefs mounted. */
static const char tracefs[] = "/sys/kernel/tracing";

static FILE *open_under(const char *root, const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return fopen(full, "re");
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(void **arr, size_t *n, size_t *cap, size_t size)
{
	void *na;

	if (*n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 4096;
	na = realloc(*arr, *cap * size);
	if (!na)
		return -ENOMEM;
	*arr = na;
	return 0;
}

/* "ffffffff81000c24 name" or "ffffffff81000c24 name [module]": an address is unique. */
static int read_addrs(FILE *f, struct traceable *t)
{
	char line[512], name[256];
	size_t cap = 0;
	uint64_t ip;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNx64 " %255s", &ip, name) != 2)
			continue;
		if (push((void **)&t->ftrace_ips, &t->nftrace_ips, &cap, sizeof(ip)))
			return -ENOMEM;
		t->ftrace_ips[t->nftrace_ips++] = ip;
	}
	qsort(t->ftrace_ips, t->nftrace_ips, sizeof(uint64_t), cmp_u64);
	return 0;
}

/* A module's names are kept as "name [module]", the way the file spells them. */
static int read_names(FILE *f, struct traceable *t)
{
	char line[512], name[256], mod[64], key[330];
	size_t cap = 0;
	int n;

	while (fgets(line, sizeof(line), f)) {
		n = sscanf(line, "%255s %63s", name, mod);
		if (n < 1 || (n == 2 && mod[0] != '['))
			continue;
		if (push((void **)&t->ftrace_names, &t->nftrace_names, &cap, sizeof(char *)))
			return -ENOMEM;
		snprintf(key, sizeof(key), "%s%s%s", name, n == 2 ? " " : "", n == 2 ? mod : "");
		t->ftrace_names[t->nftrace_names] = strdup(key);
		if (!t->ftrace_names[t->nftrace_names])
			return -ENOMEM;
		t->nftrace_names++;
	}
	qsort(t->ftrace_names, t->nftrace_names, sizeof(char *), cmp_str);
	return 0;
}

/* Lines are "0xstart-0xend\tsymbol". */
static int read_blacklist(FILE *f, struct traceable *t)
{
	char line[512];
	size_t cap = 0;
	uint64_t s, e;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "0x%" SCNx64 "-0x%" SCNx64, &s, &e) != 2 || e <= s)
			continue;
		if (push((void **)&t->blacklist, &t->nblacklist, &cap, sizeof(*t->blacklist)))
			return -ENOMEM;
		t->blacklist[t->nblacklist][0] = s;
		t->blacklist[t->nblacklist][1] = e;
		t->nblacklist++;
	}
	qsort(t->blacklist, t->nblacklist, sizeof(*t->blacklist), cmp_u64);
	return 0;
}

/* Tries DIR/available_filter_functions_addrs, then the names-only file. */
static int load_ftrace_from(struct traceable *t, const char *root, const char *dir)
{
	char src[sizeof(t->ftrace_source)];
	FILE *f;
	int by_addr, err;

	for (by_addr = 1; by_addr >= 0; by_addr--) {
		snprintf(src, sizeof(src), "%s/available_filter_functions%s", dir,
			 by_addr ? "_addrs" : "");
		f = open_under(root, src);
		if (!f)
			continue;
		err = by_addr ? read_addrs(f, t) : read_names(f, t);
		fclose(f);
		if (err)
			return err;
		if (t->nftrace_ips || t->nftrace_names) {
			memcpy(t->ftrace_source, src, sizeof(src));
			return 0;
		}
	}
	return 0;
}

/* Copies FD to OUT after the tag byte TAG; false when FD is empty. */
static bool send_file(int fd, int out, char tag)
{
	char buf[65536];
	ssize_t n, total = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (!total && write(out, &tag, 1) != 1)
			_exit(1);
		if (write(out, buf, (size_t)n) != n)
			_exit(1);
		total += n;
	}
	if (n < 0)
		_exit(1);
	return total > 0;
}

/* The child's "why not" for the parent: tag 'e', then one line of text. */
static _Noreturn void child_fail(int out, const char *what, int err)
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "e%s: %s", what, strerror(err));

	if (write(out, msg, (size_t)n) != n)
		_exit(1);
	_exit(0);
}

/*
 * The child: a tracefs mounted in a mount namespace of its own, gone with the child however
 * it ends, so that nothing stays mounted on the host even if pwru is killed. Sends a tag
 * ('a': addresses, 'n': names) and the file's bytes down OUT, or 'e' and why not.
 */
static _Noreturn void ftrace_child(int out)
{
	/* Any existing directory will do: the mount is seen by this child only. */
	static const char *const points[] = {"/sys/kernel/tracing", "/tmp", "/mnt"};
	char path[160];
	size_t i;
	int by_addr, fd, err = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		child_fail(out, "a mount namespace of its own", errno);
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		if (!mount("tracefs", points[i], "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
			break;
	if (i == sizeof(points) / sizeof(points[0]))
		child_fail(out, "mounting tracefs", errno);
	for (by_addr = 1; by_addr >= 0; by_addr--) {
		snprintf(path, sizeof(path), "%s/available_filter_functions%s", points[i],
			 by_addr ? "_addrs" : "");
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && (!err || errno != ENOENT))
			err = errno; /* the names file's refusal says more than _addrs' absence */
		if (fd >= 0 && send_file(fd, out, by_addr ? 'a' : 'n'))
			_exit(0);
		if (fd >= 0)
			close(fd);
	}
	child_fail(out, "available_filter_functions", err ? err : ENODATA);
}

static void drop_ftrace(struct traceable *t)
{
	size_t i;

	for (i = 0; !t->names_blob && i < t->nftrace_names; i++)
		free(t->ftrace_names[i]);
	free(t->names_blob);
	free(t->ftrace_names);
	t->names_blob = NULL;
	free(t->ftrace_ips);
	t->ftrace_names = NULL;
	t->ftrace_ips = NULL;
	t->nftrace_names = t->nftrace_ips = 0;
	t->ftrace_source[0] = '\0';
}

/*
 * tracefs not mounted (common in containers and minimal systems): read the list through a
 * private mount in a child, so that kprobe-multi need not guess.
 */
static int load_ftrace_private(struct traceable *t)
{
	int p[2], status, tag, bad, err = 0;
	char why[128];
	pid_t pid, r;
	FILE *f;

	if (pipe2(p, O_CLOEXEC)) {
		snprintf(t->ftrace_why, sizeof(t->ftrace_why), "pipe: %s", strerror(errno));
		return 0;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		ftrace_child(p[1]);
	}
	close(p[1]);
	f = pid > 0 ? fdopen(p[0], "re") : NULL;
	if (!f) {
		snprintf(t->ftrace_why, sizeof(t->ftrace_why), "a private tracefs mount: %s",
			 strerror(errno));
		close(p[0]);
		while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return 0;
	}
	tag = fgetc(f);
	if (tag == 'a' || tag == 'n')
		err = tag == 'a' ? read_addrs(f, t) : read_names(f, t);
	else if (tag == 'e' && fgets(why, sizeof(why), f))
		snprintf(t->ftrace_why, sizeof(t->ftrace_why), "a private tracefs mount: %s", why);
	/*
	 * A read cut short (a signal: no SA_RESTART) or a child that failed part way gave a
	 * partial list: unknown is safer than wrong.
	 */
	bad = ferror(f);
	fclose(f);
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (bad || r != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		drop_ftrace(t);
		snprintf(t->ftrace_why, sizeof(t->ftrace_why),
			 "a private tracefs mount: the read was cut short");
	} else if (t->nftrace_ips || t->nftrace_names) {
		snprintf(t->ftrace_source, sizeof(t->ftrace_source),
			 "a private tracefs mount (available_filter_functions%s)",
			 tag == 'a' ? "_addrs" : "");
		t->ftrace_why[0] = '\0';
	}
	return err;
}

/* ROOT "" is the real system, with the private mount as the fallback; else recorded files. */
static int read_ftrace(struct traceable *t, const char *root)
{
	int err = load_ftrace_from(t, root, tracefs);

	if (err || t->ftrace_source[0])
		return err;
	snprintf(t->ftrace_why, sizeof(t->ftrace_why), "%s%s: no available_filter_functions", root,
		 tracefs);
	return *root ? 0 : load_ftrace_private(t);
}

static int load_ftrace(struct traceable *t, const char *root)
{
	struct boot_key key;
	int err;

	if (traceable_cache_read(t, root, &key))
		return 0;
	err = read_ftrace(t, root);
	if (!err && t->ftrace_source[0])
		traceable_cache_write(t, root, &key);
	return err;
}

int traceable_load(struct traceable *t, const char *root)
{
	FILE *f;
	int err;

	memset(t, 0, sizeof(*t));
	err = load_ftrace(t, root);
	if (err)
		return err;
	f = open_under(root, "/sys/kernel/debug/kprobes/blacklist");
	if (f) {
		err = read_blacklist(f, t);
		fclose(f);
	}
	return err;
}

bool traceable_ftrace(const struct traceable *t, const char *name, uint64_t addr)
{
	return traceable_ftrace_in(t, name, NULL, addr);
}

static bool has_name(const struct traceable *t, const char *name, const char *module)
{
	char key[330];
	const char *k = key;

	if (module)
		snprintf(key, sizeof(key), "%s [%s]", name, module);
	else
		k = name;
	return bsearch(&k, t->ftrace_names, t->nftrace_names, sizeof(char *), cmp_str);
}

bool traceable_ftrace_in(const struct traceable *t, const char *name, const char *module,
			 uint64_t addr)
{
	size_t lo = 0, hi = t->nftrace_ips;

	if (t->nftrace_ips) {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (t->ftrace_ips[mid] < addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < t->nftrace_ips && t->ftrace_ips[lo] - addr <= FTRACE_SLACK;
	}
	if (t->nftrace_names)
		return has_name(t, name, module);
	return true;
}

bool traceable_kprobe(const struct traceable *t, uint64_t addr)
{
	size_t lo = 0, hi = t->nblacklist;

	/* The last range starting at or below ADDR is the only one that can hold it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->blacklist[mid][0] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return !lo || addr >= t->blacklist[lo - 1][1];
}

void traceable_free(struct traceable *t)
{
	drop_ftrace(t);
	free(t->blacklist);
	memset(t, 0, sizeof(*t));
}
