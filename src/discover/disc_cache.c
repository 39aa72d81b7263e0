// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "src/discover/boot_cache.h"
#include "src/discover/disc_cache.h"
#include "src/discover/traceable_cache.h"

#define COPY_NAME      "discovery"
#define COPY_KIND      'd'
#define COPY_MAX_BYTES (256u << 20)
/* bumped whenever the body's layout changes; a build's own identity is in CONFIG too */
#define LAYOUT "pwru discovery 1"

/* The body's first bytes: what it was made under, and a sum of the rest. */
struct disc_head {
	uint64_t config;
	uint64_t sum;
};

struct wbuf {
	unsigned char *p;
	size_t len, cap;
	bool bad;
};

struct rbuf {
	const unsigned char *p;
	size_t len, off;
	bool bad;
};

static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

/* Catches a copy cut short or damaged on disk; the folder is the caller's own. */
static uint64_t sum_of(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = mix(h, w);
	}
	for (; i < n; i++)
		h = mix(h, p[i]);
	return h;
}

uint64_t disc_cache_sum(const void *p, size_t n)
{
	return sum_of(p, n);
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = mix(h, (unsigned char)*s);
	return mix(h, 0x100);
}

static uint64_t mix_file(uint64_t h, const char *path)
{
	char id[128];

	boot_cache_file_id(path, id, sizeof(id));
	return mix_str(h, id);
}

uint64_t disc_cache_config(const char *exe, const char *btf, const char *flags)
{
	uint64_t h = mix_str(0, LAYOUT);

	h = mix_file(h, exe);
	h = btf ? mix_file(h, btf) : mix(h, 2);
	return mix_str(h, flags ? flags : "");
}

