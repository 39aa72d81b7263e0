// SPDX-License-Identifier: GPL-2.0
/*
 * Stacks and callers as text: the frames' layout with inlined functions, and the text sink
 * with --output-caller and --output-stack through the real pipeline on recorded records.
 */
#include <unistd.h>
#include "sink_harness.h"
#include "kallsyms/symbolizer.h"
#include "src/output/stack_text.h"

extern const struct sink_ops sink_text;
extern const struct sink_ops sink_json;

/* ip_rcv at ...e10000 and icmp_rcv at ...e20000 are 0x10000 apart in harness_ksyms. */
static void test_frames_layout(void)
{
	struct sym_frame inl = {.addr = ADDR_IP_RCV + 0x40, .ret = 1, .nsrc = 3}, plain = {0};
	struct pwru_record r = {0};
	char buf[1024], small[40];

	kallsyms_locate(harness_ks, inl.addr, &inl.pos);
	inl.src[0] = (struct ksrc_frame){"nf_hook", "include/linux/netfilter.h", 236};
	inl.src[1] = (struct ksrc_frame){"NF_HOOK", "include/linux/netfilter.h", 314};
	inl.src[2] = (struct ksrc_frame){"ip_rcv", "net/ipv4/ip_input.c", 569};
	plain.addr = 0xffffffff80000010ULL; /* below every symbol */
	r.frames[0] = &inl;
	r.frames[1] = &plain;
	r.nframes = 2;
	stack_text_frames(&r, "  ", buf, sizeof(buf));
	is_str(buf,
	       "  nf_hook (include/linux/netfilter.h:236) (inlined)\n"
	       "  NF_HOOK (include/linux/netfilter.h:314) (inlined)\n"
	       "  ip_rcv+0x40/0x10000 (net/ipv4/ip_input.c:569)\n"
	       "  0xffffffff80000010\n",
	       "inlined functions first, the function with its line, an unknown address as is");
	stack_text_frames(&r, "  ", small, sizeof(small));
	is_str(small, "", "cut at the first line that does not fit, whole lines only");
	r.caller_frame = &inl;
	stack_text_caller(&r, buf, sizeof(buf));
	is_str(buf, "ip_rcv+0x40/0x10000 (net/ipv4/ip_input.c:569)",
	       "CALLER: the function's own line, not its inlined ones");
	r.func_frame = &inl;
	stack_text_func_line(&r, buf, sizeof(buf));
	is_str(buf, " (net/ipv4/ip_input.c:569)", "FUNC's line");
}

static void put_u64s(struct rec *r, uint16_t kind, const uint64_t *v, size_t n)
{
	rec_section(r, kind, v, (uint16_t)(n * sizeof(*v)));
}

