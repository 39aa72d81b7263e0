// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "src/probe/prog_misses.h"

struct seen {
	uint32_t *ids;
	size_t n, cap;
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

static uint64_t prog_fd_misses(int fd, struct seen *s)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !first_time(s, info.id))
		return 0;
	return info.recursion_misses; /* 0 where the kernel's info is older than the field */
}

/* A link's program: most are attached through links, whose program fd may be closed. */
static uint64_t link_fd_misses(int fd, struct seen *s)
{
	struct bpf_link_info info = {0};
	uint32_t len = sizeof(info);
	uint64_t n;
	int pfd;

	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.prog_id)
		return 0;
	pfd = bpf_prog_get_fd_by_id(info.prog_id);
	if (pfd < 0)
		return 0;
	n = prog_fd_misses(pfd, s);
	close(pfd);
	return n;
}

/*
 * Every backend keeps its programs or their links open while they are attached: the
 * process's descriptors name them all, whichever backend made them.
 */
uint64_t prog_misses(void)
{
	char target[64];
	struct seen s = {0};
	uint64_t total = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	ssize_t len;
	int fd;

	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		fd = atoi(d->d_name);
		if (d->d_name[0] == '.' || fd == dirfd(dir))
			continue;
		len = readlinkat(dirfd(dir), d->d_name, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (!strcmp(target, "anon_inode:bpf-prog"))
			total += prog_fd_misses(fd, &s);
		else if (!strcmp(target, "anon_inode:bpf_link"))
			total += link_fd_misses(fd, &s);
	}
	closedir(dir);
	free(s.ids);
	return total;
}
