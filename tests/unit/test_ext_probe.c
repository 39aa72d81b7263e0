// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe-multi's feature probe tests the extension program its runs need
 * (src/probe/ext_probe.h), and auto's choice moves on to kprobe, in one line saying why,
 * when the kernel refuses it. The refusal is the kernel's own, asked for by
 * PWRU_TEST_NO_EXT=1 (an extension naming no function) where it takes extensions.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/funcset.h"
#include "src/probe/backend.h"
#include "src/probe/ext_probe.h"
#include "src/probe/kprobe.h"

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* the target, then the extension linked: what kprobe-multi's probe asks */
static enum ext_probe_result run(struct ext_probe *p, char *why, size_t len)
{
	enum ext_probe_result r;

	r = ext_probe_target(p, BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, why, len);
	return r ? r : ext_probe_link(p, why, len);
}

static void close_fds(const struct ext_probe *p)
{
	int fds[4], i;

	ext_probe_fds(p, fds);
	for (i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void test_runs(void)
{
	struct ext_probe p;
	char why[256] = "";
	int fds[4], before = open_fds();
	enum ext_probe_result r = run(&p, why, sizeof(why));

	if (r == EXT_PROBE_REFUSED) { /* this build machine's kernel (Firecracker's) does */
		skip("this kernel refuses extension programs: %s", why);
		close_fds(&p);
		return;
	}
	is_int(r, EXT_PROBE_OK, "this kernel links an extension into a kprobe-multi program (%s)",
	       why);
	ext_probe_fds(&p, fds);
	ok(fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0 && fds[3] >= 0,
	   "the link, both programs and their BTF are handed back");
	close_fds(&p);
	is_int(open_fds(), before, "and nothing else stays open");
}

static void test_refused(void)
{
	struct ext_probe p;
	char why[256] = "";
	int before = open_fds();
	enum ext_probe_result r;

	setenv("PWRU_TEST_NO_EXT", "1", 1);
	r = run(&p, why, sizeof(why));
	is_int(r, EXT_PROBE_REFUSED, "an extension naming no function: refused");
	ok(!strncmp(why, "an extension program (freplace) refused: ", 41) && why[41],
	   "said with the kernel's error: %s", why);
	ok(p.ext < 0 && p.link < 0, "no extension nor link handed back");
	close_fds(&p);
	is_int(open_fds(), before, "nothing left open");
	unsetenv("PWRU_TEST_NO_EXT");
}

/* The choice itself: with the extension refused, auto takes kprobe and says why. */
static void test_choice(void)
{
	uint64_t addr = 0;
	struct func_entry f = {.name = "ip_rcv", .addrs = &addr, .naddrs = 1, .pos = 1};
	struct funcset fs = {.funcs = &f, .n = 1}, tps = {0};
	volatile sig_atomic_t stop = 0;
	struct kallsyms *ks = NULL;
	struct backend_ctx ctx = {.fs = &fs, .tps = &tps, .stop = &stop};
	const struct backend *b = NULL;
	char msg[1024] = "";
	int rc;

	if (kallsyms_load("/proc/kallsyms", &ks)) {
		ok(0, "/proc/kallsyms read");
		return;
	}
	ctx.ks = ks;
	setenv("PWRU_TEST_NO_EXT", "1", 1);
	rc = backend_probe(&backend_kprobe_multi, &ctx, msg, sizeof(msg));
	if (rc && !strstr(msg, "extension")) {
		skip("auto's choice: this kernel runs no kprobe-multi (%s)", msg);
		goto out;
	}
	ok(rc < 0 && strstr(msg, "an extension program (freplace) refused: ") &&
	       strstr(msg, ", which builds its events"),
	   "kprobe-multi's probe fails on it, saying so: %s", msg);
	if (kprobe_missing(msg, sizeof(msg))) {
		skip("auto's choice: no kprobe backend to fall back to here (%s)", msg);
		goto out;
	}
	msg[0] = '\0';
	is_int(backend_choose(NULL, &ctx, &b, msg, sizeof(msg)), 0, "auto still chooses");
	ok(b == &backend_kprobe, "kprobe (%s)", b ? b->name : "none");
	ok(strstr(msg, "kprobe-multi unavailable (an extension program (freplace) refused: ") &&
	       strstr(msg, "which builds its events); falling back to kprobe"),
	   "in one line saying why: %s", msg);
	ok(!strchr(msg, '\n'), "one line");
	msg[0] = '\0';
	ok(backend_choose("kprobe-multi", &ctx, &b, msg, sizeof(msg)) < 0 &&
	       strstr(msg, "--backend kprobe-multi is not usable on this kernel: an extension"),
	   "--backend kprobe-multi is refused, saying why: %s", msg);
out:
	unsetenv("PWRU_TEST_NO_EXT");
	kallsyms_free(ks);
}

int main(void)
{
	if (geteuid()) {
		printf("1..0 # SKIP needs root (BPF programs are loaded)\n");
		return 0;
	}
	test_runs();
	test_refused();
	test_choice();
	return tap_done();
}
