// SPDX-License-Identifier: GPL-2.0
/*
 * --filter-skb-expr and --output-skb-metadata against this machine's BTF: what is refused
 * and how the message names the field and the struct; what compiles goes through the
 * verifier in the tracing object's kprobe program (loading needs no kprobe support). What
 * the code computes on real skbs is checked in the VM (tests/vm/suite/85-skb-expr.sh).
 */
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "pwru.skel.h"
#include "bpf/probe_sections.h"
#include "filters/cbpf_xlate.h"
#include "filters/pcap_filter.h"
#include "filters/skb_expr.h"
#include "src/discover/btf_check.h"
#include "src/probe/splice_hooks.h"

static const struct btf *btf;

static void refused_from(enum expr_root root, const char *expr, const char *why)
{
	struct ebpf_code c = {0};
	char err[256] = "";
	int rc = skb_expr_filter(btf, root, expr, &c, err, sizeof(err));

	ok(rc == -EINVAL && strstr(err, why), "'%s' refused: %s", expr, err);
	ebpf_code_free(&c);
}

static void refused(const char *expr, const char *why)
{
	refused_from(EXPR_ROOT_SKB, expr, why);
}

static void test_refused(void)
{
	refused("skb->devv->ifindex == 2", "no field 'devv' in struct sk_buff");
	refused("skb->dev->ifindexx == 2", "no field 'ifindexx' in struct net_device");
	refused("skb->sk->__sk_common.skc_familyy == 2",
		"no field 'skc_familyy' in struct sock_common");
	refused("sk->mark", "expected 'skb'");
	refused("skb.mark", "skb is a pointer");
	refused("skb->dev.ifindex", "'skb->dev' is a pointer, not a struct");
	refused("skb->mark->x", "'skb->mark' is an integer, not a pointer to a struct");
	refused("skb->dev->name == 1", "'skb->dev->name' is an array");
	refused("skb->cb[48]", "index 48 past the end of 'skb->cb' (48 elements)");
	refused("skb->mark[0]", "'skb->mark' is not an array");
	refused("skb->mark ==", "expected a number, found the end");
	refused("skb->mark == 1 )", "not ')'");
	refused("(skb->mark == 1", "expected ')'");
	refused("skb->mark = 1", "not '='");
	refused("skb->len == 12abc", "expected a number, not '12abc'");
	refused("skb->len == 99999999999999999999", "expected a number");
	refused("", "expected 'skb'");
	refused("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!skb->mark", "nested more than 32 deep");
	refused("((((((((((((((((((((((((((((((((((((((((skb->mark)))))))))))))))))))))))))))))))))"
		")))))))",
		"nested more than 32 deep");
}

/* --filter-xdp-expr, --output-xdp-metadata: the same grammar from `xdp`, a struct xdp_buff * */
static void test_xdp(void)
{
	static const char *const meta[] = {"xdp->rxq->queue_index", "xdp->rxq->dev->ifindex",
					   "xdp->data_end", "xdp->frame_sz"};
	enum skb_value_kind kinds[SKB_METADATA_MAX];
	struct ebpf_code c = {0};
	char err[512] = "";
	size_t bad = 9;

	refused_from(EXPR_ROOT_XDP, "skb->len > 0",
		     "expected 'xdp' (expressions start from the XDP program's xdp_buff), not "
		     "'skb'");
	refused("xdp->frame_sz",
		"expected 'skb' (expressions start from the traced skb), not 'xdp'");
	refused_from(EXPR_ROOT_XDP, "xdp->nope == 1", "no field 'nope' in struct xdp_buff");
	refused_from(EXPR_ROOT_XDP, "xdp->rxq->devv", "no field 'devv' in struct xdp_rxq_info");
	refused_from(EXPR_ROOT_XDP, "xdp.frame_sz", "xdp is a pointer: 'xdp->', not 'xdp.'");
	refused_from(EXPR_ROOT_XDP, "xdp == 1", "expected '->' and a field after 'xdp'");
	is_int(skb_expr_filter(btf, EXPR_ROOT_XDP,
			       "xdp->rxq->dev->ifindex == 9 && !(xdp->rxq->queue_index > 3)", &c,
			       err, sizeof(err)),
	       0, "an xdp filter compiles: %s", err);
	ok(c.cnt > 20, "into %zu instructions", c.cnt);
	ebpf_code_free(&c);
	is_int(skb_expr_metadata(btf, EXPR_ROOT_XDP, meta, 4, &c, kinds, &bad, err, sizeof(err)), 0,
	       "four xdp metadata expressions compile: %s", err);
	ok(kinds[0] == SKB_VALUE_UNSIGNED && kinds[1] == SKB_VALUE_SIGNED &&
	       kinds[2] == SKB_VALUE_POINTER && kinds[3] == SKB_VALUE_UNSIGNED,
	   "their kinds: u32, int, a pointer, u32");
	ebpf_code_free(&c);
	is_int(skb_expr_metadata(btf, EXPR_ROOT_XDP, (const char *const[]){"xdp->rxq", "skb->len"},
				 2, &c, kinds, &bad, err, sizeof(err)),
	       -EINVAL, "an skb expression among xdp metadata is refused");
	ok(bad == 1 && strstr(err, "expected 'xdp'"), "and named: %zu, %s", bad, err);
}

