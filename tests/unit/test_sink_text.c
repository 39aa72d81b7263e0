// SPDX-License-Identifier: GPL-2.0
/* The text sink against cilium/pwru's layout, byte for byte, through the real pipeline. */
#include "sink_harness.h"
#include "src/output/tuple_text.h"

extern const struct sink_ops sink_text;

/* Runs begin, the events, end; returns what went to the event stream. */
static char *render(const struct pwru_event *evs, int n, bool meta, bool tuple)
{
	struct sink_opts so = {.meta = meta, .tuple = tuple};
	struct rendered r = render_events(&sink_text, &so, evs, n, 0);
	char want[64];

	ok(!r.rc, "pipeline calls succeed");
	snprintf(want, sizeof(want), "pwru: %d event%s, 0 lost\n", n, n == 1 ? "" : "s");
	is_str(r.diag, want, "closing count on the diag stream, nothing else");
	free(r.diag);
	return r.out;
}

#define HEADER                                                                                     \
	"SKB                CPU PROCESS          NETNS      MARK/x        IFACE"                   \
	"       PROTO  MTU   LEN   TUPLE FUNC\n"

static void test_pwru_sample(void)
{
	struct pwru_event ev = sample_event();
	char *t = render(&ev, 1, true, true);

	is_str(t,
	       HEADER
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 4026531840 0             eth0:2      "
	       "0x0800 1500  60    10.0.2.15:43026->1.0.0.1:8080(tcp) nf_hook_slow\n",
	       "header and line match pwru's published sample byte for byte");
	free(t);
	t = render(&ev, 1, false, false);
	is_str(t,
	       "SKB                CPU PROCESS          FUNC\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 nf_hook_slow\n",
	       "--output-meta=false --output-tuple=false drop their columns");
	free(t);
}

