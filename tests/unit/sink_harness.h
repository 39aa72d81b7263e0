/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recorded events for the sink tests: records built byte by byte in the layout of
 * bpf/event.h, run through the real pipeline (decode, enrich, sink) into a memory stream.
 */
#ifndef PWRU_SINK_HARNESS_H
#define PWRU_SINK_HARNESS_H

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "src/output/drop_reason.h"
#include "src/output/pipeline.h"
#include "src/output/nft_names.h"
#include "src/output/prog_names.h"

static const char harness_ksyms[] =
    "ffffffff81000000 T _text\n"
    "ffffffff81100000 T consume_skb\n"
    "ffffffff81200000 t skb_release_head_state\n"
    "ffffffff81300000 t skb_release_data\n"
    "ffffffff81400000 T tcp_v4_rcv\n"
    "ffffffff81a00000 T nf_hook_slow\n"
    "ffffffff81b00000 T kfree_skb_reason\n"
    "ffffffff81c00000 T sk_skb_reason_drop\n"
    "ffffffff81d00000 t ip6_rcv_core\n"
    "ffffffff81d80000 T bpf_trace_run4\n"
    "ffffffff81e10000 T ip_rcv\n"
    "ffffffff81e20000 T icmp_rcv\n"
    "ffffffff81e30000 T kfree_skbmem\n"
    "ffffffff81e40000 T bpf_skb_event_output\n"
    "ffffffffc0a00000 t nft_do_chain\t[nf_tables]\n"
    "ffffffffc0a10000 t nft_do_chain_inet\t[nf_tables]\n"
    "ffffffffc0b00000 t bpf_trampoline_6442535351\t[bpf]\n"
    "ffffffffc0c00000 t cls_bpf_classify\t[cls_bpf]\n"
    "ffffffffc0d00000 t bpf_prog_6deef7357e7b4530_cil_from_container\t[bpf]\n"
    "ffffffffc0e00000 t bpf_prog_24f0c1c3d4b5a697___send_drop_notify\t[bpf]\n"
    "ffffffffc0f00000 t veth_xdp_rcv_skb\t[veth]\n";

#define ADDR_NF_HOOK_SLOW 0xffffffff81a00000ULL
#define ADDR_KFREE_REASON 0xffffffff81b00000ULL
#define ADDR_SK_DROP	  0xffffffff81c00000ULL
#define ADDR_IP6_RCV_CORE 0xffffffff81d00000ULL
#define ADDR_TRACE_RUN4	  0xffffffff81d80000ULL
#define ADDR_IP_RCV	  0xffffffff81e10000ULL
#define ADDR_ICMP_RCV	  0xffffffff81e20000ULL
#define ADDR_KFREE_SKBMEM 0xffffffff81e30000ULL
#define ADDR_NFT_DO_CHAIN 0xffffffffc0a00000ULL

/* nft_do_chain's chains as FUNC names them: NULL unless a test sets it. */
static struct nft_names *harness_nft;
/* PWRU_EV_TRACEPOINT events: addr is the index into render_recs' tp_names */
enum { TP_NET_DEV_QUEUE, TP_KFREE_SKB, TP_CONSUME_SKB, TP_SKB_COPY_DATAGRAM_IOVEC };
#define ADDR_SKB_OUTPUT	  0xffffffff81e40000ULL
#define ADDR_CONSUME_SKB  0xffffffff81100000ULL
#define ADDR_RELEASE_HEAD 0xffffffff81200000ULL
#define ADDR_RELEASE_DATA 0xffffffff81300000ULL
#define ADDR_TCP_V4_RCV	  0xffffffff81400000ULL
#define ADDR_NFT_INET	  0xffffffffc0a10000ULL
#define ADDR_TRAMPOLINE	  0xffffffffc0b00000ULL
#define ADDR_CLS_BPF	  0xffffffffc0c00000ULL
#define ADDR_PROG_CIL	  0xffffffffc0d00000ULL
#define ADDR_PROG_NOTIFY  0xffffffffc0e00000ULL
#define ADDR_VETH_XDP	  0xffffffffc0f00000ULL

static struct kallsyms *harness_ks;
static struct drop_reasons *harness_dr;
static struct prog_names *harness_progs; /* tc/XDP programs: set by the tests that need it */
static struct symbolizer *harness_syms;	 /* NULL: records are not symbolized */

/* A kernel-like enum, so the tests do not depend on this machine's drop reasons. */
static inline void harness_init(void)
{
	struct btf *btf = btf__new_empty();
	int id = btf__add_enum(btf, "skb_drop_reason", 4);

	btf__add_enum_value(btf, "SKB_NOT_DROPPED_YET", 0);
	btf__add_enum_value(btf, "SKB_CONSUMED", 1);
	btf__add_enum_value(btf, "SKB_DROP_REASON_NOT_SPECIFIED", 2);
	btf__add_enum_value(btf, "SKB_DROP_REASON_NETFILTER_DROP", 6);
	ok(id > 0 && !drop_reasons_load(btf, &harness_dr), "drop reasons read from a BTF enum");
	btf__free(btf);
	ok(!kallsyms_parse(harness_ksyms, sizeof(harness_ksyms) - 1, &harness_ks), "symbols parse");
}

