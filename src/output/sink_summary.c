// SPDX-License-Identifier: GPL-2.0
/*
 * --summary: at exit, events per function, drops per function and reason, events lost,
 * packets matched: skb lifetimes, an address seen again after its free being another
 * packet (skb_life.h, as --output-chains tells them apart). Bounded: at most MAX_ROWS distinct rows
 * are counted, the rest summed in one line that says so.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "src/output/fmt.h"
#include "src/output/sink.h"
#include "src/output/skb_life.h"
#include "src/output/u64map.h"

#define MAX_ROWS 4096
#define MAX_SKBS (1u << 20)

struct row {
	uint64_t addr;
	uint64_t reason_value;
	bool is_drop;
	const char *func; /* kallsyms-owned, lives for the run */
	const char *reason;
	uint64_t count;
};

struct summary_state {
	struct u64map *index; /* key -> row + 1 */
	struct u64map *skbs;  /* skb -> its life (skb_life_next) */
	struct row rows[MAX_ROWS];
	size_t n;
	uint64_t overflow;
	bool overflow_drops; /* some of them drops: "no drops seen" would be wrong */
	uint64_t packets;
};

static int summary_open(struct sink *o)
{
	struct summary_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -1;
	o->priv = st;
	st->index = u64map_new(2 * MAX_ROWS);
	st->skbs = u64map_new(MAX_SKBS);
	return st->index && st->skbs ? 0 : -1;
}

static int summary_record(struct sink *o, const struct pwru_record *r)
{
	struct summary_state *st = o->priv;
	uint64_t key = r->ev->addr ^ (r->is_drop ? (r->reason_value + 1) << 48 : 0), *slot, *life;
	bool fresh;

	/* a program's id (entry and exit on one row) is not a tracepoint's index */
	if (r->ev->type == PWRU_EV_PROG_ENTRY || r->ev->type == PWRU_EV_PROG_EXIT)
		key |= 1ull << 62;
	life = u64map_get(st->skbs, r->ev->skb, &fresh);
	if (life)
		st->packets += skb_life_next(life, r->skb_point, r->ev->ts);
	slot = u64map_get(st->index, key, &fresh);
	if (fresh && st->n == MAX_ROWS) {
		u64map_del(st->index, key);
		st->overflow++;
		st->overflow_drops |= r->is_drop;
		return 0;
	}
	if (fresh) {
		st->rows[st->n] =
		    (struct row){r->ev->addr, r->reason_value, r->is_drop, r->func, r->reason, 0};
		*slot = ++st->n;
	}
	st->rows[*slot - 1].count++;
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

static void print_row(FILE *out, const struct row *w)
{
	if (!w->func)
		fprintf(out, "  %10" PRIu64 "  0x%" PRIx64, w->count, w->addr);
	else
		fprintf(out, "  %10" PRIu64 "  %s", w->count, w->func);
	if (w->reason)
		fprintf(out, "  %s", w->reason);
	else if (w->is_drop)
		fprintf(out, "  reason %" PRIu64, w->reason_value);
	fputc('\n', out);
}

static bool has_drops(const struct summary_state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->rows[i].is_drop)
			return true;
	return st->overflow_drops;
}

static int summary_close(struct sink *o, const struct output_stats *s)
{
	struct summary_state *st = o->priv;
	size_t i;
	int pass;

	qsort(st->rows, st->n, sizeof(st->rows[0]), by_count);
	fprintf(o->out,
		"pwru summary: %" PRIu64 " event%s, %" PRIu64 " lost, %" PRIu64
		" packet%s (skb%s)\n",
		s->events, plural(s->events), s->lost, st->packets, plural(st->packets),
		plural(st->packets));
	/* skb addresses are reused after a free: the packet count can be low under a flood */
	if (u64map_resets(st->skbs))
		fprintf(o->out, "pwru summary: more than %u skbs seen: packets counted in part\n",
			MAX_SKBS * 3 / 4);
	for (pass = 0; pass < 2; pass++) {
		/* a heading with nothing under it read as if the rows had been lost */
		if (pass && !has_drops(st)) {
			fputs("no drops seen\n", o->out);
			break;
		}
		fprintf(o->out, pass ? "drops by function and reason:\n" : "events by function:\n");
		for (i = 0; i < st->n; i++)
			if (st->rows[i].is_drop == pass)
				print_row(o->out, &st->rows[i]);
	}
	if (st->overflow)
		fprintf(o->out,
			"pwru summary: %" PRIu64 " event%s in rows past the first %d, "
			"not shown\n",
			st->overflow, plural(st->overflow), MAX_ROWS);
	u64map_free(st->index);
	u64map_free(st->skbs);
	free(st);
	o->priv = NULL;
	return fflush(o->out) ? -1 : 0;
}

const struct sink_ops sink_summary = {
    .name = "summary",
    .open = summary_open,
    .record = summary_record,
    .close = summary_close,
};