static void put(struct wbuf *w, const void *d, size_t n)
{
	size_t cap = w->cap ? w->cap : 1 << 16;
	unsigned char *np;

	if (w->bad)
		return;
	while (cap - w->len < n)
		cap *= 2;
	if (cap != w->cap) {
		np = realloc(w->p, cap);
		if (!np) {
			w->bad = true;
			return;
		}
		w->p = np;
		w->cap = cap;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

/* A string, or NULL (a length of all ones). */
static void put_str(struct wbuf *w, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;

	put(w, &n, sizeof(n));
	if (s)
		put(w, s, n);
}

static void put_entry(struct wbuf *w, const struct func_entry *f)
{
	/* the return-value marks are made at every start, from the environment (mark_retval) */
	uint8_t flags = f->flags & ~(FUNC_WANT_RET | FUNC_NF_HOOK);
	uint8_t small[5] = {f->pos, f->nslots, flags, f->dropped, f->addrs != NULL};

	put_str(w, f->name);
	put_str(w, f->module);
	put(w, &f->btf_id, sizeof(f->btf_id));
	put(w, &f->naddrs, sizeof(f->naddrs));
	put(w, small, sizeof(small));
	if (f->addrs)
		put(w, f->addrs, f->naddrs * sizeof(uint64_t));
}

static void put_set(struct wbuf *w, const struct funcset *fs)
{
	size_t i;

	put_u64(w, fs->n);
	put_u64(w, fs->ndropped);
	put_u64(w, fs->btf_matches);
	put_u64(w, fs->in_modules);
	put_u64(w, fs->no_symbol);
	put_u64(w, fs->ambiguous);
	for (i = 0; i < fs->n; i++)
		put_entry(w, &fs->funcs[i]);
	for (i = 0; i < fs->ndropped; i++)
		put_entry(w, &fs->dropped[i]);
}

static size_t copy_str(char *at, const char *s, size_t room)
{
	size_t n = strnlen(s, room + 1);

	if (n > room)
		return SIZE_MAX;
	memcpy(at, s, n);
	return n;
}

/*
 * kallsyms' own line format, which kallsyms_parse reads back. Made by hand: a cold start
 * writes 100,000 of them, and snprintf was a twentieth of its instructions.
 */
static int put_ksym(const struct ksym *s, void *arg)
{
	static const char hex[] = "0123456789abcdef";
	char line[512];
	size_t n = 19, k;
	int i;

	for (i = 0; i < 16; i++)
		line[i] = hex[(s->addr >> (60 - 4 * i)) & 0xf];
	line[16] = ' ';
	line[17] = s->type;
	line[18] = ' ';
	k = copy_str(line + n, s->name, sizeof(line) - n - 1);
	if (k == SIZE_MAX)
		return -1;
	n += k;
	if (s->module) {
		if (n + 4 > sizeof(line))
			return -1;
		line[n++] = '\t';
		line[n++] = '[';
		k = copy_str(line + n, s->module, sizeof(line) - n - 2);
		if (k == SIZE_MAX)
			return -1;
		n += k;
		line[n++] = ']';
	}
	line[n++] = '\n';
	put(arg, line, n);
	return 0;
}

static void put_ksyms(struct wbuf *w, const struct kallsyms *ks)
{
	struct wbuf text = {0};

	if (kallsyms_each(ks, put_ksym, &text))
		text.bad = true;
	w->bad |= text.bad;
	put_u64(w, text.len);
	if (text.len)
		put(w, text.p, text.len);
	free(text.p);
}

/* The source without the ", kept in ROOT/run/pwru" a read of its own copy added. */
static void put_source(struct wbuf *w, const char *source, const char *root)
{
	char kept[300];
	size_t n = strlen(source), k;

	snprintf(kept, sizeof(kept), ", kept in %s/run/pwru", root);
	k = strlen(kept);
	if (n >= k && !strcmp(source + n - k, kept))
		n -= k;
	put(w, &(uint32_t){(uint32_t)n}, sizeof(uint32_t));
	put(w, source, n);
}

/* Sorted NUL-ended names, after their length in bytes. */
static void put_names(struct wbuf *w, const struct traceable *t)
{
	uint64_t bytes = 0;
	size_t i;

	for (i = 0; i < t->nftrace_names; i++)
		bytes += strlen(t->ftrace_names[i]) + 1;
	put_u64(w, bytes);
	for (i = 0; i < t->nftrace_names; i++)
		put(w, t->ftrace_names[i], strlen(t->ftrace_names[i]) + 1);
}

/* As traceable_cache_take reads it: kind, count, length, body. */
static void put_traceable(struct wbuf *w, const struct traceable *t, const char *root)
{
	put_source(w, t->ftrace_source, root);
	put_str(w, t->ftrace_why);
	put_u64(w, t->nftrace_ips ? TRACEABLE_ADDRS : t->nftrace_names ? TRACEABLE_NAMES : 0);
	put_u64(w, t->nftrace_ips ? t->nftrace_ips : t->nftrace_names);
	if (t->nftrace_ips) {
		put_u64(w, t->nftrace_ips * sizeof(uint64_t));
		put(w, t->ftrace_ips, t->nftrace_ips * sizeof(uint64_t));
	} else if (t->nftrace_names) {
		put_names(w, t);
	} else {
		put_u64(w, 0);
	}
	/* the kprobe blacklist: debugfs formats it with a symbol lookup a line */
	put_u64(w, t->nblacklist);
	if (t->nblacklist)
		put(w, t->blacklist, t->nblacklist * sizeof(*t->blacklist));
}

void disc_cache_write(const char *root, uint64_t config, const struct disc_view *v,
		      const struct boot_key *key)
{
	struct wbuf w = {0};
	struct disc_head head = {.config = config};
	struct boot_copy c = {.kind = COPY_KIND, .count = (uint32_t)v->fs->n};
	size_t i;

	put(&w, &head, sizeof(head));
	for (i = 0; i < 3; i++)
		put_u64(&w, *v->kmods[i]);
	put_set(&w, v->fs);
	put_set(&w, v->tps);
	put_ksyms(&w, *v->ksyms);
	put_traceable(&w, v->tr, root);
	if (w.bad || w.len > COPY_MAX_BYTES) {
		free(w.p);
		return;
	}
	head.sum = sum_of(w.p + sizeof(head), w.len - sizeof(head));
	memcpy(w.p, &head, sizeof(head));
	snprintf(c.source, sizeof(c.source), "discovery");
	boot_cache_put(root, COPY_NAME, key, &c, w.p, w.len);
	free(w.p);
}

static void get(struct rbuf *r, void *d, size_t n)
{
	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		memset(d, 0, n);
		return;
	}
	memcpy(d, r->p + r->off, n);
	r->off += n;
}

static uint64_t get_u64(struct rbuf *r)
{
	uint64_t v;

	get(r, &v, sizeof(v));
	return v;
}

/* N items of at least SIZE bytes each still fit in what is left. */
static bool fits(struct rbuf *r, uint64_t n, size_t size)
{
	if (!r->bad && n <= (r->len - r->off) / size)
		return true;
	r->bad = true;
	return false;
}

/* A string of its own (NULL for none), or NULL with R bad. */
static char *get_str(struct rbuf *r)
{
	uint32_t n;
	char *s;

	get(r, &n, sizeof(n));
	if (r->bad || n == UINT32_MAX || !fits(r, n, 1))
		return NULL;
	s = malloc(n + 1);
	if (!s) {
		r->bad = true;
		return NULL;
	}
	get(r, s, n);
	s[n] = '\0';
	return s;
}

static void get_entry(struct rbuf *r, struct func_entry *f)
{
	uint8_t small[5];

	f->name = get_str(r);
	f->module = get_str(r);
	get(r, &f->btf_id, sizeof(f->btf_id));
	get(r, &f->naddrs, sizeof(f->naddrs));
	get(r, small, sizeof(small));
	f->pos = small[0];
	f->nslots = small[1];
	f->flags = small[2];
	f->dropped = small[3];
	/* what the backends index by (the skb's slot) or walk (the addresses) is checked */
	if (!f->name || f->pos > FUNCSET_MAX_POS || (!small[4] && f->naddrs))
		r->bad = true;
	if (r->bad || !small[4] || !fits(r, f->naddrs, sizeof(uint64_t)))
		return;
	f->addrs = calloc(f->naddrs ? f->naddrs : 1, sizeof(uint64_t));
	if (!f->addrs)
		r->bad = true;
	else
		get(r, f->addrs, f->naddrs * sizeof(uint64_t));
}

/* Entries are counted in FS as they are read, so funcset_free frees what was. */
static void get_set(struct rbuf *r, struct funcset *fs)
{
	uint64_t n = get_u64(r), ndropped = get_u64(r);

	fs->btf_matches = get_u64(r);
	fs->in_modules = get_u64(r);
	fs->no_symbol = get_u64(r);
	fs->ambiguous = get_u64(r);
	/* an entry takes at least 21 bytes: no count can ask for more than the body holds */
	if (!fits(r, n + ndropped, 21))
		return;
	fs->funcs = calloc(n ? n : 1, sizeof(*fs->funcs));
	fs->dropped = calloc(ndropped ? ndropped : 1, sizeof(*fs->dropped));
	if (!fs->funcs || !fs->dropped) {
		r->bad = true;
		return;
	}
	while (!r->bad && fs->n < n)
		get_entry(r, &fs->funcs[fs->n++]);
	while (!r->bad && fs->ndropped < ndropped)
		get_entry(r, &fs->dropped[fs->ndropped++]);
}

static void get_ksyms(struct rbuf *r, struct kallsyms **ks)
{
	uint64_t n = get_u64(r);

	if (!fits(r, n, 1) || kallsyms_parse((const char *)r->p + r->off, n, ks))
		r->bad = true;
	else
		r->off += n;
}

static void get_traceable(struct rbuf *r, struct traceable *t, const char *root)
{
	char *source = get_str(r), *why = get_str(r);
	struct boot_copy c = {.kind = (uint32_t)get_u64(r), .count = (uint32_t)get_u64(r)};
	char *body;

	c.bytes = get_u64(r);
	if (!r->bad && source && *source)
		snprintf(t->ftrace_source, sizeof(t->ftrace_source), "%.100s, kept in %s/run/pwru",
			 source, root);
	if (why)
		snprintf(t->ftrace_why, sizeof(t->ftrace_why), "%s", why);
	free(source);
	free(why);
	if (c.kind && fits(r, c.bytes, 1)) {
		body = malloc(c.bytes ? c.bytes : 1);
		if (body)
			get(r, body, c.bytes);
		if (!body || r->bad || traceable_cache_take(t, &c, body)) {
			free(body);
			r->bad = true;
		}
	}
	t->nblacklist = get_u64(r);
	if (!t->nblacklist || !fits(r, t->nblacklist, sizeof(*t->blacklist)))
		return;
	t->blacklist = malloc(t->nblacklist * sizeof(*t->blacklist));
	if (t->blacklist)
		get(r, t->blacklist, t->nblacklist * sizeof(*t->blacklist));
	else
		r->bad = true;
}

static void drop_view(const struct disc_view *v)
{
	funcset_free(v->fs);
	funcset_free(v->tps);
	kallsyms_free(*v->ksyms);
	*v->ksyms = NULL;
	traceable_free(v->tr);
	*v->kmods[0] = *v->kmods[1] = *v->kmods[2] = 0;
}

/* BODY, whole and checked, into V; false when anything in it disagrees. */
static bool take(const unsigned char *body, size_t len, const char *root, const struct disc_view *v)
{
	struct rbuf r = {.p = body, .len = len, .off = sizeof(struct disc_head)};
	size_t i;

	for (i = 0; i < 3; i++)
		*v->kmods[i] = get_u64(&r);
	get_set(&r, v->fs);
	get_set(&r, v->tps);
	get_ksyms(&r, v->ksyms);
	get_traceable(&r, v->tr, root);
	if (!r.bad && r.off == r.len && *v->ksyms)
		return true;
	drop_view(v);
	return false;
}

bool disc_cache_read(const char *root, uint64_t config, const struct disc_view *v,
		     struct boot_key *key)
{
	struct disc_head head;
	size_t len;
	unsigned char *body = boot_cache_get(root, COPY_NAME, key, COPY_KIND, COPY_MAX_BYTES, &len);
	bool ok = false;

	if (body && len >= sizeof(head)) {
		memcpy(&head, body, sizeof(head));
		ok = head.config == config &&
		     head.sum == sum_of(body + sizeof(head), len - sizeof(head)) &&
		     take(body, len, root, v);
	}
	free(body);
	return ok;
}
