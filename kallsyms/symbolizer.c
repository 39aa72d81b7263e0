// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kallsyms/kmodules.h"
#include "kallsyms/symbolizer.h"

/* Enough for every return address a busy trace shows; beyond it the cache starts over. */
#define DEFAULT_CAP 65536
/* Lookups one use may make past CAP before its trim: a stack and then some. */
#define USE_HEADROOM 256

/* Replaced tables stay alive until the next trim: frames of the current use point into them. */
#define MAX_STALE 8

struct reload {
	const char *kallsyms, *modules; /* NULL: the /proc files */
	uint64_t interval_ns, last_ns;
	int enabled, flush;
	struct kallsyms *own; /* the table loaded last, when one was */
	struct kallsyms *stale[MAX_STALE];
	size_t nstale;
};

struct symbolizer {
	const struct kallsyms *ks;
	struct reload rl;
	unsigned gen; /* bumped by each reload: a frame of an older one is resolved again */
	struct ksrc *src;
	struct sym_frame *frames; /* open addressing, 2 * cap slots; addr 0 is empty */
	size_t cap, slots, used;
	struct sym_stats st;
	/* address 0 marks an empty slot: never cached; nor anything once every slot is taken */
	struct sym_frame scratch;
};

static size_t pow2_at_least(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

struct symbolizer *symbolizer_new(const struct kallsyms *ks, struct ksrc *src, size_t cap)
{
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ks = ks;
	s->src = src;
	s->cap = cap ? cap : DEFAULT_CAP;
	s->slots = pow2_at_least(2 * (s->cap + USE_HEADROOM));
	s->frames = calloc(s->slots, sizeof(*s->frames));
	if (!s->frames) {
		free(s);
		return NULL;
	}
	return s;
}

void symbolizer_free(struct symbolizer *s)
{
	if (!s)
		return;
	ksrc_free(s->src);
	free(s->frames);
	while (s->rl.nstale)
		kallsyms_free(s->rl.stale[--s->rl.nstale]);
	kallsyms_free(s->rl.own);
	free(s);
}

int symbolizer_has_lines(const struct symbolizer *s)
{
	return s->src != NULL;
}

static size_t slot_of(const struct symbolizer *s, uint64_t addr, int ret)
{
	uint64_t h = (addr ^ (uint64_t)ret) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (s->slots - 1);
}

void symbolizer_enable_reload(struct symbolizer *s, const char *kallsyms_path,
			      const char *modules_path, unsigned interval_ms)
{
	s->rl.kallsyms = kallsyms_path;
	s->rl.modules = modules_path;
	s->rl.interval_ns = (uint64_t)interval_ms * 1000000;
	s->rl.enabled = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static int keep_all(const char *name, size_t len, const char *module, void *arg)
{
	(void)name, (void)len, (void)module, (void)arg;
	return 1;
}

/*
 * Code that appeared after the table was read (a module loaded, a BPF program) is unknown
 * to it: read the files again, at most once an interval, and only on a miss.
 */
static int reload(struct symbolizer *s, uint64_t addr)
{
	struct kallsyms_filter flt = {.types = "tTwW", .keep = keep_all};
	struct reload *rl = &s->rl;
	struct kallsyms *ks = NULL;
	struct kmodules *m = NULL;
	uint64_t now;

	if (!rl->enabled || !(addr >> 63) || rl->nstale == MAX_STALE)
		return 0;
	now = now_ns();
	if (rl->last_ns && now - rl->last_ns < rl->interval_ns)
		return 0;
	rl->last_ns = now ? now : 1;
	if (kallsyms_load_filtered(rl->kallsyms, &flt, &ks))
		return 0;
	if (!kmodules_load(rl->modules, &m))
		kallsyms_set_modules(ks, m);
	if (rl->own)
		rl->stale[rl->nstale++] = rl->own;
	rl->own = ks;
	s->ks = ks;
	s->gen++;
	rl->flush = 1;
	return 1;
}

static void resolve(struct symbolizer *s, struct sym_frame *f)
{
	uint64_t at = f->ret ? f->addr - 1 : f->addr;

	int miss = kallsyms_locate(s->ks, f->addr, &f->pos);

	if (miss && reload(s, f->addr))
		miss = kallsyms_locate(s->ks, f->addr, &f->pos);
	f->gen = s->gen;
	if (miss)
		return;
	if (s->src)
		f->nsrc = ksrc_lookup(s->src, at, f->pos.sym->module, f->src, SYM_MAX_INLINE);
}

const struct sym_frame *symbolizer_lookup(struct symbolizer *s, uint64_t addr, int ret)
{
	size_t i = slot_of(s, addr, ret);
	struct sym_frame *f;

	s->st.lookups++;
	ret = !!ret;
	if (!addr) {
		s->scratch = (struct sym_frame){.ret = ret};
		return &s->scratch;
	}
	for (; s->frames[i].addr; i = (i + 1) & (s->slots - 1))
		if (s->frames[i].addr == addr && s->frames[i].ret == ret) {
			f = &s->frames[i];
			s->st.hits++;
			/* from a table replaced since, or unknown then: look again */
			if (f->gen != s->gen || (!f->pos.sym && s->rl.enabled)) {
				*f = (struct sym_frame){.addr = addr, .ret = ret};
				resolve(s, f);
			}
			return f;
		}
	if (s->used + 1 >= s->slots) {
		/* Untrimmed and full: resolved, not kept. */
		f = &s->scratch;
		*f = (struct sym_frame){.addr = addr, .ret = ret};
		resolve(s, f);
		return f;
	}
	f = &s->frames[i];
	*f = (struct sym_frame){.addr = addr, .ret = ret};
	resolve(s, f);
	s->used++;
	return f;
}

void symbolizer_trim(struct symbolizer *s)
{
	if (s->used < s->cap && !s->rl.flush)
		return;
	/* no frame points into a replaced table any more */
	while (s->rl.nstale)
		kallsyms_free(s->rl.stale[--s->rl.nstale]);
	s->rl.flush = 0;
	memset(s->frames, 0, s->slots * sizeof(*s->frames));
	s->used = 0;
	s->st.resets++;
}

void symbolizer_stats(const struct symbolizer *s, struct sym_stats *st)
{
	*st = s->st;
	st->entries = s->used;
}

static size_t clamp(int n, size_t len)
{
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

size_t sym_format_pos(const struct sym_frame *f, char *buf, size_t len)
{
	return kallsyms_snprint(buf, len, f->addr, f->pos.sym ? &f->pos : NULL);
}

size_t sym_format_line(const struct sym_frame *f, char *buf, size_t len)
{
	const struct ksrc_frame *fn = f->nsrc ? &f->src[f->nsrc - 1] : NULL;

	if (!fn || !fn->file) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	return clamp(snprintf(buf, len, "%s:%u", fn->file, fn->line), len);
}

size_t sym_format(const struct sym_frame *f, char *buf, size_t len)
{
	size_t n = sym_format_pos(f, buf, len);

	if (n + 4 >= len || !f->nsrc || !f->src[f->nsrc - 1].file)
		return n;
	buf[n++] = ' ';
	buf[n++] = '(';
	n += sym_format_line(f, buf + n, len - n - 1);
	buf[n++] = ')';
	buf[n] = '\0';
	return n;
}
