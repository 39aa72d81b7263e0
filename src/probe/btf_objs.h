/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's module BTF objects, by module name: attach targets of tracing programs. */
#ifndef PWRU_BTF_OBJS_H
#define PWRU_BTF_OBJS_H

#include <stddef.h>

struct btf_objs {
	char **names;
	int *fds;
	size_t n;
	int listed; /* the kernel's list was read (once, at the first lookup) */
};

/* A BTF object fd for MODULE (NULL: vmlinux, 0), or a negative errno. Owned by O. */
int btf_objs_fd(struct btf_objs *o, const char *module);
void btf_objs_free(struct btf_objs *o);

#endif
