/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where events go. An output is a table of four calls; the text layout is the first. A new
 * format is a new file defining a struct output_ops, plus a line in output_find().
 */
#ifndef PWRU_OUTPUT_H
#define PWRU_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "event.h"

struct kallsyms;
struct drop_reasons;
struct proc_cache;

struct output_stats {
	uint64_t events; /* printed */
	uint64_t lost;	 /* dropped in the kernel: ring buffer full */
};

struct output {
	const struct output_ops *ops;
	FILE *out;  /* events */
	FILE *diag; /* loss notices and the summary */
	bool meta;
	bool tuple;
	const struct kallsyms *ksyms;
	const struct drop_reasons *reasons;
	struct proc_cache *procs;
	void *priv;
};

struct output_ops {
	const char *name;
	int (*begin)(struct output *o);
	int (*event)(struct output *o, const struct pwru_event *ev);
	/* The kernel's loss count grew to TOTAL. */
	void (*lost)(struct output *o, uint64_t total);
	int (*end)(struct output *o, const struct output_stats *st);
};

extern const struct output_ops output_text;

#endif
