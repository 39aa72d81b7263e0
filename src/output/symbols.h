/* SPDX-License-Identifier: GPL-2.0 */
/* Setting up the symbolizer the output enriches records with: kallsyms, and debug info. */
#ifndef PWRU_SYMBOLS_H
#define PWRU_SYMBOLS_H

#include <stdbool.h>
#include <stdio.h>

struct kallsyms;
struct symbolizer;

/*
 * Opens the kernel's debug info (VMLINUX, or where distributions install it) and says on
 * DIAG, in one line, where source lines come from, or why VMLINUX cannot give them (then
 * symbols come from kallsyms alone). Returns the symbolizer, or NULL when neither source
 * lines nor FRAMES (a stack or caller) are wanted or memory ran out.
 */
struct symbolizer *symbols_open(const struct kallsyms *ks, const char *vmlinux, bool frames,
				FILE *diag);

#endif
