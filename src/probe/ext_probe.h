/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether the kernel runs an extension program (BPF_PROG_TYPE_EXT, freplace) in place of a
 * global function of another program, as kprobe-multi builds its events
 * (src/probe/kprobe_multi.c): its feature probe attaches what this leaves, so that auto
 * moves on where extensions are refused instead of failing after the load.
 */
#ifndef PWRU_EXT_PROBE_H
#define PWRU_EXT_PROBE_H

#include <stddef.h>
#include <linux/bpf.h>

/* the type ids of the BTF made for the test */
struct ext_probe_btf {
	int proto; /* int (void) */
	int entry; /* the target's entry point */
	int shown; /* its global function, which the extension replaces */
};

struct ext_probe {
	struct ext_probe_btf ids;
	int btf;    /* the two programs' BTF */
	int target; /* a program of the type tested, calling a global function */
	int ext;    /* the extension replacing that function */
	int link;   /* the extension linked in place of it */
};

enum ext_probe_result {
	EXT_PROBE_OK,
	EXT_PROBE_NO_TARGET, /* the program of TYPE itself refused */
	EXT_PROBE_REFUSED,   /* the extension (its BTF, its load or its link) refused */
};

/*
 * Loads a program of TYPE/ATTACH whose entry calls a global function: EXT_PROBE_OK, or
 * what was refused with the kernel's error in WHY. Either way P's descriptors are the
 * caller's to close (ext_probe_fds(), -1 for those not opened).
 */
enum ext_probe_result ext_probe_target(struct ext_probe *p, enum bpf_prog_type type,
				       enum bpf_attach_type attach, char *why, size_t len);

/*
 * Then loads an extension of that function and links it in its place, as
 * kprobe_multi.c's install_emit() does: EXT_PROBE_OK or EXT_PROBE_REFUSED, WHY as above.
 * PWRU_TEST_NO_EXT=1, for tests only: the extension names no function, which every
 * kernel refuses.
 */
enum ext_probe_result ext_probe_link(struct ext_probe *p, char *why, size_t len);

/* P's descriptors in the order they are to be closed: link, extension, target, BTF. */
void ext_probe_fds(const struct ext_probe *p, int fds[4]);

#endif
