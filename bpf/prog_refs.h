/* SPDX-License-Identifier: GPL-2.0 */
/* One record of the prog_refs iterator (bpf/prog_refs.bpf.c), as userspace reads it. */
#ifndef PWRU_PROG_REFS_H
#define PWRU_PROG_REFS_H

struct prog_ref {
	__u32 id;
	__u32 pad;
	__s64 refs; /* the program's refcount, the iterator's own reference included */
};

#endif
