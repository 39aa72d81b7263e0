/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loaded tc and XDP programs a tracer can hook: each one's id, its main function in
 * the program's own BTF (the attach target of fentry/fexit on a BPF program) and its full
 * name. The kernel keeps only 15 characters of a program's name (cil_from_contai); BTF's
 * func info has the whole (cil_from_container), which is shown when the kernel's name is a
 * prefix of it, as a loader naming programs after their function (libbpf, Cilium) gives.
 */
#ifndef PWRU_BPF_PROGS_H
#define PWRU_BPF_PROGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bpf_prog_kind {
	BPF_PROG_KIND_TC,  /* BPF_PROG_TYPE_SCHED_CLS: cls_bpf or tcx */
	BPF_PROG_KIND_XDP, /* BPF_PROG_TYPE_XDP */
};

#define BPF_PROG_NAME_MAX 128

struct bpf_prog_target {
	uint32_t id;
	int fd; /* open: the caller's to close */
	enum bpf_prog_kind kind;
	uint32_t func_id; /* the main function's BTF id in the program's BTF */
	char name[BPF_PROG_NAME_MAX];
};

struct bpf_progs_scan {
	bool tc, xdp;	 /* which kinds are wanted */
	uint32_t after;	 /* only programs with a larger id (0: all); updated to the last seen */
	size_t no_btf;	 /* wanted programs skipped: no BTF func info, nothing to attach to */
	size_t vanished; /* gone between listing and opening */
};

/*
 * Calls FN(ARG, T) for each loaded program of a wanted kind with an id above s->after, in
 * id order; FN takes T->fd or closes it, and returns 0 or a negative errno that stops the
 * scan. Returns 0, or a negative errno with ERR set.
 */
int bpf_progs_scan(struct bpf_progs_scan *s, int (*fn)(void *arg, const struct bpf_prog_target *t),
		   void *arg, char *err, size_t errlen);

/* Fills T for the program open as FD (0, -ENOENT: not a wanted kind or no BTF, -errno). */
int bpf_progs_describe(int fd, const struct bpf_progs_scan *s, struct bpf_prog_target *t);

/*
 * Whether program ID is attached through a tcx link (Linux 6.6+), whose results read
 * TCX_*: fills IDS (sorted, malloc'd) with every such program. 0 or a negative errno.
 */
int bpf_progs_tcx(uint32_t **ids, size_t *n);

#endif
