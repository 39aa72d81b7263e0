// SPDX-License-Identifier: GPL-2.0
/* The text output against cilium/pwru's layout, byte for byte. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "src/output/drop_reason.h"
#include "src/output/output.h"
#include "src/output/tuple_text.h"

static const char ksyms_text[] = "ffffffff81000000 T _text\n"
				 "ffffffff81a00000 T nf_hook_slow\n"
				 "ffffffff81b00000 T kfree_skb_reason\n"
				 "ffffffff81c00000 T sk_skb_reason_drop\n"
				 "ffffffff81d00000 t ip6_rcv_core\n";

static struct kallsyms *ks;
static struct drop_reasons *dr;

/* A kernel-like enum, so the test does not depend on this machine's drop reasons. */
static struct drop_reasons *fake_reasons(void)
{
	struct btf *btf = btf__new_empty();
	struct drop_reasons *r = NULL;
	int id = btf__add_enum(btf, "skb_drop_reason", 4);

	btf__add_enum_value(btf, "SKB_NOT_DROPPED_YET", 0);
	btf__add_enum_value(btf, "SKB_DROP_REASON_NOT_SPECIFIED", 2);
	btf__add_enum_value(btf, "SKB_DROP_REASON_NETFILTER_DROP", 6);
	ok(id > 0 && !drop_reasons_load(btf, &r), "drop reasons read from a BTF enum");
	btf__free(btf);
	return r;
}

static struct pwru_event sample_event(void)
{
	struct pwru_event ev = {
	    .skb = 0xffff8bb7038b6900ULL,
	    .addr = 0xffffffff81a00000ULL,
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
	};
	static const unsigned char s[4] = {10, 0, 2, 15}, d[4] = {1, 0, 0, 1};

	memcpy(ev.tuple.saddr, s, 4);
	memcpy(ev.tuple.daddr, d, 4);
	ev.tuple.sport = htons(43026);
	ev.tuple.dport = htons(8080);
	ev.tuple.l3_proto = 0x0800;
	ev.tuple.l4_proto = 6;
	return ev;
}

/* Runs begin, the events, end; returns what went to the event stream. */
static char *render(const struct pwru_event *evs, int n, bool meta, bool tuple)
{
	char *text = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	struct output o = {
	    .ops = &output_text, .meta = meta, .tuple = tuple, .ksyms = ks, .reasons = dr};
	struct output_stats st = {.events = (uint64_t)n, .lost = 7};
	int i, rc = 0;

	o.out = open_memstream(&text, &len);
	o.diag = open_memstream(&diag, &dlen);
	rc |= o.ops->begin(&o);
	for (i = 0; i < n; i++)
		rc |= o.ops->event(&o, &evs[i]);
	rc |= o.ops->end(&o, &st);
	fclose(o.out);
	fclose(o.diag);
	ok(!rc, "output calls succeed");
	is_str(diag, n == 1 ? "pwru: 1 events, 7 lost\n" : diag, "summary line on the diag stream");
	free(diag);
	return text;
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
	ev[0].addr = 0xffffffff81d00004ULL; /* four bytes in: after an endbr64 */
	ev[1] = sample_event();
	ev[1].addr = 0xffffffff81b00000ULL;
	ev[1].arg2 = 0xdead00000006ULL; /* only the low 32 bits carry the enum */
	ev[2] = sample_event();
	ev[2].addr = 0xffffffff81c00000ULL;
	ev[2].arg3 = 2;
	ev[3] = sample_event();
	ev[3].addr = 0xffffffff81b00000ULL;
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

static void test_columns(void)
{
	struct pwru_event ev = sample_event();
	char *t;

	ev.pid = 123456;
	memcpy(ev.comm, "ksoftirqd/12345", 16);
	memcpy(ev.ifname, "averyveryverylo", 16);
	ev.ifindex = 12345;
	ev.addr = 0xffffffff81e00000ULL;
	ev.tuple = (struct pwru_tuple){0};
	ev.mark = 0xc0ffee;
	ev.protocol = 0x0806;
	t = render(&ev, 1, true, true);
	ok(t && strstr(t, " ~qd/12345:123456 "), "PROCESS keeps the last 16 characters behind '~'");
	ok(t && strstr(t, " c0ffee   ~eryverylo:12345 0x0806 "),
	   "MARK in hex; a long IFACE is cut the same way");
	ok(t && strstr(t, " :0->:0() 0xffffffff81e00000\n"),
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

int main(void)
{
	ok(!kallsyms_parse(ksyms_text, sizeof(ksyms_text) - 1, &ks), "symbols parse");
	dr = fake_reasons();
	test_pwru_sample();
	test_drop_and_v6();
	test_columns();
	test_addr_text();
	drop_reasons_free(dr);
	kallsyms_free(ks);
	return tap_done();
}
