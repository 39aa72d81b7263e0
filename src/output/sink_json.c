// SPDX-License-Identifier: GPL-2.0
/*
 * --output-json: one object per line with cilium/pwru's keys, every field present (zero
 * values too, unlike pwru), plus the raw numbers behind names. Losses are objects of their
 * own in the same stream. docs/json.md is the schema.
 */
#include <stdlib.h>
#include <string.h>
#include "src/output/bpfmap_text.h"
#include "src/output/cilium.h"
#include "src/output/fmt.h"
#include "src/output/frag.h"
#include "src/output/sink.h"
#include "src/output/stack_json.h"
#include "src/output/tuple_text.h"

/* An event, a stack of 64 frames with their inlined functions, --output-skb's dumps. */
#define LINE_MAX_ (128 * 1024 + 4 * PWRU_DUMP_LEN)

struct json_state {
	char line[LINE_MAX_];
	/* the tuple object and the device keys repeat along a packet's path: made once */
	struct pwru_tuple tuple;
	char tuple_json[512];
	size_t tuple_len;
	char ifname[PWRU_IFNAMSIZ];
	uint32_t ifindex;
	char dev_json[128];
	size_t dev_len;
	bool primed;
	/* the process, the function and the device metadata as made last: they repeat */
	struct frag proc, func, meta;
	struct proc_key {
		uint32_t pid;
		char comm[PWRU_COMMSIZ];
		char text[256];
		size_t len;
	} proc_key;
	struct func_key {
		uint64_t addr, reason_value;
		const char *func, *reason;
		bool is_drop;
	} func_key;
	struct frag_meta_key meta_key;
};

/* Macros: each key is a literal, its ,"key": one copy of known length. */
#define key_u64(f, key, v)                                                                         \
	do {                                                                                       \
		fmt_key(f, key);                                                                   \
		fmt_u64(f, v);                                                                     \
	} while (0)

#define key_str(f, key, v)                                                                         \
	do {                                                                                       \
		fmt_key(f, key);                                                                   \
		fmt_json_str(f, v);                                                                \
	} while (0)

#define key_hex(f, key, v)                                                                         \
	do {                                                                                       \
		fmt_key(f, key);                                                                   \
		fmt_lit(f, "\"0x");                                                                \
		fmt_hex(f, v);                                                                     \
		fmt_char(f, '"');                                                                  \
	} while (0)

/* The tuple's object, after its key. */
static void put_tuple(struct fmt *f, const struct pwru_tuple *t, bool flags)
{
	char a[64];

	fmt_lit(f, "{\"saddr\":\""); /* an address needs no escaping */
	addr_fmt(f, t->saddr, t->l3_proto);
	fmt_lit(f, "\",\"daddr\":\"");
	addr_fmt(f, t->daddr, t->l3_proto);
	fmt_char(f, '"');
	key_u64(f, "sport", (uint16_t)(t->sport >> 8 | t->sport << 8));
	key_u64(f, "dport", (uint16_t)(t->dport >> 8 | t->dport << 8));
	key_u64(f, "proto", t->l4_proto);
	key_u64(f, "l3_proto", t->l3_proto);
	if (flags) {
		tcp_flags_text(t->l4_proto == 6 ? t->tcp_flags : 0, a, sizeof(a));
		key_str(f, "flags", a);
	}
	fmt_char(f, '}');
}

static void put_cached_tuple(struct fmt *f, struct json_state *st, const struct pwru_tuple *t,
			     bool flags)
{
	struct fmt d = {st->tuple_json + 1, st->tuple_json + sizeof(st->tuple_json)};

	if (!st->primed || memcmp(&st->tuple, t, sizeof(*t))) {
		st->tuple_json[0] = ' '; /* see put_dev */
		fmt_key(&d, "tuple");
		put_tuple(&d, t, flags);
		st->tuple_len = (size_t)(d.p - st->tuple_json) - 1;
		st->tuple = *t;
	}
	fmt_mem(f, st->tuple_json + 1, st->tuple_len);
}

static void put_time(struct fmt *f, const struct sink_opts *so, const struct pwru_record *r)
{
	char t[40];

	if (so->ts == TS_ABSOLUTE) {
		wall_clock_text(r->wall_ns, t, sizeof(t));
		key_str(f, "time", t);
	} else if (so->ts == TS_CURRENT) {
		key_u64(f, "time", r->ev->ts);
	} else if (so->ts == TS_RELATIVE) {
		key_u64(f, "time", r->since_prev);
	}
}

