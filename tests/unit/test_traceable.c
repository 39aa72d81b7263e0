// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "fake_root.h"
#include "src/discover/traceable.h"

static void test_addrs(void)
{
	struct traceable t;

	is_int(traceable_load(&t, "tests/data/traceable/addrs"), 0, "recorded tracefs loads");
	is_str(t.ftrace_source, "/sys/kernel/tracing/available_filter_functions_addrs",
	       "the address list is preferred");
	ok(traceable_ftrace(&t, "ip_rcv", 0xffffffff81ff8c00ULL),
	   "ftrace site 4 bytes in (after endbr64) covers the function start");
	ok(traceable_ftrace(&t, "ip_rcv_core", 0xffffffff81ff7f90ULL), "exact site");
	ok(!traceable_ftrace(&t, "ip_rcv", 0xffffffff82000000ULL),
	   "another copy of a name without a site is refused");
	ok(!traceable_ftrace(&t, "notrace_fn", 0xffffffff81ff7f00ULL), "no site: refused");
	ok(traceable_ftrace_in(&t, "veth_xmit", "veth", 0xffffffffc0a01000ULL),
	   "a module function's site (line with [veth]) is read too");
	ok(!traceable_kprobe(&t, 0xffffffff81e00040ULL), "inside a blacklisted range");
	ok(traceable_kprobe(&t, 0xffffffff81e00080ULL), "range end is exclusive");
	ok(traceable_kprobe(&t, 0xffffffff81ff8c00ULL), "outside every range");
	ok(!traceable_kprobe(&t, 0xffffffff81000000ULL), "range start is inclusive");
	traceable_free(&t);
}

static void test_names_and_nothing(void)
{
	struct traceable t;

	is_int(traceable_load(&t, "tests/data/traceable/names"), 0, "names-only tracefs loads");
	is_str(t.ftrace_source, "/sys/kernel/tracing/available_filter_functions",
	       "the names file when there is no address list");
	ok(traceable_ftrace(&t, "ip_rcv", 1), "listed name allowed at any address");
	ok(!traceable_ftrace(&t, "veth_xmit", 1), "module entries are not vmlinux names");
	ok(traceable_ftrace_in(&t, "veth_xmit", "veth", 1), "but are names of their module");
	ok(!traceable_ftrace_in(&t, "veth_xmit", "bridge", 1), "and of no other module");
	ok(!traceable_ftrace(&t, "schedule", 1), "unlisted name refused");
	ok(traceable_kprobe(&t, 1), "no blacklist: everything allowed");
	traceable_free(&t);

	is_int(traceable_load(&t, "tests/data/traceable/none"), 0, "nothing readable is fine");
	ok(!t.ftrace_source[0] && traceable_ftrace(&t, "anything", 1), "unknown means allowed");
	is_str(t.ftrace_why,
	       "tests/data/traceable/none/sys/kernel/tracing: no available_filter_functions",
	       "and why is kept");
	traceable_free(&t);
}

/* Each struct keeps its own source: tracers for two roots can live side by side. */
static void test_two_loads(void)
{
	struct traceable a, b;

	traceable_load(&a, "tests/data/traceable/addrs");
	traceable_load(&b, "tests/data/traceable/names");
	is_str(a.ftrace_source, "/sys/kernel/tracing/available_filter_functions_addrs",
	       "a second load leaves the first one's source alone");
	is_str(b.ftrace_source, "/sys/kernel/tracing/available_filter_functions",
	       "and has its own");
	traceable_free(&a);
	traceable_free(&b);
}

static bool from_copy(const struct traceable *t)
{
	return strstr(t->ftrace_source, "kept in ") != NULL;
}

/* Loads ROOT and says whether the set came from the kept copy. */
static bool load_says_copy(struct traceable *t, const char *root)
{
	traceable_free(t);
	traceable_load(t, root);
	return from_copy(t);
}

