/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --output-bpfmap's lines under an event, as cilium/pwru prints them: the map's id and
 * name, then key and value as hex dumps (offset, 16 bytes, their printable characters).
 */
#ifndef PWRU_BPFMAP_TEXT_H
#define PWRU_BPFMAP_TEXT_H

#include <stddef.h>
#include "event.h"

/* Longest text: two dumps of PWRU_BPFMAP_DATA bytes (16 lines of 79) and four short lines. */
#define BPFMAP_TEXT_MAX 3072

/*
 * M's lines, each ending in '\n', into BUF (LEN bytes, cut there, NUL-terminated). Returns
 * the length written. Sizes past PWRU_BPFMAP_DATA are printed, their bytes cut there.
 */
size_t bpfmap_text(const struct pwru_bpfmap *m, char *buf, size_t len);

/* The LEN bytes at P as one dump's lines ("" for none); same return. */
size_t bpfmap_hexdump(const uint8_t *p, size_t n, char *buf, size_t len);

/* For JSON: the first PWRU_BPFMAP_DATA of SIZE bytes at P as hex digits into OUT, NUL-ended. */
#define BPFMAP_HEX_MAX (2 * PWRU_BPFMAP_DATA + 1)
void bpfmap_hex(const uint8_t *p, uint32_t size, char out[BPFMAP_HEX_MAX]);

#endif