/* "iface", "ifname", "ifindex" */
static void put_dev(struct fmt *f, struct json_state *st, const struct pwru_event *ev)
{
	char ifname[PWRU_IFNAMSIZ + 1], iface[PWRU_IFNAMSIZ + 16];
	/* [0] is a placeholder for fmt_key to look back at: the fragment starts with ',' */
	struct fmt d = {st->dev_json + 1, st->dev_json + sizeof(st->dev_json)};

	if (!st->primed || st->ifindex != ev->ifindex ||
	    memcmp(st->ifname, ev->ifname, PWRU_IFNAMSIZ)) {
		memcpy(ifname, ev->ifname, PWRU_IFNAMSIZ);
		ifname[PWRU_IFNAMSIZ] = '\0';
		snprintf(iface, sizeof(iface), ifname[0] ? "%s:%u" : "%s%u", ifname, ev->ifindex);
		st->dev_json[0] = ' ';
		key_str(&d, "iface", iface);
		key_str(&d, "ifname", ifname);
		key_u64(&d, "ifindex", ev->ifindex);
		st->dev_len = (size_t)(d.p - st->dev_json) - 1;
		memcpy(st->ifname, ev->ifname, PWRU_IFNAMSIZ);
		st->ifindex = ev->ifindex;
	}
	fmt_mem(f, st->dev_json + 1, st->dev_len);
}

static void format_meta(struct fmt *f, struct json_state *st, const struct sink_opts *so,
			const struct pwru_record *r)
{
	const struct pwru_event *ev = r->ev;

	key_u64(f, "netns", ev->netns);
	if (so->netns_names)
		key_str(f, "netns_name", r->netns_name);
	key_u64(f, "mark", ev->mark);
	put_dev(f, st, ev);
	key_u64(f, "proto", ev->protocol);
	key_u64(f, "mtu", ev->mtu);
	key_u64(f, "len", ev->len);
}

static void put_meta(struct fmt *f, struct json_state *st, const struct sink_opts *so,
		     const struct pwru_record *r)
{
	char *start = f->p;
	int i;

	if (so->netns_names) { /* a name by inode: not in the key */
		format_meta(f, st, so, r);
	} else if (!frag_meta_same(&st->meta_key, r->ev) || !frag_put(&st->meta, f)) {
		format_meta(f, st, so, r);
		frag_keep(&st->meta, f, start);
		frag_meta_set(&st->meta_key, r->ev);
	}
	if (so->cb) {
		fmt_key(f, "cb");
		fmt_char(f, '[');
		for (i = 0; i < 5; i++) {
			if (i)
				fmt_char(f, ',');
			fmt_u64(f, r->cb ? r->cb[i] : 0);
		}
		fmt_char(f, ']');
	}
}

static void format_func(struct fmt *f, const struct pwru_record *r)
{
	key_str(f, "func", r->func_text);
	key_hex(f, "func_addr", r->ev->addr);
	key_str(f, "drop_reason", r->reason ? r->reason : "");
	key_u64(f, "drop_reason_value", r->is_drop || r->reason ? r->reason_value : 0);
}

static void put_func(struct fmt *f, struct json_state *st, const struct pwru_record *r)
{
	const struct func_note *nt = &r->note;
	struct func_key *k = &st->func_key;
	char *start = f->p;

	/* a note (a program's result, Cilium's drop, netfilter's verdict, nft's) is never kept */
	if (nt->exit || nt->has_drop || nt->has_nf || nt->nft_chain) {
		format_func(f, r);
		st->func.len = 0;
	} else if (k->addr != r->ev->addr || k->reason_value != r->reason_value ||
		   k->func != r->func || k->reason != r->reason || k->is_drop != r->is_drop ||
		   !frag_put(&st->func, f)) {
		format_func(f, r);
		frag_keep(&st->func, f, start);
		/* names live for the run (kallsyms, BTF): their addresses stand for them */
		*k =
		    (struct func_key){r->ev->addr, r->reason_value, r->func, r->reason, r->is_drop};
	}
	if (r->has_retval) { /* signed: the producer sign-extends an int result (-1 is -EPERM) */
		fmt_key(f, "retval");
		if ((int64_t)r->retval < 0) {
			fmt_char(f, '-');
			fmt_u64(f, -r->retval);
		} else {
			fmt_u64(f, r->retval);
		}
	}
}