static void test_sink(void)
{
	uint64_t stack[3] = {ADDR_ICMP_RCV + 4, ADDR_IP_RCV + 0x9a, ADDR_NF_HOOK_SLOW + 0x1234};
	uint64_t caller = ADDR_IP_RCV + 0x9a, far = ADDR_SKB_OUTPUT + 0x20, retval = 1;
	struct sink_opts so = {.caller = true, .stack = true};
	struct pwru_event ev = sample_event();
	struct rec recs[2];
	struct rendered out;

	harness_syms = symbolizer_new(harness_ks, NULL, 0);
	ev.addr = ADDR_ICMP_RCV;
	rec_start(&recs[0], &ev);
	put_u64s(&recs[0], PWRU_SEC_CALLER, &caller, 1);
	put_u64s(&recs[0], PWRU_SEC_STACK, stack, 3);
	ev.addr = ADDR_KFREE_SKBMEM;
	rec_start(&recs[1], &ev);
	put_u64s(&recs[1], PWRU_SEC_CALLER, &far, 1);
	out = render_recs(&sink_text, &so, recs, 2, 0);
	is_str(out.out,
	       "SKB                CPU PROCESS          FUNC CALLER\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 icmp_rcv ip_rcv+0x9a/0x10000\n"
	       "    icmp_rcv+0x4/0x10000\n"
	       "    ip_rcv+0x9a/0x10000\n"
	       "    nf_hook_slow+0x1234/0x100000\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 kfree_skbmem bpf_skb_event_output+0x20\n",
	       "CALLER after FUNC padded to the longest; the stack under its event; no size for "
	       "the last function");
	rendered_free(&out);

	/* arm64 at a function's entry: the unwinder skipped the caller; it comes from the record.
	 */
	stack[1] = stack[2];
	ev.addr = ADDR_ICMP_RCV;
	rec_start(&recs[0], &ev);
	put_u64s(&recs[0], PWRU_SEC_CALLER, &caller, 1);
	put_u64s(&recs[0], PWRU_SEC_STACK, stack, 2);
	so.caller = false;
	out = render_recs(&sink_text, &so, recs, 1, 0);
	is_str(out.out,
	       "SKB                CPU PROCESS          FUNC\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 icmp_rcv\n"
	       "    icmp_rcv+0x4/0x10000\n"
	       "    ip_rcv+0x9a/0x10000\n"
	       "    nf_hook_slow+0x1234/0x100000\n",
	       "a stack without the caller gets it as its second frame");
	rendered_free(&out);

	/*
	 * fentry: no caller from the entry point; the stack's frame under FUNC is, unprinted.
	 * Above FUNC: its trampoline and program, loaded after kallsyms was read: no symbol, or
	 * (5.10) the last one below, a module's.
	 */
	uint64_t tramp[5] = {0xffffffff80001000ULL, ADDR_SKB_OUTPUT + 0x5000, ADDR_ICMP_RCV + 9,
			     ADDR_IP_RCV + 0x9a, ADDR_NF_HOOK_SLOW + 0x1234};

	rec_start(&recs[0], &ev);
	put_u64s(&recs[0], PWRU_SEC_STACK, tramp, 5);
	so = (struct sink_opts){.caller = true};
	out = render_recs(&sink_text, &so, recs, 1, 0);
	is_str(out.out,
	       "SKB                CPU PROCESS          FUNC CALLER\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 icmp_rcv ip_rcv+0x9a/0x10000\n",
	       "no caller in the record: the stack's second frame, the stack itself not printed");
	rendered_free(&out);
	/* a stack that does not start in FUNC (a tracepoint's, say) gives no caller */
	stack[0] = ADDR_NF_HOOK_SLOW + 4;
	stack[1] = ADDR_IP_RCV + 0x9a;
	rec_start(&recs[0], &ev);
	put_u64s(&recs[0], PWRU_SEC_STACK, stack, 3);
	out = render_recs(&sink_text, &so, recs, 1, 0);
	is_str(out.out,
	       "SKB                CPU PROCESS          FUNC CALLER\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 icmp_rcv \n",
	       "a stack that does not start in FUNC gives no caller");
	rendered_free(&out);
	/* with fexit too (a return value), the trampoline may leave FUNC's frame out (7.2) */
	ev.type = PWRU_EV_FENTRY;
	stack[0] = ADDR_IP_RCV + 0x9a;
	stack[1] = ADDR_NF_HOOK_SLOW + 0x1234;
	rec_start(&recs[0], &ev);
	put_u64s(&recs[0], PWRU_SEC_RETVAL, &retval, 1);
	put_u64s(&recs[0], PWRU_SEC_STACK, stack, 2);
	out = render_recs(&sink_text, &so, recs, 1, 0);
	is_str(out.out,
	       "SKB                CPU PROCESS          FUNC CALLER\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 icmp_rcv ip_rcv+0x9a/0x10000\n",
	       "fexit: a stack that starts in the caller names it");
	rendered_free(&out);
	symbolizer_free(harness_syms);
	harness_syms = NULL;
}

/*
 * Under a function with an fexit (pwru's on nf_hook_slow): its trampoline and its entry again,
 * between its body and its caller, are not the kernel's path. On arm64 at icmp_rcv's entry the
 * body's frame is not in the stack: it is the caller read at entry.
 */
