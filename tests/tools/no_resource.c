// SPDX-License-Identifier: GPL-2.0
/*
 * no-resource KIB CMD [ARGS...]
 *
 * Runs CMD as root without CAP_SYS_RESOURCE (dropped from every set, the bounding set too)
 * and with RLIMIT_MEMLOCK at KIB KiB, soft and hard: a container's root as Docker and
 * Kubernetes start it. Before Linux 5.11 BPF maps and programs are charged to that limit,
 * and without the capability no one can raise it (libbpf tries). The VM's busybox setpriv
 * has no --bounding-set, hence this.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

static int drop_sys_resource(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];
	int i;

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0) || syscall(SYS_capget, &h, d))
		return -1;
	for (i = 0; i < 2; i++) {
		d[i].effective &= ~(i == CAP_SYS_RESOURCE / 32 ? CAP_TO_MASK(CAP_SYS_RESOURCE) : 0);
		d[i].permitted &= ~(i == CAP_SYS_RESOURCE / 32 ? CAP_TO_MASK(CAP_SYS_RESOURCE) : 0);
		d[i].inheritable &=
		    ~(i == CAP_SYS_RESOURCE / 32 ? CAP_TO_MASK(CAP_SYS_RESOURCE) : 0);
	}
	return (int)syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	struct rlimit rl;

	if (argc < 3) {
		fprintf(stderr, "usage: no-resource KIB CMD [ARGS...]\n");
		return 2;
	}
	rl.rlim_cur = rl.rlim_max = strtoull(argv[1], NULL, 10) << 10;
	if (setrlimit(RLIMIT_MEMLOCK, &rl) || drop_sys_resource()) {
		fprintf(stderr, "no-resource: %s\n", strerror(errno));
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "no-resource: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