static inline void harness_done(void)
{
	drop_reasons_free(harness_dr);
	kallsyms_free(harness_ks);
}

/* pwru's published sample: curl's TCP SYN at nf_hook_slow. */
static inline struct pwru_event sample_event(void)
{
	struct pwru_event ev = {
	    .skb = 0xffff8bb7038b6900ULL,
	    .addr = ADDR_NF_HOOK_SLOW,
	    .cpu = 3,
	    .pid = 227116,
	    .netns = 4026531840u,
	    .mark = 0,
	    .ifindex = 2,
	    .len = 60,
	    .mtu = 1500,
	    .protocol = 0x0800,
	    .comm = "/usr/bin/curl",
	    .ifname = "eth0",
	    .size = sizeof(struct pwru_event),
	};
	static const unsigned char s[4] = {10, 0, 2, 15}, d[4] = {1, 0, 0, 1};

	memcpy(ev.tuple.saddr, s, 4);
	memcpy(ev.tuple.daddr, d, 4);
	ev.tuple.sport = htons(43026);
	ev.tuple.dport = htons(8080);
	ev.tuple.l3_proto = 0x0800;
	ev.tuple.l4_proto = 6;
	ev.tuple.tcp_flags = 0x02;
	return ev;
}

/* A record under construction: the event, then sections appended. */
struct rec {
	uint64_t b[PWRU_RECORD_MAX / 8 + 8];
	size_t len;
};

static inline void rec_start(struct rec *r, const struct pwru_event *ev)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->b, ev, sizeof(*ev));
	r->len = sizeof(*ev);
	((struct pwru_event *)r->b)->size = (pwru_u16)r->len;
}

static inline void rec_section(struct rec *r, uint16_t kind, const void *payload, uint16_t len)
{
	struct pwru_section s = {.kind = kind, .len = len};
	uint8_t *p = (uint8_t *)r->b + r->len;

	memcpy(p, &s, sizeof(s));
	memcpy(p + sizeof(s), payload, len);
	r->len += sizeof(s) + PWRU_ALIGN8((size_t)len);
	((struct pwru_event *)r->b)->size = (pwru_u16)r->len;
}

static inline void rec_packet(struct rec *r, uint8_t link, const void *bytes, uint16_t cap,
			      uint32_t orig)
{
	uint8_t buf[sizeof(struct pwru_packet) + PWRU_SNAPLEN_MAX];
	struct pwru_packet p = {.orig_len = orig, .cap_len = cap, .link = link};

	memcpy(buf, &p, sizeof(p));
	memcpy(buf + sizeof(p), bytes, cap);
	rec_section(r, PWRU_SEC_PACKET, buf, (uint16_t)(sizeof(p) + cap));
}

struct rendered {
	char *out;  /* the sink's stream */
	char *diag; /* stderr's */
	size_t out_len;
	int rc;
};

/* Runs N records through a pipeline holding one sink OPS; LOST: the closing loss count. */
static inline struct rendered render_recs(const struct sink_ops *ops, const struct sink_opts *opts,
					  struct rec *recs, int n, uint64_t lost)
{
	struct rendered res = {0};
	size_t dlen = 0;
	static const char *const tp_names[] = {"tp:net_dev_queue", "tp:kfree_skb", "tp:consume_skb",
					       "tp:skb_copy_datagram_iovec"};
	struct pipeline p = {.en = {.ksyms = harness_ks,
				    .reasons = harness_dr,
				    .progs = harness_progs,
				    .tp_names = tp_names,
				    .n_tp_names = 4,
				    .syms = harness_syms,
				    .nft = harness_nft}};
	FILE *out = open_memstream(&res.out, &res.out_len);
	int i;

	p.diag = open_memstream(&res.diag, &dlen);
	res.rc |= pipeline_add(&p, ops, out, opts);
	res.rc |= pipeline_open(&p);
	for (i = 0; i < n; i++)
		res.rc |= pipeline_record(&p, recs[i].b, recs[i].len);
	/* as the event loop's first check after losses: to the outputs and on stderr */
	if (lost) {
		pipeline_lost(&p, lost);
		pipeline_say_lost(&p, lost);
	}
	res.rc |= pipeline_close(&p, lost);
	fclose(out);
	fclose(p.diag);
	return res;
}

/* The same for plain events (no sections). */
static inline struct rendered render_events(const struct sink_ops *ops,
					    const struct sink_opts *opts,
					    const struct pwru_event *evs, int n, uint64_t lost)
{
	struct rec *recs = calloc((size_t)n, sizeof(*recs));
	struct rendered res;
	int i;

	for (i = 0; i < n; i++)
		rec_start(&recs[i], &evs[i]);
	res = render_recs(ops, opts, recs, n, lost);
	free(recs);
	return res;
}

static inline void rendered_free(struct rendered *r)
{
	free(r->out);
	free(r->diag);
}

#endif
