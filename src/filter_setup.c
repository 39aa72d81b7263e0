// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include "filters/pcap_filter.h"
#include "src/error.h"
#include "src/filter_setup.h"
#include "src/flags.h"

/* -EINVAL is the expression's fault (pcap_filter.h); the rest is this kernel's. */
static int compile_error(struct pwru_err *e, int rc, const char *what, const char *expr,
			 const char *why)
{
	if (rc == -EINVAL)
		return err_bad_input(e, EINVAL, "bad %s '%s': %s", what, expr, why);
	return err_not_possible(e, -rc, "%s '%s': %s", what, expr, why);
}

static int add_tunnel(const struct pwru_config *cfg, const struct btf *btf, struct pcap_filter *f,
		      struct pwru_err *e)
{
	struct pcap_filter_opts o = {.btf = btf};
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

int filter_setup(const struct pwru_config *cfg, const struct btf *btf, struct pcap_filter **out,
		 struct pwru_err *e)
{
	char why[512];
	int rc = pcap_filter_compile_btf(cfg->pcap_expr, btf, out, why, sizeof(why));

	if (rc)
		return compile_error(e, rc, "pcap-filter", cfg->pcap_expr, why);
	return add_tunnel(cfg, btf, *out, e);
}
