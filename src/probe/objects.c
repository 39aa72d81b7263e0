// SPDX-License-Identifier: GPL-2.0
/*
 * Only the object's bytes are taken of these skeletons: the loader reads every object
 * through pwru.skel.h, whose maps and .rodata they share (checked when built).
 */
#include "pwru-kprobe-multi.skel.h"
#include "pwru-kprobe-multi-first.skel.h"
#include "pwru-kprobe-first.skel.h"
#include "src/probe/objects.h"

const void *object_kprobe_multi(size_t *size)
{
	return pwru_kprobe_multi_bpf__elf_bytes(size);
}

const void *object_kprobe_multi_first(size_t *size)
{
	return pwru_kprobe_multi_first_bpf__elf_bytes(size);
}

const void *object_kprobe_first(size_t *size)
{
	return pwru_kprobe_first_bpf__elf_bytes(size);
}
