/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --output-bpfmap: which of the functions --filter-track-bpf-helpers (or
 * --filter-non-skb-funcs) probes are map operations, and their probes (bpf/track.bpf.c):
 * a function whose first argument is the struct bpf_map (or the helper's u64 map) and whose
 * name says lookup, update or delete, as cilium/pwru tells them apart.
 */
#ifndef PWRU_PROBE_BPFMAP_H
#define PWRU_PROBE_BPFMAP_H

#include <stddef.h>
#include <stdint.h>

struct bpf_link;
struct btf;
struct pwru_bpf;
struct track_bpf;

enum bpfmap_kind {
	BPFMAP_NONE = 0,
	BPFMAP_LOOKUP,	    /* returns the value */
	BPFMAP_LOOKUP_ELEM, /* __htab_map_lookup_elem: returns the hash map's element */
	BPFMAP_UPDATE,
	BPFMAP_DELETE,
};

/* FUNC's kind from its name and its prototype in BTF (NONE: not in BTF). */
enum bpfmap_kind bpfmap_kind(const struct btf *btf, const char *func);

/* Before the hooks object TK loads: its map programs, the ids of SKEL's maps, BTF's offsets. */
int bpfmap_configure(struct track_bpf *tk, const struct pwru_bpf *skel, const struct btf *btf);

/*
 * The probes of FUNC, of kind KIND (not NONE): one or two links into L[2], *N of them.
 * Returns 0 or -errno.
 */
int bpfmap_attach(struct track_bpf *tk, const char *func, enum bpfmap_kind kind,
		  struct bpf_link **l, size_t *n);

#endif
