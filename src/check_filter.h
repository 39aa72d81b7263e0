/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PWRU_CHECK_FILTER_H
#define PWRU_CHECK_FILTER_H

/*
 * pwru --check-filter FILE EXPR: runs EXPR's eBPF filter, loaded in the kernel, over every
 * packet of the pcap FILE and prints "INDEX MATCH" per packet. Returns the exit status.
 */
int check_filter_main(const char *file, const char *expr);

#endif
