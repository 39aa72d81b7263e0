/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flag table (src/flags.c) rendered for people and shells: the OPTIONS of the man
 * page, and bash and zsh completions. Nothing here lists a flag: they all come from the
 * table, so the docs cannot drift from --help.
 */
#ifndef PWRU_FLAGS_DOC_H
#define PWRU_FLAGS_DOC_H

#include <stdio.h>

/*
 * Copies the roff TEMPLATE to OUT, replacing a line "@OPTIONS@" with one .TP entry per
 * flag and "@VERSION@" anywhere with VERSION. Returns 0, or -1 when a write fails.
 */
int flags_doc_man(FILE *template, const char *version, FILE *out);
/* A bash completion script: `complete -F _pwru pwru`. */
int flags_doc_bash(FILE *out);
/* A zsh completion function (#compdef pwru), for a file named _pwru. */
int flags_doc_zsh(FILE *out);

#endif
