/* SPDX-License-Identifier: GPL-2.0 */
/* A suggestion for the common mistakes behind libpcap's compile errors. */
#ifndef PWRU_PCAP_HINT_H
#define PWRU_PCAP_HINT_H

#include <stddef.h>

/* Writes a hint for EXPR failing with libpcap's PCAP_ERR to OUT ("" when none applies). */
void pcap_hint(const char *expr, const char *pcap_err, char *out, size_t outlen);

#endif
