// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "kallsyms/kallsyms.h"
#include "src/output/drop_reason.h"
#include "src/output/symbolize.h"

/* Farther than an endbr64 (4 bytes) plus the int3 (1) means the address is not an entry. */
#define ENTRY_SLACK 5

static const char *func_at(const struct kallsyms *ks, uint64_t addr)
{
	const struct ksym *s = ks ? kallsyms_lookup_addr(ks, addr) : NULL;
	uint64_t off = 0;

	if (s)
		return s->name;
	s = ks ? kallsyms_nearest(ks, addr, &off) : NULL;
	return s && off <= ENTRY_SLACK ? s->name : NULL;
}

size_t symbolize_func(const struct kallsyms *ks, const struct drop_reasons *dr,
		      const struct pwru_event *ev, char *buf, size_t len)
{
	const char *name = func_at(ks, ev->addr), *reason;
	uint64_t value;
	int n;

	if (!name)
		n = snprintf(buf, len, "0x%" PRIx64, ev->addr);
	else if (!strcmp(name, "kfree_skb_reason") || !strcmp(name, "sk_skb_reason_drop")) {
		value = name[0] == 'k' ? ev->arg2 : ev->arg3;
		value = (uint32_t)value; /* an enum: the register's upper half is not defined */
		reason = drop_reason_name(dr, value);
		if (reason)
			n = snprintf(buf, len, "%s(%s)", name, reason);
		else
			n = snprintf(buf, len, "%s (%" PRIu64 ")", name, value);
	} else {
		n = snprintf(buf, len, "%s", name);
	}
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}
