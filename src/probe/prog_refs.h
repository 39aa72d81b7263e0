/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference count of every loaded BPF program, through the kernel's program iterator
 * (bpf/prog_refs.bpf.c). A program whose references are only pwru's own links is gone:
 * no device, map, pin or process holds it any more.
 */
#ifndef PWRU_PROBE_PROG_REFS_H
#define PWRU_PROBE_PROG_REFS_H

#include <stddef.h>
#include <stdint.h>

struct prog_refs;

/* Loads and attaches the iterator; NULL with ERR set when the kernel refuses. */
struct prog_refs *prog_refs_open(char *err, size_t errlen);
/*
 * Calls FN(ARG, ID, REFS) for each loaded program, REFS without the iterator's own
 * reference. 0 or a negative errno.
 */
int prog_refs_read(struct prog_refs *r, void (*fn)(void *arg, uint32_t id, int64_t refs),
		   void *arg);
void prog_refs_close(struct prog_refs *r);

#endif
