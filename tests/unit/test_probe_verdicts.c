// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <unistd.h>
#include "tap.h"
#include "fake_root.h"
#include "src/discover/boot_cache.h"
#include "src/probe/verdicts.h"

static void test_kept(void)
{
	struct boot_copy c;
	struct boot_key key;
	char root[64], cmd[128];
	int fd;

	make_root(root, NULL);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/kernel/security", root);
	ok(!system(cmd), "a /sys with a lockdown switch");
	put(root, "/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
	put(root, "/proc/sys/kernel/ftrace_enabled", "1\n");
	ok(!verdicts_passed(root, "kprobe-multi"), "the boot's first start has no pass kept");
	verdicts_keep(root, "kprobe-multi");
	ok(verdicts_passed(root, "kprobe-multi"), "a pass is kept for the next start");
	ok(!verdicts_passed(root, "kprobe"), "only the backend that passed: not kprobe");
	ok(!verdicts_passed(root, "multi"), "nor a part of its name");
	verdicts_keep(root, "fentry");
	verdicts_keep(root, "kprobe-multi");
	ok(verdicts_passed(root, "kprobe-multi") && verdicts_passed(root, "fentry"),
	   "a second pass is added to the first");
	fd = boot_cache_open(root, "probes", &key, &c);
	ok(fd >= 0 && c.count == 2, "each pass kept once (%u)", c.count);
	if (fd >= 0)
		close(fd);

	verdicts_drop(root);
	ok(!verdicts_passed(root, "kprobe-multi") && !verdicts_passed(root, "fentry"),
	   "dropped (a kept pass failed at its use): none count");
	verdicts_keep(root, "fentry");
	verdicts_keep(root, "kprobe-multi");

	put(root, "/proc/sys/kernel/ftrace_enabled", "0\n");
	ok(!verdicts_passed(root, "kprobe-multi"), "ftrace turned off: the passes do not count");
	put(root, "/proc/sys/kernel/ftrace_enabled", "1\n");
	ok(verdicts_passed(root, "kprobe-multi"), "and back on: they do again");
	put(root, "/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	ok(!verdicts_passed(root, "fentry"), "lockdown raised: the passes do not count");
	verdicts_keep(root, "kprobe");
	ok(verdicts_passed(root, "kprobe") && !verdicts_passed(root, "fentry"),
	   "a pass under the new lockdown replaces the old ones");

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/proc/self", root);
	ok(!system(cmd), "a pwru build at ROOT/proc/self/exe");
	put(root, "/proc/self/exe", "build 1");
	verdicts_keep(root, "kprobe");
	ok(verdicts_passed(root, "kprobe"), "kept by this build: taken");
	put(root, "/proc/self/exe", "build 2, which probes otherwise");
	ok(!verdicts_passed(root, "kprobe"), "another pwru build's passes do not count");
	verdicts_keep(root, "kprobe");

	put(root, "/proc/sys/kernel/random/boot_id", "11111111-2222-3333-4444-555555555555\n");
	ok(!verdicts_passed(root, "kprobe"), "another boot's passes do not count");
	setenv("PWRU_NO_CACHE", "1", 1);
	verdicts_keep(root, "kprobe");
	unsetenv("PWRU_NO_CACHE");
	ok(!verdicts_passed(root, "kprobe"), "PWRU_NO_CACHE=1 keeps nothing");
	remove_root(root);
}

int main(void)
{
	test_kept();
	return tap_done();
}
