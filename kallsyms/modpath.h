/* SPDX-License-Identifier: GPL-2.0 */
/* Where a loaded module's file is: the kernel's module names and modules.dep. */
#ifndef PWRU_MODPATH_H
#define PWRU_MODPATH_H

#include <stddef.h>

/* NAME as the kernel spells it ('-' becomes '_', as modprobe accepts both); malloc'd. */
char *modpath_name(const char *s, size_t len);

/*
 * Module NAME's entry in ROOT/lib/modules/RELEASE/modules.dep, as written there: relative to
 * that folder ("kernel/drivers/net/veth.ko.xz") or absolute. ROOT is "" on a live system.
 * Returns 0, -ENOENT when not listed, or another -errno.
 */
int modpath_find(const char *root, const char *release, const char *name, char *out, size_t len);

#endif
