/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading the BPF object for one backend: the splice hooks (filter, then the backend's own
 * per-program step) on every backend's sections, open, the backend's program choice, load,
 * and the check that no loaded program kept an unspliced filter. Between loader_open() and
 * loader_load() the caller fills the object's .rodata (ld->skel->rodata).
 */
#ifndef PWRU_LOADER_H
#define PWRU_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include "src/probe/kernel_refs.h"
#include "src/probe/nop_compact.h"

struct backend;
struct backend_ctx;
struct pcap_filter;
struct hook_section;
struct progtrace;
struct pwru_bpf;
struct splice_hooks;
struct bpf_object_open_opts;

struct loader {
	struct pwru_bpf *skel;
	struct splice_hooks *hooks;
	const struct backend *b;
	struct backend_ctx *ctx; /* the backend's, for its per-program step */
	struct progtrace *pt;	 /* NULL, or the tc/XDP program tracer, which has its own step */
	struct retsplit *rs;	 /* NULL, or the functions fentry hooks for their return values */
	bool user_btf;		 /* --kernel-btf: the CO-RE target is the user's file */
	struct kernel_refs refs; /* what bpf/kernel_refs.h's markers become */
	int core_fd;		 /* the memfd holding the CO-RE target BTF, if core_path[0] */
	char core_path[32];	 /* its /proc/self/fd path, for libbpf */
	struct nop_kept nops;	 /* the records of the programs nop_compact() shortened */
	bool core_new;		 /* the CO-RE cut was made now: ctx->uses holds it, to keep */
	bool core_kept;		 /* opened without CO-RE records: the loader applies them */
	bool core_reused;	 /* and they were the boot's (libbpf resolved none this start) */
};

/* Every section the object's programs live in: the backends', the tc/XDP tracer's. */
size_t loader_sections(const struct hook_section **out, size_t max);
/*
 * Hooks F and the per-program steps (B's, PT's for its own programs), then opens the
 * object (KERNEL_BTF: CO-RE source): B's .object_first where FIRST (retsplit_first()).
 */
int loader_open(struct loader *ld, struct pcap_filter *f, const struct backend *b,
		struct backend_ctx *ctx, struct progtrace *pt, const char *kernel_btf, bool first,
		char *err, size_t errlen);
/*
 * The tracing object opened with OPTS, as built, or without its CO-RE records when
 * *STRIPPED (core_kept.h; set to false where that copy could not be made). OBJECT: the
 * bytes of a backend's own object (its .object), NULL: pwru.bpf.o's.
 */
struct pwru_bpf *loader_open_skel(const struct bpf_object_open_opts *opts, bool *stripped,
				  const void *(*object)(size_t *size));
/* B's program choice and load; on success ctx->obj is the loaded object. */
int loader_load(struct loader *ld, char *err, size_t errlen);
/* Where the loaded programs' CO-RE results came from, for --debug. */
const char *loader_core_source(const struct loader *ld);
void loader_close(struct loader *ld);
/* MSG, a failed load's error, without its pointer to libbpf's log (when that log is not shown). */
const char *loader_drop_log_note(char *msg);

#endif
