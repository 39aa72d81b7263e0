// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "src/netns_filter.h"

static int parse_inode(const char *s, uint32_t *inode)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || !*s || !v || v > UINT32_MAX)
		return -1;
	*inode = (uint32_t)v;
	return 0;
}

/* if_nametoindex() inside the namespace at PATH, then back home. */
static int ifindex_in(const char *path, const char *ifname, uint32_t *ifindex, char *err,
		      size_t errlen)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int there = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;

	if (home < 0 || there < 0) {
		snprintf(err, errlen, "cannot open network namespace %s: %s", path,
			 strerror(errno));
		goto out;
	}
	if (setns(there, CLONE_NEWNET)) {
		snprintf(err, errlen, "cannot enter network namespace %s: %s", path,
			 strerror(errno));
		goto out;
	}
	*ifindex = if_nametoindex(ifname);
	if (setns(home, CLONE_NEWNET)) {
		snprintf(err, errlen, "cannot return to our network namespace: %s",
			 strerror(errno));
		goto out;
	}
	if (!*ifindex)
		snprintf(err, errlen, "no interface '%s' in network namespace %s", ifname, path);
	else
		rc = 0;
out:
	if (home >= 0)
		close(home);
	if (there >= 0)
		close(there);
	return rc;
}

int netns_filter_resolve(const char *netns, const char *ifname, uint32_t *inode, uint32_t *ifindex,
			 char *err, size_t errlen)
{
	const char *path = netns;
	struct stat st;

	*inode = *ifindex = 0;
	if (netns && !strncmp(netns, "inode:", 6)) {
		if (!parse_inode(netns + 6, inode))
			return 0;
		snprintf(err, errlen, "--filter-netns inode:N wants a number, not '%s'", netns);
		return -1;
	}
	if (!netns && !ifname)
		return 0;
	if (!path)
		path = "/proc/self/ns/net";
	if (stat(path, &st)) {
		snprintf(err, errlen, "--filter-netns %s: %s (give inode:N or /proc/PID/ns/net)",
			 path, strerror(errno));
		return -1;
	}
	*inode = (uint32_t)st.st_ino;
	return ifname ? ifindex_in(path, ifname, ifindex, err, errlen) : 0;
}
