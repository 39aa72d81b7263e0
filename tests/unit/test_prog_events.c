// SPDX-License-Identifier: GPL-2.0
/*
 * tc and XDP program events through the real pipeline: names from the program table,
 * verdicts at exit, redirect targets, Cilium's drop from cb and from its drop notification,
 * the mark in Cilium's layout; in text, JSON and chains. And the table itself.
 */
#include <errno.h>
#include <pthread.h>
#include "sink_harness.h"
#include "kallsyms/symbolizer.h"

extern const struct sink_ops sink_text, sink_json, sink_chains;

#define ID_CIL	 12 /* cil_from_container, cls_bpf */
#define ID_TCX	 13
#define ID_XDP	 14
#define ID_OTHER 99 /* not in the table */

/* bpf_lxc's policy drop as read in the VM at sk_skb_reason_drop (tests/unit/test_cilium.c). */
static const uint32_t lxc_cb[5] = {0xfffff, 2, 0x85, 0, 0x05520202};

static struct pwru_event prog_event(uint32_t id, uint8_t type)
{
	struct pwru_event ev = sample_event();

	ev.addr = id;
	ev.type = type;
	return ev;
}

static void exit_rec(struct rec *r, uint32_t id, int64_t ret, const uint32_t *cb)
{
	struct pwru_event ev = prog_event(id, PWRU_EV_PROG_EXIT);
	uint64_t v = (uint64_t)ret;

	rec_start(r, &ev);
	if (cb)
		rec_section(r, PWRU_SEC_CB, cb, 20);
	rec_section(r, PWRU_SEC_RETVAL, &v, sizeof(v));
}

static char *render(struct rec *recs, int n, struct sink_opts so, const struct sink_ops *ops)
{
	struct rendered r = render_recs(ops, &so, recs, n, 0);

	ok(!r.rc, "pipeline calls succeed");
	free(r.diag);
	return r.out;
}

static void test_table(void)
{
	struct prog_names *t = prog_names_new();
	enum prog_kind k = PROG_XDP;
	const char *a;
	uint32_t id;
	int rc = 0;

	ok(t && !prog_names_add(t, 7, "cil_from_container", PROG_TC), "a program is named");
	a = prog_names_get(t, 7, &k);
	is_str(a, "cil_from_container(tc)", "shown as pwru shows tc programs");
	ok(k == PROG_TC, "with its kind");
	ok(!prog_names_add(t, 7, "cil_from_container", PROG_TCX), "found attached by tcx later");
	ok(prog_names_get(t, 7, &k) == a && k == PROG_TCX,
	   "the kind changes, the label a sink may hold does not");
	ok(!prog_names_get(t, 8, &k), "an unknown id has no name");
	ok(prog_names_add(t, 0, "x", PROG_TC) == -EINVAL, "id 0 is refused (no such program)");
	for (id = 100; id < 100 + PROG_NAMES_MAX && !rc; id++)
		rc = prog_names_add(t, id, "p", PROG_XDP);
	ok(rc == -ENOSPC && id - 100 == PROG_NAMES_MAX,
	   "bounded: the program past the limit is refused (%u added)", id - 100);
	is_str(prog_names_get(t, 150, &k), "p(xdp)", "XDP programs read NAME(xdp)");
	prog_names_free(t);
}

static void *adder(void *arg)
{
	uint32_t id;

	for (id = 1; id <= 2000; id++)
		prog_names_add(arg, id, "concurrent_prog", PROG_TC);
	return NULL;
}

/* The probe side names programs while the reader looks them up (run under ASan). */
static void test_table_threads(void)
{
	struct prog_names *t = prog_names_new();
	enum prog_kind k;
	pthread_t th;
	uint32_t id, seen = 0;
	int i;

	pthread_create(&th, NULL, adder, t);
	for (i = 0; i < 20000; i++)
		for (id = 1; id <= 2000; id += 199)
			seen += prog_names_get(t, id, &k) != NULL;
	pthread_join(th, NULL);
	for (id = 1, i = 0; id <= 2000; id++)
		i += prog_names_get(t, id, &k) != NULL;
	ok(i == 2000, "every program added from another thread is found (%d; %u seen meanwhile)", i,
	   seen);
	prog_names_free(t);
}

