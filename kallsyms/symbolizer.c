// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms/symbolizer.h"

/* Enough for every return address a busy trace shows; beyond it the cache starts over. */
#define DEFAULT_CAP 65536
/* Lookups one use may make past CAP before its trim: a stack and then some. */
#define USE_HEADROOM 256

struct symbolizer {
	const struct kallsyms *ks;
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

static void resolve(struct symbolizer *s, struct sym_frame *f)
{
	uint64_t at = f->ret ? f->addr - 1 : f->addr;

	if (kallsyms_locate(s->ks, f->addr, &f->pos))
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
			s->st.hits++;
			return &s->frames[i];
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
	if (s->used < s->cap)
		return;
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
