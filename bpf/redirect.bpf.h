/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a tc or XDP program that returned a redirect sends the packet: bpf_redirect*()
 * leaves the target in struct bpf_redirect_info, read here at the program's exit, before
 * the kernel acts on it. Until 6.10 that is a per-CPU variable; from 6.11 it hangs off the
 * task (current->bpf_net_context). CO-RE picks the one the running kernel has. A kernel
 * whose BTF has no per-CPU variables (5.10) gets the variable's place from kallsyms.
 */
#ifndef PWRU_REDIRECT_BPF_H
#define PWRU_REDIRECT_BPF_H

#include "event.h"
#include "kernel_refs.h"

/*
 * &bpf_redirect_info, the per-CPU variable, as the loader resolves it (bpf/kernel_refs.h):
 * its BTF reference, or 0 where the kernel's BTF has no such variable (5.10's has none).
 */
static __always_inline struct bpf_redirect_info *redirect_info_var(void)
{
	struct bpf_redirect_info *p;

	asm("%0 = %1 ll" : "=r"(p) : "i"(PWRU_KREF_REDIRECT_INFO));
	return p;
}

/* Set by userspace from kallsyms: bpf_redirect_info's per-CPU symbol, &__per_cpu_offset. */
const volatile __u64 cfg_redirect_info_sym = 0;
const volatile __u64 cfg_per_cpu_offset = 0;

/* This CPU's copy of a per-CPU symbol, as per_cpu_ptr() finds it. */
static __always_inline void *per_cpu_sym(__u64 sym)
{
	__u64 base, at = cfg_per_cpu_offset + 8 * (__u64)bpf_get_smp_processor_id();

	if (bpf_probe_read_kernel(&base, sizeof(base), (void *)at))
		return NULL;
	return (void *)(base + sym);
}

/* A field of SIZE bytes (a relocated constant), zero-extended. */
static __always_inline __u64 read_sized(const void *p, __u32 size)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, size < sizeof(v) ? size : sizeof(v), p);
	return v;
}

static __always_inline struct bpf_redirect_info *redirect_info(void)
{
	struct task_struct *t;
	struct bpf_net_context *nc;
	struct bpf_redirect_info *ri;

	if (bpf_core_field_exists(((struct task_struct *)0)->bpf_net_context)) {
		t = (void *)bpf_get_current_task();
		nc = BPF_CORE_READ(t, bpf_net_context);
		return nc ? &nc->ri : NULL;
	}
	ri = redirect_info_var();
	if (ri)
		return bpf_this_cpu_ptr(ri);
	if (cfg_redirect_info_sym && cfg_per_cpu_offset)
		return per_cpu_sym(cfg_redirect_info_sym);
	return NULL;
}

static __always_inline bool read_redirect(struct pwru_redirect *rd)
{
	struct bpf_redirect_info *ri = redirect_info();
	struct bpf_map *map;

	if (!ri)
		return false;
	rd->ifindex = read_sized(&ri->tgt_index, bpf_core_field_size(ri->tgt_index));
	rd->flags = read_sized(&ri->flags, bpf_core_field_size(ri->flags));
	rd->map_id = 0;
	rd->pad = 0;
	if (bpf_core_field_exists(ri->map_id)) {
		rd->map_id = read_sized(&ri->map_id, bpf_core_field_size(ri->map_id));
	} else if (bpf_core_field_exists(ri->map)) {
		bpf_probe_read_kernel(&map, sizeof(map), &ri->map);
		if (map)
			rd->map_id = BPF_CORE_READ(map, id);
	}
	return true;
}

#endif
