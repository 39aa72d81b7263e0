/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PWRU_PRIVS_H
#define PWRU_PRIVS_H

/*
 * The capabilities a root trace lacks, "CAP_SYS_ADMIN and CAP_SYSLOG", "CAP_SYS_ADMIN" or
 * "CAP_SYSLOG" (this kernel's /proc/kallsyms hides addresses without it), or NULL when it
 * has them or they cannot be read.
 */
const char *privs_lacking(void);

#endif
