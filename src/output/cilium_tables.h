/* SPDX-License-Identifier: GPL-2.0 */
/* The data behind cilium.h, kept apart so that a Cilium release changes one file. */
#ifndef PWRU_CILIUM_TABLES_H
#define PWRU_CILIUM_TABLES_H

#include <stdint.h>

#define CILIUM_TABLE_END UINT32_MAX

struct cilium_name {
	uint32_t value; /* CILIUM_TABLE_END ends a table */
	const char *name;
};

enum cilium_carries {
	CILIUM_CARRIES_NOTHING,
	CILIUM_CARRIES_IDENTITY, /* ((mark & 0xFF) << 16) | (mark >> 16) */
	CILIUM_CARRIES_ENDPOINT, /* mark >> 16 */
	CILIUM_CARRIES_KEY,	 /* IPsec key (mark >> 12) & 0xF, node id mark >> 16 */
	CILIUM_CARRIES_CLUSTER,	 /* cluster id mark & 0xFF */
};

struct cilium_magic {
	uint32_t value, mask; /* mask 0 ends the table */
	const char *name;
	enum cilium_carries carries;
};

extern const struct cilium_name cilium_identities[];
extern const struct cilium_name cilium_drop_codes[];
extern const struct cilium_name cilium_files[];
extern const struct cilium_magic cilium_magics[];

#endif