static void test_drop_and_v6(void)
{
	struct pwru_event ev[4];
	static const unsigned char v6s[16] = {0x26, 0x06, 0x47, 0, 0x47, 0, [15] = 0x11};
	static const unsigned char v6d[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	char *t, *line;

	ev[0] = sample_event();
	ev[0].tuple.l3_proto = 0x86dd;
	memcpy(ev[0].tuple.saddr, v6s, 16);
	memcpy(ev[0].tuple.daddr, v6d, 16);
	ev[0].protocol = 0x86dd;
	ev[0].addr = ADDR_IP6_RCV_CORE + 4; /* four bytes in: after an endbr64 */
	ev[1] = sample_event();
	ev[1].addr = ADDR_KFREE_REASON;
	ev[1].arg2 = 0xdead00000006ULL; /* only the low 32 bits carry the enum */
	ev[2] = sample_event();
	ev[2].addr = ADDR_SK_DROP;
	ev[2].arg3 = 2;
	ev[3] = sample_event();
	ev[3].addr = ADDR_KFREE_REASON;
	ev[3].arg2 = 999;
	t = render(ev, 4, true, true);
	line = t ? strchr(t, '\n') + 1 : NULL;
	ok(line && strstr(line, " [2606:4700:4700::11]:43026->[2001:db8::1]:8080(tcp) "
				"ip6_rcv_core\n"),
	   "IPv6 tuple in brackets, zero run compressed; endbr offset still names the function");
	ok(t && strstr(t, "0x86dd"), "IPv6 protocol column");
	ok(t && strstr(t, "10.0.2.15:43026->1.0.0.1:8080(tcp)"
			  "                  "
			  "kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP)\n"),
	   "a shorter tuple is padded to the longest so far (51: 17 + 1 spaces); drop reason "
	   "from arg2");
	ok(t && strstr(t, " sk_skb_reason_drop(SKB_DROP_REASON_NOT_SPECIFIED)\n"),
	   "sk_skb_reason_drop takes its reason from arg3");
	ok(t && strstr(t, " kfree_skb_reason (999)\n"), "unknown reason prints the number");
	free(t);
}

/* Tracepoint events: the address is an index in the probe layer's names. */
static void test_tracepoints(void)
{
	struct pwru_event ev[3];
	char *t;
	int i;

	for (i = 0; i < 3; i++) {
		ev[i] = sample_event();
		ev[i].type = PWRU_EV_TRACEPOINT;
	}
	ev[0].addr = 0;
	ev[1].addr = 1;
	ev[1].arg3 = 2;
	ev[2].addr = 1;
	ev[2].arg3 = 999;
	t = render(ev, 3, true, true);
	ok(t && strstr(t, "(tcp) tp:net_dev_queue\n"), "a tracepoint is named tp:NAME");
	ok(t && strstr(t, "(tcp) tp:kfree_skb(SKB_DROP_REASON_NOT_SPECIFIED)\n"),
	   "tp:kfree_skb takes its reason from its third argument");
	ok(t && strstr(t, "(tcp) tp:kfree_skb\n"),
	   "a value that names no reason (a kernel whose tracepoint has none) is left out");
	free(t);
}

static void test_columns(void)
{
	struct pwru_event ev = sample_event();
	char *t;

	ev.pid = 123456;
	memcpy(ev.comm, "ksoftirqd/12345", 16);
	memcpy(ev.ifname, "averyveryverylo", 16);
	ev.ifindex = 12345;
	ev.addr = 0xffffffff81f00000ULL;
	ev.tuple = (struct pwru_tuple){0};
	ev.mark = 0xc0ffee;
	ev.protocol = 0x0806;
	t = render(&ev, 1, true, true);
	ok(t && strstr(t, " ~qd/12345:123456 "), "PROCESS keeps the last 16 characters behind '~'");
	ok(t && strstr(t, " c0ffee   ~eryverylo:12345 0x0806 "),
	   "MARK in hex; a long IFACE is cut the same way");
	ok(t && strstr(t, " :0->:0() 0xffffffff81f00000\n"),
	   "no IP header: empty tuple; unknown address in hex");
	free(t);
	ev = sample_event();
	memset(ev.ifname, 0, sizeof(ev.ifname));
	ev.ifindex = 0;
	ev.pid = 0;
	memset(ev.comm, 0, sizeof(ev.comm));
	t = render(&ev, 1, true, true);
	ok(t && strstr(t, " <empty>:0        4026531840 0               0         0x0800"),
	   "no device: bare ifindex centred; no task name: <empty>");
	free(t);
}

/* --output-netns-names' column is --netns-names-max-length wide, at least 10 (pwru's floor). */
static void test_netns_name_width(void)
{
	struct pwru_event ev = sample_event();
	struct sink_opts so = {.meta = true, .tuple = true, .netns_names = true, .netns_width = 12};
	struct rendered r = render_events(&sink_text, &so, &ev, 1, 0);

	ok(r.out && strstr(r.out, " LEN    NETNS NAME  TUPLE FUNC\n"),
	   "header: NETNS NAME centred in 12");
	ok(r.out && strstr(r.out, " 60                 10.0.2.15:"), "no name: 12 blanks");
	rendered_free(&r);
	so.netns_width = 4;
	r = render_events(&sink_text, &so, &ev, 1, 0);
	ok(r.out && strstr(r.out, " LEN   NETNS NAME TUPLE FUNC\n"), "below 10: 10, as pwru");
	rendered_free(&r);
}

static void test_addr_text(void)
{
	unsigned char a[16] = {0};
	char buf[64];

	a[15] = 1;
	addr_text(a, 0x86dd, buf, sizeof(buf));
	is_str(buf, "[::1]", "loopback");
	memset(a, 0, 16);
	addr_text(a, 0x86dd, buf, sizeof(buf));
	is_str(buf, "[::]", "all zero");
	memset(a, 0, 16);
	a[10] = a[11] = 0xff, a[12] = 192, a[13] = 0, a[14] = 2, a[15] = 1;
	addr_text(a, 0x86dd, buf, sizeof(buf));
	is_str(buf, "[192.0.2.1]", "IPv4-mapped prints dotted, as Go does");
	memset(a, 0, 16);
	a[0] = 0x20, a[1] = 0x01, a[3] = 1, a[9] = 1, a[15] = 1; /* 2001:1:0:0:1:0:0:1 */
	addr_text(a, 0x86dd, buf, sizeof(buf));
	is_str(buf, "[2001:1::1:0:0:1]", "first of two equal zero runs is compressed");
	memset(a, 0, 16);
	a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[5] = 1, a[7] = 1, a[9] = 1, a[11] = 1,
	a[13] = 1, a[15] = 1;
	addr_text(a, 0x86dd, buf, sizeof(buf));
	is_str(buf, "[2001:db8:1:1:1:1:1:1]", "no zero run: nothing compressed");
	a[4] = a[5] = 0;
	addr_text(a, 0x86dd, buf, sizeof(buf));
	is_str(buf, "[2001:db8:0:1:1:1:1:1]", "a single zero group stays 0");
}

/* Losses: one notice on stderr as they happen, and the count at the end. */
static void test_lost(void)
{
	struct pwru_event ev = sample_event();
	struct sink_opts so = {.meta = true, .tuple = true};
	struct rendered r = render_events(&sink_text, &so, &ev, 1, 7);

	ok(!r.rc, "pipeline calls succeed");
	is_str(r.diag,
	       "pwru: 7 events lost so far: the ring buffer was full (narrow the pcap-filter or "
	       "--filter-func, or a larger --ringbuf-size)\n"
	       "pwru: 1 event, 7 lost\n",
	       "loss notice, then the closing count with the loss");
	ok(r.out && !strstr(r.out, "lost"), "the event stream carries no loss text");
	rendered_free(&r);
}

/* --output-tunnel: the inner tuple last, an empty one when the record has none. */
static void test_tunnel(void)
{
	struct sink_opts so = {.meta = true, .tuple = true, .tunnel = true};
	struct pwru_event ev = sample_event();
	struct pwru_tuple in = {.saddr = {192, 168, 42, 1},
				.daddr = {192, 168, 42, 3},
				.l3_proto = 0x0800,
				.l4_proto = 1};
	struct rec recs[2];
	struct rendered r;

	rec_start(&recs[0], &ev);
	rec_section(&recs[0], PWRU_SEC_TUNNEL, &in, sizeof(in));
	rec_start(&recs[1], &ev);
	r = render_recs(&sink_text, &so, recs, 2, 0);
	ok(!r.rc && r.out, "rendered");
	ok(r.out && strstr(r.out, " TUPLE FUNC TUNNEL\n"), "the header ends with TUNNEL");
	ok(r.out && strstr(r.out, " nf_hook_slow 192.168.42.1:0->192.168.42.3:0(icmp)\n"),
	   "the inner tuple follows FUNC");
	ok(r.out && strstr(r.out, " nf_hook_slow :0->:0()\n"),
	   "no tunnel: an empty tuple, as cilium/pwru");
	rendered_free(&r);
}

/*
 * --output-skb-metadata: " name=value" after FUNC, by kind; nothing without the section.
 * --output-xdp-metadata's names go with the XDP section.
 */
static void test_metadata(void)
{
	char *names[] = {"skb->len", "skb->dev->ifindex", "skb->sk"}, *xdp[] = {"xdp->rxq"};
	struct sink_opts so = {
	    .meta = true,
	    .tuple = true,
	    .metadata = {names, 3, {SKB_VALUE_UNSIGNED, SKB_VALUE_SIGNED, SKB_VALUE_POINTER}},
	    .xdp_metadata = {xdp, 1, {SKB_VALUE_POINTER}}};
	uint64_t v[PWRU_METADATA_N] = {1028, (uint64_t)-1, 0xffff888001234500ULL},
		 xv[PWRU_METADATA_N] = {0xffff888001234500ULL};
	struct pwru_event ev = sample_event();
	struct rec recs[3];
	struct rendered r;

	rec_start(&recs[0], &ev);
	rec_section(&recs[0], PWRU_SEC_METADATA, v, sizeof(v));
	rec_start(&recs[1], &ev);
	rec_start(&recs[2], &ev);
	rec_section(&recs[2], PWRU_SEC_XDP_METADATA, xv, sizeof(xv));
	r = render_recs(&sink_text, &so, recs, 3, 0);
	ok(!r.rc && r.out, "rendered");
	ok(r.out && strstr(r.out, " nf_hook_slow skb->len=1028 skb->dev->ifindex=-1 "
				  "skb->sk=0xffff888001234500\n"),
	   "the values after FUNC: unsigned, signed, a pointer in hex");
	ok(r.out && strstr(r.out, " nf_hook_slow\n"), "a record without the section: none");
	ok(r.out && strstr(r.out, " nf_hook_slow xdp->rxq=0xffff888001234500\n"),
	   "an XDP section: the --output-xdp-metadata names");
	rendered_free(&r);
}

int main(void)
{
	harness_init();
	test_pwru_sample();
	test_drop_and_v6();
	test_tracepoints();
	test_columns();
	test_netns_name_width();
	test_addr_text();
	test_lost();
	test_tunnel();
	test_metadata();
	harness_done();
	return tap_done();
}
