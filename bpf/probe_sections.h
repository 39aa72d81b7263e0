/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SEC() names of the entry points, shared with the backend table (src/probe/) so that
 * the loader hooks the filter splice onto exactly the sections the programs live in.
 */
#ifndef PWRU_PROBE_SECTIONS_H
#define PWRU_PROBE_SECTIONS_H

#define PWRU_SEC_KPROBE_MULTI "kprobe.multi"
#define PWRU_SEC_KPROBE	      "kprobe"

#endif
