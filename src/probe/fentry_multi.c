// SPDX-License-Identifier: GPL-2.0
/*
 * Linux 7.2's tracing-multi link: one fentry program attached to many functions by BTF id
 * in one BPF_LINK_CREATE, one ftrace update for all of them. The program is loaded with
 * attach type BPF_TRACE_FENTRY_MULTI and no target; it reads its arguments with
 * bpf_get_func_arg() (bpf/entry_fentry.h). Debian's libbpf 1.1 predates the link: it is
 * made with a raw bpf() call. A link the kernel refuses as a whole is split in halves until
 * the refused functions are isolated, as kprobe-multi's is.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "src/discover/funcset.h"
#include "src/probe/backend.h"
#include "src/probe/btf_uses.h"
#include "src/probe/fentry.h"
#include "src/probe/pool.h"

/* BPF_LINK_CREATE's attributes as Linux 7.2 lays them out for this link. */
struct tracing_multi_attr {
	uint32_t prog_fd;
	uint32_t target_fd;
	uint32_t attach_type;
	uint32_t flags;
	uint64_t ids;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t pad;
};

static int link_multi(int prog, const uint32_t *ids, size_t n)
{
	struct tracing_multi_attr a = {.prog_fd = (uint32_t)prog,
				       .attach_type = FENTRY_MULTI_ATTACH,
				       .ids = (uint64_t)(uintptr_t)ids,
				       .cnt = (uint32_t)n};
	union bpf_attr attr;
	int fd;

	/* the kernel reads the whole union: the rest stays zero */
	memset(&attr, 0, sizeof(attr));
	memcpy(&attr, &a, sizeof(a));
	fd = (int)syscall(SYS_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

static int nop_multi_prog(void)
{
	const struct bpf_insn insns[] = {
	    {.code = 0xb7, .dst_reg = 0, .imm = 0}, /* r0 = 0 */
	    {.code = 0x95},			    /* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = FENTRY_MULTI_ATTACH);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "pwru_probe", "GPL", insns, 2, &o);

	return fd < 0 ? -errno : fd;
}

int fentry_multi_usable(const struct backend_ctx *ctx)
{
	static int known = -1;
	int id, prog, link;

	if (known >= 0)
		return known;
	/* made for tracing tests: present where BPF is, never called on its own */
	id = ctx->uses ? ctx->uses->test_fn_id : -1;
	prog = id > 0 ? nop_multi_prog() : -ENOENT;
	link = prog >= 0 ? link_multi(prog, (const uint32_t *)&id, 1) : prog;
	if (link >= 0)
		close(link);
	if (prog >= 0)
		close(prog);
	return known = link >= 0;
}

struct fentry_multi {
	int *fds; /* every link, for detach */
	size_t nfds, cap;
	int fatal;
};

struct fentry_multi *fentry_multi_new(void)
{
	return calloc(1, sizeof(struct fentry_multi));
}

/* What the link takes: vmlinux's functions, but those whose exit needs a program of its own. */
static int in_vmlinux(const struct backend_ctx *ctx, const struct func_entry *f)
{
	return !f->module && !(f->flags & FUNC_WANT_RET) && fentry_can_take(ctx, f);
}

int fentry_multi_prepare(struct fentry_multi *m, struct backend_ctx *ctx)
{
	backend_autoload("fentry_multi_skb_", FUNCSET_MAX_POS, ctx, ctx->fs, in_vmlinux);
	return 0;
}

static int keep(struct fentry_multi *m, int fd)
{
	if (m->nfds == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 16;
		int *n = realloc(m->fds, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->fds = n;
		m->cap = ncap;
	}
	m->fds[m->nfds++] = fd;
	return 0;
}

/* Links PROG to IDS; a refusal splits the set until the refused ids stand alone. */
static void attach_ids(struct fentry_multi *m, struct backend_ctx *ctx, int prog, uint32_t *ids,
		       uint32_t *func, uint8_t *hooked, int *errs, size_t n)
{
	int fd;
	size_t i;

	if (!n || m->fatal || *ctx->stop)
		return;
	fd = link_multi(prog, ids, n);
	if (fd >= 0) {
		if (keep(m, fd)) {
			close(fd);
			m->fatal = ENOMEM;
			return;
		}
		for (i = 0; i < n; i++) {
			hooked[func[i]] = 1;
			if (backend_bench_dump())
				fprintf(backend_bench_dump(), "fentry-multi %d %u\n",
					ctx->fs->funcs[func[i]].pos, ids[i]);
		}
		return;
	}
	if (n == 1) {
		errs[func[0]] = fd;
		return;
	}
	attach_ids(m, ctx, prog, ids, func, hooked, errs, n / 2);
	attach_ids(m, ctx, prog, ids + n / 2, func + n / 2, hooked, errs, n - n / 2);
}

int fentry_multi_attach(struct fentry_multi *m, struct backend_ctx *ctx, uint8_t *hooked, int *errs)
{
	const struct funcset *fs = ctx->fs;
	uint32_t *ids = calloc(fs->n ? fs->n : 1, sizeof(*ids));
	uint32_t *func = calloc(fs->n ? fs->n : 1, sizeof(*func));
	int pos, rc = -ENOMEM;
	size_t i, n, linked = 0;
	double t0;

	if (!ids || !func)
		goto out;
	t0 = mono_now();
	for (pos = 1; pos <= FUNCSET_MAX_POS && !m->fatal && !*ctx->stop; pos++) {
		struct bpf_program *p = backend_program_named("fentry_multi_skb_", ctx->obj, pos);

		if (!p || bpf_program__fd(p) < 0)
			continue;
		for (i = n = 0; i < fs->n; i++)
			if (fs->funcs[i].pos == pos && in_vmlinux(ctx, &fs->funcs[i])) {
				ids[n] = fs->funcs[i].btf_id;
				func[n++] = (uint32_t)i;
			}
		attach_ids(m, ctx, bpf_program__fd(p), ids, func, hooked, errs, n);
		linked += n;
	}
	if (linked >= FENTRY_SAY_FROM || ctx->debug)
		fprintf(stderr,
			"pwru: fentry: tracing-multi link: %zu functions, %zu links, %.1f s\n",
			linked, m->nfds, mono_now() - t0);
	rc = -m->fatal;
out:
	free(ids);
	free(func);
	return rc;
}

void fentry_multi_free(struct fentry_multi *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nfds; i++)
		close(m->fds[i]);
	free(m->fds);
	free(m);
}
