/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where records go. A sink is a file of its own defining one struct sink_ops, and a line in
 * the table of sinks.c; several sinks run side by side (text on stdout, pcapng to a file),
 * each with its own stream and state, so adding one touches no other.
 */
#ifndef PWRU_SINK_H
#define PWRU_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "filters/skb_expr.h"
#include "src/output/fmt.h"
#include "src/output/record.h"

struct output_stats {
	uint64_t events;       /* delivered to the sinks */
	uint64_t lost;	       /* dropped in the kernel: ring buffer full */
	uint64_t lost_nested;  /* dropped in the kernel: programs nested past their buffers */
	uint64_t unwritten;    /* recorded before a stop, left unwritten at a second one */
	uint64_t not_seen;     /* calls the kernel ran none of pwru's programs for */
	bool not_seen_partial; /* and some such calls it does not count (kprobes before 6.7) */
};

enum ts_mode {
	TS_NONE,
	TS_CURRENT,  /* the kernel's monotonic ns (bpf_ktime_get_ns) */
	TS_RELATIVE, /* ns since the previous event of the same skb; 0 for its first */
	TS_ABSOLUTE, /* wall clock of the event, local time */
};

/* What the user asked to see; every sink reads the same options. */
/* --output-skb/xdp-metadata: the expressions as given, how their values print */
struct metadata_opts {
	char *const *names; /* without blanks */
	int n;
	enum skb_value_kind kind[SKB_METADATA_MAX];
};

struct sink_opts {
	bool meta;	  /* NETNS MARK IFACE PROTO MTU LEN */
	bool tuple;	  /* TUPLE */
	bool tcp_flags;	  /* (tcp:SYN|ACK) */
	bool cb;	  /* __sk_buff->cb[] */
	bool netns_names; /* NETNS NAME from /run/netns */
	int netns_width;  /* its column: --netns-names-max-length (below 10: 10) */
	bool progs;	  /* tc/XDP programs traced: their verdicts and Cilium's drops */
	bool cilium;	  /* skb->mark decoded in Cilium's layout */
	bool tunnel;	  /* TUNNEL: the inner packet's tuple */
	struct metadata_opts metadata;	   /* --output-skb-metadata */
	struct metadata_opts xdp_metadata; /* --output-xdp-metadata: with XDP events */
	enum ts_mode ts;
	const char *node; /* --node-name, or NULL */
	bool caller;	  /* CALLER */
	bool stack;	  /* the kernel stack under each event */
};

struct outstream;

struct sink {
	const struct sink_ops *ops;
	FILE *out;
	struct outstream *stream; /* out's, NULL for stderr (and the tests' memory streams) */
	FILE *diag;		  /* notes for the user: stderr */
	const struct sink_opts *opts;
	void *priv;
};

struct sink_ops {
	const char *name;
	/* Allocates the state, writes any header. */
	int (*open)(struct sink *s);
	int (*record)(struct sink *s, const struct pwru_record *r);
	/* Optional: time passes (NOW: the kernel's monotonic ns), with or without events. */
	int (*tick)(struct sink *s, uint64_t now);
	/* Optional: the kernel's loss count grew to TOTAL (stderr is told separately). */
	void (*lost)(struct sink *s, uint64_t total);
	/* Flushes, frees the state; the stream is the caller's to close. */
	int (*close)(struct sink *s, const struct output_stats *st);
};

/*
 * JSON's own objects, of --output-json's events and --output-chains --output-json's chains
 * alike (src/output/sink_json.c): {"type":"lost",...} when the kernel's count of lost events
 * grew to TOTAL, {"type":"end",...} last. 0, or -1 when OUT failed.
 */
int json_lost_line(FILE *out, const char *node, uint64_t total);
int json_end_line(FILE *out, const char *node, const struct output_stats *s);

/* The sink called NAME, or NULL. */
const struct sink_ops *sink_find(const char *name);

/* An --output-skb-metadata value: decimal, signed where the field is; a pointer in hex
 * between QUOTEs. */
static inline void fmt_metadata_value(struct fmt *f, enum skb_value_kind k, uint64_t v,
				      const char *quote)
{
	if (k == SKB_VALUE_POINTER) {
		fmt_str(f, quote);
		fmt_str(f, "0x");
		fmt_hex(f, v);
		fmt_str(f, quote);
	} else if (k == SKB_VALUE_SIGNED) {
		fmt_s64(f, (int64_t)v);
	} else {
		fmt_u64(f, v);
	}
}

#endif
