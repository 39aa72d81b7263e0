/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf's CO-RE results, kept for the boot and applied by the loader. libbpf 1.1 resolves
 * every CO-RE record of every program it loads, at every start (about 126 records a
 * program, formatting debug text for each). The results are fixed for a build, the CO-RE
 * target and the programs chosen, so they are kept with the CO-RE cut (btf_uses.h); the
 * loader opens a copy of the object whose .BTF.ext holds no CO-RE records, so that libbpf
 * resolves none, and applies them to its programs before the load.
 *
 * The results are libbpf's own: a second copy of the object, records and all, relocated by
 * libbpf against the same target and stopped before anything is loaded. Kept are the
 * instructions that differ between its programs and the first copy's before relocation,
 * less those libbpf relocates at every load anyway (map and function references, calls).
 */
#ifndef PWRU_CORE_KEPT_H
#define PWRU_CORE_KEPT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

struct bpf_object;
struct splice_hooks;

/*
 * A copy of the ELF object BYTES (LEN) whose .BTF.ext says it holds no CO-RE records:
 * libbpf opened on it resolves none. NULL (errno set) when there is no such section.
 */
void *core_kept_strip(const void *bytes, size_t len);

/*
 * The CO-RE results for OBJ's programs to be loaded (OBJ opened from core_kept_strip()'s
 * copy of BYTES, LEN, not loaded yet): BYTES opened again, with TARGET (a path) as CO-RE
 * target and OBJ's programs chosen, relocated by libbpf through H's hooks diverted, and
 * stopped at the first program's prepare step. *OUT (malloc'ed, *OUT_LEN bytes) holds
 * them. 0 or a negative errno.
 */
int core_kept_resolve(struct bpf_object *obj, const void *bytes, size_t len, const char *target,
		      struct splice_hooks *h, unsigned char **out, size_t *out_len);

/* One result: what the program's instruction AT becomes. */
struct core_kept_insn {
	uint32_t at;
	struct bpf_insn insn;
};

/*
 * RAW (N instructions of a program before libbpf relocated it) against REL (the same
 * program relocated, REL_N >= N): the CO-RE results, into OUT (room for N). Their number,
 * or -EINVAL.
 */
long core_kept_diff(const struct bpf_insn *raw, size_t n, const struct bpf_insn *rel, size_t rel_n,
		    struct core_kept_insn *out);

/*
 * Applies KEPT (LEN bytes, from core_kept_resolve()) to OBJ's programs to be loaded, before
 * bpf_object__load(): all of them or none. -EINVAL when it was not made for these programs.
 */
int core_kept_apply(struct bpf_object *obj, const unsigned char *kept, size_t len);

#endif
