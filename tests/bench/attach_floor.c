// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's floor for attaching: the same attachments pwru made (the list it writes
 * with PWRU_BENCH_TARGETS=FILE), each with a program that does nothing, made the way pwru
 * makes them (same link per skb position, same threads). Prints the time to attach all,
 * holds them until SIGINT/SIGTERM (with --hold: the per-hit floor), then the time to
 * detach:
 *	FLOOR attachments N attach SECONDS detach SECONDS
 *
 *	attach_floor [--hold] [--read] FILE
 *
 * --read: each program reads 8 bytes at its first argument (bpf_probe_read_kernel), the
 * least a program that looks at the skb can do: the floor of any per-hit filter.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "src/probe/btf_objs.h"
#include "src/probe/pool.h"

#define MAX_POS 12

struct target {
	char kind[16], module[64], name[128];
	int pos;
	uint64_t addr; /* kprobe, kprobe-multi */
	uint32_t id;   /* BTF id */
	int prog, fd;
};

static struct target *t;
static size_t n;
static struct btf_objs mods;
static int pmu_type = -1;
static volatile sig_atomic_t done;
static int read_arg;

/* Where a program's context keeps the first argument: pt_regs' or the trampoline's. */
#ifdef __x86_64__
#define KPROBE_ARG1_OFF 112 /* offsetof(struct pt_regs, di) */
#else
#define KPROBE_ARG1_OFF 0 /* arm64: regs[0] */
#endif

static void on_signal(int sig)
{
	done = 1;
}

static int nop_prog(enum bpf_prog_type type, enum bpf_attach_type at, uint32_t id, int obj_fd)
{
	const struct bpf_insn reads[] = {
	    {.code = BPF_LDX | BPF_MEM | BPF_DW,
	     .dst_reg = 3,
	     .src_reg = 1,
	     .off = type == BPF_PROG_TYPE_KPROBE ? KPROBE_ARG1_OFF : 0},
	    {.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 1, .src_reg = 10},
	    {.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 1, .imm = -8},
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2, .imm = 8},
	    {.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_probe_read_kernel},
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	const struct bpf_insn *insns = read_arg ? reads : reads + 5;
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = at, .attach_btf_id = id,
		    .attach_btf_obj_fd = obj_fd);
	int fd = bpf_prog_load(type, "floor", "GPL", insns, read_arg ? 7 : 2, &o);

	return fd < 0 ? -errno : fd;
}

static int read_targets(const char *path)
{
	FILE *f = fopen(path, "re");
	char line[512];
	size_t cap = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct target x = {.prog = -1, .fd = -1};

		if (sscanf(line, "%15s", x.kind) != 1)
			continue;
		if (!strcmp(x.kind, "kprobe") || !strcmp(x.kind, "kprobe-multi"))
			sscanf(line, "%*s %d %" SCNx64, &x.pos, &x.addr);
		else if (!strcmp(x.kind, "fentry-multi"))
			sscanf(line, "%*s %d %u", &x.pos, &x.id);
		else
			sscanf(line, "%*s %63s %u %127s", x.module, &x.id, x.name);
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			t = realloc(t, cap * sizeof(*t));
			if (!t)
				return -ENOMEM;
		}
		t[n++] = x;
	}
	fclose(f);
	return 0;
}

/* One nop program per target, attached: fentry, fexit, tp_btf, raw_tp, kprobe. */
static void load_one(void *arg, size_t i)
{
	struct target *x = &t[i];
	int obj = strcmp(x->module, "-") && x->module[0] ? btf_objs_fd(&mods, x->module) : 0;

	if (!strcmp(x->kind, "fentry") || !strcmp(x->kind, "fexit"))
		x->prog = nop_prog(BPF_PROG_TYPE_TRACING,
				   !strcmp(x->kind, "fentry") ? BPF_TRACE_FENTRY : BPF_TRACE_FEXIT,
				   x->id, obj);
	else if (!strcmp(x->kind, "tp_btf"))
		x->prog = nop_prog(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, x->id, obj);
	else if (!strcmp(x->kind, "raw_tp"))
		x->prog = nop_prog(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, 0);
}

