// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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

/* if_nametoindex() inside the namespace THERE (an open nsfs file), then back home. */
static int ifindex_in(int there, const char *path, const char *ifname, uint32_t *ifindex, char *err,
		      size_t errlen)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int rc = -EIO;

	if (home < 0) {
		snprintf(err, errlen, "cannot open our network namespace: %s", strerror(errno));
		return -EIO;
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
	rc = *ifindex ? 0 : -EINVAL;
	if (rc)
		snprintf(err, errlen,
			 "--filter-ifname: no interface '%s' in network namespace %s (ip link "
			 "lists them)",
			 ifname, path);
out:
	close(home);
	return rc;
}

/* PATH must be a network namespace file: any other file has an inode too. */
static int open_netns(const char *path, uint32_t *inode, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		snprintf(err, errlen, "--filter-netns %s: %s (give inode:N or /proc/PID/ns/net)",
			 path, strerror(errno));
		return -EINVAL;
	}
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET || fstat(fd, &st)) {
		snprintf(err, errlen,
			 "--filter-netns %s is not a network namespace file (give inode:N or "
			 "/proc/PID/ns/net)",
			 path);
		close(fd);
		return -EINVAL;
	}
	*inode = (uint32_t)st.st_ino;
	return fd;
}

int netns_filter_resolve(const char *netns, const char *ifname, uint32_t *inode, uint32_t *ifindex,
			 char *err, size_t errlen)
{
	const char *path = netns ? netns : "/proc/self/ns/net";
	int fd, rc;

	*inode = *ifindex = 0;
	if (netns && !strncmp(netns, "inode:", 6)) {
		if (!parse_inode(netns + 6, inode))
			return 0;
		snprintf(err, errlen, "--filter-netns inode:N wants a non-zero number, not '%s'",
			 netns);
		return -EINVAL;
	}
	if (!netns && !ifname)
		return 0;
	fd = open_netns(path, inode, err, errlen);
	if (fd < 0)
		return fd;
	rc = ifname ? ifindex_in(fd, path, ifname, ifindex, err, errlen) : 0;
	close(fd);
	return rc;
}
