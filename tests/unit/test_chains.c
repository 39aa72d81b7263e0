// SPDX-License-Identifier: GPL-2.0
/* --output-chains in its three forms, on recorded events through the real pipeline. */
#include "sink_harness.h"

extern const struct sink_ops sink_chains, sink_chains_json, sink_chains_path, sink_summary;

/* skb A: a ping dropped at kfree_skb_reason then freed; skb B: never freed; then A's
 * address reused by a new packet after its free. */
static int story(struct pwru_event *ev)
{
	static const uint64_t funcs[] = {ADDR_IP_RCV, ADDR_ICMP_RCV, ADDR_KFREE_REASON,
					 ADDR_KFREE_SKBMEM};
	int i, n = 0;

	for (i = 0; i < 4; i++) {
		ev[n] = sample_event();
		ev[n].addr = funcs[i];
		ev[n].ts = 1000 + 100 * (uint64_t)i;
		ev[n].arg2 = 6;
		ev[n].tuple.sport = htons(40000); /* ephemeral */
		n++;
	}
	ev[n] = sample_event();
	ev[n].skb = 0xffff888000000100ULL;
	ev[n].addr = ADDR_IP_RCV;
	ev[n].ts = 1150;
	n++;
	ev[n] = sample_event(); /* A's address again: a new packet */
	ev[n].addr = ADDR_NF_HOOK_SLOW;
	ev[n].ts = 2000;
	n++;
	return n;
}

static void test_text(void)
{
	struct pwru_event ev[8];
	struct sink_opts so = {.meta = true};
	const char *head;
	int n = story(ev);
	struct rendered r = render_events(&sink_chains, &so, ev, n, 0);

	ok(!r.rc, "chains: pipeline calls succeed");
	is_str(r.out,
	       "skb 0xffff8bb7038b6900 10.0.2.15:40000->1.0.0.1:8080(tcp) netns 4026531840 iface "
	       "eth0:2 process /usr/bin/curl:227116\n"
	       "            +0 ns  ip_rcv\n"
	       "          +100 ns  icmp_rcv\n"
	       "          +200 ns  kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP)\n"
	       "          +300 ns  kfree_skbmem\n"
	       "  end: dropped at kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP)\n\n"
	       "skb 0xffff888000000100 10.0.2.15:43026->1.0.0.1:8080(tcp) netns 4026531840 iface "
	       "eth0:2 process /usr/bin/curl:227116\n"
	       "            +0 ns  ip_rcv\n"
	       "  end: exit\n\n"
	       "skb 0xffff8bb7038b6900 10.0.2.15:43026->1.0.0.1:8080(tcp) netns 4026531840 iface "
	       "eth0:2 process /usr/bin/curl:227116\n"
	       "            +0 ns  nf_hook_slow\n"
	       "  end: exit\n\n",
	       "chains: a block per packet, ended by its free, the drop reason at the end; a "
	       "reused address starts a new chain; the rest ends at exit, oldest first");
	rendered_free(&r);
	so.meta = false; /* the kernel read no netns nor interface: none made up */
	head = "skb 0xffff8bb7038b6900 10.0.2.15:40000->1.0.0.1:8080(tcp) process "
	       "/usr/bin/curl:227116\n";
	r = render_events(&sink_chains, &so, ev, n, 0);
	ok(r.out && !strncmp(r.out, head, strlen(head)),
	   "chains, --output-meta=false: the header has no netns nor iface");
	rendered_free(&r);
}

