/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BTFs to look for functions in: vmlinux's, then the split BTF of each loaded module
 * (/sys/kernel/btf/<module>), all of them or the ones named. Read once at start-up:
 * modules loaded later are not seen.
 */
#ifndef PWRU_KMOD_BTF_H
#define PWRU_KMOD_BTF_H

#include <stddef.h>
#include "src/discover/funcset.h"

struct kmod_btfs {
	struct funcset_btf *v; /* v[0] is vmlinux; the modules follow, by name */
	size_t n;
	size_t skipped; /* modules whose BTF could not be parsed (all-modules mode only) */
	size_t from_ko; /* modules without BTF, callbacks typed from their .ko (kmod_ko.h) */
	size_t untyped; /* modules without BTF whose .ko gave nothing: not traced */
};

enum kmod_mode {
	KMOD_ALL,  /* every loaded module with BTF */
	KMOD_NONE, /* vmlinux only */
	KMOD_LIST, /* the comma-separated names given */
};

/*
 * Fills KB with VMLINUX (not owned) and the modules' split BTFs on top of it, read under
 * SYSROOT ("" for the real /sys). LIST is used in KMOD_LIST mode. Returns 0, or -1 with E
 * set: bad input for a name in LIST that is not a loaded module, not possible for a loaded
 * one pwru cannot type or read.
 */
int kmod_btfs_load(const struct btf *vmlinux, enum kmod_mode mode, const char *list,
		   const char *sysroot, struct kmod_btfs *kb, struct pwru_err *e);
void kmod_btfs_free(struct kmod_btfs *kb);

#endif
