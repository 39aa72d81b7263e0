/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One saved disagreement (tests/filters/regressions/NAME.txt), replayed by the differential
 * test. Text, so a reader sees the expression and the packet:
 *
 *   # why it was saved
 *   expr: tcp[13] & 2 != 0
 *   link: EN10MB            (or RAW)
 *   wirelen: 60
 *   packet: 00112233...     (hex, the captured bytes; may be empty)
 */
#ifndef PWRU_TESTS_REGRESSION_H
#define PWRU_TESTS_REGRESSION_H

#include <stddef.h>
#include <stdio.h>
#include "captures.h"

struct regression {
	char *expr;
	enum capture_link link;
	unsigned int wirelen;
	unsigned int caplen;
	unsigned char *pkt;
};

/* Returns 0, or -1 with "FILE: what is wrong" in ERR. */
int regression_load(const char *path, struct regression *r, char *err, size_t errlen);
/* Writes R into DIR under a name derived from its content; the path goes to PATH. */
int regression_save(const char *dir, const struct regression *r, const char *note, char *path,
		    size_t pathlen);
/* The same text, to F. */
void regression_write(FILE *f, const struct regression *r, const char *note);
void regression_free(struct regression *r);

#endif
