/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tc and XDP programs pwru traces, by program id: what their events are called
 * ("cil_from_container(tc)") and how their results read. Programs are added by the probe
 * side while events are read (Cilium loads new ones all the time), so the table is shared
 * between threads. Names stay for the whole run: events of a program already gone may
 * still wait in the ring buffer, and sinks keep the texts.
 */
#ifndef PWRU_PROG_NAMES_H
#define PWRU_PROG_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* How a program's result reads. */
enum prog_kind {
	PROG_TC,  /* cls_bpf in direct-action mode: TC_ACT_* */
	PROG_TCX, /* attached through tcx (6.6+): TCX_* */
	PROG_XDP, /* XDP_* */
};

#define PROG_NAMES_MAX 16384

struct prog_names;

struct prog_names *prog_names_new(void);
/*
 * Names program ID NAME, shown as "NAME(tc)" or "NAME(xdp)"; a second call for the same id
 * changes its kind (a program found attached through tcx later). -ENOSPC past
 * PROG_NAMES_MAX programs, -ENOMEM.
 */
int prog_names_add(struct prog_names *t, uint32_t id, const char *name, enum prog_kind kind);
/* The label of program ID and its kind; NULL when unknown. */
const char *prog_names_get(struct prog_names *t, uint32_t id, enum prog_kind *kind);
void prog_names_free(struct prog_names *t);

#endif
