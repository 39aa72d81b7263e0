// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "src/probe/prog_misses.h"

/*
 * struct bpf_link_info as the kernel lays it out: the build's headers (Linux 6.1's) have
 * neither kprobe_multi nor perf_event. The union starts at 16; the kernel tells its own
 * size back in the length, 56 bytes from 6.7 (perf_event.kprobe.missed), 48 before.
 */
enum {
	LINK_PERF_EVENT = 7,
	LINK_KPROBE_MULTI = 8,
	PERF_EVENT_KPROBE = 3, /* enum bpf_perf_event_type */
	PERF_EVENT_KRETPROBE = 4,
	AT_KMULTI_MISSED = 32, /* kprobe_multi.missed */
	AT_PERF_TYPE = 16,     /* perf_event.type */
	AT_PERF_MISSED = 48,   /* perf_event.kprobe.missed */
	LINK_INFO_MISSED = 56, /* the kernel's size when it has both */
};

struct seen {
	uint32_t *ids;
	size_t n, cap;
};

struct scan {
	struct seen progs, links;
	struct prog_misses *m;
	bool kprobes;	 /* a kprobe program held */
	bool counts_all; /* a link's info in 6.7's layout */
};

/* True the first time ID is offered: a program behind several links counts once. */
static bool first_time(struct seen *s, uint32_t id)
{
	uint32_t *ids;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return false;
	if (s->n == s->cap) {
		ids = realloc(s->ids, (s->cap ? 2 * s->cap : 64) * sizeof(*ids));
		if (!ids)
			return false;
		s->ids = ids;
		s->cap = s->cap ? 2 * s->cap : 64;
	}
	s->ids[s->n++] = id;
	return true;
}

/* FRESH: its id was checked for a first time already (a link's program, before opening). */
static void prog_fd_misses(int fd, struct scan *sc, bool fresh)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len) || (!fresh && !first_time(&sc->progs, info.id)))
		return;
	sc->kprobes |= info.type == BPF_PROG_TYPE_KPROBE;
	sc->m->progs += info.recursion_misses; /* 0 where the kernel's info is older */
}

static uint64_t u64_at(const uint64_t *info, size_t at)
{
	return info[at / sizeof(*info)];
}

static uint32_t u32_at(const uint64_t *info, size_t at)
{
	uint32_t v;

	memcpy(&v, (const char *)info + at, sizeof(v));
	return v;
}

/* The calls a kprobe-multi or kprobe link's probe skipped, where the kernel counts them. */
static uint64_t link_missed(const uint64_t *info, uint32_t len)
{
	uint32_t type = u32_at(info, 0), perf;

	if (len < LINK_INFO_MISSED)
		return 0;
	if (type == LINK_KPROBE_MULTI)
		return u64_at(info, AT_KMULTI_MISSED);
	perf = u32_at(info, AT_PERF_TYPE);
	if (type == LINK_PERF_EVENT && (perf == PERF_EVENT_KPROBE || perf == PERF_EVENT_KRETPROBE))
		return u64_at(info, AT_PERF_MISSED);
	return 0;
}

/*
 * FD's link info in INFO (32 words, zeroed past the kernel's size, as it checks); the
 * kernel's size of it, 0 on failure.
 */
static uint32_t link_info(int fd, uint64_t *info)
{
	uint32_t len = 32 * sizeof(*info);

	memset(info, 0, len);
	return bpf_obj_get_info_by_fd(fd, info, &len) ? 0 : len;
}

/* A link's program too: most are attached through links, whose program fd may be closed. */
static void link_fd_misses(int fd, struct scan *sc)
{
	uint64_t info[32];
	uint32_t len = link_info(fd, info); /* the ids are at 4 and 8 */
	int pfd;

	if (len < 12 || !first_time(&sc->links, u32_at(info, 4)))
		return;
	sc->counts_all |= len >= LINK_INFO_MISSED;
	sc->m->links += link_missed(info, len);
	/* kprobes have a link each, most to one of a few programs */
	if (!u32_at(info, 8) || !first_time(&sc->progs, u32_at(info, 8)))
		return;
	pfd = bpf_prog_get_fd_by_id(u32_at(info, 8));
	if (pfd < 0)
		return;
	prog_fd_misses(pfd, sc, true);
	close(pfd);
}

/* kprobes attached without their link, since the start: they stay so until detached */
static uint32_t unlinked;

void prog_misses_unlinked(void)
{
	__atomic_fetch_add(&unlinked, 1, __ATOMIC_RELAXED);
}

const char *prog_misses_why(const struct prog_misses *m)
{
	if (m->uncounting)
		return "this kernel counts no skip of a kprobe program (Linux 6.7 and later do)";
	if (m->unlinked)
		return "kprobes attached without a BPF link (no file descriptor left for it), and "
		       "the kernel counts a kprobe's skips in its link only";
	return NULL;
}

bool link_info_has_missed(int link_fd)
{
	uint64_t info[32];

	return link_info(link_fd, info) >= LINK_INFO_MISSED;
}

/*
 * Every backend keeps its programs or their links open while they are attached: the
 * process's descriptors name them all, whichever backend made them. Before 6.7 no skip of
 * a kprobe program is counted, and a kernel without perf links (5.10) attaches kprobes
 * without one: no link in 6.7's layout then means a partial count; so does a kprobe
 * attached without its link on a kernel that has them (prog_misses_unlinked()).
 */
void prog_misses(struct prog_misses *m)
{
	struct scan sc = {.m = m};
	char target[64];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	ssize_t len;
	int fd;

	*m = (struct prog_misses){0};
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		fd = atoi(d->d_name);
		if (d->d_name[0] == '.' || fd == dirfd(dir))
			continue;
		len = readlinkat(dirfd(dir), d->d_name, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (!strcmp(target, "anon_inode:bpf-prog"))
			prog_fd_misses(fd, &sc, false);
		else if (!strcmp(target, "anon_inode:bpf_link"))
			link_fd_misses(fd, &sc);
	}
	closedir(dir);
	free(sc.progs.ids);
	free(sc.links.ids);
	m->unlinked = __atomic_load_n(&unlinked, __ATOMIC_RELAXED);
	m->uncounting = sc.kprobes && !sc.counts_all;
	m->partial = m->uncounting || m->unlinked;
}
