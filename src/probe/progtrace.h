/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --filter-trace-tc and --filter-trace-xdp: fentry and fexit on every loaded tc and XDP
 * program with BTF, beside whatever traces the kernel's functions. The templates
 * (bpf/entry_prog.h) are captured while the loader loads the object and copied once per
 * program, its id a per-copy constant (clone.c). A thread keeps the set current while
 * events are read: programs loaded later are traced within a scan period, programs gone
 * (held by nothing but pwru's links) are let go, programs found attached through tcx are
 * named so. With --filter-trace-tc, fentry on bpf_skb_event_output shows Cilium's drop
 * notifications.
 */
#ifndef PWRU_PROGTRACE_H
#define PWRU_PROGTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "src/error.h"
#include "src/probe/splice_hooks.h"

struct bpf_object;
struct bpf_program;
struct bpf_prog_load_opts;
struct btf;
struct prog_names;

struct progtrace_opts {
	bool tc, xdp;
	bool alone;		  /* no kernel function is traced: only these programs */
	struct prog_names *names; /* filled with every program traced */
	const struct btf *vmlinux;
	FILE *diag; /* progress and programs coming and going */
};

struct progtrace;

/*
 * Whether this kernel lets a tracing program attach to a BPF program; 0, or -1 with E set
 * (not possible) saying why. Cheap: one tiny load.
 */
int progtrace_probe(const struct btf *vmlinux, struct pwru_err *e);

struct progtrace *progtrace_new(const struct progtrace_opts *o);
/* Before load: whether a program of a kind asked for, with BTF, is loaded now. */
bool progtrace_any_loaded(const struct progtrace *pt);

/* The sections of the templates, for the loader's splice hooks. */
size_t progtrace_sections(const struct hook_section **out, size_t max);
/* Whether PROG is one of the tracer's programs (the loader hands those to it). */
bool progtrace_owns(const struct bpf_program *prog);
/* The loader's per-program step for them: captures a template. 0 or a negative errno. */
int progtrace_prog_load(struct progtrace *pt, struct bpf_program *prog,
			struct bpf_prog_load_opts *opts, char *err, size_t len);
/* Before load: the programs the flags need are loaded, the rest are not. */
int progtrace_prepare(struct progtrace *pt, struct bpf_object *obj);

/*
 * After load: traces every program loaded now, then starts the thread that follows them.
 * 0, or -1 with E set and nothing left attached.
 */
int progtrace_start(struct progtrace *pt, struct bpf_object *obj, struct pwru_err *e);
/* Stops the thread, detaches everything, frees PT (NULL: nothing). */
void progtrace_free(struct progtrace *pt);

#endif
