// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdbool.h>
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

/* Some entry of DIR (/proc/PID or /run/netns/NAME, with SUFFIX) is namespace INODE. */
static bool inode_under(const char *dir, const char *suffix, uint32_t inode)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[300];
	struct stat st;
	bool found = false;

	while (d && !found && (de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s%s", dir, de->d_name, suffix);
		found = de->d_name[0] != '.' && !stat(path, &st) && st.st_ino == inode;
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * inode:N cannot be checked the way a path is: a mistyped number traces nothing, silently.
 * Say so when no process we can see and no ip-netns name is in it (it may still exist:
 * held by a process in another PID namespace, or only by a socket).
 */
static void warn_unseen(uint32_t inode)
{
	if (inode_under("/proc", "/ns/net", inode) || inode_under("/run/netns", "", inode))
		return;
	fprintf(stderr,
		"pwru: no process here and no /run/netns name is in network namespace inode:%u: "
		"check the number (lsns -t net); tracing it anyway\n",
		inode);
}

/* if_nametoindex() inside the namespace THERE (an open nsfs file), then back home. */
static int ifindex_in(int there, const char *path, const char *ifname, uint32_t *ifindex,
		      struct pwru_err *e)
{
	bool own = !strcmp(path, "/proc/self/ns/net"); /* no --filter-netns */
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (home < 0)
		return err_not_possible(e, errno, "cannot open our network namespace: %s",
					strerror(errno));
	if (setns(there, CLONE_NEWNET)) {
		rc = err_not_possible(e, errno, "cannot enter network namespace %s: %s", path,
				      strerror(errno));
		goto out;
	}
	*ifindex = if_nametoindex(ifname);
	if (setns(home, CLONE_NEWNET))
		rc = err_not_possible(e, errno, "cannot return to our network namespace: %s",
				      strerror(errno));
	else if (!*ifindex)
		rc =
		    err_bad_input(e, ENODEV,
				  "--filter-ifname: no interface '%s' in network namespace %s (ip "
				  "link lists them%s)",
				  ifname, path,
				  own ? "; one of another namespace, a pod's, needs --filter-netns "
					"/proc/PID/ns/net"
				      : "");
out:
	close(home);
	return rc;
}

/* PATH must be a network namespace file: any other file has an inode too. */
static int open_netns(const char *path, uint32_t *inode, struct pwru_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return err_bad_input(e, errno,
				     "--filter-netns %s: %s (give inode:N or /proc/PID/ns/net)",
				     path, strerror(errno));
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET || fstat(fd, &st)) {
		close(fd);
		return err_bad_input(e, EINVAL,
				     "--filter-netns %s is not a network namespace file (give "
				     "inode:N or /proc/PID/ns/net)",
				     path);
	}
	*inode = (uint32_t)st.st_ino;
	return fd;
}

int netns_filter_resolve(const char *netns, const char *ifname, uint32_t *inode, uint32_t *ifindex,
			 struct pwru_err *e)
{
	const char *path = netns ? netns : "/proc/self/ns/net";
	int fd, rc;

	*inode = *ifindex = 0;
	if (netns && !strncmp(netns, "inode:", 6)) {
		if (!parse_inode(netns + 6, inode)) {
			warn_unseen(*inode);
			return 0;
		}
		return err_bad_input(
		    e, EINVAL, "--filter-netns inode:N wants a non-zero number, not '%s'", netns);
	}
	if (!netns && !ifname)
		return 0;
	fd = open_netns(path, inode, e);
	if (fd < 0)
		return -1;
	rc = ifname ? ifindex_in(fd, path, ifname, ifindex, e) : 0;
	close(fd);
	return rc;
}
