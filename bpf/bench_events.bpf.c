// SPDX-License-Identifier: GPL-2.0
/*
 * Real records without kprobes: a tc program run by BPF_PROG_TEST_RUN fills the ring buffer
 * through the same code as the tracing programs (event_fill.bpf.h). The consumer benchmark
 * and the local record tests read them. cb[0..1] carry the "function address" (low, high
 * half), cb[2] and cb[3] the second and third arguments; a non-zero cb[4] is added as a
 * return value section (what fexit will fill), to test the record layout with it.
 */
/* loaded without the loader's hooks: the kfunc stays an extern (bpf/filter.bpf.h) */
#define PWRU_KREF_EXTERNS
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "event_fill.bpf.h"

char LICENSE[] SEC("license") = "GPL";

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

SEC("tc")
int bench_events(struct __sk_buff *ctx)
{
	struct sk_buff *skb = bpf_cast_to_kern_ctx(ctx);
	__u64 addr = ctx->cb[0] | (__u64)ctx->cb[1] << 32;
	struct emit_extra x = {.retval = ctx->cb[4], .has_retval = ctx->cb[4] != 0};

	emit_event_ex(skb, BPF_CORE_READ(skb, dev), addr, PWRU_EV_KPROBE_MULTI, ctx->cb[2],
		      ctx->cb[3], &x);
	return 0;
}
