/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every packet of the shared captures, loaded once into memory and grouped by the link type
 * our filter runs on: EN10MB (the L2 filter) or RAW (the L3 filter).
 */
#ifndef PWRU_TESTS_CAPTURES_H
#define PWRU_TESTS_CAPTURES_H

#include <stddef.h>

enum capture_link { LINK_L2, LINK_L3, LINK_COUNT };

struct capture_pkt {
	const char *file;   /* path relative to the pcaps folder, shared between packets */
	unsigned int index; /* 0-based position in the file */
	unsigned int caplen;
	unsigned int wirelen;
	int derived; /* an ethernet IP packet with its 14-byte header cut off */
	unsigned char *data;
};

struct capture_set {
	struct capture_pkt *pkts[LINK_COUNT];
	size_t count[LINK_COUNT];
	size_t files[LINK_COUNT];
	size_t truncated[LINK_COUNT];
	char **names; /* the file names packets point at */
	size_t nnames;
};

/*
 * Loads DIR/ethernet/ *.pcap as L2 and DIR/raw-ip/ *.pcap as L3; with DERIVE_L3, every
 * untagged IPv4/IPv6 ethernet packet is also added to L3 without its ethernet header, since
 * the raw-ip captures alone hold few packets. Returns 0, or -1 with a message in ERR.
 */
int captures_load(const char *dir, int derive_l3, struct capture_set *set, char *err,
		  size_t errlen);
void captures_free(struct capture_set *set);

/* DLT_EN10MB or DLT_RAW: the link type libpcap compiles for, and our checker runs. */
int capture_link_dlt(enum capture_link link);
const char *capture_link_name(enum capture_link link);

#endif