static void attach_one(void *arg, size_t i)
{
	struct target *x = &t[i];

	if (x->prog < 0 || x->fd >= 0) /* none, or a kprobe attached already */
		return;
	if (!strcmp(x->kind, "kprobe")) {
		struct perf_event_attr a = {.size = sizeof(a),
					    .type = (uint32_t)pmu_type,
					    .config2 = x->addr,
					    .sample_period = 1,
					    .wakeup_events = 1};

		x->fd = (int)syscall(SYS_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
		if (x->fd >= 0 && (ioctl(x->fd, PERF_EVENT_IOC_SET_BPF, x->prog) ||
				   ioctl(x->fd, PERF_EVENT_IOC_ENABLE, 0))) {
			close(x->fd);
			x->fd = -1;
		}
		return;
	}
	x->fd = bpf_raw_tracepoint_open(!strcmp(x->kind, "raw_tp") ? x->name : NULL, x->prog);
}

/* The multi links: one per skb position, as pwru makes them. */
static size_t link_groups(const char *kind, int *fds)
{
	uint64_t addrs[4096];
	uint32_t ids[4096];
	size_t i, k, links = 0;
	int pos;

	for (pos = 1; pos <= MAX_POS; pos++) {
		int multi = !strcmp(kind, "fentry-multi"), prog;

		for (i = k = 0; i < n && k < 4096; i++)
			if (!strcmp(t[i].kind, kind) && t[i].pos == pos) {
				addrs[k] = t[i].addr;
				ids[k++] = t[i].id;
			}
		if (!k)
			continue;
		prog = multi ? nop_prog(BPF_PROG_TYPE_TRACING, 59, 0, 0)
			     : nop_prog(BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0, 0);
		if (multi) {
			/* Linux 7.2's tracing-multi link; Debian's libbpf 1.1 predates it */
			struct {
				uint32_t prog_fd, target_fd, attach_type, flags;
				uint64_t ids, cookies;
				uint32_t cnt, pad;
			} a = {.prog_fd = (uint32_t)prog,
			       .attach_type = 59,
			       .ids = (uint64_t)(uintptr_t)ids,
			       .cnt = (uint32_t)k};
			union bpf_attr attr;

			memset(&attr, 0, sizeof(attr));
			memcpy(&attr, &a, sizeof(a));
			fds[links] = (int)syscall(SYS_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
		} else {
			LIBBPF_OPTS(bpf_link_create_opts, o);

			o.kprobe_multi.addrs = (const unsigned long *)addrs;
			o.kprobe_multi.cnt = (uint32_t)k;
			fds[links] = bpf_link_create(prog, 0, BPF_TRACE_KPROBE_MULTI, &o);
		}
		if (fds[links] < 0)
			fprintf(stderr, "attach_floor: %s link for position %d: %s\n", kind, pos,
				strerror(errno));
		close(prog); /* the link holds it */
		links++;
	}
	return links;
}

static void close_one(void *arg, size_t i)
{
	if (t[i].fd >= 0)
		close(t[i].fd);
	if (t[i].prog >= 0 && strcmp(t[i].kind, "kprobe")) /* kprobes share one */
		close(t[i].prog);
}

static int read_pmu(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/type", "re");
	int v = -1;

	if (f && fscanf(f, "%d", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

static int is_multi(const struct target *x)
{
	return !strcmp(x->kind, "kprobe-multi") || !strcmp(x->kind, "fentry-multi");
}

/* Perf-event kprobes: one program for every one, 2 attaching threads, as pwru. */
static void attach_kprobes(void)
{
	int prog = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(t[i].kind, "kprobe"))
			continue;
		if (prog < 0)
			prog = nop_prog(BPF_PROG_TYPE_KPROBE, 0, 0, 0);
		t[i].prog = prog;
	}
	if (prog >= 0)
		pool_run(n, 2, attach_one, NULL, NULL);
}

/*
 * Every other line (fentry, fexit, tp_btf, raw_tp) gets a program of its own, loaded from a
 * thread per CPU and attached from one, as pwru: the whole list when the backend is
 * per-function, and next to the multi links the trampolines pwru adds for return values
 * (nf_hook_slow's fentry/fexit pair), which the floor must make too to be "the same links".
 */
static void attach_each(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	pool_run(n, cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus, load_one, NULL, NULL);
	pool_run(n, 1, attach_one, NULL, NULL);
}

int main(int argc, char **argv)
{
	int hold = 0, fds[2 * MAX_POS], ok = 0, a;
	size_t links = 0, singles = 0, i;
	double t0, t_attach, t_multi, t_detach;
	struct sigaction sa = {.sa_handler = on_signal};
	struct rlimit rl;

	for (a = 1; a < argc - 1; a++) {
		hold |= !strcmp(argv[a], "--hold");
		read_arg |= !strcmp(argv[a], "--read");
	}
	if (argc < 2 || read_targets(argv[argc - 1]) || !n) {
		fprintf(
		    stderr,
		    "usage: attach_floor [--hold] [--read] TARGETS (from PWRU_BENCH_TARGETS)\n");
		return 2;
	}
	/*
	 * A program and a link per function: ~3,200 descriptors for every skb function, past
	 * the default 1024 (pwru raises its limit too). Without this the floor attached none.
	 */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pmu_type = read_pmu();
	btf_objs_fd(&mods, "");
	t0 = mono_now();
	links = link_groups("kprobe-multi", fds);
	links += link_groups("fentry-multi", fds + links);
	t_multi = mono_now() - t0;
	attach_kprobes();
	attach_each();
	t_attach = mono_now() - t0;
	for (i = 0; i < n; i++) {
		ok += t[i].fd >= 0;
		singles += !is_multi(&t[i]);
	}
	for (i = 0; i < links; i++)
		ok += fds[i] >= 0;
	fprintf(stderr, "attach_floor: %d of %zu attachments made (multi links %.3f s)\n", ok,
		links + singles, t_multi);
	if (hold) {
		printf("READY\n");
		fflush(stdout);
		while (!done)
			pause();
	}
	t0 = mono_now();
	for (i = 0; i < links; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	pool_run(n, 16, close_one, NULL, NULL);
	t_detach = mono_now() - t0;
	printf("FLOOR attachments %zu attach %.3f detach %.3f\n", links + singles, t_attach,
	       t_detach);
	return 0;
}