static void test_text(void)
{
	struct rec r[10];
	struct pwru_event ev;
	uint32_t other_cb[5] = {0xfffff, 2, 0x85, 0, 0x05520200};
	struct pwru_redirect rd = {.ifindex = 1, .flags = 1}, rdm = {.ifindex = 3, .map_id = 42};
	uint8_t notify[PWRU_NOTIFY_LEN] = {1, 133};
	uint16_t line = 1362;
	uint32_t v;
	char *t;

	ev = prog_event(ID_CIL, PWRU_EV_PROG_ENTRY);
	rec_start(&r[0], &ev);
	exit_rec(&r[1], ID_CIL, 2, lxc_cb);
	exit_rec(&r[2], ID_CIL, 2, other_cb);
	exit_rec(&r[3], ID_TCX, 2, NULL);
	exit_rec(&r[4], ID_XDP, 1, NULL);
	exit_rec(&r[5], ID_CIL, 7, NULL);
	rec_section(&r[5], PWRU_SEC_REDIRECT, &rd, sizeof(rd));
	exit_rec(&r[6], ID_XDP, 4, NULL);
	rec_section(&r[6], PWRU_SEC_REDIRECT, &rdm, sizeof(rdm));
	exit_rec(&r[7], ID_CIL, 42, NULL);
	ev = prog_event(ID_OTHER, PWRU_EV_PROG_ENTRY);
	rec_start(&r[8], &ev);
	ev = sample_event();
	ev.addr = ADDR_SKB_OUTPUT;
	rec_start(&r[9], &ev);
	v = 0xfffff;
	memcpy(notify + 16, &v, 4);
	v = 2;
	memcpy(notify + 20, &v, 4);
	memcpy(notify + 28, &line, 2);
	notify[30] = 2;
	rec_section(&r[9], PWRU_SEC_NOTIFY, notify, sizeof(notify));
	t = render(r, 10, (struct sink_opts){.meta = true, .tuple = true, .cb = true}, &sink_text);
	ok(t && strstr(t, "(tcp) cil_from_container(tc)\n"), "entry: NAME(tc)");
	ok(t && strstr(t, "[0x000FFFFF,0x00000002,0x00000085,0x00000000,0x05520202]"),
	   "the cb column shows the five words raw");
	ok(t && strstr(t, "(tcp) cil_from_container(tc) TC_ACT_SHOT DROP_POLICY (133) "
			  "bpf_lxc.c:1362\n"),
	   "exit: the verdict, and Cilium's reason and source line from cb");
	ok(t && strstr(t, "(tcp) cil_from_container(tc) TC_ACT_SHOT\n"),
	   "cb whose exit code is not a drop is not trusted");
	ok(t && strstr(t, "(tcp) tcx_prog(tc) TCX_DROP\n"), "a tcx program's verdict reads TCX_*");
	ok(t && strstr(t, "(tcp) xdp_prog(xdp) XDP_DROP\n"), "an XDP program's reads XDP_*");
	ok(t && strstr(t, " cil_from_container(tc) TC_ACT_REDIRECT -> ifindex 1 ingress\n"),
	   "a redirect says where to");
	ok(t && strstr(t, " xdp_prog(xdp) XDP_REDIRECT -> map 42 key 3\n"),
	   "a redirect through a map names the map and key");
	ok(t && strstr(t, " cil_from_container(tc) ret 42\n"), "a result with no name: its number");
	ok(t && strstr(t, "(tcp) 0x63\n"), "an unknown program: its id, as an unknown address");
	ok(t && strstr(t, "(tcp) bpf_skb_event_output DROP_POLICY (133) bpf_lxc.c:1362\n"),
	   "Cilium's drop notification, decoded where the program hands it over");
	free(t);
}

/*
 * --output-caller: a tc or XDP program's caller is what ran it (cls_bpf, veth), under pwru's
 * program, its trampoline and the program's own frame; the drop notification's is the
 * program that sent it (a tail call of Cilium's). Stacks as bpf_get_stack() gives them.
 */