static void test_cache_addrs(void)
{
	char root[64], dir[128];
	struct traceable t = {0};
	struct stat st;
	size_t n;

	make_root(root, "tests/data/traceable/addrs");
	ok(!load_says_copy(&t, root), "first start reads the file: %s", t.ftrace_source);
	n = t.nftrace_ips;
	snprintf(dir, sizeof(dir), "%s/run/pwru", root);
	ok(!stat(dir, &st) && (st.st_mode & 0777) == 0700, "the copy's folder is closed to others");
	ok(load_says_copy(&t, root), "the next start takes the copy: %s", t.ftrace_source);
	is_int((int)t.nftrace_ips, (int)n, "with the same number of call sites");
	ok(traceable_ftrace(&t, "ip_rcv", 0xffffffff81ff8c00ULL) &&
	       traceable_ftrace_in(&t, "veth_xmit", "veth", 0xffffffffc0a01000ULL) &&
	       !traceable_ftrace(&t, "notrace_fn", 0xffffffff81ff7f00ULL),
	   "and the same answers");
	put(root, "/proc/modules",
	    "veth 40960 2 - Live 0xffffffffc0a00000\nnf_tables 315392 7 nft_ct,nft_nat, Live "
	    "0xffffffffc0b00000\n");
	ok(load_says_copy(&t, root), "modules merely used more still take the copy");
	put(root, "/proc/modules", "veth 40960 0 - Live 0xffffffffc0a00000\n");
	ok(!load_says_copy(&t, root), "a module gone: the file is read again");
	ok(load_says_copy(&t, root), "and kept again");
	put(root, "/proc/modules", "veth 40960 0 - Live 0xffffffffc0c00000\n");
	ok(!load_says_copy(&t, root), "a module loaded again elsewhere: read again");
	put(root, "/proc/sys/kernel/random/boot_id", "0e4f0cbb-8a49-4f83-a2f6-2b1f7b1c9a11\n");
	ok(!load_says_copy(&t, root), "another boot: read again");
	setenv("PWRU_NO_CACHE", "1", 1);
	ok(!load_says_copy(&t, root), "PWRU_NO_CACHE=1: the file, whatever is kept");
	unsetenv("PWRU_NO_CACHE");
	chmod(dir, 0777);
	ok(!load_says_copy(&t, root), "a folder others can write is not trusted");
	put(root, "/proc/modules", "veth 40960 0 - Live 0x0000000000000000\n");
	chmod(dir, 0700);
	ok(!load_says_copy(&t, root), "hidden module addresses: nothing kept");
	traceable_free(&t);
	remove_root(root);
}

static void test_cache_names(void)
{
	char root[64];
	struct traceable t = {0};

	make_root(root, "tests/data/traceable/names");
	ok(!load_says_copy(&t, root), "names only: first start reads the file");
	ok(load_says_copy(&t, root), "names only: the next takes the copy: %s", t.ftrace_source);
	ok(traceable_ftrace(&t, "ip_rcv", 1) && traceable_ftrace_in(&t, "veth_xmit", "veth", 1) &&
	       !traceable_ftrace(&t, "veth_xmit", 1) && !traceable_ftrace(&t, "schedule", 1),
	   "with the same answers");
	traceable_free(&t);
	remove_root(root);
}

static int tracefs_mounts(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/mounts", "re");
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, " tracefs ") != NULL;
	if (f)
		fclose(f);
	return n;
}

/*
 * The path production takes where tracefs is not mounted: the list read through a tracefs
 * mounted in a child's own mount namespace. Here /sys/kernel/tracing is hidden under an
 * empty tmpfs in a mount namespace of the test's, so the private mount is the only way.
 * A kernel that lets it read gives the list; a locked-down one refuses the read, and the
 * child's reason comes back: either way the child ran, and nothing stays mounted.
 */
static void test_private_mount(void)
{
	struct traceable t;
	int before;

	if (geteuid() || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("none", "/sys/kernel/tracing", "tmpfs", 0, NULL)) {
		printf("# skipping the private tracefs mount: needs root (%s)\n", strerror(errno));
		return;
	}
	before = tracefs_mounts();
	setenv("PWRU_NO_CACHE", "1", 1); /* this boot's kept copy would hide the child */
	is_int(traceable_load(&t, ""), 0, "tracefs hidden: loads");
	unsetenv("PWRU_NO_CACHE");
	if (t.ftrace_source[0])
		ok(!strncmp(t.ftrace_source, "a private tracefs mount (available_filter_functions",
			    51) &&
		       (t.nftrace_ips > 1000 || t.nftrace_names > 1000),
		   "the list came through the private mount: %s (%zu addresses, %zu names)",
		   t.ftrace_source, t.nftrace_ips, t.nftrace_names);
	else
		ok(!strncmp(t.ftrace_why,
			    "a private tracefs mount: available_filter_functions: ", 52),
		   "the child mounted tracefs and says why the kernel refused the read: %s",
		   t.ftrace_why);
	is_int(tracefs_mounts(), before, "the child's tracefs is not seen here");
	ok(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "the child was reaped");
	traceable_free(&t);
	umount("/sys/kernel/tracing");
}

int main(void)
{
	test_addrs();
	test_names_and_nothing();
	test_two_loads();
	test_cache_addrs();
	test_cache_names();
	test_private_mount();
	return tap_done();
}
