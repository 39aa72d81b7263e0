/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/filters/exclusions.txt: what the differential test does not compare, and why.
 *
 *   expr    LINK EXPR ;; REASON          EXPR is not compared on LINK
 *   packet  LINK WHICH EXPR ;; REASON    packets WHICH are not compared for EXPR on LINK
 *   nomatch LINK EXPR ;; REASON          EXPR is known to match no packet on LINK
 *
 * LINK is EN10MB, RAW or '*'; EXPR is a corpus line exactly, or '*' for every expression;
 * WHICH is FILE:INDEX, FILE:* (FILE relative to the pcaps folder) or 'truncated'
 * (caplen < wire length).
 */
#ifndef PWRU_TESTS_EXCLUSIONS_H
#define PWRU_TESTS_EXCLUSIONS_H

#include <stddef.h>
#include "captures.h"

enum exclusion_kind { EXCL_EXPR, EXCL_PACKET, EXCL_NOMATCH };

struct exclusion {
	enum exclusion_kind kind;
	int link;   /* enum capture_link, or -1 for both */
	char *expr; /* NULL for every expression */
	char *file; /* EXCL_PACKET: NULL with truncated set */
	long index; /* -1 for every packet of FILE */
	int truncated;
	char *reason;
};

struct exclusions {
	struct exclusion *v;
	size_t n;
};

/* Returns 0, or -1 with "FILE:LINE: what is wrong" in ERR. */
int exclusions_load(const char *path, struct exclusions *ex, char *err, size_t errlen);
void exclusions_free(struct exclusions *ex);

/* The first matching line of KIND, or NULL. PKT is only used for EXCL_PACKET. */
struct exclusion *exclusions_find(struct exclusions *ex, enum exclusion_kind kind,
				  enum capture_link link, const char *expr,
				  const struct capture_pkt *pkt);

#endif
