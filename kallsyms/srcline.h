/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Source lines of kernel addresses from DWARF (libdw): vmlinux with its KASLR offset, modules
 * at the addresses the kernel loaded their sections to, inlined functions included.
 */
#ifndef PWRU_SRCLINE_H
#define PWRU_SRCLINE_H

#include <stddef.h>
#include <stdint.h>

struct kallsyms;
struct ksrc;

struct ksrc_opts {
	const char *vmlinux; /* --vmlinux; NULL: where distributions install it */
	const char *root;    /* "" on a live system; a recorded tree in tests */
	const char *release; /* NULL: uname -r */
	/* Called once per module whose debug info is there but unusable (one line). */
	void (*note)(void *arg, const char *msg);
	void *note_arg;
};

/* One function at an address: file and line are where that function is at that point. */
struct ksrc_frame {
	const char *func; /* NULL when DWARF names none */
	const char *file; /* relative to the kernel's build folder when under it */
	unsigned int line;
};

/*
 * Opens the debug info of the kernel KS describes. Returns 0; -ENOENT when no vmlinux was
 * given and none is installed (ERR says where it looked); another -errno when one was found
 * or given but cannot serve: not ELF, no DWARF, a build id that is not the running kernel's
 * (ERR says which, in one line).
 */
int ksrc_open(const struct kallsyms *ks, const struct ksrc_opts *o, struct ksrc **out, char *err,
	      size_t errlen);
void ksrc_free(struct ksrc *s);
const char *ksrc_vmlinux(const struct ksrc *s);

/*
 * The functions at ADDR in MODULE (NULL: vmlinux), innermost inlined one first and the
 * function the code belongs to last: up to MAX of them. Returns how many, 0 when there is no
 * line information (BPF programs, a module without debug info). Strings live as long as S.
 */
int ksrc_lookup(struct ksrc *s, uint64_t addr, const char *module, struct ksrc_frame *frames,
		int max);

#endif
