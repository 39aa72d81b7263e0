/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How pwru names a tracepoint's events: "tp:NAME" in FUNC, --list-funcs, JSON and the
 * summary, and --filter-func takes that form too. Whatever judges an event by its name
 * (where an skb is freed, which event has a drop reason) asks here for the kernel's name
 * behind it, so the tracepoint backend's events mean what the same names do elsewhere.
 */
#ifndef PWRU_TP_NAME_H
#define PWRU_TP_NAME_H

#include <string.h>

#define TP_NAME_PREFIX "tp:"

/* The tracepoint SHOWN names ("tp:kfree_skb": "kfree_skb"), or NULL for any other name. */
static inline const char *tp_name_of(const char *shown)
{
	size_t n = sizeof(TP_NAME_PREFIX) - 1;

	return shown && !strncmp(shown, TP_NAME_PREFIX, n) ? shown + n : NULL;
}

/* The kernel's name behind SHOWN: its tracepoint's, or SHOWN itself (a function's). */
static inline const char *tp_kernel_name(const char *shown)
{
	const char *tp = tp_name_of(shown);

	return tp ? tp : shown;
}

#endif
