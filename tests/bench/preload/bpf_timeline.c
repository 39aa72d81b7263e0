// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_timeline.so (benchmarks only, LD_PRELOAD; tests/bench/load-vm builds it, outside the
 * benchmark programs the Makefile builds from tests/bench): one line per bpf() call a
 * process makes through libc's syscall() (libbpf's and pwru's), in the process's own
 * clock, to see what a start's load phase is made of. PWRU_BPF_TIMELINE=FILE (default
 * stderr). Lines:
 *	T START_MS DUR_MS CMD RET [what]
 * A program load without a log of its own gets a stats-only log (level 4: no other
 * output, no change to what the verifier does), and its line carries the stats and
 * bpf_prog_info's verified_insns; both are read outside the timed call.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/btf.h>

static long (*real_syscall)(long, ...);
static FILE *out;
static double t0;
static char vlog[65536];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

__attribute__((constructor)) static void timeline_init(void)
{
	const char *path = getenv("PWRU_BPF_TIMELINE");

	real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	out = path ? fopen(path, "w") : NULL;
	if (!out)
		out = stderr;
	setvbuf(out, NULL, _IOLBF, 0);
	t0 = now_ms();
	fprintf(out, "T0 %.3f\n", t0);
}

static const char *cmd_name(long cmd)
{
	static const char *const n[] = {
	    [BPF_MAP_CREATE] = "MAP_CREATE",
	    [BPF_MAP_LOOKUP_ELEM] = "MAP_LOOKUP",
	    [BPF_MAP_UPDATE_ELEM] = "MAP_UPDATE",
	    [BPF_MAP_DELETE_ELEM] = "MAP_DELETE",
	    [BPF_PROG_LOAD] = "PROG_LOAD",
	    [BPF_OBJ_GET_INFO_BY_FD] = "GET_INFO",
	    [BPF_BTF_LOAD] = "BTF_LOAD",
	    [BPF_BTF_GET_FD_BY_ID] = "BTF_GET_FD",
	    [BPF_LINK_CREATE] = "LINK_CREATE",
	    [BPF_PROG_BIND_MAP] = "PROG_BIND_MAP",
	    [BPF_MAP_FREEZE] = "MAP_FREEZE",
	    [BPF_RAW_TRACEPOINT_OPEN] = "RAW_TP_OPEN",
	    [BPF_PROG_TEST_RUN] = "TEST_RUN",
	    [BPF_BTF_GET_NEXT_ID] = "BTF_NEXT_ID",
	    [BPF_PROG_GET_FD_BY_ID] = "PROG_GET_FD",
	    [BPF_MAP_GET_FD_BY_ID] = "MAP_GET_FD",
	};

	return cmd >= 0 && cmd < (long)(sizeof(n) / sizeof(n[0])) && n[cmd] ? n[cmd] : "?";
}

static void btf_what(char *w, size_t len, const union bpf_attr *a)
{
	struct btf *btf = btf__new((void *)(uintptr_t)a->btf, a->btf_size);
	const struct btf_header *h = (void *)(uintptr_t)a->btf;

	snprintf(w, len, "bytes %u types %d type_len %u str_len %u", a->btf_size,
		 btf ? (int)btf__type_cnt(btf) - 1 : -1, h->type_len, h->str_len);
	btf__free(btf);
}

/* the stats lines of a level-4 log on one line */
static void stats_what(char *w, size_t len)
{
	char *p;

	for (p = vlog; *p; p++)
		if (*p == '\n')
			*p = ' ';
	snprintf(w, len, "%s", vlog);
}

static long bpf_call(long cmd, union bpf_attr *a, long size)
{
	char what[1024] = "", stats[600] = "";
	int our_log = 0, err;
	double s, d;
	long ret;

	if (cmd == BPF_PROG_LOAD && !a->log_level && !a->log_buf) {
		our_log = 1;
		vlog[0] = 0;
		a->log_level = 4;
		a->log_buf = (uintptr_t)vlog;
		a->log_size = sizeof(vlog);
	}
	s = now_ms();
	ret = real_syscall(SYS_bpf, cmd, a, size);
	d = now_ms() - s;
	err = errno;
	if (our_log) {
		a->log_level = 0;
		a->log_buf = 0;
		a->log_size = 0;
		stats_what(stats, sizeof(stats));
	}
	if (cmd == BPF_PROG_LOAD) {
		struct bpf_prog_info info = {0};
		union bpf_attr ia = {0};

		if (ret >= 0) {
			ia.info.bpf_fd = ret;
			ia.info.info_len = sizeof(info);
			ia.info.info = (uintptr_t)&info;
			real_syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &ia, sizeof(ia));
		}
		snprintf(
		    what, sizeof(what),
		    "name %.16s type %u attach %u insns %u verified %u xlated %u jited %u | %s",
		    a->prog_name, a->prog_type, a->expected_attach_type, a->insn_cnt,
		    info.verified_insns, info.xlated_prog_len / 8, info.jited_prog_len, stats);
	} else if (cmd == BPF_MAP_CREATE) {
		snprintf(what, sizeof(what), "name %.16s type %u key %u value %u max %u flags %#x",
			 a->map_name, a->map_type, a->key_size, a->value_size, a->max_entries,
			 a->map_flags);
	} else if (cmd == BPF_BTF_LOAD) {
		btf_what(what, sizeof(what), a);
	}
	fprintf(out, "T %.3f %.3f %s %ld %s\n", s - t0, d, cmd_name(cmd), ret, what);
	errno = err;
	return ret;
}

long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_bpf)
		return bpf_call(a[0], (union bpf_attr *)a[1], a[2]);
	return real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* pwru's loader opens its CO-RE memfd first thing: the load phase's start */
int memfd_create(const char *name, unsigned int flags)
{
	int fd = (int)real_syscall(SYS_memfd_create, name, flags);

	fprintf(out, "M %.3f memfd_create %s\n", now_ms() - t0, name);
	return fd;
}
