/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --output-file with rotation (pwru's lumberjack options): a FILE * whose writes go to PATH
 * until it would pass MAX_BYTES, then PATH (NAME.EXT) is renamed to NAME-<time>.EXT, as
 * lumberjack names it (gzipped with COMPRESS)
 * and a new PATH started, always between two lines. Old files beyond MAX_BACKUPS or older
 * than MAX_AGE_DAYS are removed (0: keep).
 */
#ifndef PWRU_ROTATE_H
#define PWRU_ROTATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "src/output/outstream.h"

struct rotate_opts {
	uint64_t max_bytes;
	uint64_t max_backups;
	uint64_t max_age_days;
	bool compress;
};

/*
 * The stream LABEL (for messages) appending to PATH; NULL with errno set when PATH cannot
 * be opened for appending.
 */
struct outstream *rotate_open(const char *path, const struct rotate_opts *ro, const char *label);

#endif
