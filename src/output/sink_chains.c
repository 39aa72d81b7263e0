// SPDX-License-Identifier: GPL-2.0
/*
 * --output-chains: one block per packet (skb) when its life ends, instead of one line per
 * event. Three forms: text (a header with tuple, netns, interface and process, one line per
 * function with the time since the first, the end), JSON (one object per chain), and
 * "path" for CI: per packet, the tuple and the function sequence with the drop reason and
 * nothing that changes between runs; each distinct path once, sorted, printed at exit.
 */
#include <stdlib.h>
#include <string.h>
#include "src/output/chains.h"
#include "src/output/cilium.h"
#include "src/output/fmt.h"
#include "src/output/sink.h"
#include "src/output/tuple_text.h"

#define MAX_CHAINS 16384
#define MAX_STEPS  512
#define MAX_PATHS  200000
#define LINE_MAX_  65536

enum form { FORM_TEXT, FORM_JSON, FORM_PATH };

struct chains_state {
	struct sink *s;
	enum form form;
	struct chains *cs;
	char line[LINE_MAX_];
	char **paths;
	size_t npaths;
	uint64_t paths_dropped;
	uint32_t eph_lo, eph_hi; /* ephemeral ports: masked in paths */
};

static size_t func_text(const struct func_ref *f, char *buf, size_t len)
{
	return func_ref_text(f, buf, len);
}

static void put_iface(struct fmt *f, const struct chain *c)
{
	size_t n = strnlen(c->ifname, PWRU_IFNAMSIZ);

	if (n) {
		fmt_mem(f, c->ifname, n);
		fmt_char(f, ':');
	}
	fmt_u64(f, c->ifindex);
}

static void put_end(struct fmt *f, const struct chain *c)
{
	char fn[256];

	if (c->end == CHAIN_DROPPED) {
		fmt_str(f, "dropped at ");
		fmt_mem(f, fn, func_text(&c->drop, fn, sizeof(fn)));
	} else {
		fmt_str(f, chain_end_name(c->end));
	}
}

static int text_chain(struct chains_state *st, const struct chain *c)
{
	struct fmt f = {st->line, st->line + sizeof(st->line) - 1};
	char t[TUPLE_TEXT_MAX], fn[256];
	uint32_t i;
	size_t n;

	fmt_str(&f, "skb 0x");
	fmt_hex(&f, c->skb);
	fmt_char(&f, ' ');
	fmt_mem(&f, t, tuple_text(&c->tuple, t, sizeof(t)));
	fmt_str(&f, " netns ");
	fmt_u64(&f, c->netns);
	fmt_str(&f, " iface ");
	put_iface(&f, c);
	fmt_str(&f, " process ");
	fmt_str(&f, c->process);
	fmt_char(&f, '\n');
	for (i = 0; i < c->n; i++) {
		char num[24];
		struct fmt nf = {num, num + sizeof(num)};

		fmt_char(&nf, '+');
		fmt_u64(&nf, c->steps[i].ts - c->first_ts);
		for (n = (size_t)(nf.p - num); n < 14; n++)
			fmt_char(&f, ' ');
		fmt_mem(&f, num, (size_t)(nf.p - num));
		fmt_str(&f, " ns  ");
		fmt_mem(&f, fn, func_text(&c->steps[i].f, fn, sizeof(fn)));
		if (st->s->opts->cilium && cilium_mark_token(c->steps[i].mark, fn, sizeof(fn))) {
			fmt_char(&f, ' ');
			fmt_str(&f, fn);
		}
		fmt_char(&f, '\n');
	}
	if (c->truncated)
		fmt_str(&f, "  ... more events than kept per packet\n");
	fmt_str(&f, "  end: ");
	put_end(&f, c);
	fmt_str(&f, "\n\n");
	n = (size_t)(f.p - st->line);
	return fwrite(st->line, 1, n, st->s->out) == n ? 0 : -1;
}

static void json_tuple(struct fmt *f, const struct pwru_tuple *t)
{
	char a[64];

	fmt_key(f, "tuple");
	fmt_char(f, '{');
	addr_text(t->saddr, t->l3_proto, a, sizeof(a));
	fmt_key(f, "saddr");
	fmt_json_str(f, a);
	addr_text(t->daddr, t->l3_proto, a, sizeof(a));
	fmt_key(f, "daddr");
	fmt_json_str(f, a);
	fmt_key(f, "sport");
	fmt_u64(f, (uint16_t)(t->sport >> 8 | t->sport << 8));
	fmt_key(f, "dport");
	fmt_u64(f, (uint16_t)(t->dport >> 8 | t->dport << 8));
	fmt_key(f, "proto");
	fmt_u64(f, t->l4_proto);
	fmt_char(f, '}');
}

