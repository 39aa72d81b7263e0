/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF objects holding only what a run of one backend can load (the Makefile's
 * BPF_ONLY): the bytes of each, for its backend's .object.
 */
#ifndef PWRU_OBJECTS_H
#define PWRU_OBJECTS_H

#include <stddef.h>

/* kprobe-multi's entry points, fentry's and the kretprobes' (return values), tc/XDP, nft */
const void *object_kprobe_multi(size_t *size);
/* the same without the kretprobes and with fentry's first template only (retsplit_first()) */
const void *object_kprobe_multi_first(size_t *size);
/* the second for the kprobe backend, its kprobe_skb_N in place of kprobe-multi's */
const void *object_kprobe_first(size_t *size);

#endif
