/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where each loaded module lies, from /proc/modules: kallsyms gives a module's functions but
 * not where its last one ends, so an address past the module would be named after it.
 */
#ifndef PWRU_KMODULES_H
#define PWRU_KMODULES_H

#include <stddef.h>
#include <stdint.h>

struct kmodules;

/* Parses /proc/modules' text ("veth 40960 0 - Live 0xffffffffc0a00000"); BUF is copied. */
int kmodules_parse(const char *buf, size_t len, struct kmodules **out);
/* Reads PATH (NULL: /proc/modules). Returns 0 or a negative errno. */
int kmodules_load(const char *path, struct kmodules **out);
void kmodules_free(struct kmodules *m);
/* 1 and *START, *END (one past) for module NAME; 0 when it is not listed. */
int kmodules_range(const struct kmodules *m, const char *name, uint64_t *start, uint64_t *end);

#endif
