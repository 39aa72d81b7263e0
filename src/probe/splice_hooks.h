/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loader's libbpf program handlers: for each SEC() name given, a prepare-load callback
 * that splices the pcap filter into the program (filters/) and then lets the caller adjust
 * the load (a backend's attach target, a copy of the final instructions). libbpf's handlers
 * are process-global: one set at a time, installed before the object is opened, removed
 * once it is loaded.
 */
#ifndef PWRU_SPLICE_HOOKS_H
#define PWRU_SPLICE_HOOKS_H

#include <stddef.h>
#include <bpf/libbpf.h>

struct pcap_filter;
struct splice_hooks;

/*
 * A section as libbpf's handler API wants it. The backends name theirs exactly ("fexit",
 * never "fexit+"): a handler stays registered while the tracing object lives, and a "+"
 * would also take another object's SEC("fexit/kfree_skbmem") (the tracking hooks) away
 * from libbpf's own handler, which finds its attach target.
 */
struct hook_section {
	const char *sec;
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
};

/* After the splice: may change OPTS; 0 or a negative errno with a reason in ERR. */
typedef int (*hook_load_fn)(void *arg, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
			    char *err, size_t errlen);

/*
 * Registers a handler for each of the N sections (repeats are skipped) splicing F (an
 * empty expression compiles to a filter too: its splice turns the gate off) and then
 * calling FN(ARG, ...) when FN is set. Returns 0 or a negative errno with ERR set.
 */
int splice_hooks_install(struct pcap_filter *f, const struct hook_section *secs, size_t n,
			 hook_load_fn fn, void *arg, struct splice_hooks **out, char *err,
			 size_t errlen);

/*
 * While FN is set (NULL: no longer), a program's prepare step calls FN(ARG, ...) alone: no
 * splice, no per-program step (another copy of the object, loaded only to be looked at).
 */
void splice_hooks_divert(struct splice_hooks *h, hook_load_fn fn, void *arg);

/* Why the last load failed in a hook ("" when none did): libbpf only passes on the errno. */
const char *splice_hooks_error(const struct splice_hooks *h);

/*
 * After load: every program of OBJ that was loaded went through H's hooks, and the kernel
 * holds it without the filter's gate stub (a program in a section without a hook keeps a
 * gate that lets every packet through). 0, or -ENOEXEC with the program named in ERR.
 */
int splice_hooks_verify(const struct splice_hooks *h, struct bpf_object *obj, char *err,
			size_t errlen);

/* Unregisters the handlers and frees H (NULL: nothing). */
void splice_hooks_remove(struct splice_hooks *h);

#endif
