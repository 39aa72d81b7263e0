// SPDX-License-Identifier: GPL-2.0
/*
 * One kprobe per function address, through the kprobe perf PMU by address (no symbol
 * lookup in the kernel, and every copy of a duplicated static name is hooked). Removing a
 * kprobe waits for RCU grace periods, partly outside the kernel's locks, so detaching runs
 * on many threads whose waits overlap (5.10 in qemu: 1340 kprobes in 53 s instead of 95 s).
 * Arming is serialised by the kernel's code patching; more than two threads only contend.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "bpf/probe_sections.h"
#include "src/probe/backend.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"

#define ATTACH_THREADS 2
#define DETACH_THREADS 32

static const char pmu_type_path[] = "/sys/bus/event_source/devices/kprobe/type";

struct probe_site {
	uint64_t addr;
	uint32_t func;
	int prog_fd;
	int fd; /* perf event, or -errno */
};

struct kprobe_state {
	struct probe_site *sites;
	size_t n;
	size_t next; /* shared work cursor */
	int pmu_type;
	volatile sig_atomic_t *stop;
	pthread_mutex_t lock;
};

static int read_pmu_type(void)
{
	FILE *f = fopen(pmu_type_path, "re");
	int type = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &type) != 1)
		type = -1;
	fclose(f);
	return type;
}

static int kprobe_probe(const struct kallsyms *ks, const struct funcset *fs, char *why, size_t len)
{
	if (read_pmu_type() >= 0)
		return 0;
	snprintf(why, len, "no kprobe PMU at %s: kernel built without CONFIG_KPROBES",
		 pmu_type_path);
	return -1;
}

static int open_kprobe(int pmu_type, uint64_t addr, int prog_fd)
{
	struct perf_event_attr attr = {
	    .size = sizeof(attr),
	    .type = (uint32_t)pmu_type,
	    .config1 = 0,    /* no symbol name: */
	    .config2 = addr, /* probe this address */
	    .sample_period = 1,
	    .wakeup_events = 1,
	};
	int fd, err;

	fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Hands out site indexes; SIZE_MAX when done or stopping. */
static size_t take(struct kprobe_state *st)
{
	size_t i = SIZE_MAX;

	pthread_mutex_lock(&st->lock);
	if (st->next < st->n && !(st->stop && *st->stop))
		i = st->next++;
	pthread_mutex_unlock(&st->lock);
	return i;
}

static void *attach_worker(void *arg)
{
	struct kprobe_state *st = arg;
	size_t i;

	while ((i = take(st)) != SIZE_MAX)
		st->sites[i].fd =
		    open_kprobe(st->pmu_type, st->sites[i].addr, st->sites[i].prog_fd);
	return NULL;
}

static void *detach_worker(void *arg)
{
	struct kprobe_state *st = arg;
	size_t i;

	while ((i = take(st)) != SIZE_MAX)
		if (st->sites[i].fd >= 0)
			close(st->sites[i].fd);
	return NULL;
}

static void run_pool(struct kprobe_state *st, void *(*fn)(void *), int nthreads)
{
	pthread_t t[DETACH_THREADS];
	int i, started = 0;

	st->next = 0;
	for (i = 0; i < nthreads; i++)
		if (!pthread_create(&t[i], NULL, fn, st))
			started++;
		else
			break;
	if (!started)
		fn(st);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

static int collect(struct backend_ctx *ctx, struct kprobe_state *st)
{
	const struct funcset *fs = ctx->fs;
	size_t i, k, total = 0;
	int pos, fds[FUNCSET_MAX_POS + 1] = {0};

	for (pos = 1; pos <= FUNCSET_MAX_POS; pos++) {
		struct bpf_program *p = backend_program(&backend_kprobe, ctx->obj, pos);

		fds[pos] = p ? bpf_program__fd(p) : -1;
	}
	for (i = 0; i < fs->n; i++)
		total += fs->funcs[i].naddrs;
	st->sites = calloc(total ? total : 1, sizeof(*st->sites));
	if (!st->sites)
		return -ENOMEM;
	for (i = 0; i < fs->n; i++) {
		const struct func_entry *f = &fs->funcs[i];

		for (k = 0; k < f->naddrs; k++)
			if (fds[f->pos] >= 0 && traceable_kprobe(ctx->tr, f->addrs[k]))
				st->sites[st->n++] = (struct probe_site){.addr = f->addrs[k],
									 .func = (uint32_t)i,
									 .prog_fd = fds[f->pos],
									 .fd = -ENOENT};
	}
	return 0;
}

static void kprobe_detach(struct backend_ctx *ctx)
{
	struct kprobe_state *st = ctx->priv;
	size_t i, live = 0;

	if (!st)
		return;
	st->stop = NULL; /* a second Ctrl-C must not leave probes behind */
	for (i = 0; i < st->n; i++)
		live += st->sites[i].fd >= 0;
	if (live > 100)
		fprintf(stderr,
			"pwru: detaching %zu kprobes (the kernel removes them one by one)\n", live);
	run_pool(st, detach_worker, DETACH_THREADS);
	pthread_mutex_destroy(&st->lock);
	free(st->sites);
	free(st);
	ctx->priv = NULL;
}

/* Functions with at least one address hooked count as attached; the first error explains. */
static int tally(struct backend_ctx *ctx, struct kprobe_state *st, struct attach_result *res)
{
	uint8_t *hooked = calloc(ctx->fs->n ? ctx->fs->n : 1, 1);
	size_t i;
	int first_err = 0;

	if (!hooked)
		return -ENOMEM;
	for (i = 0; i < st->n; i++) {
		if (st->sites[i].fd >= 0)
			hooked[st->sites[i].func] = 1;
		else if (!first_err)
			first_err = st->sites[i].fd;
	}
	for (i = 0; i < ctx->fs->n; i++) {
		if (hooked[i])
			res->attached++;
		else
			res->skipped++;
	}
	free(hooked);
	return res->attached ? 0 : first_err ? first_err : -ENOENT;
}

static int kprobe_attach(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	struct kprobe_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return err_from_errno(e, -ENOMEM, "kprobe attach");
	ctx->priv = st;
	pthread_mutex_init(&st->lock, NULL);
	st->stop = ctx->stop;
	st->pmu_type = read_pmu_type();
	rc = st->pmu_type < 0 ? -ENOENT : collect(ctx, st);
	if (!rc) {
		run_pool(st, attach_worker, ATTACH_THREADS);
		rc = *ctx->stop ? -EINTR : tally(ctx, st, res);
	}
	return backend_attach_end(&backend_kprobe, ctx, rc, res, NULL, e);
}

static const struct hook_section kprobe_sections[] = {
    {PWRU_SEC_KPROBE "+", BPF_PROG_TYPE_KPROBE, 0},
};

const struct backend backend_kprobe = {
    .name = "kprobe",
    .probe = kprobe_probe,
    .sections = kprobe_sections,
    .nsections = 1,
    .prog_prefix = "kprobe_skb_",
    .attach = kprobe_attach,
    .detach = kprobe_detach,
};
