/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything spliced into the tracing programs, from the flags: the pcap-filter, the
 * tunnel filters, --filter-skb-expr, --output-skb-metadata and their XDP twins; one
 * struct pcap_filter carries them all to the loader.
 */
#ifndef PWRU_FILTER_SETUP_H
#define PWRU_FILTER_SETUP_H

#include "filters/skb_expr.h"

struct cbpf_cast;
struct pcap_filter;
struct pwru_config;
struct pwru_err;

/*
 * Compiles CFG's filters and --output-skb/xdp-metadata against the traced kernel's BTF
 * (src/discover/kbtf.h; CAST: the direct loads' ids, kept, or NULL) into *OUT; how each metadata
 * value prints into KINDS (skb) and XDP_KINDS. 0, or -1 with E set.
 */
int filter_setup(const struct pwru_config *cfg, const struct cbpf_cast *cast,
		 struct pcap_filter **out, enum skb_value_kind *kinds,
		 enum skb_value_kind *xdp_kinds, struct pwru_err *e);

/*
 * The pcap-filter alone, without the kernel's BTF or privileges: -1 with E set when it is
 * bad input, else 0 (what only the traced kernel can judge is left to filter_setup()).
 */
int filter_check_pcap(const struct pwru_config *cfg, struct pwru_err *e);

#endif