static int json_chain(struct chains_state *st, const struct chain *c)
{
	struct fmt f = {st->line, st->line + sizeof(st->line) - 2};
	char fn[256], iface[PWRU_IFNAMSIZ + 16];
	struct fmt i_f = {iface, iface + sizeof(iface) - 1};
	uint32_t i;
	size_t n;

	fmt_str(&f, "{\"type\":\"chain\"");
	if (st->s->opts->node) {
		fmt_str(&f, ",\"node\":");
		fmt_json_str(&f, st->s->opts->node);
	}
	fmt_str(&f, ",\"skb\":\"0x");
	fmt_hex(&f, c->skb);
	fmt_char(&f, '"');
	json_tuple(&f, &c->tuple);
	fmt_str(&f, ",\"netns\":");
	fmt_u64(&f, c->netns);
	put_iface(&i_f, c);
	*i_f.p = '\0';
	fmt_str(&f, ",\"iface\":");
	fmt_json_str(&f, iface);
	fmt_str(&f, ",\"process\":");
	fmt_json_str(&f, c->process);
	fmt_str(&f, ",\"end\":");
	fmt_json_str(&f, chain_end_name(c->end));
	fmt_str(&f, ",\"drop_reason\":");
	fmt_json_str(&f, c->dropped && c->drop.reason ? c->drop.reason : "");
	fmt_str(&f, ",\"truncated\":");
	fmt_str(&f, c->truncated ? "true" : "false");
	fmt_str(&f, ",\"events\":[");
	for (i = 0; i < c->n; i++) {
		func_text(&c->steps[i].f, fn, sizeof(fn));
		fmt_str(&f, i ? ",{\"func\":" : "{\"func\":");
		fmt_json_str(&f, fn);
		fmt_str(&f, ",\"t\":");
		fmt_u64(&f, c->steps[i].ts - c->first_ts);
		if (st->s->opts->cilium) {
			cilium_mark_text(c->steps[i].mark, fn, sizeof(fn));
			fmt_str(&f, ",\"cilium_mark\":");
			fmt_json_str(&f, fn);
		}
		fmt_char(&f, '}');
	}
	fmt_str(&f, "]}\n");
	n = (size_t)(f.p - st->line);
	return fwrite(st->line, 1, n, st->s->out) == n ? 0 : -1;
}

static void path_port(struct fmt *f, const struct chains_state *st, uint16_t be)
{
	uint16_t port = (uint16_t)(be >> 8 | be << 8);

	if (port >= st->eph_lo && port <= st->eph_hi)
		fmt_char(f, '*');
	else
		fmt_u64(f, port);
}

/* The tuple with ephemeral ports as '*': they change from run to run. */
static void path_tuple(struct fmt *f, const struct chains_state *st, const struct pwru_tuple *t)
{
	char a[64], full[TUPLE_TEXT_MAX];
	size_t n = tuple_text(t, full, sizeof(full));
	char *paren = memrchr(full, '(', n);

	addr_text(t->saddr, t->l3_proto, a, sizeof(a));
	fmt_str(f, a);
	fmt_char(f, ':');
	path_port(f, st, t->sport);
	fmt_str(f, "->");
	addr_text(t->daddr, t->l3_proto, a, sizeof(a));
	fmt_str(f, a);
	fmt_char(f, ':');
	path_port(f, st, t->dport);
	if (paren)
		fmt_mem(f, paren, n - (size_t)(paren - full));
}

/*
 * Releases (consume_skb, kfree_skbmem, ...) are left out, and so is whether the packet was
 * freed before exit: when a socket lets go of a packet is timing. Drops stay, with their
 * reason.
 */
