/* SPDX-License-Identifier: GPL-2.0 */
/* --filter-netns and --filter-ifname turned into the numbers the BPF side compares. */
#ifndef PWRU_NETNS_FILTER_H
#define PWRU_NETNS_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include "src/error.h"

/*
 * NETNS: NULL, "inode:N" or a namespace file such as /proc/PID/ns/net. IFNAME: NULL or an
 * interface name, looked up inside that namespace (ours when NETNS is NULL); naming an
 * interface also pins the namespace, since ifindexes repeat across namespaces.
 * Sets *INODE and *IFINDEX (0: no filter). Returns 0, or -1 with E set: bad input when a
 * value is wrong (malformed, not a network namespace, no such interface), not possible when
 * the system would not let us look.
 */
int netns_filter_resolve(const char *netns, const char *ifname, uint32_t *inode, uint32_t *ifindex,
			 struct pwru_err *e);

#endif
