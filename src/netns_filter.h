/* SPDX-License-Identifier: GPL-2.0 */
/* --filter-netns and --filter-ifname turned into the numbers the BPF side compares. */
#ifndef PWRU_NETNS_FILTER_H
#define PWRU_NETNS_FILTER_H

#include <stddef.h>
#include <stdint.h>

/*
 * NETNS: NULL, "inode:N" or a namespace file such as /proc/PID/ns/net. IFNAME: NULL or an
 * interface name, looked up inside that namespace (ours when NETNS is NULL); naming an
 * interface also pins the namespace, since ifindexes repeat across namespaces.
 * Sets *INODE and *IFINDEX (0: no filter). Returns 0, or a negative errno with a message in
 * ERR: -EINVAL when a value is wrong (malformed, not a network namespace, no such interface),
 * another one when the system would not let us look.
 */
int netns_filter_resolve(const char *netns, const char *ifname, uint32_t *inode, uint32_t *ifindex,
			 char *err, size_t errlen);

#endif