static int load_in_kprobe(struct pcap_filter *f, char *err, size_t len)
{
	static const struct hook_section sec = {PWRU_SEC_KPROBE "+", BPF_PROG_TYPE_KPROBE, 0};
	struct splice_hooks *h = NULL;
	struct pwru_bpf *skel = NULL;
	struct bpf_program *p;
	bool one = false;
	int rc = splice_hooks_install(f, &sec, 1, NULL, NULL, &h, err, len);

	if (!rc && !(skel = pwru_bpf__open()))
		rc = -errno;
	if (!rc) {
		bpf_object__for_each_program(p, skel->obj)
		{
			bool want = !one && !strcmp(bpf_program__section_name(p), PWRU_SEC_KPROBE);

			one |= want;
			bpf_program__set_autoload(p, want);
		}
		/* the dumps' code too: it shares the record with the metadata */
		skel->rodata->cfg_output_skb = true;
		skel->rodata->cfg_output_shinfo = true;
		rc = pwru_bpf__load(skel);
		if (!rc)
			rc = splice_hooks_verify(h, skel->obj, err, len);
		else
			snprintf(err, len, "%s", splice_hooks_error(h));
	}
	pwru_bpf__destroy(skel);
	splice_hooks_remove(h);
	return rc;
}

static void test_loads(void)
{
	static const char *const meta[] = {"skb->hash", "skb->dev->ifindex", "skb->pkt_type",
					   "skb->sk & 0xfff"};
	const char *expr = "skb->mark & 0xff == 1 && !(skb->len < 100) || skb->pkt_type == 3 || "
			   "skb->dev->ifindex >= -1 || (skb->cb[2] & 0xffffffff00) > 0x100000000 "
			   "|| skb->sk->__sk_common.skc_family != 2 && skb->dev <= 0";
	enum skb_value_kind kinds[SKB_METADATA_MAX];
	struct pcap_filter *f = NULL;
	struct ebpf_code c = {0};
	char err[512] = "";
	size_t bad = 9;
	int rc;

	is_int(skb_expr_filter(btf, EXPR_ROOT_SKB, expr, &c, err, sizeof(err)), 0,
	       "every operator compiles: %s", err);
	ok(c.cnt > 50, "into %zu instructions", c.cnt);
	if (pcap_filter_compile_btf("", btf, &f, err, sizeof(err)) ||
	    pcap_filter_add_stub(f, FILTER_GATE_SKB_EXPR, "filter_skb_expr", &c)) {
		ok(0, "the filter is added: %s", err);
		return;
	}
	is_int(skb_expr_metadata(btf, EXPR_ROOT_SKB, meta, 4, &c, kinds, &bad, err, sizeof(err)), 0,
	       "four metadata expressions compile: %s", err);
	ok(kinds[0] == SKB_VALUE_UNSIGNED && kinds[1] == SKB_VALUE_SIGNED &&
	       kinds[2] == SKB_VALUE_UNSIGNED && kinds[3] == SKB_VALUE_POINTER,
	   "their kinds: u32, int, a bitfield, a pointer");
	is_int(pcap_filter_add_stub(f, FILTER_GATE_METADATA, "skb_metadata_fill", &c), 0,
	       "the metadata is added");
	rc = load_in_kprobe(f, err, sizeof(err));
	if (rc == -EPERM)
		printf("# skipping the load: not allowed here (%s)\n", err);
	else
		is_int(rc, 0, "the kprobe program with both spliced and the dumps loads: %s", err);
	pcap_filter_free(f);

	is_int(skb_expr_metadata(btf, EXPR_ROOT_SKB,
				 (const char *const[]){"skb->hash", "skb->nope"}, 2, &c, kinds,
				 &bad, err, sizeof(err)),
	       -EINVAL, "a bad metadata expression is refused");
	ok(bad == 1 && strstr(err, "no field 'nope' in struct sk_buff"), "and named: %zu, %s", bad,
	   err);
	is_int(skb_expr_metadata(btf, EXPR_ROOT_SKB, (const char *const[]){"skb->hash == 1"}, 1, &c,
				 kinds, &bad, err, sizeof(err)),
	       -EINVAL, "a comparison is not a value: %s", err);
	/* said for a value to print as for one to compare */
	is_int(skb_expr_metadata(btf, EXPR_ROOT_SKB, (const char *const[]){"skb->dev->name"}, 1, &c,
				 kinds, &bad, err, sizeof(err)),
	       -EINVAL, "a char array is refused as a value");
	ok(strstr(err,
		  "'skb->dev->name' is an array: only integers, enums and pointers are read") !=
	       NULL,
	   "in words that fit a printed value: %s", err);
}