static void test_json(void)
{
	struct pwru_event ev[8];
	struct sink_opts so = {.meta = true};
	int n = story(ev);
	struct rendered r = render_events(&sink_chains_json, &so, ev, n, 0);
	const char *end;

	ok(r.out &&
	       !strncmp(
		   r.out,
		   "{\"type\":\"chain\",\"skb\":\"0xffff8bb7038b6900\",\"tuple\":{"
		   "\"saddr\":\"10.0.2.15\",\"daddr\":\"1.0.0.1\",\"sport\":40000,"
		   "\"dport\":8080,\"proto\":6},\"netns\":4026531840,\"iface\":\"eth0:2\","
		   "\"process\":\"/usr/bin/curl:227116\",\"end\":\"dropped\","
		   "\"drop_reason\":\"SKB_DROP_REASON_NETFILTER_DROP\",\"truncated\":false,"
		   "\"events\":[{\"func\":\"ip_rcv\",\"t\":0},{\"func\":\"icmp_rcv\",\"t\":100},",
		   300),
	   "chains json: one object per chain");
	ok(r.out && strstr(r.out, "\"end\":\"exit\"") && strstr(r.out, "\"end\":\"dropped\""),
	   "chains json: the open chains end at exit");
	rendered_free(&r);
	/* a pipeline checks its losses as with --output-json: a lost object, the end last */
	r = render_events(&sink_chains_json, &so, ev, n, 4);
	end = r.out ? strstr(r.out, "\n{\"type\":\"end\",") : NULL;
	ok(r.out && strstr(r.out, "\n{\"type\":\"lost\",\"lost\":4}\n") && end &&
	       !strcmp(strchr(end, ','), ",\"events\":6,\"lost\":4,\"lost_nested\":0,"
					 "\"not_seen\":0,\"not_seen_partial\":false}\n"),
	   "chains json: the losses and the end object, as --output-json's, the end last");
	rendered_free(&r);
	so.meta = false; /* no netns nor iface read: the keys are left out, as an event's */
	r = render_events(&sink_chains_json, &so, ev, n, 0);
	ok(r.out && strstr(r.out, "\"proto\":6},\"process\":") && !strstr(r.out, "\"netns\"") &&
	       !strstr(r.out, "\"iface\""),
	   "chains json, --output-meta=false: no netns, no iface");
	rendered_free(&r);
}

static void test_path(void)
{
	struct pwru_event ev[8], ev2[9];
	struct sink_opts so = {0};
	int n = story(ev), i;
	struct rendered r = render_events(&sink_chains_path, &so, ev, n, 0), r2;

	/* 40000 and curl's 43026 are in the kernel's default ephemeral range */
	is_str(r.out,
	       "10.0.2.15:*->1.0.0.1:8080(tcp) ip_rcv\n"
	       "10.0.2.15:*->1.0.0.1:8080(tcp) ip_rcv icmp_rcv "
	       "kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP) => dropped at "
	       "kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP)\n"
	       "10.0.2.15:*->1.0.0.1:8080(tcp) nf_hook_slow\n",
	       "path: tuple (ephemeral port as *), functions without releases, drops with reason; "
	       "sorted; no address, time, pid");
	/* the same traffic again: other skb addresses, times, pids, CPUs */
	story(ev2);
	for (i = 0; i < n; i++) {
		ev2[i].skb ^= 0x5500;
		ev2[i].ts += 777777;
		ev2[i].pid = 99;
		ev2[i].cpu = 1;
		ev2[i].tuple.sport =
		    ev[i].tuple.sport == htons(40000) ? htons(51234) : ev[i].tuple.sport;
	}
	r2 = render_events(&sink_chains_path, &so, ev2, n, 0);
	is_str(r2.out, r.out,
	       "path: a second run with other addresses, times, pids gives the same");
	/* a third packet on the same path as the second: folded */
	ev2[n] = ev2[4];
	ev2[n].skb = 0xffff888000000200ULL;
	rendered_free(&r2);
	r2 = render_events(&sink_chains_path, &so, ev2, n + 1, 0);
	is_str(r2.out, r.out, "path: a repeated path is printed once");
	rendered_free(&r);
	rendered_free(&r2);
}

/*
 * What the tracepoint backend saw of `ping -c 1` between two namespaces (tests/local
 * tp-chains.t traces the real one): the echo request is consumed at skb A, then the reply's
 * copy for the ping socket takes A's address; the reply itself (B) is dropped.
 */
