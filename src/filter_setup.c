// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "bpf/event.h"
#include "filters/cbpf_xlate.h"
#include "filters/pcap_filter.h"
#include "filters/skb_expr.h"
#include "src/discover/kbtf.h"
#include "src/error.h"
#include "src/filter_setup.h"
#include "src/flags.h"

_Static_assert(SKB_METADATA_MAX == PWRU_METADATA_N && FLAG_LIST_MAX == PWRU_METADATA_N,
	       "one --output-skb-metadata value per slot of the record's section");

/* -EINVAL is the expression's fault (pcap_filter.h); the rest is this kernel's. */
static int compile_error(struct pwru_err *e, int rc, const char *what, const char *expr,
			 const char *why)
{
	if (rc == -EINVAL)
		return err_bad_input(e, EINVAL, "bad %s '%s': %s", what, expr, why);
	return err_not_possible(e, -rc, "%s '%s': %s", what, expr, why);
}

/*
 * --output-chains takes its value only as =path, a switch its true or false only after
 * '=': in "--output-chains path icmp" and "--output-meta false icmp" the word went to the
 * pcap-filter, where it is a syntax error; said so, whatever libpcap hinted.
 */
static int pcap_error(const struct pwru_config *cfg, int rc, const char *why, struct pwru_err *e)
{
	const char *x = cfg->pcap_expr;

	if (rc == -EINVAL && cfg->output_chains && !strcmp(cfg->output_chains, "text") &&
	    !strncmp(x, "path", 4) && (!x[4] || x[4] == ' '))
		return err_bad_input(e, EINVAL,
				     "bad pcap-filter '%s': %s (--output-chains takes its value "
				     "after '=': did you mean --output-chains=path?)",
				     x, why);
	if (rc == -EINVAL && cfg->bool_word_flag)
		return err_bad_input(e, EINVAL,
				     "bad pcap-filter '%s': %s (--%s takes true or false only "
				     "after '=': did you mean --%s=%s?)",
				     x, why, cfg->bool_word_flag, cfg->bool_word_flag,
				     cfg->bool_word);
	return compile_error(e, rc, "pcap-filter", x, why);
}

/* The kernel's BTF parsed only when a filter needs more than the kept CAST (kbtf.h). */
static struct pcap_filter_opts pcap_opts(const struct pwru_config *cfg,
					 const struct cbpf_cast *cast)
{
	return (struct pcap_filter_opts){
	    .btf_get = kbtf_get, .cast = cast, .direct_loads = !cfg->kernel_btf};
}

static int add_tunnel(const struct pwru_config *cfg, const struct cbpf_cast *cast,
		      struct pcap_filter *f, struct pwru_err *e)
{
	struct pcap_filter_opts o = pcap_opts(cfg, cast);
	const char *l2 = cfg->filter_tunnel_pcap_l2, *l3 = cfg->filter_tunnel_pcap_l3;
	char why[512];
	int rc;

	/* one at a time: the message names the flag at fault */
	rc = pcap_filter_add_tunnel(f, l2, NULL, &o, why, sizeof(why));
	if (rc)
		return compile_error(e, rc, "--filter-tunnel-pcap-l2", l2, why);
	rc = pcap_filter_add_tunnel(f, NULL, l3, &o, why, sizeof(why));
	if (rc)
		return compile_error(e, rc, "--filter-tunnel-pcap-l3", l3, why);
	return 0;
}

/* The compiled CODE as the body of STUB behind GATE; CODE is freed either way. */
static int add_stub(struct pcap_filter *f, enum filter_gate gate, const char *stub,
		    struct ebpf_code *code, struct pwru_err *e)
{
	int rc = pcap_filter_add_stub(f, gate, stub, code);

	ebpf_code_free(code);
	return rc ? err_from_errno(e, rc, "splicing %s", stub) : 0;
}

/* Each root's flags, and the stubs they are spliced into (bpf/skb_expr.bpf.h). */
static const struct expr_flags {
	const char *filter_flag, *filter_stub, *meta_flag, *meta_stub;
	enum filter_gate filter_gate, meta_gate;
} expr_flags[] = {
    [EXPR_ROOT_SKB] = {"--filter-skb-expr", "filter_skb_expr", "--output-skb-metadata",
		       "skb_metadata_fill", FILTER_GATE_SKB_EXPR, FILTER_GATE_METADATA},
    [EXPR_ROOT_XDP] = {"--filter-xdp-expr", "filter_xdp_expr", "--output-xdp-metadata",
		       "xdp_metadata_fill", FILTER_GATE_XDP_EXPR, FILTER_GATE_XDP_METADATA},
};

static int add_exprs(enum expr_root root, const char *filter, const struct flag_list *m,
		     struct pcap_filter *f, enum skb_value_kind *kinds, struct pwru_err *e)
{
	const struct expr_flags *x = &expr_flags[root];
	struct ebpf_code code = {0};
	char why[512];
	size_t bad = 0;
	int rc;

	if (filter && *filter) {
		rc = skb_expr_filter(kbtf_get(), root, filter, &code, why, sizeof(why));
		if (rc)
			return compile_error(e, rc, x->filter_flag, filter, why);
		if (add_stub(f, x->filter_gate, x->filter_stub, &code, e))
			return -1;
	}
	if (!m->n)
		return 0;
	rc = skb_expr_metadata(kbtf_get(), root, (const char *const *)m->v, (size_t)m->n, &code,
			       kinds, &bad, why, sizeof(why));
	if (rc)
		return compile_error(e, rc, x->meta_flag, m->v[bad], why);
	return add_stub(f, x->meta_gate, x->meta_stub, &code, e);
}

/*
 * The XDP ones are compiled whether or not --filter-trace-xdp asks for XDP programs, as
 * cilium/pwru does: a bad expression is refused the same way either way.
 */
static int add_skb_expr(const struct pwru_config *cfg, struct pcap_filter *f,
			enum skb_value_kind *kinds, enum skb_value_kind *xdp_kinds,
			struct pwru_err *e)
{
	if (add_exprs(EXPR_ROOT_SKB, cfg->filter_skb_expr, &cfg->output_skb_metadata, f, kinds, e))
		return -1;
	return add_exprs(EXPR_ROOT_XDP, cfg->filter_xdp_expr, &cfg->output_xdp_metadata, f,
			 xdp_kinds, e);
}

int filter_setup(const struct pwru_config *cfg, const struct cbpf_cast *cast,
		 struct pcap_filter **out, enum skb_value_kind *kinds,
		 enum skb_value_kind *xdp_kinds, struct pwru_err *e)
{
	/*
	 * Packet bytes loaded in place where the kernel can cast (filters/cbpf_xlate.h); the
	 * kfunc's id must be the running kernel's, which a --kernel-btf file may not give.
	 */
	struct pcap_filter_opts o = pcap_opts(cfg, cast);
	char why[512];
	int rc = pcap_filter_compile_opts(cfg->pcap_expr, &o, out, why, sizeof(why));

	if (rc)
		return pcap_error(cfg, rc, why, e);
	if (add_tunnel(cfg, cast, *out, e))
		return -1;
	return add_skb_expr(cfg, *out, kinds, xdp_kinds, e);
}

int filter_check_pcap(const struct pwru_config *cfg, struct pwru_err *e)
{
	struct pcap_filter *f = NULL;
	char why[512];
	int rc = pcap_filter_compile(cfg->pcap_expr, &f, why, sizeof(why));

	pcap_filter_free(f);
	return rc == -EINVAL ? pcap_error(cfg, rc, why, e) : 0;
}
