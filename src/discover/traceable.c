// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "src/discover/traceable.h"
#include "src/discover/traceable_cache.h"

/* The ftrace call sits after an endbr64 when IBT is on: allow that far into a function. */
#define FTRACE_SLACK 8

/* debugfs's tracing/ is never looked into: its automount would leave a tracefs mounted. */
static const char tracefs[] = "/sys/kernel/tracing";

static FILE *open_under(const char *root, const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return fopen(full, "re");
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(void **arr, size_t *n, size_t *cap, size_t size)
{
	void *na;

	if (*n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 4096;
	na = realloc(*arr, *cap * size);
	if (!na)
		return -ENOMEM;
	*arr = na;
	return 0;
}

/* "ffffffff81000c24 name" or "ffffffff81000c24 name [module]": an address is unique. */
static int read_addrs(FILE *f, struct traceable *t)
{
	char line[512], name[256];
	size_t cap = 0;
	uint64_t ip;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNx64 " %255s", &ip, name) != 2)
			continue;
		if (push((void **)&t->ftrace_ips, &t->nftrace_ips, &cap, sizeof(ip)))
			return -ENOMEM;
		t->ftrace_ips[t->nftrace_ips++] = ip;
	}
	qsort(t->ftrace_ips, t->nftrace_ips, sizeof(uint64_t), cmp_u64);
	return 0;
}

/* A module's names are kept as "name [module]", the way the file spells them. */
static int read_names(FILE *f, struct traceable *t)
{
	char line[512], name[256], mod[64], key[330];
	size_t cap = 0;
	int n;

	while (fgets(line, sizeof(line), f)) {
		n = sscanf(line, "%255s %63s", name, mod);
		if (n < 1 || (n == 2 && mod[0] != '['))
			continue;
		if (push((void **)&t->ftrace_names, &t->nftrace_names, &cap, sizeof(char *)))
			return -ENOMEM;
		snprintf(key, sizeof(key), "%s%s%s", name, n == 2 ? " " : "", n == 2 ? mod : "");
		t->ftrace_names[t->nftrace_names] = strdup(key);
		if (!t->ftrace_names[t->nftrace_names])
			return -ENOMEM;
		t->nftrace_names++;
	}
	qsort(t->ftrace_names, t->nftrace_names, sizeof(char *), cmp_str);
	return 0;
}

/* Lines are "0xstart-0xend\tsymbol". */
static int read_blacklist(FILE *f, struct traceable *t)
{
	char line[512];
	size_t cap = 0;
	uint64_t s, e;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "0x%" SCNx64 "-0x%" SCNx64, &s, &e) != 2 || e <= s)
			continue;
		if (push((void **)&t->blacklist, &t->nblacklist, &cap, sizeof(*t->blacklist)))
			return -ENOMEM;
		t->blacklist[t->nblacklist][0] = s;
		t->blacklist[t->nblacklist][1] = e;
		t->nblacklist++;
	}
	qsort(t->blacklist, t->nblacklist, sizeof(*t->blacklist), cmp_u64);
	return 0;
}

/* Tries DIR/available_filter_functions_addrs, then the names-only file. */
static int load_ftrace_from(struct traceable *t, const char *root, const char *dir)
{
	char src[sizeof(t->ftrace_source)];
	FILE *f;
	int by_addr, err;

	for (by_addr = 1; by_addr >= 0; by_addr--) {
		snprintf(src, sizeof(src), "%s/available_filter_functions%s", dir,
			 by_addr ? "_addrs" : "");
		f = open_under(root, src);
		if (!f)
			continue;
		err = by_addr ? read_addrs(f, t) : read_names(f, t);
		fclose(f);
		if (err)
			return err;
		if (t->nftrace_ips || t->nftrace_names) {
			memcpy(t->ftrace_source, src, sizeof(src));
			return 0;
		}
	}
	return 0;
}

/* The child's word to the parent; the files it opened come with it (SCM_RIGHTS). */
struct ftrace_msg {
	const char *what; /* what failed, or NULL: the files came */
	int err;
	int have[2]; /* available_filter_functions_addrs, available_filter_functions */
};

/* Sends M and the files of FD that are open down SOCK, and ends the child. */
static _Noreturn void child_send(int sock, struct ftrace_msg *m, const int fd[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))] = {0};
	struct iovec iov = {m, sizeof(*m)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;
	int i, n = 0, fds[2];

	for (i = 0; i < 2; i++)
		if ((m->have[i] = fd[i] >= 0))
			fds[n++] = fd[i];
	if (n) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(n * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	}
	_exit(sendmsg(sock, &mh, 0) < 0);
}

