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
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf/probe_sections.h"
#include "src/output/fmt.h"
#include "src/probe/backend.h"
#include "src/probe/kprobe.h"
#include "src/probe/objects.h"
#include "src/probe/pool.h"
#include "src/probe/prog_misses.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"

#define ATTACH_THREADS 2
#define DETACH_THREADS 32

static const char pmu_type_path[] = "/sys/bus/event_source/devices/kprobe/type";

struct probe_site {
	uint64_t addr;
	uint32_t func;
	int prog_fd;
	int fd;	  /* perf event, or -errno */
	int link; /* its BPF link, or -1 */
	bool tried;
};

struct kprobe_state {
	struct probe_site *sites;
	size_t n;
	int pmu_type;
	/* links or not: settled by the first kprobe, before the threads start */
	bool decided, no_links;
};

/* One integer from a sysfs file, after PREFIX ("config:" in a PMU's format file); -1 if none. */
static int read_sysfs_int(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "re");
	char fmt[32];
	int v = -1;

	if (!f)
		return -1;
	snprintf(fmt, sizeof(fmt), "%s%%d", prefix);
	if (fscanf(f, fmt, &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int kprobe_pmu_type(void)
{
	return read_sysfs_int(pmu_type_path, "");
}

int kprobe_retprobe_bit(void)
{
	return read_sysfs_int("/sys/bus/event_source/devices/kprobe/format/retprobe", "config:");
}

int kprobe_missing(char *why, size_t len)
{
	if (kprobe_pmu_type() >= 0)
		return 0;
	snprintf(why, len, "no kprobe PMU at %s: kernel built without CONFIG_KPROBES",
		 pmu_type_path);
	return -1;
}

static int kprobe_probe(const struct backend_ctx *ctx, char *why, size_t len)
{
	return kprobe_missing(why, len);
}

int kprobe_perf_open(int pmu_type, uint64_t addr, uint64_t config)
{
	struct perf_event_attr attr = {
	    .size = sizeof(attr),
	    .type = (uint32_t)pmu_type,
	    .config = config,
	    .config1 = 0,    /* no symbol name: */
	    .config2 = addr, /* probe this address */
	    .sample_period = 1,
	    .wakeup_events = 1,
	};
	int fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/*
 * Through a BPF link where its info holds the calls the kprobe skipped (another kprobe
 * running on the CPU: 6.7+), which nothing else tells (prog_misses.c). Not before: the
 * kernel frees a linked kprobe slower (every function on 6.12: exit 74.4 s with the ioctl,
 * 81.3 to 82.1 s with links), for no count there. Without a descriptor left for the link
 * (a low hard RLIMIT_NOFILE), the kprobe is still worth having.
 */
static int set_bpf(struct kprobe_state *st, struct probe_site *s)
{
	if (!st->no_links) {
		s->link = bpf_link_create(s->prog_fd, s->fd, BPF_PERF_EVENT, NULL);
		if (s->link >= 0 && !st->decided && !link_info_has_missed(s->link)) {
			close(s->link);
			s->link = -1;
			st->no_links = true;
		} else if (s->link < 0 && !st->decided && errno == EINVAL) { /* before 5.15 */
			st->no_links = true;
		} else if (s->link < 0 && errno != EMFILE) {
			return -1;
		}
	}
	/* a link refused for want of a descriptor says nothing of the kernel: the next decides */
	if (s->link >= 0 || st->no_links)
		st->decided = true;
	return s->link >= 0 ? 0 : ioctl(s->fd, PERF_EVENT_IOC_SET_BPF, s->prog_fd);
}

static void attach_one(void *arg, size_t i)
{
	struct kprobe_state *st = arg;
	struct probe_site *s = &st->sites[i];
	int err;

	if (s->tried)
		return;
	s->tried = true;
	s->fd = kprobe_perf_open(st->pmu_type, s->addr, 0);
	if (s->fd < 0)
		return;
	if (set_bpf(st, s) || ioctl(s->fd, PERF_EVENT_IOC_ENABLE, 0)) {
		err = -errno;
		if (s->link >= 0)
			close(s->link);
		close(s->fd);
		s->link = -1;
		s->fd = err;
	} else if (s->link < 0 && !st->no_links) {
		prog_misses_unlinked();
	}
}

static void detach_one(void *arg, size_t i)
{
	struct kprobe_state *st = arg;

	if (st->sites[i].link >= 0)
		close(st->sites[i].link);
	if (st->sites[i].fd >= 0)
		close(st->sites[i].fd);
}

/* pwru's --filter-kprobe-batch N: one thread per N; else what was measured to be best. */
static int attach_threads(const struct backend_ctx *ctx, size_t n)
{
	size_t t;

	if (!ctx->batch)
		return ATTACH_THREADS;
	t = (n + ctx->batch - 1) / ctx->batch;
	return t < 1 ? 1 : t > 64 ? 64 : (int)t;
}

static int collect(struct backend_ctx *ctx, struct kprobe_state *st)
{
	const struct funcset *fs = ctx->fs;
	size_t i, k, total = 0;
	int pos, fds[FUNCSET_MAX_POS + 1];

	for (pos = 1; pos <= FUNCSET_MAX_POS; pos++) {
		struct bpf_program *p = pos <= backend_kprobe.max_pos
					    ? backend_program(&backend_kprobe, ctx->obj, pos)
					    : NULL;

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
									 .fd = -ENOENT,
									 .link = -1};
	}
	return 0;
}

static void kprobe_detach(struct backend_ctx *ctx)
{
	struct kprobe_state *st = ctx->priv;
	size_t i, live = 0, funcs = 0;

	if (!st)
		return;
	/* the sites are in their functions' order */
	for (i = 0; i < st->n; i++) {
		live += st->sites[i].fd >= 0;
		funcs += st->sites[i].fd >= 0 && (!i || st->sites[i].func != st->sites[i - 1].func);
	}
	/* the count said at attach (none was when stopped attaching) */
	funcs = ctx->attached ? ctx->attached : funcs;
	/* a function with several copies has a kprobe on each */
	if (live > 100)
		fprintf(stderr,
			"pwru: detaching %zu function%s (%zu kprobe%s: the kernel removes them one "
			"by one)\n",
			funcs, plural(funcs), live, plural(live));
	/* no stop flag: a second Ctrl-C must not leave probes behind */
	pool_run(st->n, DETACH_THREADS, detach_one, st, NULL);
	free(st->sites);
	free(st);
	ctx->priv = NULL;
}

/* Functions with at least one address hooked count as attached; the first error explains. */
static int tally(struct backend_ctx *ctx, struct kprobe_state *st, struct attach_result *res)
{
	uint8_t *hooked = calloc(ctx->fs->n ? ctx->fs->n : 1, 1);
	int *errs = calloc(ctx->fs->n ? ctx->fs->n : 1, sizeof(*errs));
	size_t i;
	int rc = -ENOMEM;

	for (i = 0; hooked && errs && i < st->n; i++) {
		if (st->sites[i].fd >= 0 && backend_bench_dump())
			fprintf(backend_bench_dump(), "kprobe %d %#llx\n",
				ctx->fs->funcs[st->sites[i].func].pos,
				(unsigned long long)st->sites[i].addr);
		if (st->sites[i].fd >= 0)
			hooked[st->sites[i].func] = 1;
		else if (!errs[st->sites[i].func])
			errs[st->sites[i].func] = st->sites[i].fd;
	}
	if (hooked && errs)
		rc = backend_tally(&backend_kprobe, ctx, hooked, errs, res);
	free(hooked);
	free(errs);
	return rc;
}

const char *kprobe_cannot_take(const struct backend_ctx *ctx, const struct func_entry *f)
{
	uint32_t k;

	if (backend_out_of_reach(&backend_kprobe, f))
		return backend_out_of_reach(&backend_kprobe, f);
	for (k = 0; k < f->naddrs; k++)
		if (traceable_kprobe(ctx->tr, f->addrs[k]))
			return NULL;
	return "in the kprobe blacklist";
}

static int kprobe_attach(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	struct kprobe_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return err_from_errno(e, -ENOMEM, "kprobe attach");
	ctx->priv = st;
	st->pmu_type = kprobe_pmu_type();
	rc = st->pmu_type < 0 ? -ENOENT : collect(ctx, st);
	if (!rc) {
		int threads = attach_threads(ctx, st->n);

		if (ctx->debug)
			fprintf(stderr,
				"pwru: debug: kprobe: %zu addresses, %d attaching threads\n", st->n,
				threads);
		/* alone until a kprobe settles links or not (set_bpf) */
		for (size_t i = 0; i < st->n && !st->decided; i++)
			attach_one(st, i);
		pool_run(st->n, threads, attach_one, st, ctx->stop);
		rc = tally(ctx, st, res);
	}
	return backend_attach_end(&backend_kprobe, ctx, rc, res, NULL, e);
}

static const struct hook_section kprobe_sections[] = {
    {PWRU_SEC_KPROBE, BPF_PROG_TYPE_KPROBE, 0},
};

const struct backend backend_kprobe = {
    .name = "kprobe",
    .targets = TARGET_FUNCS,
    .probe = kprobe_probe,
    .cannot_take = kprobe_cannot_take,
    .sections = kprobe_sections,
    .nsections = 1,
    .object_first = object_kprobe_first,
    .max_pos = PWRU_KPROBE_POSITIONS,
    .prog_prefix = "kprobe_skb_",
    .attach = kprobe_attach,
    .detach = kprobe_detach,
};
