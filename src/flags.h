/* SPDX-License-Identifier: GPL-2.0 */
/* The command line: one table of flags, parsed pwru style, help generated from the table. */
#ifndef PWRU_FLAGS_H
#define PWRU_FLAGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "src/error.h"

#define FLAG_LIST_MAX 4

/* A flag given several times, in order. */
struct flag_list {
	char *v[FLAG_LIST_MAX];
	int n;
};

struct pwru_config {
	char *filter_func;
	char *filter_netns; /* "inode:N" or a path such as /proc/PID/ns/net */
	char *filter_ifname;
	uint32_t filter_mark;
	uint32_t filter_mark_mask; /* 0: no mark filter */
	char *backend;		   /* NULL: choose automatically */
	char *kernel_btf;
	char *kmods; /* "a,b": modules to scan besides vmlinux; NULL: see all_kmods/no_kmods */
	bool all_kmods;
	bool no_kmods;
	bool filter_trace_tc;  /* fentry/fexit on every tc program with BTF */
	bool filter_trace_xdp; /* and on every XDP program */
	char *ready_file;
	bool output_stack;
	bool output_caller;
	bool filter_track_bpf_helpers;
	bool output_bpfmap; /* the map operations of the functions those add */
	char *vmlinux;	    /* NULL: look where distributions install debug info */
	char *check_filter;
	bool list_funcs;
	bool debug;
	uint64_t kprobe_batch;	     /* pwru's --filter-kprobe-batch; FLAGS_UNSET: not given */
	uint64_t output_limit_lines; /* 0: no limit */
	bool output_meta;
	bool output_tuple;
	bool output_tcp_flags;
	bool output_skb_cb;
	bool output_netns_names;
	uint64_t netns_names_max_length; /* NETNS NAME's width */
	uint64_t set_percpu_buf;	 /* pwru's, accepted and not used */
	bool output_cilium;		 /* skb->mark in Cilium's layout */
	char *node_name;		 /* --node-name: "node" in every JSON object */
	bool output_json;
	char *timestamp; /* none|current|relative|absolute; NULL: none */
	char *output_file;
	uint64_t output_file_max_size; /* MB */
	uint64_t output_file_max_backups;
	uint64_t output_file_max_age; /* days */
	bool output_file_compress;
	char *output_pcap;
	uint64_t output_snaplen;
	bool summary;
	char *output_chains;   /* NULL: off; "text": the flag alone; "path": =path */
	uint64_t ringbuf_size; /* bytes */
	bool filter_track_skb;
	bool filter_track_skb_by_stackid;
	uint64_t filter_track_size;  /* skbs followed at once */
	char *filter_non_skb_funcs;  /* "f,g" */
	char *filter_tunnel_pcap_l2; /* pcap expressions on a tunnel's inner packet */
	char *filter_tunnel_pcap_l3;
	bool output_tunnel;
	char *filter_skb_expr;		      /* on BTF fields: skb->dev->ifindex == 2 */
	struct flag_list output_skb_metadata; /* skb->hash ... */
	char *filter_xdp_expr;		      /* the same on --filter-trace-xdp's xdp_buff */
	struct flag_list output_xdp_metadata; /* xdp->rxq->queue_index ... */
	bool output_skb;		      /* bpf_snprintf_btf() dumps */
	bool output_skb_shared_info;
	bool help;
	bool version;
	char *pcap_expr; /* the positional arguments joined with spaces */
	/* the first switch given a separate true/false word, which went to pcap_expr */
	const char *bool_word_flag, *bool_word;
};

#define FLAGS_UNSET UINT64_MAX

/* Fills CFG from ARGV. Returns 0, or -1 with E set (bad input for every usage error). */
int flags_parse(int argc, char **argv, struct pwru_config *cfg, struct pwru_err *e);
void flags_usage(FILE *out);

/* One flag as --help, the man page and the shell completions show it (src/flags_doc.c). */
struct flag_doc {
	const char *name;
	const char *arg;   /* the value's placeholder; NULL: a switch (--name, --name=false) */
	bool optional_arg; /* --name alone, or --name=VALUE */
	const char *help;
	/* words the value may be, or @file @backend @module @ifname @netns; NULL: anything */
	const char *values;
};

size_t flags_doc_count(void);
/* The I-th flag of the table; a help text made at run time (--backend's) goes into BUF. */
void flags_doc_at(size_t i, struct flag_doc *d, char *buf, size_t len);
void flags_free(struct pwru_config *cfg);

/* "mark[/mask]", each hex (0x...) or decimal. Exposed for tests. */
int flags_parse_mark(const char *s, uint32_t *mark, uint32_t *mask);

#endif
