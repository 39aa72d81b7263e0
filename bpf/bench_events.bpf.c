// SPDX-License-Identifier: GPL-2.0
/*
 * Real records without kprobes: a tc program run by BPF_PROG_TEST_RUN fills the ring buffer
 * through the same code as the tracing programs (event_fill.bpf.h). The consumer benchmark
 * and the local record tests read them. cb[0..1] carry the "function address" (low, high
 * half), cb[2] and cb[3] the second and third arguments.
 */
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

	emit_event(skb, BPF_CORE_READ(skb, dev), addr, PWRU_EV_KPROBE_MULTI, ctx->cb[2],
		   ctx->cb[3]);
	return 0;
}
