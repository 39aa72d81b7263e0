// SPDX-License-Identifier: GPL-2.0
/*
 * --output-chains: one block per packet (skb) when its life ends, instead of one line per
 * event. Three forms: text (a header with tuple, netns, interface and process, one line per
 * function with the time since the first, the end), JSON (one object per chain), and
 * "path" for CI: per packet, the tuple and the function sequence with the drop reason and
 * nothing that changes between runs; each distinct path once, sorted, printed at exit.
 * With --output-caller and --output-stack (and source lines with debug info) the text and
 * JSON forms keep what the event's symbols said while they were valid, per step; the path
 * form none of it: offsets and lines change between kernels.
 */
#include <stdlib.h>
#include <string.h>
#include "src/output/chains.h"
#include "src/output/cilium.h"
#include "src/output/fmt.h"
#include "src/output/sink.h"
#include "src/output/stack_json.h"
#include "src/output/stack_text.h"
#include "src/output/tuple_text.h"

#define MAX_CHAINS 16384
#define MAX_STEPS  512
#define MAX_PATHS  200000
#define LINE_MAX_  (128 * 1024)
/* One step's symbols at the most: a step and its line fit in one buffer */
#define SYM_MAX (LINE_MAX_ / 2)
/* Under a step's line, its stack: indented past the time column, below FUNC. */
#define STACK_INDENT "                     "

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

/* What a step of the text form keeps of its event's symbols (src/output/stack_text.h). */
struct text_sym {
	uint32_t line_len;   /* " (file:line)" after FUNC, with debug info */
	uint32_t caller_len; /* CALLER, with --output-caller */
	char text[];	     /* the two, then the stack's lines; NUL-terminated */
};

static size_t func_text(const struct func_ref *f, char *buf, size_t len)
{
	return func_ref_text(f, buf, len);
}

/* Writes out what F holds when less than NEED bytes are left: a chain may outgrow one line. */
static int room(struct chains_state *st, struct fmt *f, size_t need)
{
	size_t n = (size_t)(f->p - st->line);

	if ((size_t)(f->end - f->p) >= need)
		return 0;
	f->p = st->line;
	return fwrite(st->line, 1, n, st->s->out) == n ? 0 : -1;
}