static bool same_process(const struct proc_key *k, const struct pwru_record *r)
{
	return k->pid == r->ev->pid && k->len == r->proc_len &&
	       !memcmp(k->comm, r->ev->comm, PWRU_COMMSIZ) &&
	       !memcmp(k->text, r->proc_text, k->len);
}

/* "process", "pid", "comm": kept with what they are made of, when the text is short. */
static void put_process(struct fmt *f, struct json_state *st, const struct pwru_record *r)
{
	struct proc_key *k = &st->proc_key;
	char *start = f->p;

	if (same_process(k, r) && frag_put(&st->proc, f))
		return;
	fmt_key(f, "process");
	fmt_json_mem(f, r->proc_text, r->proc_len);
	key_u64(f, "pid", r->ev->pid);
	fmt_key(f, "comm");
	fmt_json_mem(f, r->ev->comm, strnlen(r->ev->comm, PWRU_COMMSIZ));
	frag_keep(&st->proc, f, start);
	if (r->proc_len > sizeof(k->text)) {
		st->proc.len = 0;
		return;
	}
	k->pid = r->ev->pid;
	memcpy(k->comm, r->ev->comm, PWRU_COMMSIZ);
	memcpy(k->text, r->proc_text, r->proc_len);
	k->len = r->proc_len;
}

/* Present for the flags given: --filter-trace-tc/xdp, --output-cilium (docs/json.md). */
static void put_cilium(struct fmt *f, const struct sink_opts *so, const struct pwru_record *r)
{
	const struct func_note *nt = &r->note;
	char text[128];
	uint32_t id = 0;
	const char *name;

	if (so->progs) {
		key_str(f, "verdict", nt->exit && nt->verdict ? nt->verdict : "");
		key_u64(f, "redirect_ifindex", nt->has_redirect ? nt->redirect.ifindex : 0);
		if (nt->has_drop)
			cilium_drop_text(&nt->drop, text, sizeof(text));
		key_str(f, "cilium_drop", nt->has_drop ? text : "");
		key_u64(f, "cilium_drop_code", nt->has_drop ? nt->drop.reason : 0);
	}
	if (so->cilium) {
		cilium_mark_text(r->ev->mark, text, sizeof(text));
		key_str(f, "cilium_mark", text);
		cilium_mark_identity(r->ev->mark, &id);
		key_u64(f, "cilium_identity", id);
		name = cilium_identity_name(id);
		key_str(f, "cilium_identity_name", name && id ? name : "");
	}
}

static int json_open(struct sink *o)
{
	o->priv = calloc(1, sizeof(struct json_state));
	return o->priv ? 0 : -1;
}

/* Every object opens with its type (a literal), then the node when --node-name names one. */
#define open_object(f, o, type)                                                                    \
	do {                                                                                       \
		fmt_lit(f, "{\"type\":\"" type "\"");                                              \
		if ((o)->opts->node)                                                               \
			key_str(f, "node", (o)->opts->node);                                       \
	} while (0)

/* The object's end and its line's, written out. */
static int emit_to(FILE *out, struct fmt *f, char *line)
{
	size_t n;

	fmt_char(f, '}');
	*f->p++ = '\n';
	n = (size_t)(f->p - line);
	return fwrite_unlocked(line, 1, n, out) == n ? 0 : -1;
}

static int emit(struct sink *o, struct fmt *f, char *line)
{
	return emit_to(o->out, f, line);
}

/*
 * "metadata":{"skb->hash":2911}, a pointer as a "0x..." string; an XDP event's
 * {"xdp->rxq->queue_index":0} under the same key (an event has one or the other).
 */
static void put_metadata(struct fmt *f, const struct metadata_opts *m, const uint64_t *v)
{
	if (!v || !m->n)
		return;
	fmt_key(f, "metadata");
	fmt_char(f, '{');
	for (int i = 0; i < m->n; i++) {
		if (i)
			fmt_char(f, ',');
		fmt_json_str(f, m->names[i]);
		fmt_char(f, ':');
		fmt_metadata_value(f, m->kind[i], v[i], "\"");
	}
	fmt_char(f, '}');
}

/*
 * --output-bpfmap: {"id":..,"name":..,"key_size":..,"key":"0a000101",...}: key and value as
 * hex (cut at PWRU_BPFMAP_DATA bytes); "value" null for a lookup that found nothing, absent
 * for a delete and for what could not be read.
 */