static void test_caller(void)
{
	/* pwru's program has no symbol (loaded after kallsyms was read) */
	const uint64_t entry[4] = {0xffffffff80001000ULL, ADDR_TRAMPOLINE + 0x89, ADDR_PROG_CIL + 5,
				   ADDR_CLS_BPF + 0x4a};
	const uint64_t notify[5] = {0xffffffff80001000ULL, ADDR_TRAMPOLINE + 0x89,
				    ADDR_SKB_OUTPUT + 9, ADDR_PROG_NOTIFY + 0x1d2,
				    ADDR_CLS_BPF + 0x4a};
	const uint64_t xdp[3] = {0xffffffff80001000ULL, ADDR_TRAMPOLINE + 0x89,
				 ADDR_VETH_XDP + 0x1f0};
	struct sink_opts so = {.caller = true, .stack = true};
	struct pwru_event ev;
	struct rec r[4];
	char *t;

	harness_syms = symbolizer_new(harness_ks, NULL, 0);
	ev = prog_event(ID_CIL, PWRU_EV_PROG_ENTRY);
	rec_start(&r[0], &ev);
	rec_section(&r[0], PWRU_SEC_STACK, entry, sizeof(entry));
	exit_rec(&r[1], ID_CIL, 2, NULL);
	rec_section(&r[1], PWRU_SEC_STACK, entry, sizeof(entry));
	ev = sample_event();
	ev.addr = ADDR_SKB_OUTPUT;
	rec_start(&r[2], &ev);
	rec_section(&r[2], PWRU_SEC_STACK, notify, sizeof(notify));
	ev = prog_event(ID_XDP, PWRU_EV_PROG_ENTRY);
	rec_start(&r[3], &ev);
	rec_section(&r[3], PWRU_SEC_STACK, xdp, sizeof(xdp));
	t = render(r, 4, so, &sink_text);
	ok(t && strstr(t, " cil_from_container(tc) cls_bpf_classify+0x4a [cls_bpf]\n"
			  "    cls_bpf_classify+0x4a [cls_bpf]\n"),
	   "entry: CALLER and the stack start at what ran the program");
	ok(t && strstr(t, " cil_from_container(tc) TC_ACT_SHOT cls_bpf_classify+0x4a [cls_bpf]\n"),
	   "exit: the same caller");
	ok(t && strstr(t, " bpf_skb_event_output               "
			  "bpf_prog_24f0c1c3d4b5a697___send_drop_notify+0x1d2 [bpf]\n"),
	   "the notification's CALLER: the program that sent it");
	ok(t && strstr(t, " xdp_prog(xdp)                      veth_xdp_rcv_skb+0x1f0 [veth]\n"),
	   "an XDP program's: the driver that ran it");
	free(t);
	symbolizer_free(harness_syms);
	harness_syms = NULL;
}

/*
 * x86 before 7.x: an XDP program's stack ends in BPF code; the caller comes as the section
 * bpf/entry_prog.h read from the trampoline's frame. Where the stack has one (7.x, arm64),
 * the stack's is taken, and the section's is not put into the stack.
 */
static void test_xdp_caller(void)
{
	const uint64_t bpf_only[3] = {0xffffffff80001000ULL, ADDR_TRAMPOLINE + 0x89,
				      ADDR_PROG_CIL + 5};
	const uint64_t full[4] = {0xffffffff80001000ULL, ADDR_TRAMPOLINE + 0x89,
				  ADDR_VETH_XDP + 0x1f0, ADDR_CLS_BPF + 0x4a};
	const uint64_t frame = ADDR_VETH_XDP + 0x100;
	struct sink_opts so = {.caller = true, .stack = true};
	struct pwru_event ev = prog_event(ID_XDP, PWRU_EV_PROG_ENTRY);
	struct rec r[2];
	char *t;

	harness_syms = symbolizer_new(harness_ks, NULL, 0);
	rec_start(&r[0], &ev);
	rec_section(&r[0], PWRU_SEC_CALLER, &frame, sizeof(frame));
	rec_section(&r[0], PWRU_SEC_STACK, bpf_only, sizeof(bpf_only));
	rec_start(&r[1], &ev);
	rec_section(&r[1], PWRU_SEC_CALLER, &frame, sizeof(frame));
	rec_section(&r[1], PWRU_SEC_STACK, full, sizeof(full));
	t = render(r, 2, so, &sink_text);
	ok(t && strstr(t, " xdp_prog(xdp) veth_xdp_rcv_skb+0x100 [veth]\n"),
	   "a stack of BPF frames only: CALLER from the trampoline's frame");
	ok(t && strstr(t, " xdp_prog(xdp) veth_xdp_rcv_skb+0x1f0 [veth]\n"
			  "    veth_xdp_rcv_skb+0x1f0 [veth]\n"
			  "    cls_bpf_classify+0x4a [cls_bpf]\n"),
	   "a stack with the caller: the stack's, and nothing added to the stack");
	free(t);
	symbolizer_free(harness_syms);
	harness_syms = NULL;
}

