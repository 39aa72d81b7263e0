// SPDX-License-Identifier: GPL-2.0
/* cilium/pwru's default text layout, byte for byte: one line per event under one header. */
#include <stdlib.h>
#include <string.h>
#include "src/output/bpfmap_text.h"
#include "src/output/cilium.h"
#include "src/output/fmt.h"
#include "src/output/frag.h"
#include "src/output/sink.h"
#include "src/output/stack_text.h"
#include "src/output/tuple_text.h"

#define COL_WIDTH 16 /* PROCESS and IFACE; NETNS NAME's is --netns-names-max-length */
/* A line, --output-skb's dumps, a stack of 64 frames with their inlined functions, a map's. */
#define LINE_MAX_ (64 * 1024 + 2 * PWRU_DUMP_LEN + BPFMAP_TEXT_MAX)

struct text_state {
	int tuple_width;  /* the longest tuple printed so far: columns only ever widen */
	int func_width;	  /* with CALLER: the longest FUNC so far, as pwru pads it */
	struct frag meta; /* NETNS to LEN, and what they were made of */
	struct frag_meta_key meta_key;
	char line[LINE_MAX_];
};

/* S left-aligned in WIDTH columns (longer: as is). */
static void pad_right(struct fmt *f, const char *s, size_t n, size_t width)
{
	fmt_mem(f, s, n);
	if (n < width)
		fmt_pad(f, width - n);
}

/* Longer than the column (WIDTH): keep the tail, mark the cut with '~'. Left-aligned. */
static void put_tail(struct fmt *f, const char *s, size_t n, size_t width)
{
	if (n <= width) {
		pad_right(f, s, n, width);
		return;
	}
	fmt_char(f, '~');
	fmt_mem(f, s + n - width + 1, width - 1);
}

/* Centred in the column, cut like put_tail. */
static void put_centred(struct fmt *f, const char *s, size_t n, size_t width)
{
	size_t left;

	if (n > width) {
		put_tail(f, s, n, width);
		return;
	}
	left = (width - n) / 2;
	fmt_pad(f, left);
	pad_right(f, s, n, width - left);
}

static void put_u64(struct fmt *f, uint64_t v, size_t width)
{
	char *start = f->p;

	fmt_u64(f, v);
	fmt_pad_to(f, start, width);
}

/* pwru's floor for --netns-names-max-length; 0 (not set) is the floor too. */
static size_t netns_width(const struct sink_opts *so)
{
	return so->netns_width > 10 ? (size_t)so->netns_width : 10;
}

static void header(struct sink *o, struct fmt *f)
{
	const struct sink_opts *so = o->opts;

	if (so->ts == TS_ABSOLUTE)
		pad_right(f, "TIME", 4, 24);
	fmt_str(f, "SKB                CPU PROCESS         ");
	if (so->ts == TS_CURRENT || so->ts == TS_RELATIVE)
		fmt_str(f, " TIMESTAMP       ");
	if (so->meta) {
		fmt_str(f, " NETNS      MARK/x   ");
		put_centred(f, "IFACE", 5, COL_WIDTH);
		fmt_str(f, " PROTO  MTU   LEN  ");
		if (so->cb)
			pad_right(f, " __sk_buff->cb[]", 16, 57);
	}
	if (so->netns_names) {
		fmt_char(f, ' ');
		put_centred(f, "NETNS NAME", 10, netns_width(so));
	}
	if (so->tuple)
		fmt_str(f, " TUPLE");
	fmt_str(f, so->caller ? " FUNC CALLER" : " FUNC");
	if (so->tunnel)
		fmt_str(f, " TUNNEL");
	fmt_char(f, '\n');
}

static int text_open(struct sink *o)
{
	struct text_state *st = calloc(1, sizeof(*st));
	struct fmt f;

	if (!st)
		return -1;
	o->priv = st;
	f = (struct fmt){st->line, st->line + sizeof(st->line)};
	header(o, &f);
	fwrite(st->line, 1, (size_t)(f.p - st->line), o->out);
	return fflush(o->out) ? -1 : 0;
}