static int tp_story(struct pwru_event *ev, uint64_t t0)
{
	static const struct {
		int tp;
		uint64_t skb;
		bool reply;
	} steps[] = {
	    {TP_NET_DEV_QUEUE, 0xa00, false},	       {TP_CONSUME_SKB, 0xa00, false},
	    {TP_NET_DEV_QUEUE, 0xb00, true},	       {TP_KFREE_SKB, 0xb00, true},
	    {TP_SKB_COPY_DATAGRAM_IOVEC, 0xa00, true}, {TP_CONSUME_SKB, 0xa00, true},
	};
	int i;

	for (i = 0; i < 6; i++) {
		ev[i] = sample_event();
		ev[i].type = PWRU_EV_TRACEPOINT;
		ev[i].addr = (uint64_t)steps[i].tp;
		ev[i].skb = 0xffff888000000000ULL | steps[i].skb;
		ev[i].ts = t0 + 1000 * (uint64_t)i;
		ev[i].arg3 = 2; /* tp:kfree_skb's reason */
		if (steps[i].reply) {
			struct pwru_tuple t = ev[i].tuple;

			memcpy(ev[i].tuple.saddr, t.daddr, sizeof(t.daddr));
			memcpy(ev[i].tuple.daddr, t.saddr, sizeof(t.saddr));
			ev[i].tuple.sport = t.dport;
			ev[i].tuple.dport = t.sport;
		}
	}
	return 6;
}

static void test_tracepoints(void)
{
	struct pwru_event ev[12];
	struct sink_opts so = {.meta = true};
	struct rendered r, r2;
	int n = tp_story(ev, 1000);

	r = render_events(&sink_chains, &so, ev, n, 0);
	is_str(r.out,
	       "skb 0xffff888000000a00 10.0.2.15:43026->1.0.0.1:8080(tcp) netns 4026531840 iface "
	       "eth0:2 process /usr/bin/curl:227116\n"
	       "            +0 ns  tp:net_dev_queue\n"
	       "         +1000 ns  tp:consume_skb\n"
	       "  end: freed\n\n"
	       "skb 0xffff888000000b00 1.0.0.1:8080->10.0.2.15:43026(tcp) netns 4026531840 iface "
	       "eth0:2 process /usr/bin/curl:227116\n"
	       "            +0 ns  tp:net_dev_queue\n"
	       "         +1000 ns  tp:kfree_skb(SKB_DROP_REASON_NOT_SPECIFIED)\n"
	       "  end: dropped at tp:kfree_skb(SKB_DROP_REASON_NOT_SPECIFIED)\n\n"
	       "skb 0xffff888000000a00 1.0.0.1:8080->10.0.2.15:43026(tcp) netns 4026531840 iface "
	       "eth0:2 process /usr/bin/curl:227116\n"
	       "            +0 ns  tp:skb_copy_datagram_iovec\n"
	       "         +1000 ns  tp:consume_skb\n"
	       "  end: freed\n\n",
	       "chains, tracepoint backend: the request ends freed at tp:consume_skb; the reply's "
	       "copy at the reused address is a chain of its own, with its tuple");
	rendered_free(&r);
	/* two pings: the second's events at the same addresses, 0.2 s or 1.3 s later */
	tp_story(ev + n, 200001000);
	r = render_events(&sink_chains_path, &so, ev, 2 * n, 0);
	tp_story(ev + n, 1300001000);
	r2 = render_events(&sink_chains_path, &so, ev, 2 * n, 0);
	is_str(r.out,
	       "1.0.0.1:8080->10.0.2.15:*(tcp) tp:net_dev_queue tp:kfree_skb(SKB_DROP_REASON_NOT_"
	       "SPECIFIED) => dropped at tp:kfree_skb(SKB_DROP_REASON_NOT_SPECIFIED)\n"
	       "1.0.0.1:8080->10.0.2.15:*(tcp) tp:skb_copy_datagram_iovec\n"
	       "10.0.2.15:*->1.0.0.1:8080(tcp) tp:net_dev_queue\n",
	       "path, tracepoint backend: one line per packet, releases left out");
	is_str(r2.out, r.out,
	       "path, tracepoint backend: the same pings 1.3 s apart, the same file");
	rendered_free(&r);
	rendered_free(&r2);
}

/*
 * The review's 6.12 run, every function traced: a SYN to :9999 dropped by nft, whose
 * nf_hook_slow and nft_do_chain events come at their exits after the free, with their
 * entries' times; then a SYN to :8080 at the same address 0.5 ms later (T0 + 500000),
 * consumed. Each event is at T0 + its time here.
 */
