/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The no-ops the folds and splices leave (`ja +0`), taken out before the load. The
 * verifier removes each one by moving the rest of the program and its per-instruction
 * state, once per no-op; here all of them go in one linear pass over the program.
 */
#ifndef PWRU_NOP_COMPACT_H
#define PWRU_NOP_COMPACT_H

#include <stddef.h>
#include "filters/splice.h"

struct bpf_program;
struct bpf_prog_load_opts;

/* The func_info and line_info handed to libbpf: they must outlive the load. */
struct nop_kept {
	struct prog_image *img;
	size_t n;
};

/*
 * Removes every no-op from IMG in place: jump, call and callback offsets re-aimed, func_info
 * and line_info moved with their instructions (a line record left on a removed no-op goes to
 * the instruction after it, unless that one has its own). Returns how many went, or -EINVAL
 * (IMG untouched) when an offset or a record points outside the program.
 */
int nop_compact_image(struct prog_image *img);

/*
 * The same for PROG as libbpf is about to load it with OPTS; the records' copies are kept
 * in K. Returns how many went, or a negative errno.
 */
int nop_compact(struct nop_kept *k, struct bpf_program *prog, struct bpf_prog_load_opts *opts);

void nop_kept_free(struct nop_kept *k);

#endif