static void test_trampoline(void)
{
	/* the frames under nf_hook_slow's body: where the kernel's path goes on */
	static const char ip_rcv[] = "    ip_rcv+0x9a/0x10000\n";
	static const struct {
		uint64_t caller, stack[5];
		size_t n;
		const char *rest, *desc;
	} cases[] = {
	    {0,
	     {ADDR_ICMP_RCV + 4, ADDR_NF_HOOK_SLOW + 0x42, ADDR_TRAMPOLINE + 0x89,
	      ADDR_NF_HOOK_SLOW + 9, ADDR_IP_RCV + 0x9a},
	     5,
	     ip_rcv,
	     "an fexit's trampoline and its function's entry frame are left out of the stack"},
	    {ADDR_NF_HOOK_SLOW + 0x42,
	     {ADDR_ICMP_RCV + 4, ADDR_TRAMPOLINE + 0x89, ADDR_NF_HOOK_SLOW + 8, ADDR_IP_RCV + 0x9a},
	     4,
	     ip_rcv,
	     "arm64: the trampoline under the caller read at entry is left out too"},
	    {0,
	     {ADDR_ICMP_RCV + 4, ADDR_NF_HOOK_SLOW + 0x42, ADDR_TRAMPOLINE + 0x89,
	      ADDR_IP_RCV + 0x9a},
	     4,
	     ip_rcv,
	     "7.2: a trampoline with no entry frame under it is left out"},
	    {0,
	     {ADDR_ICMP_RCV + 4, ADDR_NF_HOOK_SLOW + 0x42, ADDR_NFT_INET + 0x500,
	      ADDR_NF_HOOK_SLOW + 5, ADDR_IP_RCV + 0x9a},
	     5,
	     ip_rcv,
	     "a trampoline made after kallsyms was read (another symbol's name, 5.10's "
	     "ftrace_trampoline) is known by the entry frame under it"},
	    {0,
	     {ADDR_ICMP_RCV + 4, ADDR_NF_HOOK_SLOW + 0x42, ADDR_NFT_INET + 0x500,
	      ADDR_NF_HOOK_SLOW + 0x42},
	     4,
	     "    nft_do_chain_inet+0x500 [nf_tables]\n"
	     "    nf_hook_slow+0x42/0x100000\n",
	     "a function called again past its entry, through another, stays in the stack"},
	};
	struct sink_opts so = {.stack = true};
	struct pwru_event ev = sample_event();
	struct rendered out;
	struct rec rec;
	char want[512];
	size_t i;

	harness_syms = symbolizer_new(harness_ks, NULL, 0);
	ev.addr = ADDR_ICMP_RCV;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rec_start(&rec, &ev);
		if (cases[i].caller)
			put_u64s(&rec, PWRU_SEC_CALLER, &cases[i].caller, 1);
		put_u64s(&rec, PWRU_SEC_STACK, cases[i].stack, cases[i].n);
		out = render_recs(&sink_text, &so, &rec, 1, 0);
		snprintf(want, sizeof(want),
			 "SKB                CPU PROCESS          FUNC\n"
			 "0xffff8bb7038b6900 3   ~bin/curl:227116 icmp_rcv\n"
			 "    icmp_rcv+0x4/0x10000\n"
			 "    nf_hook_slow+0x42/0x100000\n"
			 "%s",
			 cases[i].rest);
		is_str(out.out, want, cases[i].desc);
		rendered_free(&out);
	}
	symbolizer_free(harness_syms);
	harness_syms = NULL;
}

/*
 * A tracepoint's CALLER is the function that fired it: the frame under the machinery that
 * runs its programs (bpf_trace_run*), where its stack starts too.
 */
static void test_tracepoint(void)
{
	/* pwru's program: no symbol here, a module's last one on 5.10 */
	uint64_t stack[4] = {0xffffffff80001000ULL, ADDR_TRACE_RUN4 + 0x90, ADDR_SK_DROP + 0x94,
			     ADDR_ICMP_RCV + 0x1e6};
	struct sink_opts so = {.caller = true, .stack = true};
	struct pwru_event ev = sample_event();
	struct rendered out;
	struct rec rec;

	harness_syms = symbolizer_new(harness_ks, NULL, 0);
	ev.type = PWRU_EV_TRACEPOINT;
	ev.addr = 1; /* tp:kfree_skb */
	ev.arg3 = 6;
	rec_start(&rec, &ev);
	put_u64s(&rec, PWRU_SEC_STACK, stack, 4);
	out = render_recs(&sink_text, &so, &rec, 1, 0);
	is_str(
	    out.out,
	    "SKB                CPU PROCESS          FUNC CALLER\n"
	    "0xffff8bb7038b6900 3   ~bin/curl:227116 tp:kfree_skb(SKB_DROP_REASON_NETFILTER_DROP) "
	    "sk_skb_reason_drop+0x94/0x100000\n"
	    "    sk_skb_reason_drop+0x94/0x100000\n"
	    "    icmp_rcv+0x1e6/0x10000\n",
	    "tracepoint: CALLER and the stack start under bpf_trace_run4");
	rendered_free(&out);
	/* no machinery seen: the stack from its first known frame, and no CALLER */
	rec_start(&rec, &ev);
	put_u64s(&rec, PWRU_SEC_STACK, stack + 2, 2);
	out = render_recs(&sink_text, &so, &rec, 1, 0);
	is_str(out.out,
	       "SKB                CPU PROCESS          FUNC CALLER\n"
	       "0xffff8bb7038b6900 3   ~bin/curl:227116 "
	       "tp:kfree_skb(SKB_DROP_REASON_NETFILTER_DROP) \n"
	       "    sk_skb_reason_drop+0x94/0x100000\n"
	       "    icmp_rcv+0x1e6/0x10000\n",
	       "tracepoint: without its machinery in the stack, no CALLER");
	rendered_free(&out);
	symbolizer_free(harness_syms);
	harness_syms = NULL;
}