static int nft_story(struct pwru_event *ev, uint64_t t0)
{
	static const struct {
		uint64_t addr, ts;
		uint16_t dport;
	} steps[] = {
	    {ADDR_IP_RCV, 100, 9999},	       {ADDR_NFT_INET, 130, 9999},
	    {ADDR_SK_DROP, 150, 9999},	       {ADDR_RELEASE_HEAD, 160, 9999},
	    {ADDR_RELEASE_DATA, 170, 9999},    {ADDR_KFREE_SKBMEM, 180, 9999},
	    {ADDR_NFT_DO_CHAIN, 140, 9999},    {ADDR_NF_HOOK_SLOW, 120, 9999},
	    {ADDR_IP_RCV, 500000, 8080},       {ADDR_TCP_V4_RCV, 500010, 8080},
	    {ADDR_CONSUME_SKB, 500020, 8080},  {ADDR_RELEASE_HEAD, 500030, 8080},
	    {ADDR_RELEASE_DATA, 500040, 8080}, {ADDR_KFREE_SKBMEM, 500050, 8080},
	};
	int i, n = (int)(sizeof(steps) / sizeof(steps[0]));

	for (i = 0; i < n; i++) {
		ev[i] = sample_event();
		ev[i].addr = steps[i].addr;
		ev[i].ts = t0 + steps[i].ts;
		ev[i].arg3 = 6; /* sk_skb_reason_drop(sk, skb, reason) */
		ev[i].tuple.dport = htons(steps[i].dport);
	}
	return n;
}

/* nft_story's dropped SYN from its drop on */
#define NFT_STORY_DROP_END                                                                         \
	"           +50 ns  sk_skb_reason_drop(SKB_DROP_REASON_NETFILTER_DROP)\n"                  \
	"           +60 ns  skb_release_head_state\n"                                              \
	"           +70 ns  skb_release_data\n"                                                    \
	"           +80 ns  kfree_skbmem\n"                                                        \
	"  end: dropped at sk_skb_reason_drop(SKB_DROP_REASON_NETFILTER_DROP)\n\n"
/* nft_story's second SYN, to :8080, at the dropped one's address: consumed */
#define NFT_STORY_SYN_8080                                                                         \
	"skb 0xffff8bb7038b6900 10.0.2.15:43026->1.0.0.1:8080(tcp) process "                       \
	"/usr/bin/curl:227116\n"                                                                   \
	"            +0 ns  ip_rcv\n"                                                              \
	"           +10 ns  tcp_v4_rcv\n"                                                          \
	"           +20 ns  consume_skb\n"                                                         \
	"           +30 ns  skb_release_head_state\n"                                              \
	"           +40 ns  skb_release_data\n"                                                    \
	"           +50 ns  kfree_skbmem\n"                                                        \
	"  end: freed\n\n"

static void test_late_verdicts(void)
{
	struct pwru_event ev[32];
	struct sink_opts so = {.meta = false};
	int n = nft_story(ev, 1000), i;
	struct rendered r = render_events(&sink_chains, &so, ev, n, 0), r2;

	is_str(r.out,
	       "skb 0xffff8bb7038b6900 10.0.2.15:43026->1.0.0.1:9999(tcp) process "
	       "/usr/bin/curl:227116\n"
	       "            +0 ns  ip_rcv\n"
	       "           +20 ns  nf_hook_slow\n"
	       "           +30 ns  nft_do_chain_inet\n"
	       "           +40 ns  nft_do_chain\n" NFT_STORY_DROP_END NFT_STORY_SYN_8080,
	       "chains: verdicts sent after the free go back into their packet's chain, in time "
	       "order; the free path stays in its chain; the next packet at the address is its "
	       "own, under its own tuple");
	rendered_free(&r);
	r = render_events(&sink_chains_path, &so, ev, n, 0);
	is_str(r.out,
	       "10.0.2.15:*->1.0.0.1:8080(tcp) ip_rcv tcp_v4_rcv\n"
	       "10.0.2.15:*->1.0.0.1:9999(tcp) ip_rcv nf_hook_slow nft_do_chain_inet nft_do_chain "
	       "sk_skb_reason_drop(SKB_DROP_REASON_NETFILTER_DROP) => dropped at "
	       "sk_skb_reason_drop(SKB_DROP_REASON_NETFILTER_DROP)\n",
	       "path: one line per packet, no release-only line");
	/* the same traffic, the second SYN 1.2 s later: past the idle time, the same file */
	nft_story(ev, 1000);
	for (i = 8; i < n; i++)
		ev[i].ts += 1200000000;
	r2 = render_events(&sink_chains_path, &so, ev, n, 0);
	is_str(r2.out, r.out, "path: the same traffic with other timing gives the same file");
	rendered_free(&r);
	rendered_free(&r2);
	r = render_events(&sink_summary, &so, ev, n, 0);
	ok(r.out && strstr(r.out, " 14 events, 0 lost, 2 packets (skbs)"),
	   "summary: two packets, the late verdicts and the free path counted in theirs");
	rendered_free(&r);
}

