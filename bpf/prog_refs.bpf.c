// SPDX-License-Identifier: GPL-2.0
/*
 * How many references each loaded BPF program has: an iterator over the kernel's programs
 * (iter/bpf_prog, 5.9+) writing (id, refcount) pairs. A tc or XDP program pwru traces is
 * also held by pwru's fentry/fexit links; once those are all that hold it, the program is
 * attached nowhere and loaded by no one: it is gone, and pwru lets it go.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "prog_refs.h"

char LICENSE[] SEC("license") = "GPL";

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

typedef struct {
	__s64 counter;
} atomic64_t;

struct bpf_prog_aux {
	atomic64_t refcnt;
	__u32 id;
} __attribute__((preserve_access_index));

struct bpf_prog {
	struct bpf_prog_aux *aux;
} __attribute__((preserve_access_index));

struct bpf_iter__bpf_prog {
	struct bpf_iter_meta *meta;
	struct bpf_prog *prog;
} __attribute__((preserve_access_index));

SEC("iter/bpf_prog")
int pwru_prog_refs(struct bpf_iter__bpf_prog *ctx)
{
	struct bpf_prog *prog = ctx->prog;
	struct prog_ref r = {0};

	if (!prog)
		return 0;
	r.id = prog->aux->id;
	r.refs = prog->aux->refcnt.counter;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
