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

/* Some DIR/ENTRY/SUFFIX (ENTRY: each of DIR's entries but dot files) passes TEST. */
static bool any_under(const char *dir, const char *suffix,
		      bool (*test)(const char *path, const void *arg), const void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];
	bool found = false;

	while (d && !found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s%s", dir, de->d_name, suffix);
		found = test(path, arg);
	}
	if (d)
		closedir(d);
	return found;
}

/* PATH links to the namespace WANT ("net:[N]": /proc/PID/ns/net, an open file's fd link) */
static bool test_link(const char *path, const void *want)
{
	char got[64];
	ssize_t n = readlink(path, got, sizeof(got) - 1);

	if (n <= 0)
		return false;
	got[n] = '\0';
	return !strcmp(got, want);
}

/* PATH is the namespace of inode *INODE: a bind mount (/run/netns/NAME) is no link */
static bool test_stat(const char *path, const void *inode)
{
	struct stat st;

	return !stat(path, &st) && st.st_ino == *(const uint32_t *)inode;
}

/* PATH is a /proc/PID/task or /proc/PID/fd: one of its entries is the namespace. */
static bool test_tasks(const char *path, const void *want)
{
	return any_under(path, "/ns/net", test_link, want);
}

static bool test_fds(const char *path, const void *want)
{
	return any_under(path, "", test_link, want);
}

/* A namespace file bind-mounted anywhere (ip netns, Docker's, CNI's): mountinfo's root field. */
static bool mounted(const char *want)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], root[64];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %*s %63s", root) == 1 && !strcmp(root, want);
	if (f)
		fclose(f);
	return found;
}

/*
 * inode:N cannot be opened the way a path is, and a mistyped number would trace nothing.
 * The kernel has no lookup by inode: a namespace in use is held by a process or thread in
 * it, by a bind mount, or by an open file, and each is looked for (cheapest first). One
 * held only by a socket, or by a process in another PID namespace, is not seen: the path
 * form is the way then.
 */
static bool netns_in_use(uint32_t inode)
{
	char want[32];

	snprintf(want, sizeof(want), "net:[%u]", inode);
	return any_under("/proc", "/ns/net", test_link, want) ||
	       any_under("/run/netns", "", test_stat, &inode) || mounted(want) ||
	       any_under("/proc", "/task", test_tasks, want) ||
	       any_under("/proc", "/fd", test_fds, want);
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
		if (!parse_inode(netns + 6, inode))
			return netns_in_use(*inode)
				   ? 0
				   : err_bad_input(
					 e, ENOENT,
					 "--filter-netns %s: no network namespace with "
					 "that inode is in use here (lsns -t net or ls -l "
					 "/proc/*/ns/net show them; or give its file: "
					 "/proc/PID/ns/net, /run/netns/NAME)",
					 netns);
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