/* render_events with a tick at NOW (the clock, a reader's poll) before record AT. */
static struct rendered render_ticked(const struct sink_ops *ops, const struct sink_opts *opts,
				     const struct pwru_event *evs, int n, int at, uint64_t now)
{
	static const char *const tp_names[] = {"tp:net_dev_queue"};
	struct pipeline p = {
	    .en = {
		.ksyms = harness_ks, .reasons = harness_dr, .tp_names = tp_names, .n_tp_names = 1}};
	struct rendered res = {0};
	size_t dlen = 0;
	FILE *out = open_memstream(&res.out, &res.out_len);
	struct rec *rec = calloc(1, sizeof(*rec));
	int i;

	p.diag = open_memstream(&res.diag, &dlen);
	res.rc |= pipeline_add(&p, ops, out, opts);
	res.rc |= pipeline_open(&p);
	for (i = 0; i < n; i++) {
		if (i == at)
			res.rc |= pipeline_tick(&p, now);
		rec_start(rec, &evs[i]);
		res.rc |= pipeline_record(&p, rec->b, rec->len);
	}
	res.rc |= pipeline_close(&p, 0);
	fclose(out);
	fclose(p.diag);
	free(rec);
	return res;
}

/*
 * The dropped SYN's verdicts come after a tick that ended its chain (the kernel's exit from
 * nf_hook_slow more than 100 ms after the free): its chain is printed without them, and
 * they make no chain of their own; the next packet at the address is its own.
 */
static void test_too_late(void)
{
	struct pwru_event ev[32];
	struct sink_opts so = {.meta = false};
	int n = nft_story(ev, 1000), i;
	struct rendered r;

	for (i = 8; i < n; i++)
		ev[i].ts += 300000000;
	r = render_ticked(&sink_chains, &so, ev, n, 6, 1000 + 180 + 200000000);
	is_str(r.out,
	       "skb 0xffff8bb7038b6900 10.0.2.15:43026->1.0.0.1:9999(tcp) process "
	       "/usr/bin/curl:227116\n"
	       "            +0 ns  ip_rcv\n"
	       "           +30 ns  nft_do_chain_inet\n" NFT_STORY_DROP_END NFT_STORY_SYN_8080,
	       "chains: verdicts later than the printed chain of their packet make no chain of "
	       "their own; the next packet at the address is its own");
	ok(r.diag && strstr(r.diag, "pwru: 2 events came after their packet's chain was printed"),
	   "chains: stderr counts them");
	rendered_free(&r);
}

/* A socket's packet has no device before ip_output sets it: the header shows its first. */
static void test_first_device(void)
{
	struct pwru_event ev[3];
	struct sink_opts so = {.meta = true};
	struct rendered r;
	int i;

	for (i = 0; i < 3; i++) {
		ev[i] = sample_event();
		ev[i].addr = i ? ADDR_IP_RCV : ADDR_NF_HOOK_SLOW;
		ev[i].ts = 1000 + 10 * (uint64_t)i;
		ev[i].ifindex = 0;
		memset(ev[i].ifname, 0, sizeof(ev[i].ifname));
	}
	ev[1].ifindex = 7;
	memcpy(ev[1].ifname, "va", 3);
	ev[2].ifindex = 9; /* a later device */
	r = render_events(&sink_chains, &so, ev, 3, 0);
	ok(r.out && strstr(r.out, " netns 4026531840 iface va:7 process "),
	   "chains: the header's iface is the first device the packet had, not its first "
	   "event's none");
	rendered_free(&r);
	r = render_events(&sink_chains, &so, ev, 1, 0);
	ok(r.out && strstr(r.out, " netns 4026531840 iface none process "),
	   "chains: no event with a device: iface none");
	rendered_free(&r);
	r = render_events(&sink_chains_json, &so, ev, 1, 0);
	ok(r.out && strstr(r.out, "\"netns\":4026531840,\"process\""),
	   "chains, JSON: no event with a device: no iface key");
	rendered_free(&r);
	r = render_events(&sink_chains_json, &so, ev, 3, 0);
	ok(r.out && strstr(r.out, "\"iface\":\"va:7\""), "chains, JSON: the first device");
	rendered_free(&r);
}