static void put_bpfmap(struct fmt *f, const struct pwru_bpfmap *m)
{
	char name[sizeof(m->name) + 1], hex[BPFMAP_HEX_MAX];

	fmt_key(f, "bpfmap");
	fmt_char(f, '{');
	key_u64(f, "id", m->id);
	memcpy(name, m->name, sizeof(m->name));
	name[sizeof(m->name)] = '\0';
	key_str(f, "name", name);
	key_u64(f, "key_size", m->key_size);
	bpfmap_hex(m->key, m->key_size, hex);
	key_str(f, "key", hex);
	key_u64(f, "value_size", m->value_size);
	if (m->value == PWRU_BPFMAP_VALUE) {
		bpfmap_hex(m->val, m->value_size, hex);
		key_str(f, "value", hex);
	} else if (m->value == PWRU_BPFMAP_MISS) {
		fmt_key(f, "value");
		fmt_lit(f, "null");
	}
	fmt_char(f, '}');
}

static int json_record(struct sink *o, const struct pwru_record *r)
{
	const struct sink_opts *so = o->opts;
	struct json_state *st = o->priv;
	struct fmt f = {st->line, st->line + sizeof(st->line) - 2};

	open_object(&f, o, "event");
	key_hex(&f, "skb", r->ev->skb);
	key_u64(&f, "cpu", r->ev->cpu);
	put_process(&f, st, r);
	put_func(&f, st, r);
	put_cilium(&f, so, r);
	stack_json(&f, so->caller, so->stack, r);
	put_time(&f, so, r);
	key_u64(&f, "ts", r->ev->ts);
	if (so->meta)
		put_meta(&f, st, so, r);
	if (so->tuple)
		put_cached_tuple(&f, st, &r->ev->tuple, so->tcp_flags);
	st->primed = true;
	if (r->tunnel) {
		fmt_key(&f, "tunnel_tuple");
		put_tuple(&f, r->tunnel, so->tcp_flags);
	}
	put_metadata(&f, &so->metadata, r->metadata);
	put_metadata(&f, &so->xdp_metadata, r->xdp_metadata);
	if (r->skb_dump)
		key_str(&f, "skb_dump", r->skb_dump);
	if (r->shinfo_dump)
		key_str(&f, "shinfo_dump", r->shinfo_dump);
	if (r->bpfmap)
		put_bpfmap(&f, r->bpfmap);
	if (r->pkt) {
		key_u64(&f, "pkt_len", r->pkt->orig_len);
		key_u64(&f, "pkt_caplen", r->pkt->cap_len);
	}
	return emit(o, &f, st->line);
}

/* A short object of TYPE, with the node's name when given; its keys follow. */
static void short_object(struct fmt *f, const char *type, const char *node)
{
	fmt_lit(f, "{\"type\":");
	fmt_json_str(f, type);
	if (node)
		key_str(f, "node", node);
}

int json_lost_line(FILE *out, const char *node, uint64_t total)
{
	char line[512];
	struct fmt f = {line, line + sizeof(line) - 2};

	short_object(&f, "lost", node);
	key_u64(&f, "lost", total);
	return emit_to(out, &f, line);
}

int json_end_line(FILE *out, const char *node, const struct output_stats *s)
{
	char line[512];
	struct fmt f = {line, line + sizeof(line) - 2};

	short_object(&f, "end", node);
	key_u64(&f, "events", s->events);
	key_u64(&f, "lost", s->lost);
	key_u64(&f, "lost_nested", s->lost_nested);
	key_u64(&f, "not_seen", s->not_seen);
	fmt_key(&f, "not_seen_partial");
	fmt_str(&f, s->not_seen_partial ? "true" : "false");
	return emit_to(out, &f, line);
}

static void json_lost(struct sink *o, uint64_t total)
{
	json_lost_line(o->out, o->opts->node, total);
}

static int json_close(struct sink *o, const struct output_stats *s)
{
	int err = json_end_line(o->out, o->opts->node, s);

	err |= fflush(o->out) ? -1 : 0;
	free(o->priv);
	o->priv = NULL;
	return err;
}

const struct sink_ops sink_json = {
    .name = "json",
    .open = json_open,
    .record = json_record,
    .lost = json_lost,
    .close = json_close,
};
