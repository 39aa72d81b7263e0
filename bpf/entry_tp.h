/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoint entry points: the tracepoint's u64 argument array (tp_btf and raw_tp alike),
 * the skb in argument N, one template per N, cloned per tracepoint with its index in the
 * probe layer's table as the event's address. Included by pwru.bpf.c after handle_skb().
 */
#ifndef PWRU_ENTRY_TP_H
#define PWRU_ENTRY_TP_H

#include "entry_cloned.h"
#include "probe_sections.h"

#define TP_ENTRIES(n)                                                                              \
	CLONED_ENTRY(PWRU_SEC_TP_BTF, tp_btf_skb_##n, PWRU_EV_TRACEPOINT, n)                       \
	CLONED_ENTRY(PWRU_SEC_RAW_TP, raw_tp_skb_##n, PWRU_EV_TRACEPOINT, n)

#if PWRU_WITH_TP
TP_ENTRIES(1)
TP_ENTRIES(2)
TP_ENTRIES(3)
TP_ENTRIES(4)
TP_ENTRIES(5)
TP_ENTRIES(6)
#endif

#endif
