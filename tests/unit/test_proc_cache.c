// SPDX-License-Identifier: GPL-2.0
/* The process cache: real /proc lookups, a program change under one pid, bounded memory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "src/output/proc_cache.h"

static void test_lookups(void)
{
	struct proc_cache *pc = proc_cache_new();
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = '\0';
	is_str(proc_cache_exe(pc, (uint32_t)getpid(), "test_proc_cache"), self,
	       "our own pid: our executable");
	ok(!proc_cache_exe(pc, 0, "swapper/0"), "the idle task has none");
	ok(!proc_cache_exe(pc, 0x7ffffff0, "gone"), "a pid that does not exist has none");
	proc_cache_free(pc);
}

/*
 * fork() then exec() keeps the pid and changes the program: the child's events before the
 * exec name our executable, those after it the new one (the comm changes with exec).
 */
static void test_exec_same_pid(void)
{
	struct proc_cache *pc = proc_cache_new();
	char self[PATH_MAX], sleep_path[PATH_MAX], c;
	int go[2], exec_done[2];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t child;

	self[n > 0 ? n : 0] = '\0';
	if (!realpath("/bin/sleep", sleep_path) || pipe(go) || pipe2(exec_done, O_CLOEXEC)) {
		ok(0, "set up a child: %s", strerror(errno));
		proc_cache_free(pc);
		return;
	}
	child = fork();
	if (child == 0) {
		close(go[1]);
		close(exec_done[0]);
		if (read(go[0], &c, 1) == 1) /* the parent has looked at us before exec */
			execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	close(exec_done[1]);
	is_str(proc_cache_exe(pc, (uint32_t)child, "test_proc_cache"), self,
	       "before exec the child runs our program");
	c = 1;
	ok(write(go[1], &c, 1) == 1 && read(exec_done[0], &c, 1) == 0,
	   "the child exec'd /bin/sleep (its close-on-exec pipe closed)");
	is_str(proc_cache_exe(pc, (uint32_t)child, "sleep"), sleep_path,
	       "same pid, new comm after exec: looked up again, not the old answer");
	is_str(proc_cache_exe(pc, (uint32_t)child, "test_proc_cache"), self,
	       "events from before the exec still carry the old name, and get the old answer");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(go[1]);
	close(exec_done[0]);
	proc_cache_free(pc);
}

/* A long run meets many pids: memory stays bounded, and a busy process stays cached. */
static void test_bounded(void)
{
	struct proc_cache *pc = proc_cache_new();
	struct proc_cache_stats st;
	size_t most = 0;
	uint32_t i, me = (uint32_t)getpid();
	const char *mine = NULL;
	int same = 1;

	for (i = 0; i < 100000; i++) {
		/* above pid_max (4194304 at most): a quick failing readlink, a new entry each */
		proc_cache_exe(pc, 0x10000000 + i, "short_lived");
		if (i % 1000 == 0) {
			const char *e = proc_cache_exe(pc, me, "test_proc_cache");

			same &= !mine || (e && !strcmp(e, mine));
			mine = mine ? mine : e;
		}
		proc_cache_stats(pc, &st);
		most = st.entries > most ? st.entries : most;
	}
	proc_cache_stats(pc, &st);
	ok(most <= PROC_CACHE_MAX, "never more than %d entries (at most %zu)", PROC_CACHE_MAX,
	   most);
	ok(st.rotations >= 100000 / (PROC_CACHE_MAX / 2) - 1,
	   "the older half was dropped as new pids came (%llu times)",
	   (unsigned long long)st.rotations);
	is_int(st.lookups, 100000 + 1, "a busy pid is read from /proc once, kept across drops");
	ok(same && mine, "and keeps its answer");
	proc_cache_free(pc);
}

int main(void)
{
	test_lookups();
	test_exec_same_pid();
	test_bounded();
	return tap_done();
}