/* --output-skb's check for bpf_snprintf_btf, on a BTF that has it and one that has not */
static void test_helper_check(void)
{
	struct btf *empty = btf__new_empty();
	int id = empty ? btf__add_enum(empty, "bpf_func_id", 4) : -1;

	ok(btf_enum_has(btf, "bpf_func_id", "BPF_FUNC_snprintf_btf"),
	   "this kernel's BTF has BPF_FUNC_snprintf_btf");
	ok(!btf_enum_has(btf, "bpf_func_id", "BPF_FUNC_no_such_helper"), "and no made-up helper");
	if (id > 0)
		btf__add_enum_value(empty, "BPF_FUNC_map_lookup_elem", 1);
	ok(id > 0 && !btf_enum_has(empty, "bpf_func_id", "BPF_FUNC_snprintf_btf"),
	   "a bpf_func_id without it (a kernel before 5.10): --output-skb needs the "
	   "bpf_snprintf_btf helper");
	btf__free(empty);
}

/* A random well-formed expression of up to DEPTH levels into EXPR. */
static void gen_expr(char *expr, size_t len, unsigned int *seed, int depth)
{
	static const char *const vals[] = {"skb->len",
					   "skb->mark & 0xff00",
					   "skb->dev->ifindex",
					   "skb->pkt_type",
					   "skb->cb[7]",
					   "skb->sk",
					   "skb->dev->nd_net.net->ns.inum"};
	static const char *const cmps[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};
	static const char *const joins[] = {" && ", " || "};
	int r = (int)(rand_r(seed) % 4);

	if (depth <= 0 || r == 0) {
		snprintf(expr + strlen(expr), len - strlen(expr), "%s%s%d",
			 vals[rand_r(seed) % (sizeof(vals) / sizeof(vals[0]))],
			 cmps[rand_r(seed) % (sizeof(cmps) / sizeof(cmps[0]))],
			 (int)(rand_r(seed) % 2000) - 1000);
	} else if (r == 1) {
		strncat(expr, "!(", len - strlen(expr) - 1);
		gen_expr(expr, len, seed, depth - 1);
		strncat(expr, ")", len - strlen(expr) - 1);
	} else {
		strncat(expr, "(", len - strlen(expr) - 1);
		gen_expr(expr, len, seed, depth - 1);
		strncat(expr, joins[r - 2], len - strlen(expr) - 1);
		gen_expr(expr, len, seed, depth - 1);
		strncat(expr, ")", len - strlen(expr) - 1);
	}
}

/*
 * Random expressions, under ASan/UBSan: well-formed ones compile, token soup is refused
 * with a message; never a crash.
 */
static void test_random(void)
{
	static const char *const toks[] = {
	    "skb",	"->",	  ".",	 "dev", "ifindex", "mark",	  "len",
	    "cb",	"[",	  "]",	 "3",	"0xff",	   "-1",	  "==",
	    "!=",	"<",	  "<=",	 ">",	">=",	   "&",		  "&&",
	    "||",	"!",	  "(",	 ")",	"sk",	   "__sk_common", "skc_family",
	    "pkt_type", "nd_net", "net", "ns",	"inum",	   " ",		  "99999999999999999999"};
	unsigned int seed = 42, compiled = 0, refused_n = 0, bad = 0;

	for (int i = 0; i < 3000; i++) {
		char expr[512] = "", err[256] = "";
		struct ebpf_code c = {0};
		int n = 1 + rand_r(&seed) % 24, rc;

		if (i % 2)
			gen_expr(expr, sizeof(expr), &seed, 4);
		else
			for (int k = 0; k < n; k++)
				strncat(expr,
					toks[rand_r(&seed) % (sizeof(toks) / sizeof(toks[0]))],
					sizeof(expr) - strlen(expr) - 1);
		rc = skb_expr_filter(btf, EXPR_ROOT_SKB, expr, &c, err, sizeof(err));
		if (i % 2 && rc && bad++ < 3)
			printf("#   well-formed '%s' refused: %s\n", expr, err);
		if (!rc && c.cnt)
			compiled++;
		else if (rc == -EINVAL && *err)
			refused_n++;
		else if (bad++ < 3)
			printf("#   '%s': rc %d, %zu insns, '%s'\n", expr, rc, c.cnt, err);
		ebpf_code_free(&c);
	}
	ok(!bad && compiled >= 1500,
	   "3000 random expressions, half well-formed: %u compiled, %u refused with a reason",
	   compiled, refused_n);
}

int main(void)
{
	struct btf *b = btf__load_vmlinux_btf();

	if (!b) {
		printf("1..0 # SKIP no kernel BTF here\n");
		return 0;
	}
	btf = b;
	test_refused();
	test_xdp();
	test_loads();
	test_helper_check();
	test_random();
	btf__free(b);
	return tap_done();
}