/* One skb's events at STEPS, 10 ns apart. */
static void steps_events(struct pwru_event *ev, const uint64_t *steps, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		ev[i] = sample_event();
		ev[i].addr = steps[i];
		ev[i].ts = 1000 + 10 * (uint64_t)i;
	}
}

/* 6.2+: consume_skb's way through sk_skb_reason_drop, SKB_CONSUMED, is a free, not a drop. */
static void test_consumed(void)
{
	static const uint64_t steps[] = {ADDR_IP_RCV, ADDR_TCP_V4_RCV, ADDR_SK_DROP,
					 ADDR_RELEASE_HEAD, ADDR_KFREE_SKBMEM};
	struct pwru_event ev[5];
	struct sink_opts so = {.meta = false};
	struct rendered r;
	const char *drops;
	int i;

	steps_events(ev, steps, 5);
	for (i = 0; i < 5; i++)
		ev[i].arg3 = 1; /* SKB_CONSUMED */
	r = render_events(&sink_chains, &so, ev, 5, 0);
	ok(r.out && strstr(r.out, "  sk_skb_reason_drop(SKB_CONSUMED)\n") &&
	       strstr(r.out, "  end: freed\n") && !strstr(r.out, "dropped"),
	   "chains: sk_skb_reason_drop(SKB_CONSUMED) shows its reason and ends the packet freed");
	rendered_free(&r);
	r = render_events(&sink_summary, &so, ev, 5, 0);
	drops = r.out ? strstr(r.out, "no drops seen\n") : NULL;
	ok(drops && !drops[strlen("no drops seen\n")] && !strstr(r.out, "drops by function") &&
	       strstr(r.out, "  sk_skb_reason_drop  SKB_CONSUMED\n"),
	   "summary: a consumed packet's row is among the events, no drop row");
	rendered_free(&r);
}

/*
 * A packet socket bound to a device (tcpdump) holds a reference on a received packet;
 * ip_rcv, finding it shared, works on a clone and lets the original go with consume_skb(),
 * which frees nothing: the original goes on (to packet_rcv; icmp_rcv stands in here) at
 * the same address. One packet, one block.
 */
static void test_shared_free(void)
{
	static const uint64_t steps[] = {ADDR_IP_RCV, ADDR_CONSUME_SKB, ADDR_ICMP_RCV,
					 ADDR_CONSUME_SKB, ADDR_KFREE_SKBMEM};
	static const uint16_t users[] = {2, 2, 1, 1, 1};
	struct pwru_event ev[5];
	struct sink_opts so = {.meta = false};
	struct rendered r;
	const char *first;
	int i;

	steps_events(ev, steps, 5);
	for (i = 0; i < 5; i++)
		ev[i].users = users[i];
	r = render_events(&sink_chains, &so, ev, 5, 0);
	first = r.out ? strstr(r.out, "skb 0x") : NULL;
	ok(first && !strstr(first + 1, "skb 0x") && strstr(r.out, "  icmp_rcv\n") &&
	       strstr(r.out, "  end: freed\n"),
	   "chains: consume_skb on an skb with another user (a packet socket's) does not end it");
	rendered_free(&r);
	r = render_events(&sink_summary, &so, ev, 5, 0);
	ok(r.out && strstr(r.out, " 1 packet (skb)"), "summary: the shared packet counts once");
	rendered_free(&r);
}

int main(void)
{
	harness_init();
	test_text();
	test_json();
	test_path();
	test_tracepoints();
	test_late_verdicts();
	test_too_late();
	test_first_device();
	test_consumed();
	test_shared_free();
	harness_done();
	return tap_done();
}
