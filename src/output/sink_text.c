// SPDX-License-Identifier: GPL-2.0
/* cilium/pwru's default text layout, byte for byte: one line per event under one header. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "src/output/sink.h"
#include "src/output/tuple_text.h"

#define COL_WIDTH 16 /* PROCESS and IFACE */

struct text_state {
	int tuple_width; /* the longest tuple printed so far: columns only ever widen */
};

/* Longer than the column: keep the tail, mark the cut with '~'. */
static const char *fit_tail(const char *s, char *buf)
{
	size_t n = strlen(s);

	if (n <= COL_WIDTH)
		return s;
	memcpy(buf, s + n - COL_WIDTH, COL_WIDTH + 1);
	buf[0] = '~';
	return buf;
}

static void centre(const char *s, char out[COL_WIDTH + 1])
{
	size_t n = strlen(s), left = (COL_WIDTH - n) / 2;

	memset(out, ' ', COL_WIDTH);
	memcpy(out + left, s, n);
	out[COL_WIDTH] = '\0';
}

static int text_open(struct sink *o)
{
	struct text_state *st = calloc(1, sizeof(*st));
	char iface[COL_WIDTH + 1];

	if (!st)
		return -1;
	o->priv = st;
	fprintf(o->out, "%-18s %-3s %-16s", "SKB", "CPU", "PROCESS");
	if (o->opts->meta) {
		centre("IFACE", iface);
		fprintf(o->out, " %-10s %-8s %16s %-6s %-5s %-5s", "NETNS", "MARK/x", iface,
			"PROTO", "MTU", "LEN");
	}
	if (o->opts->tuple)
		fputs(" TUPLE", o->out);
	fputs(" FUNC\n", o->out);
	return fflush(o->out) ? -1 : 0;
}

static int put_process(const struct pwru_record *r, char *p, size_t len)
{
	char name[4096 + 16], cut[COL_WIDTH + 1];

	record_process_text(r, name, sizeof(name));
	return snprintf(p, len, " %-16s", fit_tail(name, cut));
}

static int put_meta(const struct pwru_event *ev, char *p, size_t len)
{
	char ifname[PWRU_IFNAMSIZ + 1], iface[64], cut[COL_WIDTH + 1], col[COL_WIDTH + 1];

	memcpy(ifname, ev->ifname, PWRU_IFNAMSIZ);
	ifname[PWRU_IFNAMSIZ] = '\0';
	if (ifname[0])
		snprintf(iface, sizeof(iface), "%s:%u", ifname, ev->ifindex);
	else
		snprintf(iface, sizeof(iface), "%u", ev->ifindex);
	centre(fit_tail(iface, cut), col);
	return snprintf(p, len, " %-10u %-8x %16s 0x%04x %-5u %-5u", ev->netns, ev->mark, col,
			ev->protocol, ev->mtu, ev->len);
}

static int text_record(struct sink *o, const struct pwru_record *r)
{
	const struct pwru_event *ev = r->ev;
	struct text_state *st = o->priv;
	char line[1024], tuple[TUPLE_TEXT_MAX];
	size_t n;
	int w;

	n = (size_t)snprintf(line, sizeof(line), "0x%-16" PRIx64 " %-3u", ev->skb, ev->cpu);
	n += (size_t)put_process(r, line + n, sizeof(line) - n);
	if (o->opts->meta)
		n += (size_t)put_meta(ev, line + n, sizeof(line) - n);
	if (o->opts->tuple) {
		w = (int)tuple_text(&ev->tuple, tuple, sizeof(tuple));
		if (w > st->tuple_width)
			st->tuple_width = w;
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %-*s", st->tuple_width, tuple);
	}
	if (n < sizeof(line) - 2) {
		line[n++] = ' ';
		n += record_func_text(r, line + n, sizeof(line) - n - 1);
	}
	line[n++] = '\n';
	/* One write per line: a reader never sees half an event. */
	return fwrite(line, 1, n, o->out) == n ? 0 : -1;
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
