/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pcap expression from a byte string, by a small grammar over the primitives the
 * differential corpus covers, with constants drawn from values seen in the captures, so
 * that libpcap accepts most outputs and many of them match real packets.
 */
#ifndef PWRU_TESTS_EXPR_GEN_H
#define PWRU_TESTS_EXPR_GEN_H

#include <stddef.h>

/*
 * Writes a NUL-terminated expression of at most LEN - 1 characters to OUT. CONST_SHIFTS
 * keeps shift counts constant and below 32, to fuzz past an open shift-count bug.
 */
void expr_gen(const unsigned char *data, size_t size, int const_shifts, char *out, size_t len);

#endif