static _Noreturn void child_fail(int sock, const char *what, int err)
{
	struct ftrace_msg m = {.what = what, .err = err};
	int none[2] = {-1, -1};

	child_send(sock, &m, none);
}

/*
 * The child: a tracefs mounted in a mount namespace of its own, gone with the child however
 * it ends, so that nothing stays mounted on the host even if pwru is killed. It hands the
 * files to the parent: an open file keeps its mount readable after the namespace is gone.
 */
static _Noreturn void ftrace_child(int sock)
{
	/* Any existing directory will do: the mount is seen by this child only. */
	static const char *const points[] = {"/sys/kernel/tracing", "/tmp", "/mnt"};
	struct ftrace_msg m = {0};
	char path[160];
	size_t i;
	int by_addr, fd[2], err = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		child_fail(sock, "a mount namespace of its own", errno);
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		if (!mount("tracefs", points[i], "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
			break;
	if (i == sizeof(points) / sizeof(points[0]))
		child_fail(sock, "mounting tracefs", errno);
	for (by_addr = 1; by_addr >= 0; by_addr--) {
		snprintf(path, sizeof(path), "%s/available_filter_functions%s", points[i],
			 by_addr ? "_addrs" : "");
		fd[!by_addr] = open(path, O_RDONLY | O_CLOEXEC);
		if (fd[!by_addr] < 0 && (!err || errno != ENOENT))
			err = errno; /* the names file's refusal says more than _addrs' absence */
	}
	if (fd[0] < 0 && fd[1] < 0)
		child_fail(sock, "available_filter_functions", err ? err : ENODATA);
	child_send(sock, &m, fd);
}

/*
 * vfork(), not fork(): a fork would copy pwru's page tables and fault its pages back in, a
 * quarter of a cold start's excess over its floor. The child only makes system calls and
 * ends in _exit(). Signals stay blocked meanwhile: the parent's handlers would run on the
 * child's borrowed stack.
 */
static pid_t spawn_child(int sock)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0)
		ftrace_child(sock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid;
}

/* The child's message and files from SOCK into M and FD; false when none came whole. */
static bool take_msg(int sock, struct ftrace_msg *m, int fd[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = {m, sizeof(*m)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	int i, n = 0, fds[2] = {-1, -1};
	ssize_t r = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	cm = r > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(fds, CMSG_DATA(cm), cm->cmsg_len - CMSG_LEN(0));
	for (i = 0; i < 2; i++)
		fd[i] = r == (ssize_t)sizeof(*m) && m->have[i] ? fds[n++] : -1;
	for (; n < 2; n++)
		if (fds[n] >= 0)
			close(fds[n]);
	return r == (ssize_t)sizeof(*m) && !(mh.msg_flags & MSG_CTRUNC);
}

/* Runs the child and takes what it sends; a negative errno when it could not be run. */
static int run_child(struct ftrace_msg *m, int fd[2])
{
	int sock[2], status = -1, err = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock))
		return -errno;
	pid = spawn_child(sock[1]);
	if (pid < 0)
		err = -errno;
	close(sock[1]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!err && !take_msg(sock[0], m, fd))
		err = -ECHILD;
	close(sock[0]);
	if (!err && (!WIFEXITED(status) || WEXITSTATUS(status)))
		err = -ECHILD;
	return err;
}

static void drop_ftrace(struct traceable *t)
{
	size_t i;

	for (i = 0; !t->names_blob && i < t->nftrace_names; i++)
		free(t->ftrace_names[i]);
	free(t->names_blob);
	free(t->ftrace_names);
	t->names_blob = NULL;
	free(t->ftrace_ips);
	t->ftrace_names = NULL;
	t->ftrace_ips = NULL;
	t->nftrace_names = t->nftrace_ips = 0;
	t->ftrace_source[0] = '\0';
}

/* Reads the list from FD (the names file when NAMES); closes FD. Sets *CUT on a read error. */
static int read_child_file(struct traceable *t, int fd, bool names, bool *cut)
{
	FILE *f = fdopen(fd, "re");
	int err;

	if (!f) {
		close(fd);
		return 0;
	}
	err = names ? read_names(f, t) : read_addrs(f, t);
	/*
	 * A read cut short (a signal: no SA_RESTART) gave a partial list: unknown is safer
	 * than wrong.
	 */
	if (!err && ferror(f)) {
		*cut = true;
		drop_ftrace(t);
		snprintf(t->ftrace_why, sizeof(t->ftrace_why),
			 "a private tracefs mount: the read was cut short");
	}
	fclose(f);
	return err;
}

/*
 * tracefs not mounted (common in containers and minimal systems): read the list through a
 * private mount made by a child, so that kprobe-multi need not guess.
 */
static int load_ftrace_private(struct traceable *t)
{
	struct ftrace_msg m = {0};
	int i, fd[2] = {-1, -1}, err = run_child(&m, fd);
	bool cut = false;

	if (err) {
		snprintf(t->ftrace_why, sizeof(t->ftrace_why), "a private tracefs mount: %s",
			 strerror(-err));
		for (i = 0; i < 2; i++)
			if (fd[i] >= 0)
				close(fd[i]);
		return 0;
	}
	if (m.what) {
		snprintf(t->ftrace_why, sizeof(t->ftrace_why), "a private tracefs mount: %s: %s",
			 m.what, strerror(m.err));
		return 0;
	}
	for (i = 0; i < 2; i++) {
		if (fd[i] < 0)
			continue;
		if (!err && !cut && !t->nftrace_ips && !t->nftrace_names) {
			err = read_child_file(t, fd[i], i, &cut);
			if (!err && (t->nftrace_ips || t->nftrace_names))
				snprintf(t->ftrace_source, sizeof(t->ftrace_source),
					 "a private tracefs mount (available_filter_functions%s)",
					 i ? "" : "_addrs");
		} else {
			close(fd[i]);
		}
	}
	if (t->ftrace_source[0])
		t->ftrace_why[0] = '\0';
	return err;
}

/* ROOT "" is the real system, with the private mount as the fallback; else recorded files. */
static int read_ftrace(struct traceable *t, const char *root)
{
	int err = load_ftrace_from(t, root, tracefs);

	if (err || t->ftrace_source[0])
		return err;
	snprintf(t->ftrace_why, sizeof(t->ftrace_why), "%s%s: no available_filter_functions", root,
		 tracefs);
	return *root ? 0 : load_ftrace_private(t);
}

static int load_ftrace(struct traceable *t, const char *root)
{
	struct boot_key key;
	int err;

	if (traceable_cache_read(t, root, &key))
		return 0;
	err = read_ftrace(t, root);
	if (!err && t->ftrace_source[0])
		traceable_cache_write(t, root, &key);
	return err;
}

int traceable_load(struct traceable *t, const char *root)
{
	FILE *f;
	int err;

	memset(t, 0, sizeof(*t));
	err = load_ftrace(t, root);
	if (err)
		return err;
	f = open_under(root, "/sys/kernel/debug/kprobes/blacklist");
	if (f) {
		err = read_blacklist(f, t);
		fclose(f);
	}
	return err;
}

bool traceable_ftrace(const struct traceable *t, const char *name, uint64_t addr)
{
	return traceable_ftrace_in(t, name, NULL, addr);
}

static bool has_name(const struct traceable *t, const char *name, const char *module)
{
	char key[330];
	const char *k = key;

	if (module)
		snprintf(key, sizeof(key), "%s [%s]", name, module);
	else
		k = name;
	return bsearch(&k, t->ftrace_names, t->nftrace_names, sizeof(char *), cmp_str);
}

bool traceable_ftrace_in(const struct traceable *t, const char *name, const char *module,
			 uint64_t addr)
{
	size_t lo = 0, hi = t->nftrace_ips;

	if (t->nftrace_ips) {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (t->ftrace_ips[mid] < addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < t->nftrace_ips && t->ftrace_ips[lo] - addr <= FTRACE_SLACK;
	}
	if (t->nftrace_names)
		return has_name(t, name, module);
	return true;
}

bool traceable_kprobe(const struct traceable *t, uint64_t addr)
{
	size_t lo = 0, hi = t->nblacklist;

	/* The last range starting at or below ADDR is the only one that can hold it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->blacklist[mid][0] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return !lo || addr >= t->blacklist[lo - 1][1];
}

void traceable_free(struct traceable *t)
{
	drop_ftrace(t);
	free(t->blacklist);
	memset(t, 0, sizeof(*t));
}
