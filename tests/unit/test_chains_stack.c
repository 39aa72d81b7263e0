// SPDX-License-Identifier: GPL-2.0
/*
 * --output-chains with --output-caller and --output-stack: each step keeps its event's
 * caller, stack and source lines, made while the record's frames were valid, in the text and
 * JSON forms; the path form none of them; what the steps hold is bounded.
 */
#include "sink_harness.h"
#include "kallsyms/symbolizer.h"
#include "src/output/chains.h"

extern const struct sink_ops sink_chains, sink_chains_json, sink_chains_path;

static void put_u64s(struct rec *r, uint16_t kind, const uint64_t *v, size_t n)
{
	rec_section(r, kind, v, (uint16_t)(n * sizeof(*v)));
}

/* One packet: ip_rcv called by nf_hook_slow, icmp_rcv by ip_rcv, then freed (no stack). */
static int story(struct rec *recs)
{
	static const uint64_t st0[2] = {ADDR_IP_RCV + 4, ADDR_NF_HOOK_SLOW + 0x1234},
			      st1[3] = {ADDR_ICMP_RCV + 4, ADDR_IP_RCV + 0x9a,
					ADDR_NF_HOOK_SLOW + 0x1234};
	struct pwru_event ev = sample_event();

	ev.addr = ADDR_IP_RCV;
	ev.ts = 1000;
	rec_start(&recs[0], &ev);
	put_u64s(&recs[0], PWRU_SEC_CALLER, &st0[1], 1);
	put_u64s(&recs[0], PWRU_SEC_STACK, st0, 2);
	ev.addr = ADDR_ICMP_RCV;
	ev.ts = 1100;
	rec_start(&recs[1], &ev);
	put_u64s(&recs[1], PWRU_SEC_CALLER, &st1[1], 1);
	put_u64s(&recs[1], PWRU_SEC_STACK, st1, 3);
	ev.addr = ADDR_KFREE_SKBMEM;
	ev.ts = 1200;
	rec_start(&recs[2], &ev);
	return 3;
}

#define HEAD                                                                                       \
	"skb 0xffff8bb7038b6900 10.0.2.15:43026->1.0.0.1:8080(tcp) netns 4026531840 iface "        \
	"eth0:2 process /usr/bin/curl:227116\n"

static void test_text(void)
{
	struct sink_opts so = {.meta = true, .caller = true, .stack = true};
	struct rec recs[3];
	int n = story(recs);
	struct rendered r = render_recs(&sink_chains, &so, recs, n, 0);

	is_str(r.out,
	       HEAD "            +0 ns  ip_rcv       nf_hook_slow+0x1234/0x100000\n"
		    "                     ip_rcv+0x4/0x10000\n"
		    "                     nf_hook_slow+0x1234/0x100000\n"
		    "          +100 ns  icmp_rcv     ip_rcv+0x9a/0x10000\n"
		    "                     icmp_rcv+0x4/0x10000\n"
		    "                     ip_rcv+0x9a/0x10000\n"
		    "                     nf_hook_slow+0x1234/0x100000\n"
		    "          +200 ns  kfree_skbmem \n"
		    "  end: freed\n\n",
	       "text: CALLER after FUNC padded to the chain's longest, the stack under each step");
	rendered_free(&r);

	so = (struct sink_opts){.meta = true, .caller = true};
	r = render_recs(&sink_chains, &so, recs, n, 0);
	is_str(r.out,
	       HEAD "            +0 ns  ip_rcv       nf_hook_slow+0x1234/0x100000\n"
		    "          +100 ns  icmp_rcv     ip_rcv+0x9a/0x10000\n"
		    "          +200 ns  kfree_skbmem \n"
		    "  end: freed\n\n",
	       "text: --output-caller alone, no stack lines");
	rendered_free(&r);

	so = (struct sink_opts){.meta = true, .stack = true};
	r = render_recs(&sink_chains_path, &so, recs, n, 0);
	is_str(r.out, "10.0.2.15:*->1.0.0.1:8080(tcp) ip_rcv icmp_rcv\n",
	       "path: no stacks, callers or offsets (they change between kernels)");
	rendered_free(&r);
}

