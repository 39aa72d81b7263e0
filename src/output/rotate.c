// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "src/output/outstream.h"
#include "src/output/rotate.h"

#define CARRY_MAX 65536
#define STAMP_LEN 23 /* 2006-01-02T15-04-05.000 */

struct rot {
	char *path;
	struct rotate_opts o;
	int fd;
	uint64_t size;
	uint64_t taken; /* into all the files, since the start */
	/* the unfinished line at the end of the last write: files only ever hold whole lines */
	char carry[CARRY_MAX];
	size_t ncarry;
};

static int open_fd(struct rot *r)
{
	struct stat st;

	r->fd = open(r->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (r->fd < 0)
		return -1;
	r->size = fstat(r->fd, &st) ? 0 : (uint64_t)st.st_size;
	return 0;
}

static void gzip_file(const char *src)
{
	char dst[4096 + 4], buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC);
	gzFile gz;
	ssize_t n;

	snprintf(dst, sizeof(dst), "%s.gz", src);
	gz = in >= 0 ? gzopen(dst, "wb") : NULL;
	if (!gz) {
		if (in >= 0)
			close(in);
		return;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		gzwrite(gz, buf, (unsigned)n);
	close(in);
	if (gzclose(gz) == Z_OK)
		unlink(src);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*b)->d_name, (*a)->d_name); /* newest first: names carry the time */
}

/*
 * Backups are named as lumberjack (cilium/pwru's) names them: trace.json becomes
 * trace-2006-01-02T15-04-05.000.json (.gz): the name's extension, what is before it.
 */
static const char *path_ext(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	dot = strrchr(base ? base + 1 : path, '.');
	return dot ? dot : path + strlen(path);
}

/* NAME (a directory entry) is a backup of R's file: PREFIX-STAMP.EXT[.gz]. */
static bool is_backup(const struct rot *r, const char *base, size_t nprefix, const char *name)
{
	const char *ext = path_ext(r->path), *end;
	size_t next = strlen(ext);

	if (strncmp(name, base, nprefix) || name[nprefix] != '-')
		return false;
	end = name + nprefix + 1 + STAMP_LEN;
	if (strnlen(name, nprefix + 1 + STAMP_LEN) < nprefix + 1 + STAMP_LEN ||
	    strncmp(end, ext, next))
		return false;
	return !end[next] || !strcmp(end + next, ".gz");
}

/* Backups sort by age: their names differ only in the time. */
static void prune(struct rot *r)
{
	char *dup = strdup(r->path), *dir, *base, full[4096 + 256];
	struct dirent **ents = NULL;
	int n, i, kept = 0;
	struct stat st;
	time_t now = time(NULL);
	size_t nprefix;

	if (!dup)
		return;
	dir = dirname(dup);
	base = basename(r->path);
	nprefix = strlen(base) - strlen(path_ext(r->path));
	n = scandir(dir, &ents, NULL, by_name);
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		bool old;

		if (!is_backup(r, base, nprefix, name))
			goto next;
		snprintf(full, sizeof(full), "%s/%s", dir, name);
		old = r->o.max_age_days && !stat(full, &st) &&
		      (uint64_t)(now - st.st_mtime) > r->o.max_age_days * 86400;
		if (old || (r->o.max_backups && (uint64_t)++kept > r->o.max_backups))
			unlink(full);
	next:
		free(ents[i]);
	}
	free(ents);
	free(dup);
}

static void rotate(struct rot *r)
{
	const char *ext = path_ext(r->path);
	char stamp[64], dst[4096 + 80];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H-%M-%S", &tm);
	snprintf(dst, sizeof(dst), "%.*s-%s.%03ld%s", (int)(ext - r->path), r->path, stamp,
		 ts.tv_nsec / 1000000, ext);
	close(r->fd);
	if (!rename(r->path, dst) && r->o.compress)
		gzip_file(dst);
	prune(r);
	open_fd(r);
}

static int write_all(struct rot *r, const char *buf, size_t n)
{
	uint64_t before = r->taken;
	int rc = outstream_write_all(r->fd, buf, n, &r->taken);

	r->size += r->taken - before;
	return rc;
}

/* Whole lines: into this file, or the next one if they would take it past the limit. */
static int write_lines(struct rot *r, const char *buf, size_t n)
{
	if (r->o.max_bytes && r->size && r->size + n > r->o.max_bytes)
		rotate(r);
	return r->fd < 0 ? -1 : write_all(r, buf, n);
}

static int write_chunk(struct rot *r, const char *buf, size_t n)
{
	const char *nl = memrchr(buf, '\n', n);
	size_t head = nl ? (size_t)(nl - buf) + 1 : 0, i, start = 0;

	if (head) {
		/* the carried start of a line ends in this buffer */
		for (i = 0; i < head; i++)
			if (buf[i] == '\n')
				break;
		if (r->ncarry) {
			if (r->ncarry + i + 1 > CARRY_MAX) {
				if (write_lines(r, r->carry, r->ncarry))
					return -1;
			} else {
				memcpy(r->carry + r->ncarry, buf, i + 1);
				start = i + 1;
				if (write_lines(r, r->carry, r->ncarry + start))
					return -1;
			}
			r->ncarry = 0;
		}
		if (head > start && write_lines(r, buf + start, head - start))
			return -1;
	}
	if (r->ncarry + n - head > CARRY_MAX) { /* a line longer than the carry: as it comes */
		if (write_lines(r, r->carry, r->ncarry) || write_all(r, buf + head, n - head))
			return -1;
		r->ncarry = 0;
		return 0;
	}
	memcpy(r->carry + r->ncarry, buf + head, n - head);
	r->ncarry += n - head;
	return 0;
}

/*
 * After a failure the carry is dropped: what of it got out is counted already, and the
 * stream writes nothing more.
 */
static int rot_write(void *cookie, const char *buf, size_t n)
{
	struct rot *r = cookie;
	int rc = write_chunk(r, buf, n);

	if (rc)
		r->ncarry = 0;
	return rc;
}

static void rot_cut(void *cookie, uint64_t n)
{
	struct rot *r = cookie;

	if (r->fd >= 0 && n <= r->size)
		outstream_cut_fd(r->fd, n);
}

/* The carried start of a line is taken: it goes out with the line's end. */
static uint64_t rot_taken(void *cookie)
{
	struct rot *r = cookie;

	return r->taken + r->ncarry;
}

static int rot_close(void *cookie)
{
	struct rot *r = cookie;
	/* after a failure (or the user gave up on the output) the rest stays unwritten */
	int rc =
	    r->ncarry && r->fd >= 0 && !outstream_abandoned ? write_all(r, r->carry, r->ncarry) : 0;

	rc |= r->fd >= 0 ? close(r->fd) : -1;

	free(r->path);
	free(r);
	return rc;
}

struct outstream *rotate_open(const char *path, const struct rotate_opts *ro, const char *label)
{
	static const struct outstream_io io = {
	    .write = rot_write, .taken = rot_taken, .cut = rot_cut, .close = rot_close};
	struct rot *r = calloc(1, sizeof(*r));
	struct outstream *s;

	if (!r || !(r->path = strdup(path))) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->o = *ro;
	if (open_fd(r)) {
		int e = errno;

		free(r->path);
		free(r);
		errno = e;
		return NULL;
	}
	s = outstream_new(label, &io, r);
	if (!s)
		rot_close(r);
	return s;
}