/* "name:index" centred in its column. */
static void put_iface(struct fmt *f, const struct pwru_event *ev)
{
	char iface[PWRU_IFNAMSIZ + 16];
	struct fmt i_f = {iface, iface + sizeof(iface)};
	size_t n = strnlen(ev->ifname, PWRU_IFNAMSIZ);

	if (n) {
		char name[PWRU_IFNAMSIZ + 1];

		memcpy(name, ev->ifname, n);
		name[n] = '\0';
		record_printable(name); /* the kernel refuses only '/', ':', spaces */
		fmt_mem(&i_f, name, n);
		fmt_char(&i_f, ':');
	}
	fmt_u64(&i_f, ev->ifindex);
	put_centred(f, iface, (size_t)(i_f.p - iface), COL_WIDTH);
}

static void format_meta(struct fmt *f, const struct pwru_event *ev)
{
	static const char digits[] = "0123456789abcdef";
	char *start;
	int i;

	fmt_char(f, ' ');
	put_u64(f, ev->netns, 10);
	fmt_char(f, ' ');
	start = f->p;
	fmt_hex(f, ev->mark);
	fmt_pad_to(f, start, 8);
	fmt_char(f, ' ');
	put_iface(f, ev);
	fmt_lit(f, " 0x");
	for (i = 12; i >= 0; i -= 4)
		fmt_char(f, digits[(ev->protocol >> i) & 15]);
	fmt_char(f, ' ');
	put_u64(f, ev->mtu, 5);
	fmt_char(f, ' ');
	put_u64(f, ev->len, 5);
}

/* NETNS to LEN, made again only when one of them changed: along a path they repeat. */
static void put_meta(struct fmt *f, struct text_state *st, const struct pwru_record *r, bool cb)
{
	char *start = f->p;

	if (!frag_meta_same(&st->meta_key, r->ev) || !frag_put(&st->meta, f)) {
		format_meta(f, r->ev);
		frag_keep(&st->meta, f, start);
		frag_meta_set(&st->meta_key, r->ev);
	}
	if (cb) {
		char c[64];
		uint32_t v[5] = {0};

		if (r->cb)
			memcpy(v, r->cb, sizeof(v));
		snprintf(c, sizeof(c), "[0x%08X,0x%08X,0x%08X,0x%08X,0x%08X]", v[0], v[1], v[2],
			 v[3], v[4]);
		fmt_char(f, ' ');
		pad_right(f, c, strlen(c), 56);
	}
}

static void put_tuple(struct fmt *f, struct text_state *st, const struct pwru_record *r, bool flags)
{
	char tuple[TUPLE_TEXT_MAX + 48];
	const char *t = r->tuple_str;
	size_t w = r->tuple_len;

	if (flags && r->ev->tuple.l4_proto == 6 && r->ev->tuple.l3_proto &&
	    r->ev->tuple.tcp_flags) {
		memcpy(tuple, r->tuple_str, w);
		tuple[w - 1] = ':';
		w += tcp_flags_text(r->ev->tuple.tcp_flags, tuple + w, sizeof(tuple) - w - 1);
		tuple[w++] = ')';
		t = tuple;
	}
	if ((int)w > st->tuple_width)
		st->tuple_width = (int)w;
	fmt_char(f, ' ');
	pad_right(f, t, w, (size_t)st->tuple_width);
}

static void put_time(struct fmt *f, const struct sink_opts *so, const struct pwru_record *r)
{
	char t[40];
	size_t n;

	if (so->ts == TS_ABSOLUTE) {
		n = wall_clock_text(r->wall_ns, t, sizeof(t));
		pad_right(f, t, n, 23);
		fmt_char(f, ' ');
	}
}

/* " mark=IDENTITY,identity=2(world)": one token, as pwru's " name=value" metadata. */
static void put_cilium_mark(struct fmt *f, uint32_t mark)
{
	char m[96];
	size_t n = cilium_mark_token(mark, m, sizeof(m));

	if (!n)
		return;
	fmt_char(f, ' ');
	fmt_mem(f, m, n);
}

/*
 * FUNC with its source line and Cilium's mark; with --output-caller, padded, then the
 * caller.
 */
