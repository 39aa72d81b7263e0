/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything spliced into the tracing programs, from the flags: the pcap-filter, the
 * tunnel filters; one struct pcap_filter carries them all to the loader.
 */
#ifndef PWRU_FILTER_SETUP_H
#define PWRU_FILTER_SETUP_H

struct btf;
struct pcap_filter;
struct pwru_config;
struct pwru_err;

/* Compiles CFG's filters against BTF (the traced kernel's) into *OUT. 0, or -1 with E set. */
int filter_setup(const struct pwru_config *cfg, const struct btf *btf, struct pcap_filter **out,
		 struct pwru_err *e);

#endif