static void test_mark(void)
{
	struct rec r[3];
	struct pwru_event ev = sample_event();
	char *t;

	ev.mark = 0x00060f00; /* MARK_MAGIC_IDENTITY, identity 6 */
	rec_start(&r[0], &ev);
	ev.mark = 0x04d20900; /* MARK_MAGIC_PROXY_EGRESS_EPID, endpoint 1234 */
	rec_start(&r[1], &ev);
	ev.mark = 0x5;
	rec_start(&r[2], &ev);
	t = render(r, 3, (struct sink_opts){.meta = true, .tuple = true, .cilium = true},
		   &sink_text);
	ok(t && strstr(t, " 60f00    ") &&
	       strstr(t, " nf_hook_slow mark=IDENTITY,identity=6(remote-node)\n"),
	   "--output-cilium: the mark's identity decoded after FUNC, the raw mark kept");
	ok(t && strstr(t, " nf_hook_slow mark=PROXY_EGRESS_EPID,ep=1234\n"),
	   "an endpoint mark names the endpoint");
	ok(t && strstr(t, "(tcp) nf_hook_slow\n"), "a mark with no Cilium magic: nothing added");
	free(t);
	t = render(r, 1, (struct sink_opts){.meta = true, .tuple = true}, &sink_text);
	ok(t && !strstr(t, "mark="), "without --output-cilium the line is pwru's");
	free(t);
}

static void test_json(void)
{
	struct rec r[2];
	struct pwru_event ev = prog_event(ID_CIL, PWRU_EV_PROG_ENTRY);
	char *t;

	ev.mark = 0x00020f00;
	rec_start(&r[0], &ev);
	exit_rec(&r[1], ID_CIL, 2, lxc_cb);
	t = render(r, 2,
		   (struct sink_opts){.meta = true, .tuple = true, .progs = true, .cilium = true},
		   &sink_json);
	ok(t && strstr(t, "\"func\":\"cil_from_container(tc)\",\"func_addr\":\"0xc\","
			  "\"drop_reason\":\"\",\"drop_reason_value\":0,\"verdict\":\"\","
			  "\"redirect_ifindex\":0,\"cilium_drop\":\"\",\"cilium_drop_code\":0,"
			  "\"cilium_mark\":\"IDENTITY identity=2(world)\",\"cilium_identity\":2,"
			  "\"cilium_identity_name\":\"world\""),
	   "entry: every key present, zero values included");
	ok(t &&
	       strstr(t, "\"func\":\"cil_from_container(tc) TC_ACT_SHOT DROP_POLICY (133) "
			 "bpf_lxc.c:1362\"") &&
	       strstr(t, "\"retval\":2,\"verdict\":\"TC_ACT_SHOT\",\"redirect_ifindex\":0,"
			 "\"cilium_drop\":\"DROP_POLICY (133) bpf_lxc.c:1362\","
			 "\"cilium_drop_code\":133,\"cilium_mark\":\"\",\"cilium_identity\":0,"
			 "\"cilium_identity_name\":\"\""),
	   "exit: verdict and Cilium's drop as keys of their own");
	free(t);
	t = render(r, 1, (struct sink_opts){.meta = true}, &sink_json);
	ok(t && !strstr(t, "verdict") && !strstr(t, "cilium"), "no such keys without the flags");
	free(t);
}

static void test_chains(void)
{
	struct rec r[3];
	struct pwru_event ev = prog_event(ID_CIL, PWRU_EV_PROG_ENTRY);
	char *t;

	rec_start(&r[0], &ev);
	exit_rec(&r[1], ID_CIL, 2, lxc_cb);
	((struct pwru_event *)r[1].b)->mark = 0x00060f00;
	ev = sample_event();
	ev.addr = ADDR_SK_DROP;
	ev.arg3 = 2;
	rec_start(&r[2], &ev);
	t = render(r, 3, (struct sink_opts){.meta = true, .tuple = true, .cilium = true},
		   &sink_chains);
	ok(t && strstr(t, " ns  cil_from_container(tc)\n"), "chains: the program's entry");
	ok(t && strstr(t, " ns  cil_from_container(tc) TC_ACT_SHOT DROP_POLICY (133) "
			  "bpf_lxc.c:1362 mark=IDENTITY,identity=6(remote-node)\n"),
	   "chains: its verdict, Cilium's reason and the decoded mark");
	ok(t && strstr(t, "end: dropped at sk_skb_reason_drop(SKB_DROP_REASON_NOT_SPECIFIED)"),
	   "chains: the kernel's drop ends the packet");
	free(t);
}