static void put_iface(struct fmt *f, const struct chain *c)
{
	size_t n = strnlen(c->ifname, PWRU_IFNAMSIZ);

	if (!c->ifindex) { /* no event of the packet had a device */
		fmt_str(f, "none");
		return;
	}
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

/* --output-meta=false: the kernel read no netns and interface, so none is shown. */
static void put_header(struct fmt *f, const struct chain *c, bool meta)
{
	char t[TUPLE_TEXT_MAX];

	fmt_str(f, "skb 0x");
	fmt_hex(f, c->skb);
	fmt_char(f, ' ');
	fmt_mem(f, t, tuple_text(&c->tuple, t, sizeof(t)));
	if (meta) {
		fmt_str(f, " netns ");
		fmt_u64(f, c->netns);
		fmt_str(f, " iface ");
		put_iface(f, c);
	}
	fmt_str(f, " process ");
	fmt_str(f, c->process);
	fmt_char(f, '\n');
}

/* FUNC of step S with its source line and Cilium's mark, as the events' FUNC column. */
static size_t step_func(const struct chains_state *st, const struct chain_step *s, char *buf,
			size_t len)
{
	const struct text_sym *ts = s->sym;
	struct fmt f = {buf, buf + len - 1};
	char tok[96];

	f.p += func_text(&s->f, buf, len);
	if (ts)
		fmt_mem(&f, ts->text, ts->line_len);
	if (st->s->opts->cilium && cilium_mark_token(s->mark, tok, sizeof(tok))) {
		fmt_char(&f, ' ');
		fmt_str(&f, tok);
	}
	*f.p = '\0';
	return (size_t)(f.p - buf);
}

/* With --output-caller, FUNC is padded to the chain's longest, as the events' is. */
static size_t func_width(const struct chains_state *st, const struct chain *c)
{
	char fn[512];
	size_t w = 0, n;
	uint32_t i;

	for (i = 0; st->s->opts->caller && i < c->n; i++)
		if ((n = step_func(st, &c->steps[i], fn, sizeof(fn))) > w)
			w = n;
	return w;
}

static void put_step(struct chains_state *st, struct fmt *f, const struct chain *c,
		     const struct chain_step *s, size_t width)
{
	const struct text_sym *ts = s->sym;
	char num[24], fn[512];
	struct fmt nf = {num, num + sizeof(num)};
	size_t n;

	fmt_char(&nf, '+');
	fmt_u64(&nf, s->ts - c->first_ts);
	for (n = (size_t)(nf.p - num); n < 14; n++)
		fmt_char(f, ' ');
	fmt_mem(f, num, (size_t)(nf.p - num));
	fmt_str(f, " ns  ");
	fmt_mem(f, fn, n = step_func(st, s, fn, sizeof(fn)));
	if (st->s->opts->caller) {
		for (; n < width; n++)
			fmt_char(f, ' ');
		fmt_char(f, ' ');
		if (ts)
			fmt_mem(f, ts->text + ts->line_len, ts->caller_len);
	}
	fmt_char(f, '\n');
	if (ts)
		fmt_str(f, ts->text + ts->line_len + ts->caller_len);
}

static int text_chain(struct chains_state *st, const struct chain *c)
{
	struct fmt f = {st->line, st->line + sizeof(st->line) - 1};
	size_t width = func_width(st, c), n;
	uint32_t i;
	int rc = 0;

	put_header(&f, c, st->s->opts->meta);
	for (i = 0; i < c->n; i++) {
		rc |= room(st, &f, c->steps[i].sym_len + 1024);
		put_step(st, &f, c, &c->steps[i], width);
	}
	rc |= room(st, &f, 1024);
	if (c->truncated)
		fmt_str(&f, "  ... more events than kept per packet\n");
	fmt_str(&f, "  end: ");
	put_end(&f, c);
	fmt_str(&f, "\n\n");
	n = (size_t)(f.p - st->line);
	return !rc && fwrite(st->line, 1, n, st->s->out) == n ? 0 : -1;
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
	int rc = 0;

	fmt_str(&f, "{\"type\":\"chain\"");
	if (st->s->opts->node) {
		fmt_str(&f, ",\"node\":");
		fmt_json_str(&f, st->s->opts->node);
	}
	fmt_str(&f, ",\"skb\":\"0x");
	fmt_hex(&f, c->skb);
	fmt_char(&f, '"');
	json_tuple(&f, &c->tuple);
	if (st->s->opts->meta) { /* as an event's: without it the kernel read neither */
		fmt_str(&f, ",\"netns\":");
		fmt_u64(&f, c->netns);
		put_iface(&i_f, c);
		*i_f.p = '\0';
		if (c->ifindex) { /* none: no event of the packet had a device */
			fmt_str(&f, ",\"iface\":");
			fmt_json_str(&f, iface);
		}
	}
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
		rc |= room(st, &f, c->steps[i].sym_len + 1024);
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
		if (c->steps[i].sym)
			fmt_mem(&f, c->steps[i].sym, c->steps[i].sym_len);
		fmt_char(&f, '}');
	}
	fmt_str(&f, "]}\n");
	n = (size_t)(f.p - st->line);
	return !rc && fwrite(st->line, 1, n, st->s->out) == n ? 0 : -1;
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

/* The step's text_sym: FUNC's line, the caller, the stack. */
static void *text_sym(struct chains_state *st, const struct pwru_record *r, size_t *len)
{
	const struct sink_opts *so = st->s->opts;
	char *b = st->line, *end = st->line + SYM_MAX;
	size_t fl, cl = 0, sl = 0;
	struct text_sym *t;

	fl = stack_text_func_line(r, b, (size_t)(end - b));
	if (so->caller)
		cl = stack_text_caller(r, b + fl, (size_t)(end - b) - fl);
	if (so->stack)
		sl = stack_text_frames(r, STACK_INDENT, b + fl + cl, (size_t)(end - b) - fl - cl);
	*len = sizeof(*t) + fl + cl + sl + 1;
	t = malloc(*len);
	if (!t)
		return NULL;
	t->line_len = (uint32_t)fl;
	t->caller_len = (uint32_t)cl;
	memcpy(t->text, b, fl + cl + sl);
	t->text[fl + cl + sl] = '\0';
	return t;
}

/* The JSON form's: the keys JSON events have for the same (src/output/stack_json.h). */
static void *json_sym(struct chains_state *st, const struct pwru_record *r, size_t *len)
{
	const struct sink_opts *so = st->s->opts;
	/* [0] is for fmt_key to look back at: the fragment starts with ',' */
	struct fmt f = {st->line + 1, st->line + SYM_MAX};
	char *t;

	st->line[0] = ' ';
	stack_json(&f, so->caller, so->stack, r);
	*len = (size_t)(f.p - st->line) - 1;
	t = *len ? malloc(*len) : NULL;
	if (t)
		memcpy(t, st->line + 1, *len);
	return t;
}

static int chains_record(struct sink *s, const struct pwru_record *r)
{
	struct chains_state *st = s->priv;
	const struct sink_opts *so = s->opts;
	size_t len = 0;
	void *sym = NULL;

	/* made before the step is added: the record's frames are valid only now */
	if (st->form != FORM_PATH && (so->caller || so->stack || r->func_frame))
		sym = st->form == FORM_JSON ? json_sym(st, r, &len) : text_sym(st, r, &len);
	return chains_add_sym(st->cs, r, sym, sym ? len : 0);
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
	/* the JSON stream ends as --output-json's does: a pipeline checks its losses there */
	if (st->form == FORM_JSON)
		rc |= json_end_line(s->out, s->opts->node, stats);
	if (chains_cut(st->cs))
		fprintf(s->diag,
			"pwru: more than %d packets in flight %llu time%s: their chains were cut\n",
			MAX_CHAINS, (unsigned long long)chains_cut(st->cs),
			plural(chains_cut(st->cs)));
	if (chains_late(st->cs))
		fprintf(s->diag,
			"pwru: %llu event%s came after their packet's chain was printed (sent at a "
			"function's exit more than 100 ms after the packet's free): not shown\n",
			(unsigned long long)chains_late(st->cs), plural(chains_late(st->cs)));
	if (chains_sym_dropped(st->cs))
		fprintf(s->diag,
			"pwru: stacks and callers of %llu chain event%s not kept: the chains in "
			"flight held 64 MiB of them\n",
			(unsigned long long)chains_sym_dropped(st->cs),
			plural(chains_sym_dropped(st->cs)));
	if (st->paths_dropped)
		fprintf(
		    s->diag, "pwru: %llu packet%s past the first %d not kept for the path form\n",
		    (unsigned long long)st->paths_dropped, plural(st->paths_dropped), MAX_PATHS);
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

static void chains_json_lost(struct sink *s, uint64_t total)
{
	json_lost_line(s->out, s->opts->node, total);
}

const struct sink_ops sink_chains_json = {
    .name = "chains-json",
    .open = chains_json_open,
    .record = chains_record,
    .tick = chains_tick_,
    .lost = chains_json_lost,
    .close = chains_close,
};

const struct sink_ops sink_chains_path = {
    .name = "chains-path",
    .open = chains_path_open,
    .record = chains_record,
    .tick = chains_tick_,
    .close = chains_close,
};
