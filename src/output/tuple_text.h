/* SPDX-License-Identifier: GPL-2.0 */
/* "saddr:sport->daddr:dport(proto)" as pwru prints it (Go's address formatting). */
#ifndef PWRU_TUPLE_TEXT_H
#define PWRU_TUPLE_TEXT_H

#include <stddef.h>
#include "event.h"

#define TUPLE_TEXT_MAX 128

/* Returns the length written; without an IP header the addresses are empty: ":0->:0()". */
size_t tuple_text(const struct pwru_tuple *t, char *buf, size_t len);

struct fmt;

/* One address: dotted IPv4, or RFC 5952 IPv6 in brackets ("[2001:db8::1]"). */
void addr_text(const pwru_u8 *addr, pwru_u16 l3_proto, char *buf, size_t len);
/* The same, appended to a line (nothing for another protocol). */
void addr_fmt(struct fmt *f, const pwru_u8 *addr, pwru_u16 l3_proto);

#endif
