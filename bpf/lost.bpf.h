/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events not sent, per CPU so counting needs no atomics, by enum pwru_lost_why: userspace
 * says a full ring and nesting apart.
 */
#ifndef PWRU_LOST_BPF_H
#define PWRU_LOST_BPF_H

#include "event.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PWRU_LOST_N);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static __always_inline void count_lost_as(__u32 why)
{
	__u64 *n = bpf_map_lookup_elem(&lost, &why);

	if (n)
		*n += 1;
}

#endif