static void test_json(void)
{
	struct sink_opts so = {.meta = true, .caller = true, .stack = true};
	struct rec recs[3];
	int n = story(recs);
	struct rendered r = render_recs(&sink_chains_json, &so, recs, n, 0);
	const char *ev = r.out ? strstr(r.out, "\"events\":[") : NULL;

	is_str(
	    ev,
	    "\"events\":[{\"func\":\"ip_rcv\",\"t\":0,\"caller_func\":\"nf_hook_slow\","
	    "\"caller\":{\"addr\":\"0xffffffff81a01234\",\"func\":\"nf_hook_slow\",\"offset\":"
	    "4660,\"size\":1048576,\"module\":\"\",\"file\":\"\",\"line\":0,\"inlined\":[]},"
	    "\"stack\":[{\"addr\":\"0xffffffff81e10004\",\"func\":\"ip_rcv\",\"offset\":4,"
	    "\"size\":65536,\"module\":\"\",\"file\":\"\",\"line\":0,\"inlined\":[]},"
	    "{\"addr\":\"0xffffffff81a01234\",\"func\":\"nf_hook_slow\",\"offset\":4660,"
	    "\"size\":1048576,\"module\":\"\",\"file\":\"\",\"line\":0,\"inlined\":[]}]},"
	    "{\"func\":\"icmp_rcv\",\"t\":100,\"caller_func\":\"ip_rcv\",\"caller\":{\"addr\":"
	    "\"0xffffffff81e1009a\",\"func\":\"ip_rcv\",\"offset\":154,\"size\":65536,"
	    "\"module\":\"\",\"file\":\"\",\"line\":0,\"inlined\":[]},\"stack\":["
	    "{\"addr\":\"0xffffffff81e20004\",\"func\":\"icmp_rcv\",\"offset\":4,\"size\":65536,"
	    "\"module\":\"\",\"file\":\"\",\"line\":0,\"inlined\":[]},{\"addr\":"
	    "\"0xffffffff81e1009a\",\"func\":\"ip_rcv\",\"offset\":154,\"size\":65536,"
	    "\"module\":\"\",\"file\":\"\",\"line\":0,\"inlined\":[]},{\"addr\":"
	    "\"0xffffffff81a01234\",\"func\":\"nf_hook_slow\",\"offset\":4660,\"size\":1048576,"
	    "\"module\":\"\",\"file\":\"\",\"line\":0,\"inlined\":[]}]},"
	    "{\"func\":\"kfree_skbmem\",\"t\":200,\"caller_func\":\"\",\"caller\":null,"
	    "\"stack\":[]}]}\n"
	    "{\"type\":\"end\",\"events\":3,\"lost\":0,\"lost_nested\":0,\"not_seen\":0,"
	    "\"not_seen_partial\":false}\n",
	    "json: each event with the keys JSON events have: caller_func, caller, stack; the end");
	rendered_free(&r);
}

/* Source lines (as the debug info gives them) kept past the record, straight into the sink. */
static void test_lines(void)
{
	struct sink_opts so = {.meta = true, .caller = true, .stack = true};
	struct sym_frame inl = {.addr = ADDR_IP_RCV + 0x40, .ret = 1, .nsrc = 2};
	struct pwru_event ev = sample_event();
	struct sink s = {.ops = &sink_chains, .opts = &so};
	struct output_stats st = {0};
	struct pwru_record r = {0};
	struct rec rec;
	char *text = NULL;
	size_t len = 0;

	kallsyms_locate(harness_ks, inl.addr, &inl.pos);
	inl.src[0] = (struct ksrc_frame){"NF_HOOK", "include/linux/netfilter.h", 314};
	inl.src[1] = (struct ksrc_frame){"ip_rcv", "net/ipv4/ip_input.c", 569};
	ev.addr = ADDR_ICMP_RCV;
	rec_start(&rec, &ev);
	record_decode(rec.b, rec.len, &r);
	r.func = "icmp_rcv";
	r.proc_text = "p:1";
	r.proc_len = 3;
	r.func_frame = r.caller_frame = r.frames[0] = &inl;
	r.nframes = 1;
	s.out = open_memstream(&text, &len);
	s.diag = stderr;
	ok(!s.ops->open(&s) && !s.ops->record(&s, &r), "sink takes the record");
	/* the frames are gone once the record was handed on */
	memset(&inl, 0xa5, sizeof(inl));
	ok(!s.ops->close(&s, &st), "sink closes");
	fclose(s.out);
	is_str(text,
	       "skb 0xffff8bb7038b6900 10.0.2.15:43026->1.0.0.1:8080(tcp) netns 4026531840 iface "
	       "eth0:2 process p:1\n"
	       "            +0 ns  icmp_rcv (net/ipv4/ip_input.c:569) ip_rcv+0x40/0x10000 "
	       "(net/ipv4/ip_input.c:569)\n"
	       "                     NF_HOOK (include/linux/netfilter.h:314) (inlined)\n"
	       "                     ip_rcv+0x40/0x10000 (net/ipv4/ip_input.c:569)\n"
	       "  end: exit\n\n",
	       "text: FUNC's and CALLER's source lines, the inlined frames, kept at the event");
	free(text);
}

static int count_syms(void *ctx, const struct chain *c)
{
	uint32_t i;

	for (i = 0; i < c->n; i++)
		*(int *)ctx += c->steps[i].sym != NULL;
	return 0;
}

static void test_budget(void)
{
	struct rec recs[3];
	struct pwru_record r;
	int kept = 0, i;
	struct chains *cs = chains_new(4, 8, count_syms, &kept);

	story(recs);
	chains_set_sym_budget(cs, 250);
	for (i = 0; i < 3; i++) {
		record_decode(recs[i].b, recs[i].len, &r);
		r.proc_text = "";
		chains_add_sym(cs, &r, calloc(1, 100), 100);
	}
	chains_flush(cs);
	ok(kept == 2 && chains_sym_dropped(cs) == 1,
	   "budget: steps past the bytes held at once keep no symbols, counted (kept %d)", kept);
	chains_free(cs);
}

int main(void)
{
	harness_init();
	harness_syms = symbolizer_new(harness_ks, NULL, 0);
	test_text();
	test_json();
	symbolizer_free(harness_syms);
	harness_syms = NULL;
	test_lines();
	test_budget();
	harness_done();
	return tap_done();
}