/* nf_hook_slow with its return value (fentry): netfilter's verdict at its hook. */
static void test_nf_verdict(void)
{
	struct pwru_event ev[3] = {sample_event(), sample_event(), sample_event()};
	struct sink_opts so = {.meta = true, .tuple = true};
	uint64_t drop = (uint64_t)-1, accept = 1;
	struct rec recs[3];
	char *t;

	ev[0].type = ev[1].type = PWRU_EV_FENTRY;
	ev[0].arg2 = PWRU_NF_WORD(2, 1);   /* NFPROTO_IPV4, NF_INET_LOCAL_IN */
	ev[1].arg2 = PWRU_NF_WORD(10, 4);  /* NFPROTO_IPV6, NF_INET_POST_ROUTING */
	ev[2].type = PWRU_EV_KPROBE_MULTI; /* no return value: arg2 is the state pointer */
	ev[2].arg2 = 0xffff888012345678ULL;
	rec_start(&recs[0], &ev[0]);
	rec_section(&recs[0], PWRU_SEC_RETVAL, &drop, sizeof(drop));
	rec_start(&recs[1], &ev[1]);
	rec_section(&recs[1], PWRU_SEC_RETVAL, &accept, sizeof(accept));
	rec_start(&recs[2], &ev[2]);
	t = render(recs, 3, so, &sink_text);
	ok(t && strstr(t, "(tcp) nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)\n"),
	   "a drop: hook, family, errno");
	ok(t && strstr(t, "(tcp) nf_hook_slow NF_INET_POST_ROUTING/ipv6 ACCEPT\n"), "an accept");
	ok(t && strstr(t, "(tcp) nf_hook_slow\n"), "a kprobe's event, without a result, as before");
	free(t);
	t = render(recs, 1, so, &sink_json);
	ok(t && strstr(t, "\"func\":\"nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)\"") &&
	       strstr(t, "\"retval\":-1"),
	   "JSON: the same in func, the number in retval");
	free(t);
}

/* nft_do_chain's exit: the table and base chain that decided, and their verdict. */
static void test_nft_chain(void)
{
	struct pwru_nft a = {.family = 1, .table = "pwru_test", .chain = "input"};
	struct pwru_nft b = {.family = 2, .table = "t\x1b[2J", .chain = "c"};
	uint64_t drop = 0, drop_err = 13 << 16;
	struct pwru_event ev = sample_event();
	struct sink_opts so = {.meta = true, .tuple = true};
	struct rec recs[2];
	char *t;

	ev.type = PWRU_EV_FENTRY;
	ev.addr = ADDR_NFT_DO_CHAIN;
	rec_start(&recs[0], &ev);
	rec_section(&recs[0], PWRU_SEC_NFT, &a, sizeof(a));
	rec_section(&recs[0], PWRU_SEC_RETVAL, &drop, sizeof(drop));
	rec_start(&recs[1], &ev);
	rec_section(&recs[1], PWRU_SEC_NFT, &b, sizeof(b));
	rec_section(&recs[1], PWRU_SEC_RETVAL, &drop_err, sizeof(drop_err));
	harness_nft = nft_names_new();
	t = render(recs, 2, so, &sink_text);
	ok(t && strstr(t, "(tcp) nft_do_chain inet/pwru_test/input DROP\n"),
	   "a drop: family, table, base chain, verdict");
	ok(t && strstr(t, "(tcp) nft_do_chain ip/t?[2J/c DROP (-EACCES)\n"),
	   "a drop with the errno a rule chose; control characters of a name as ?");
	free(t);
	t = render(recs, 2, so, &sink_json);
	ok(t && strstr(t, "\"func\":\"nft_do_chain inet/pwru_test/input DROP\"") &&
	       strstr(t, "\"func\":\"nft_do_chain ip/t?[2J/c DROP (-EACCES)\""),
	   "JSON: in func, each event its own");
	free(t);
	t = render(recs, 2, so, &sink_chains);
	ok(t && strstr(t, " ns  nft_do_chain inet/pwru_test/input DROP\n"),
	   "chains: the step keeps its text past its record");
	free(t);
	nft_names_free(harness_nft);
	harness_nft = NULL;
}

int main(void)
{
	harness_init();
	test_table();
	test_table_threads();
	harness_progs = prog_names_new();
	prog_names_add(harness_progs, ID_CIL, "cil_from_container", PROG_TC);
	prog_names_add(harness_progs, ID_TCX, "tcx_prog", PROG_TCX);
	prog_names_add(harness_progs, ID_XDP, "xdp_prog", PROG_XDP);
	test_text();
	test_caller();
	test_xdp_caller();
	test_mark();
	test_json();
	test_chains();
	test_nf_verdict();
	test_nft_chain();
	prog_names_free(harness_progs);
	harness_done();
	return tap_done();
}
