// SPDX-License-Identifier: GPL-2.0
/*
 * Return values where no trampoline runs (arm64 before 6.4): each function that wants its
 * result (nf_hook_slow) gets a kprobe that holds its event and a kretprobe that sends it
 * with the result (bpf/entry_kprobe.h). A perf-event kretprobe cannot name the function it
 * fired for, so its attach cookie does: Linux 5.15 and later. Not in the backend table: the
 * return-value split (retsplit.c) is its only user, for a handful of functions, one at a
 * time.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf/clone.h"
#include "bpf/probe_sections.h"
#include "src/probe/backend.h"
#include "src/probe/kprobe.h"
#include "src/discover/funcset.h"
#include "src/discover/traceable.h"

struct kret_site {
	int entry, entry_link; /* the holding kprobe: perf event (or -errno), BPF link */
	int exit, exit_link;   /* the kretprobe */
};

/* The exit programs: the plain return value, and a signed 32-bit one sign-extended. */
static const char *const exits[2] = {"kprobe_exit_ret", "kprobe_exit_ret_s32"};

struct kret_state {
	struct kret_site *sites;
	size_t n;
};

static int kret_probe(const struct backend_ctx *ctx, char *why, size_t len)
{
	(void)ctx;
	if (kprobe_pmu_type() < 0 || kprobe_retprobe_bit() < 0) {
		snprintf(why, len, "no kprobe PMU with kretprobes");
		return -1;
	}
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie, NULL) != 1) {
		snprintf(why, len, "kprobes carry no attach cookie (Linux 5.15 and later)");
		return -1;
	}
	return 0;
}

static int kret_prepare(const struct backend *b, struct backend_ctx *ctx)
{
	struct bpf_map *pending = bpf_object__find_map_by_name(ctx->obj, "pending");
	struct bpf_program *p;
	size_t i;

	backend_select_programs(b->prog_prefix, b->max_pos, ctx, ctx->fs, NULL);
	for (i = 0; i < 2; i++) {
		p = bpf_object__find_program_by_name(ctx->obj, exits[i]);
		if (!p)
			return -ENOENT;
		bpf_program__set_autoload(p, true);
	}
	/* held events, as fentry's: left at its one record, two at once evicted each other */
	return pending ? backend_size_pending(pending) : -ENOENT;
}

/* A perf event probing ADDR (CONFIG: kprobe or kretprobe), running PROG with COOKIE. */
static int open_linked(int pmu, uint64_t config, uint64_t addr, int prog, uint64_t cookie,
		       int *link)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .perf_event.bpf_cookie = cookie);
	int fd = kprobe_perf_open(pmu, addr, config), err;

	if (fd < 0)
		return fd;
	*link = bpf_link_create(prog, fd, BPF_PERF_EVENT, &opts);
	if (*link >= 0 && !ioctl(fd, PERF_EVENT_IOC_ENABLE, 0))
		return fd;
	err = -errno;
	if (*link >= 0)
		close(*link);
	*link = -1;
	close(fd);
	return err;
}

/*
 * The kretprobe first, so that a held event always finds its exit. The exit's cookie names
 * the function; the entry's says how to read its arguments.
 */
static void attach_site(struct kret_site *s, int pmu, uint64_t ret_config,
			const struct func_entry *f, uint64_t addr, int entry_prog, int exit_prog)
{
	uint64_t flags = f->flags & FUNC_NF_HOOK ? CLONE_NF_STATE : 0;

	*s = (struct kret_site){.entry = -ENOENT, .entry_link = -1, .exit_link = -1};
	s->exit = open_linked(pmu, ret_config, addr, exit_prog, addr, &s->exit_link);
	if (s->exit >= 0)
		s->entry = open_linked(pmu, 0, addr, entry_prog, flags, &s->entry_link);
}

static void detach_site(struct kret_site *s)
{
	int fds[4] = {s->entry_link, s->entry, s->exit_link, s->exit}, i;

	for (i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int prog_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	return p ? bpf_program__fd(p) : -1;
}

static int attach_all(struct backend_ctx *ctx, struct kret_state *st, uint8_t *hooked, int *errs)
{
	uint64_t config = 1ull << kprobe_retprobe_bit();
	int pmu = kprobe_pmu_type(),
	    exit_fd[2] = {prog_fd(ctx->obj, exits[0]), prog_fd(ctx->obj, exits[1])};
	size_t i, k;

	for (i = 0; i < ctx->fs->n && !*ctx->stop; i++) {
		const struct func_entry *f = &ctx->fs->funcs[i];
		struct bpf_program *p = backend_program(&backend_kretprobe, ctx->obj, f->pos);

		for (k = 0; p && k < f->naddrs; k++) {
			struct kret_site *s = &st->sites[st->n];

			if (!traceable_kprobe(ctx->tr, f->addrs[k]))
				continue;
			attach_site(s, pmu, config, f, f->addrs[k], bpf_program__fd(p),
				    exit_fd[!!(f->flags & FUNC_RET_S32)]);
			st->n++;
			if (s->entry >= 0)
				hooked[i] = 1;
			else if (!errs[i])
				errs[i] = s->exit < 0 ? s->exit : s->entry;
		}
	}
	return *ctx->stop ? -EINTR : 0;
}

static void kret_detach(struct backend_ctx *ctx)
{
	struct kret_state *st = ctx->priv;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->n; i++)
		detach_site(&st->sites[i]);
	free(st->sites);
	free(st);
	ctx->priv = NULL;
}

static int kret_attach(struct backend_ctx *ctx, struct attach_result *res, struct pwru_err *e)
{
	size_t n = ctx->fs->n ? ctx->fs->n : 1, total = 1, i;
	struct kret_state *st = calloc(1, sizeof(*st));
	uint8_t *hooked = calloc(n, 1);
	int *errs = calloc(n, sizeof(*errs)), rc = -ENOMEM;

	for (i = 0; i < ctx->fs->n; i++)
		total += ctx->fs->funcs[i].naddrs;
	ctx->priv = st;
	if (st && hooked && errs && (st->sites = calloc(total, sizeof(*st->sites)))) {
		rc = attach_all(ctx, st, hooked, errs);
		if (!rc)
			rc = backend_tally(&backend_kretprobe, ctx, hooked, errs, res);
	}
	free(hooked);
	free(errs);
	return backend_attach_end(&backend_kretprobe, ctx, rc, res, NULL, e);
}

const struct backend backend_kretprobe = {
    .name = "kprobe/kretprobe",
    .targets = TARGET_FUNCS,
    .probe = kret_probe,
    .probe_kept = true,
    .cannot_take = kprobe_cannot_take,
    .prepare = kret_prepare,
    .max_pos = PWRU_KPROBE_POSITIONS,
    .prog_prefix = "kprobe_hold_skb_",
    .attach = kret_attach,
    .detach = kret_detach,
};