static void put_func(struct fmt *f, struct text_state *st, const struct sink_opts *so,
		     const struct pwru_record *r)
{
	char *start = f->p;

	fmt_mem(f, r->func_text, r->func_len);
	f->p += stack_text_func_line(r, f->p, (size_t)(f->end - f->p) + 1);
	if (so->cilium)
		put_cilium_mark(f, r->ev->mark);
	if (!so->caller)
		return;
	if (f->p - start > st->func_width)
		st->func_width = (int)(f->p - start);
	fmt_pad_to(f, start, (size_t)st->func_width);
	fmt_char(f, ' ');
	f->p += stack_text_caller(r, f->p, (size_t)(f->end - f->p) + 1);
}

/* " skb->hash=2911", as cilium/pwru's " name=value"; a pointer in hex */
static void put_metadata(struct fmt *f, const struct metadata_opts *m, const uint64_t *v)
{
	for (int i = 0; v && i < m->n; i++) {
		fmt_char(f, ' ');
		fmt_str(f, m->names[i]);
		fmt_char(f, '=');
		fmt_metadata_value(f, m->kind[i], v[i], "");
	}
}

static int text_record(struct sink *o, const struct pwru_record *r)
{
	const struct sink_opts *so = o->opts;
	struct text_state *st = o->priv;
	struct fmt f = {st->line, st->line + sizeof(st->line) - 1};
	char *start;
	size_t n;

	put_time(&f, so, r);
	fmt_lit(&f, "0x");
	start = f.p;
	fmt_hex(&f, r->ev->skb);
	fmt_pad_to(&f, start, 16);
	fmt_char(&f, ' ');
	put_u64(&f, r->ev->cpu, 3);
	fmt_char(&f, ' ');
	put_tail(&f, r->proc_text, r->proc_len, COL_WIDTH);
	if (so->ts == TS_CURRENT || so->ts == TS_RELATIVE) {
		fmt_char(&f, ' ');
		put_u64(&f, so->ts == TS_CURRENT ? r->ev->ts : r->since_prev, 16);
	}
	if (so->meta)
		put_meta(&f, st, r, so->cb);
	if (so->netns_names) {
		fmt_char(&f, ' ');
		put_centred(&f, r->netns_name, strlen(r->netns_name), netns_width(so));
	}
	if (so->tuple)
		put_tuple(&f, st, r, so->tcp_flags);
	fmt_char(&f, ' ');
	put_func(&f, st, so, r);
	put_metadata(&f, &so->metadata, r->metadata);
	put_metadata(&f, &so->xdp_metadata, r->xdp_metadata);
	if (so->tunnel) {
		/* as cilium/pwru: a packet without a tunnel shows an empty tuple */
		static const struct pwru_tuple none;
		char t[TUPLE_TEXT_MAX];

		fmt_char(&f, ' ');
		fmt_mem(&f, t, tuple_text(r->tunnel ? r->tunnel : &none, t, sizeof(t)));
	}
	/* --output-skb and --output-skb-shared-info: the dumps under the line, as cilium/pwru */
	if (r->skb_dump) {
		fmt_char(&f, '\n');
		fmt_str(&f, r->skb_dump);
	}
	if (r->shinfo_dump) {
		fmt_char(&f, '\n');
		fmt_str(&f, r->shinfo_dump);
	}
	*f.p++ = '\n';
	if (so->stack && r->nframes)
		f.p += stack_text_frames(r, "    ", f.p, (size_t)(f.end - f.p) + 1);
	/* --output-bpfmap: last, then an empty line, as cilium/pwru */
	if (r->bpfmap && f.p < f.end) {
		f.p += bpfmap_text(r->bpfmap, f.p, (size_t)(f.end - f.p));
		fmt_char(&f, '\n');
	}
	/* One write per line: a reader never sees half an event. */
	n = (size_t)(f.p - st->line);
	return fwrite_unlocked(st->line, 1, n, o->out) == n ? 0 : -1;
}

static int text_close(struct sink *o, const struct output_stats *s)
{
	int err = fflush(o->out) ? -1 : 0;

	free(o->priv);
	o->priv = NULL;
	return err;
}

const struct sink_ops sink_text = {
    .name = "text",
    .open = text_open,
    .record = text_record,
    .close = text_close,
};
