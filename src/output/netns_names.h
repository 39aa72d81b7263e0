/* SPDX-License-Identifier: GPL-2.0 */
/* Names of network namespaces, as `ip netns` keeps them: bind mounts under /run/netns. */
#ifndef PWRU_NETNS_NAMES_H
#define PWRU_NETNS_NAMES_H

#include <stdint.h>

struct netns_names;

/* DIR: where to look ("/run/netns"). NULL on allocation failure. */
struct netns_names *netns_names_new(const char *dir);
/*
 * The name of the namespace with inode INUM, or "". A namespace named after the last look
 * is found too: an unknown inode rescans the directory, at most once a second.
 */
const char *netns_name(struct netns_names *nn, uint32_t inum);
void netns_names_free(struct netns_names *nn);

#endif
