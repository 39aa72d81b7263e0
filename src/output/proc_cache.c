// SPDX-License-Identifier: GPL-2.0
/*
 * Two generations of open-addressing tables: lookups fill the newer one; when it holds half
 * the bound, the older one is dropped and the newer one takes its place. An entry still in
 * use is found in the older one and moved forward, so a busy process is never looked up
 * twice, and memory never holds more than PROC_CACHE_MAX entries.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "src/output/proc_cache.h"

#define COMM_LEN  16
#define GEN_MAX	  (PROC_CACHE_MAX / 2) /* entries in one generation */
#define FIRST_CAP 256

struct slot {
	uint32_t pid;
	uint8_t used;
	char comm[COMM_LEN];
	char *exe; /* NULL: looked up, has none */
};

struct gen {
	struct slot *slots;
	size_t cap; /* a power of two, at least twice n */
	size_t n;
};

/*
 * The last answer, asked again and again under a flood: it spares the hash and the search.
 * Its exe stays valid: only a lookup that misses it can drop a generation, and that lookup
 * replaces it.
 */
struct last {
	uint32_t pid;
	bool used;
	char comm[COMM_LEN];
	const char *exe;
};

struct proc_cache {
	struct gen cur, old;
	struct last last;
	struct proc_cache_stats st;
};

static int gen_init(struct gen *g)
{
	g->slots = calloc(FIRST_CAP, sizeof(*g->slots));
	g->cap = FIRST_CAP;
	g->n = 0;
	return g->slots ? 0 : -1;
}

static void gen_free(struct gen *g)
{
	size_t i;

	for (i = 0; g->slots && i < g->cap; i++)
		free(g->slots[i].exe);
	free(g->slots);
	memset(g, 0, sizeof(*g));
}

struct proc_cache *proc_cache_new(void)
{
	struct proc_cache *pc = calloc(1, sizeof(*pc));

	if (pc && gen_init(&pc->cur)) {
		free(pc);
		return NULL;
	}
	return pc;
}

static size_t hash(uint32_t pid, const char *comm)
{
	uint32_t h = pid * 2654435761u;
	size_t i;

	for (i = 0; i < COMM_LEN && comm[i]; i++)
		h = (h ^ (uint8_t)comm[i]) * 16777619u;
	return h;
}

/* The slot holding (PID, COMM), or the empty one where it would go. */
static struct slot *find(const struct gen *g, uint32_t pid, const char *comm)
{
	size_t i = hash(pid, comm) & (g->cap - 1);

	while (g->slots[i].used &&
	       (g->slots[i].pid != pid || strncmp(g->slots[i].comm, comm, COMM_LEN)))
		i = (i + 1) & (g->cap - 1);
	return &g->slots[i];
}

static int grow(struct gen *g)
{
	struct gen ng = {.cap = g->cap * 2};
	size_t i;

	ng.slots = calloc(ng.cap, sizeof(*ng.slots));
	if (!ng.slots)
		return -1;
	for (i = 0; i < g->cap; i++)
		if (g->slots[i].used)
			*find(&ng, g->slots[i].pid, g->slots[i].comm) = g->slots[i];
	ng.n = g->n;
	free(g->slots);
	*g = ng;
	return 0;
}

/* Room for one more entry in the newer generation; -1 when memory is short. */
static int make_room(struct proc_cache *pc)
{
	struct gen fresh;

	if (pc->cur.n >= GEN_MAX) {
		if (gen_init(&fresh))
			return -1;
		gen_free(&pc->old);
		pc->old = pc->cur;
		pc->cur = fresh;
		pc->st.rotations++;
	}
	return 2 * (pc->cur.n + 1) > pc->cur.cap ? grow(&pc->cur) : 0;
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

static const char *remember(struct proc_cache *pc, uint32_t pid, const char *comm, const char *exe)
{
	pc->last = (struct last){.pid = pid, .used = true, .exe = exe};
	strncpy(pc->last.comm, comm, COMM_LEN);
	return exe;
}

static const char *lookup(struct proc_cache *pc, uint32_t pid, const char *comm)
{
	struct slot *s = find(&pc->cur, pid, comm), *o;
	char key[COMM_LEN] = "", *exe = NULL;
	int moved = 0;

	if (s->used)
		return s->exe;
	strncpy(key, comm, COMM_LEN);
	if (pc->old.slots) {
		o = find(&pc->old, pid, key);
		if (o->used) { /* moved forward: the older table is dropped as a whole */
			exe = o->exe;
			o->exe = NULL;
			moved = 1;
		}
	}
	if (!moved) {
		exe = read_exe(pid);
		pc->st.lookups++;
	}
	if (make_room(pc)) { /* out of memory: no answer rather than an unbounded one */
		free(exe);
		return NULL;
	}
	s = find(&pc->cur, pid, key);
	*s = (struct slot){.pid = pid, .used = 1, .exe = exe};
	memcpy(s->comm, key, COMM_LEN);
	pc->cur.n++;
	return exe;
}

/* strncmp(A, B, COMM_LEN) == 0, inline: it runs for every event */
static bool same_comm(const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < COMM_LEN && a[i] == b[i]; i++)
		if (!a[i])
			return true;
	return i == COMM_LEN;
}

const char *proc_cache_exe(struct proc_cache *pc, uint32_t pid, const char *comm)
{
	if (!comm)
		comm = "";
	if (pc->last.used && pc->last.pid == pid && same_comm(pc->last.comm, comm))
		return pc->last.exe;
	pc->last.used = false;
	return remember(pc, pid, comm, lookup(pc, pid, comm));
}

void proc_cache_stats(const struct proc_cache *pc, struct proc_cache_stats *st)
{
	*st = pc->st;
	st->entries = pc->cur.n + pc->old.n;
}

void proc_cache_free(struct proc_cache *pc)
{
	if (!pc)
		return;
	gen_free(&pc->cur);
	gen_free(&pc->old);
	free(pc);
}
