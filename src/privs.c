// SPDX-License-Identifier: GPL-2.0
/*
 * Root without the capabilities a trace needs: a container's default set leaves them out,
 * and what then fails for want of them (kallsyms without addresses, every backend refused)
 * would send the user after the kernel rather than after the container's settings.
 * CAP_SYS_ADMIN: CAP_BPF with CAP_PERFMON is not enough (module BTF ids, setns).
 */
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "src/privs.h"

static bool has_cap(const struct __user_cap_data_struct d[2], unsigned int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

static long sysctl_read(const char *path, long otherwise)
{
	FILE *f = fopen(path, "r");
	long v = otherwise;

	if (!f)
		return otherwise;
	if (fscanf(f, "%ld", &v) != 1)
		v = otherwise;
	fclose(f);
	return v;
}

/*
 * As the kernel's kallsyms_show_value(): kptr_restrict 1, or 0 where perf may not read
 * kernel addresses, shows them to CAP_SYSLOG only (2 to no one: said where it is read).
 */
static bool kallsyms_needs_syslog(void)
{
	long r = sysctl_read("/proc/sys/kernel/kptr_restrict", 1);

	return r == 1 || (r == 0 && sysctl_read("/proc/sys/kernel/perf_event_paranoid", 2) > 1);
}

const char *privs_lacking(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2] = {{0}};
	bool admin, syslog;

	if (syscall(SYS_capget, &h, d))
		return NULL;
	admin = has_cap(d, CAP_SYS_ADMIN);
	syslog = has_cap(d, CAP_SYSLOG) || !kallsyms_needs_syslog();
	if (!admin && !syslog)
		return "CAP_SYS_ADMIN and CAP_SYSLOG";
	if (!admin)
		return "CAP_SYS_ADMIN";
	return syslog ? NULL : "CAP_SYSLOG";
}
