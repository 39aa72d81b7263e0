// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "expr_gen.h"
#include "fuzz_input.h"

#define EXPR_BYTES_MAX 32

struct reader {
	const unsigned char *data;
	size_t size, pos;
};

static unsigned int byte(struct reader *r)
{
	return r->pos < r->size ? r->data[r->pos++] : 0;
}

/* splitmix64: a fixed, portable stream of generator bytes for one pool slot. */
static void pool_bytes(unsigned long long seed, unsigned char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long long z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		out[i] = (z ^ (z >> 31)) & 0xff;
	}
}

static void from_pool(const unsigned char *p, size_t n, const struct fuzz_opts *o,
		      struct fuzz_case *c)
{
	unsigned char bytes[EXPR_BYTES_MAX];
	unsigned int h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	pool_bytes((unsigned long long)o->salt * o->pool + h % o->pool, bytes, sizeof(bytes));
	expr_gen(bytes, sizeof(bytes), o->const_shifts, c->expr, sizeof(c->expr));
}

static void decode_expr(struct reader *r, int from_corpus, const struct corpus *corpus,
			const struct fuzz_opts *o, struct fuzz_case *c)
{
	size_t n = byte(r) % EXPR_BYTES_MAX, avail = r->size - r->pos;
	const unsigned char *p = r->data + r->pos;

	if (n > avail)
		n = avail;
	r->pos += n;
	if (from_corpus && corpus && corpus->n) {
		unsigned int idx = (n > 0 ? p[0] << 8 : 0) | (n > 1 ? p[1] : 0);

		strncpy(c->expr, corpus->exprs[idx % corpus->n], sizeof(c->expr) - 1);
		return;
	}
	if (o && o->pool)
		from_pool(p, n, o, c);
	else
		expr_gen(p, n, o ? o->const_shifts : 0, c->expr, sizeof(c->expr));
}

/* Overwrites bytes of the packet; offsets stay in the first 512 bytes, where headers are. */
static void mutate(struct reader *r, struct fuzz_case *c)
{
	while (r->pos + 1 < r->size && c->caplen) {
		unsigned int off = byte(r);
		unsigned int val = byte(r);

		if (val & 1)
			off |= 0x100;
		c->pkt[off % c->caplen] = val;
	}
}

static void from_capture(struct reader *r, const struct capture_set *set, int truncate,
			 struct fuzz_case *c)
{
	unsigned int hi = byte(r), lo = byte(r);
	const struct capture_pkt *p = &set->pkts[c->link][(hi << 8 | lo) % set->count[c->link]];

	c->base = p;
	c->caplen = p->caplen < FUZZ_PKT_MAX ? p->caplen : FUZZ_PKT_MAX;
	c->wirelen = p->wirelen;
	memcpy(c->pkt, p->data, c->caplen);
	if (truncate) {
		unsigned int keep = byte(r);

		if (keep < c->caplen)
			c->caplen = keep;
	}
	mutate(r, c);
}

static void from_bytes(struct reader *r, unsigned int extra, struct fuzz_case *c)
{
	size_t n = r->size - r->pos;

	c->caplen = n < FUZZ_PKT_MAX ? n : FUZZ_PKT_MAX;
	memcpy(c->pkt, r->data + r->pos, c->caplen);
	r->pos += c->caplen;
	c->wirelen = c->caplen + extra * 64;
}

void fuzz_decode(const unsigned char *data, size_t size, const struct capture_set *set,
		 const struct corpus *corpus, const struct fuzz_opts *opts, struct fuzz_case *c)
{
	struct reader r = {data, size, 0};
	unsigned int flags = byte(&r), mode = flags >> 3 & 3;

	memset(c, 0, sizeof(*c));
	c->link = flags & 1 ? LINK_L3 : LINK_L2;
	decode_expr(&r, (flags >> 1 & 3) == 0, corpus, opts, c);
	if (mode == 3 || !set || !set->count[c->link])
		from_bytes(&r, flags >> 5, c);
	else
		from_capture(&r, set, mode == 2, c);
	if (c->wirelen < c->caplen)
		c->wirelen = c->caplen;
}