static int path_chain(struct chains_state *st, const struct chain *c)
{
	struct fmt f = {st->line, st->line + sizeof(st->line) - 1};
	char fn[256];
	uint32_t i, shown = 0;

	if (st->npaths == MAX_PATHS) {
		st->paths_dropped++;
		return 0;
	}
	path_tuple(&f, st, &c->tuple);
	for (i = 0; i < c->n; i++) {
		if (chain_is_release(&c->steps[i].f))
			continue;
		fmt_char(&f, ' ');
		fmt_mem(&f, fn, func_text(&c->steps[i].f, fn, sizeof(fn)));
		shown++;
	}
	if (!shown)
		return 0; /* only its release was seen */
	if (c->end == CHAIN_DROPPED) {
		fmt_str(&f, " => ");
		put_end(&f, c);
	}
	*f.p = '\0';
	st->paths[st->npaths] = strdup(st->line);
	return st->paths[st->npaths] ? (st->npaths++, 0) : -1;
}

static int on_chain(void *ctx, const struct chain *c)
{
	struct chains_state *st = ctx;

	if (st->form == FORM_JSON)
		return json_chain(st, c);
	return st->form == FORM_PATH ? path_chain(st, c) : text_chain(st, c);
}

static void ephemeral_range(struct chains_state *st)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");

	st->eph_lo = 32768;
	st->eph_hi = 60999;
	if (f && fscanf(f, "%u %u", &st->eph_lo, &st->eph_hi) != 2) {
		st->eph_lo = 32768;
		st->eph_hi = 60999;
	}
	if (f)
		fclose(f);
}

static int open_form(struct sink *s, enum form form)
{
	struct chains_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -1;
	s->priv = st;
	st->s = s;
	st->form = form;
	ephemeral_range(st);
	st->cs = chains_new(MAX_CHAINS, MAX_STEPS, on_chain, st);
	if (form == FORM_PATH)
		st->paths = calloc(MAX_PATHS, sizeof(*st->paths));
	return st->cs && (form != FORM_PATH || st->paths) ? 0 : -1;
}

static int chains_text_open(struct sink *s)
{
	return open_form(s, FORM_TEXT);
}

static int chains_json_open(struct sink *s)
{
	return open_form(s, FORM_JSON);
}

static int chains_path_open(struct sink *s)
{
	return open_form(s, FORM_PATH);
}

static int chains_record(struct sink *s, const struct pwru_record *r)
{
	struct chains_state *st = s->priv;

	return chains_add(st->cs, r);
}

static int chains_tick_(struct sink *s, uint64_t now)
{
	struct chains_state *st = s->priv;

	return chains_tick(st->cs, now);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int print_paths(struct chains_state *st)
{
	size_t i;
	int rc = 0;

	/*
	 * Each distinct path once: how many ACKs or segments a connection takes depends on
	 * timing, which paths packets take does not.
	 */
	qsort(st->paths, st->npaths, sizeof(*st->paths), by_str);
	for (i = 0; i < st->npaths; i++)
		if (!i || strcmp(st->paths[i], st->paths[i - 1]))
			rc |= fprintf(st->s->out, "%s\n", st->paths[i]) < 0;
	for (i = 0; i < st->npaths; i++)
		free(st->paths[i]);
	return rc ? -1 : 0;
}

static int chains_close(struct sink *s, const struct output_stats *stats)
{
	struct chains_state *st = s->priv;
	int rc = chains_flush(st->cs);

	if (st->form == FORM_PATH)
		rc |= print_paths(st);
	if (chains_cut(st->cs))
		fprintf(s->diag,
			"pwru: more than %d packets in flight %llu times: their chains were cut\n",
			MAX_CHAINS, (unsigned long long)chains_cut(st->cs));
	if (st->paths_dropped)
		fprintf(s->diag,
			"pwru: %llu packets past the first %d not kept for the path form\n",
			(unsigned long long)st->paths_dropped, MAX_PATHS);
	chains_free(st->cs);
	free(st->paths);
	free(st);
	s->priv = NULL;
	return rc || fflush(s->out) ? -1 : 0;
}

const struct sink_ops sink_chains = {
    .name = "chains",
    .open = chains_text_open,
    .record = chains_record,
    .tick = chains_tick_,
    .close = chains_close,
};

const struct sink_ops sink_chains_json = {
    .name = "chains-json",
    .open = chains_json_open,
    .record = chains_record,
    .tick = chains_tick_,
    .close = chains_close,
};

const struct sink_ops sink_chains_path = {
    .name = "chains-path",
    .open = chains_path_open,
    .record = chains_record,
    .tick = chains_tick_,
    .close = chains_close,
};
