/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Before Linux 5.11 the kernel charges BPF maps and programs to RLIMIT_MEMLOCK, not to the
 * memory cgroup. A container's root (Docker, Kubernetes) has a small limit and no
 * CAP_SYS_RESOURCE to raise it: libbpf's attempt fails quietly and the first map is
 * refused with EPERM, which reads like a missing privilege.
 */
#ifndef PWRU_MEMLOCK_H
#define PWRU_MEMLOCK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether a load's RC is the limit's doing on this kernel. */
bool memlock_refused(int rc);
/* The one line saying so, WHAT being what failed ("loading the BPF programs"). */
void memlock_explain(const char *what, char *err, size_t errlen);

#endif