/* jq -e EXPR on TEXT (one JSON object per line, the first event's). */
static int jq_true(const char *text, const char *expr)
{
	char path[] = "/tmp/test_stack_text.XXXXXX", cmd[1024];
	int fd = mkstemp(path), rc;
	size_t n = strlen(text);

	if (fd < 0 || write(fd, text, n) != (ssize_t)n) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "jq -e -s '[.[] | select(.type == \"event\")][0] | %s' %s >/dev/null", expr, path);
	rc = system(cmd);
	unlink(path);
	return rc == 0;
}

static void test_json(void)
{
	uint64_t stack[2] = {ADDR_ICMP_RCV + 4, ADDR_IP_RCV + 0x9a}, caller = ADDR_IP_RCV + 0x9a;
	struct sink_opts so = {.caller = true, .stack = true, .tuple = true, .meta = true};
	struct pwru_event ev = sample_event();
	struct sym_frame inl = {.addr = ADDR_IP_RCV + 0x40, .nsrc = 2};
	struct pwru_record r = {0};
	struct sink s = {.ops = &sink_json, .opts = &so};
	struct output_stats st = {0};
	struct rendered out;
	struct rec rec;
	char *text = NULL;
	size_t len = 0;

	harness_syms = symbolizer_new(harness_ks, NULL, 0);
	ev.addr = ADDR_ICMP_RCV;
	rec_start(&rec, &ev);
	put_u64s(&rec, PWRU_SEC_CALLER, &caller, 1);
	put_u64s(&rec, PWRU_SEC_STACK, stack, 2);
	out = render_recs(&sink_json, &so, &rec, 1, 0);
	ok(jq_true(out.out, ".caller_func == \"ip_rcv\" and .caller.offset == 154 and "
			    ".caller.size == 65536 and .caller.module == \"\" and "
			    "(.stack | length) == 2 and .stack[0].func == \"icmp_rcv\" and "
			    ".stack[1].addr == \"0xffffffff81e1009a\" and .stack[1].inlined == [] "
			    "and (has(\"func_file\") | not)"),
	   "JSON: caller_func (pwru's key), caller and stack frames as objects");
	rendered_free(&out);
	symbolizer_free(harness_syms);
	harness_syms = NULL;

	/* A frame with an inlined function and source lines, straight into the sink. */
	kallsyms_locate(harness_ks, inl.addr, &inl.pos);
	inl.src[0] = (struct ksrc_frame){"NF_HOOK", "include/linux/netfilter.h", 314};
	inl.src[1] = (struct ksrc_frame){"ip_rcv", "net/ipv4/ip_input.c", 569};
	rec_start(&rec, &ev);
	record_decode(rec.b, rec.len, &r);
	r.func = "icmp_rcv";
	r.func_text = r.proc_text = r.tuple_str = "x";
	r.func_len = r.proc_len = r.tuple_len = 1;
	r.netns_name = "";
	r.func_frame = r.caller_frame = r.frames[0] = &inl;
	r.nframes = 1;
	s.out = open_memstream(&text, &len);
	ok(!s.ops->open(&s) && !s.ops->record(&s, &r) && !s.ops->close(&s, &st), "sink runs");
	fclose(s.out);
	ok(jq_true(text, ".func_file == \"net/ipv4/ip_input.c\" and .func_line == 569 and "
			 ".stack[0].line == 569 and .stack[0].inlined == [{\"func\": \"NF_HOOK\", "
			 "\"file\": \"include/linux/netfilter.h\", \"line\": 314}]"),
	   "JSON: source lines and inlined functions");
	free(text);
}

int main(void)
{
	harness_init();
	test_frames_layout();
	test_sink();
	test_trampoline();
	test_tracepoint();
	test_json();
	harness_done();
	return tap_done();
}
