/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the source-line lookup: shared by srcline.c (vmlinux), _mod.c and _lookup.c. */
#ifndef PWRU_SRCLINE_INT_H
#define PWRU_SRCLINE_INT_H

#include <stdint.h>
#include <elfutils/libdwfl.h>

struct build_id;

/* One DWARF file and where it is loaded: vmlinux, or a module found on first use. */
struct ksrc_mod {
	struct ksrc *owner;
	char *name; /* kallsyms' module name; NULL for vmlinux */
	char *path;
	Dwfl *dwfl;
	Dwfl_Module *mod; /* NULL: no line information for this module */
};

struct ksrc {
	char *root, *release;
	struct ksrc_mod kernel;
	struct ksrc_mod **mods;
	size_t nmods, cap;
	void (*note)(void *arg, const char *msg);
	void *note_arg;
};

/* libdwfl's callbacks: the file of a ksrc_mod, module sections from sysfs. */
extern const Dwfl_Callbacks srcline_callbacks;

/*
 * Opens PATH and checks that it can give lines for code whose build id is WANT (len 0: not
 * known): ELF, with DWARF, the same build id. WHAT names the file in ERR, WHOSE the owner of
 * WANT ("the running kernel's").
 */
int srcline_check_file(const char *path, const struct build_id *want, const char *what,
		       const char *whose, Elf **elfp, int *fdp, char *err, size_t errlen);
/* Where the kernel loaded section SEC of module M (sysfs). */
int srcline_section_addr(const struct ksrc_mod *m, const char *sec, uint64_t *addr);
/* Module NAME's entry, opened on first use; its mod is NULL when it has no lines. */
struct ksrc_mod *srcline_module(struct ksrc *s, const char *name);
void srcline_mod_release(struct ksrc_mod *m);

#endif
