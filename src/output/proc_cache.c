// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "src/output/proc_cache.h"

struct slot {
	uint32_t pid;
	uint8_t used;
	char *exe; /* NULL: looked up, has none */
};

struct proc_cache {
	struct slot *slots;
	size_t cap; /* a power of two */
	size_t n;
};

struct proc_cache *proc_cache_new(void)
{
	struct proc_cache *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return NULL;
	pc->cap = 256;
	pc->slots = calloc(pc->cap, sizeof(*pc->slots));
	if (!pc->slots) {
		free(pc);
		return NULL;
	}
	return pc;
}

static struct slot *find(struct slot *slots, size_t cap, uint32_t pid)
{
	size_t i = (pid * 2654435761u) & (cap - 1);

	while (slots[i].used && slots[i].pid != pid)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct proc_cache *pc)
{
	size_t i, ncap = pc->cap * 2;
	struct slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -1;
	for (i = 0; i < pc->cap; i++)
		if (pc->slots[i].used)
			*find(ns, ncap, pc->slots[i].pid) = pc->slots[i];
	free(pc->slots);
	pc->slots = ns;
	pc->cap = ncap;
	return 0;
}

static char *read_exe(uint32_t pid)
{
	char path[32], target[PATH_MAX];
	ssize_t n;

	if (!pid) /* the idle task: /proc/0 does not exist */
		return NULL;
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	return strdup(target);
}

const char *proc_cache_exe(struct proc_cache *pc, uint32_t pid)
{
	struct slot *s = find(pc->slots, pc->cap, pid);

	if (s->used)
		return s->exe;
	if (2 * (pc->n + 1) > pc->cap) {
		if (grow(pc))
			return NULL;
		s = find(pc->slots, pc->cap, pid);
	}
	s->used = 1;
	s->pid = pid;
	s->exe = read_exe(pid);
	pc->n++;
	return s->exe;
}

void proc_cache_free(struct proc_cache *pc)
{
	size_t i;

	if (!pc)
		return;
	for (i = 0; i < pc->cap; i++)
		free(pc->slots[i].exe);
	free(pc->slots);
	free(pc);
}
