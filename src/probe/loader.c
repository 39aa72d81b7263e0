// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "src/discover/kbtf.h"
#include "src/probe/backend.h"
#include "src/probe/btf_uses.h"
#include "src/probe/core_btf.h"
#include "src/probe/core_kept.h"
#include "src/probe/kernel_refs.h"
#include "src/probe/held_log.h"
#include "src/probe/loader.h"
#include "src/probe/memlock.h"
#include "src/probe/nop_compact.h"
#include "src/probe/progtrace.h"
#include "src/probe/retsplit.h"
#include "src/probe/rodata_fold.h"
#include "src/probe/splice_hooks.h"

#define MAX_SECTIONS 16

static int backend_step(void *arg, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
			char *err, size_t errlen)
{
	struct loader *ld = arg;
	struct backend_ctx *ctx2;
	const struct backend *b2 = ld->rs ? retsplit_backend(ld->rs, &ctx2) : NULL;
	int rc;

	rc = kernel_refs_patch(prog, &ld->refs);
	if (rc < 0) {
		snprintf(err, errlen, "%s: resolving its kernel references: %s",
			 bpf_program__name(prog), strerror(-rc));
		return rc;
	}
	rc = rodata_fold(prog, bpf_map__fd(ld->skel->maps.rodata), ld->skel->rodata,
			 bpf_map__value_size(ld->skel->maps.rodata));
	if (rc < 0) {
		snprintf(err, errlen, "%s: folding its .rodata loads: %s", bpf_program__name(prog),
			 strerror(-rc));
		return rc;
	}
	/* after the splice and the fold, before any backend copies the program */
	rc = nop_compact(&ld->nops, prog, opts);
	if (rc < 0) {
		snprintf(err, errlen, "%s: removing its no-ops: %s", bpf_program__name(prog),
			 strerror(-rc));
		return rc;
	}
	if (ld->pt && progtrace_owns(prog))
		return progtrace_prog_load(ld->pt, prog, opts, err, errlen);
	rc = ld->b->prog_load ? ld->b->prog_load(ld->ctx, prog, opts, err, errlen) : 0;
	if (!rc && b2 && b2 != ld->b && b2->prog_load)
		rc = b2->prog_load(ctx2, prog, opts, err, errlen);
	if (!rc && ld->rs)
		retsplit_prog_load(ld->rs, prog, opts);
	return rc;
}

size_t loader_sections(const struct hook_section **out, size_t max)
{
	size_t n = backend_sections(out, max);

	n += progtrace_sections(out + n, max - n);
	return n + retsplit_sections(out + n, max - n);
}

/*
 * The CO-RE target when the user names none: the kernel's types the object relocates
 * against, cut from the kernel's BTF (src/probe/core_btf.c), in a memfd libbpf reads by
 * its /proc path at load. The path is fixed at open, and what to cut depends on the
 * programs chosen after it: an empty file first, filled by fill_core_btf() at load.
 */
static const char *core_btf_path(struct loader *ld, const char *kernel_btf)
{
	if (kernel_btf || !ld->ctx->uses)
		return kernel_btf;
	ld->core_fd = memfd_create("pwru-core-btf", MFD_CLOEXEC);
	if (ld->core_fd < 0)
		return NULL; /* libbpf walks vmlinux BTF itself, as it did before */
	snprintf(ld->core_path, sizeof(ld->core_path), "/proc/self/fd/%d", ld->core_fd);
	return ld->core_path;
}

/* The boot's cut when it was made for these programs (btf_uses.h), else a new one. */
static int fill_core_btf(struct loader *ld, char *err, size_t errlen)
{
	struct btf_uses *u = ld->ctx->uses;
	uint64_t progs;
	struct btf *vmlinux;
	int rc;

	if (!ld->core_path[0])
		return 0;
	progs = btf_uses_progs(ld->skel->obj);
	if (u->core && u->core_progs == progs)
		rc =
		    pwrite(ld->core_fd, u->core, u->core_len, 0) == (ssize_t)u->core_len ? 0 : -EIO;
	else if (!(vmlinux = kbtf_get()))
		rc = -errno;
	else if (!(rc = core_btf_fill(vmlinux, ld->skel->obj, ld->core_fd)))
		ld->core_new = !btf_uses_take_core(u, progs, ld->core_fd);
	if (rc)
		snprintf(err, errlen, "cutting the kernel's BTF for CO-RE: %s", strerror(-rc));
	return rc;
}

/*
 * libbpf's CO-RE results for the programs chosen, applied to the object opened without its
 * records: the boot's when they were kept for these programs, else libbpf's on a second
 * copy of the object (core_kept.h), to be kept.
 */
static int core_results(struct loader *ld, char *err, size_t errlen)
{
	struct btf_uses *u = ld->ctx->uses;
	unsigned char *res = NULL;
	const void *bytes;
	size_t len = 0, n;
	int rc;

	ld->core_reused = u->core_res && u->core_progs == btf_uses_progs(ld->skel->obj) &&
			  !core_kept_apply(ld->skel->obj, u->core_res, u->core_res_len);
	if (ld->core_reused)
		return 0;
	rc = fill_core_btf(ld, err, errlen);
	if (rc)
		return rc;
	/* the bytes the object was opened from, with their CO-RE records */
	bytes = ld->skel->skeleton->data;
	n = ld->skel->skeleton->data_sz;
	rc = core_kept_resolve(ld->skel->obj, bytes, n, ld->core_path, ld->hooks, &res, &len);
	rc = rc ?: core_kept_apply(ld->skel->obj, res, len);
	if (rc) {
		free(res);
		snprintf(err, errlen, "relocating the programs for this kernel (CO-RE): %s",
			 strerror(-rc));
		return rc;
	}
	btf_uses_take_results(u, res, len);
	ld->core_new = true;
	return 0;
}

/*
 * OBJECT (a backend's .object) is a backend's own object: libbpf's open parses every program
 * of the object it is handed. Every object is read through pwru.skel.h: each has its maps
 * and .rodata (the Makefile checks); the skeleton's program pointers stay NULL, as not every
 * object has every program: programs are found by name.
 */
struct pwru_bpf *loader_open_skel(const struct bpf_object_open_opts *opts, bool *stripped,
				  const void *(*object)(size_t *size))
{
	struct pwru_bpf *skel;
	const void *bytes;
	void *copy;
	int rc;

	if (!*stripped && !object)
		return pwru_bpf__open_opts(opts);
	skel = calloc(1, sizeof(*skel));
	if (!skel)
		return NULL;
	rc = pwru_bpf__create_skeleton(skel);
	if (!rc && object) {
		skel->skeleton->data = (void *)object(&skel->skeleton->data_sz);
		skel->skeleton->prog_cnt = 0;
	}
	bytes = rc ? NULL : skel->skeleton->data;
	copy = bytes && *stripped ? core_kept_strip(bytes, skel->skeleton->data_sz) : NULL;
	*stripped = copy != NULL;
	if (copy)
		skel->skeleton->data = copy; /* read during the open only */
	rc = rc ?: bpf_object__open_skeleton(skel->skeleton, opts);
	if (copy)
		skel->skeleton->data = (void *)bytes;
	free(copy);
	if (rc) {
		pwru_bpf__destroy(skel);
		errno = -rc;
		return NULL;
	}
	return skel;
}

int loader_open(struct loader *ld, struct pcap_filter *f, const struct backend *b,
		struct backend_ctx *ctx, struct progtrace *pt, const char *kernel_btf, bool first,
		char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	const struct hook_section *p[MAX_SECTIONS];
	struct hook_section secs[MAX_SECTIONS];
	size_t n = loader_sections(p, MAX_SECTIONS), i;
	bool small = first && b->object_first;
	int rc;

	*ld = (struct loader){.b = b, .ctx = ctx, .pt = pt, .user_btf = kernel_btf != NULL};
	for (i = 0; i < n; i++)
		secs[i] = *p[i];
	/* Every section, not only B's: a program libbpf types by its own handler escapes us. */
	rc = splice_hooks_install(f, secs, n, backend_step, ld, &ld->hooks, err, errlen);
	if (rc)
		return rc;
	opts.btf_custom_path = core_btf_path(ld, kernel_btf);
	/* with the boot's cut as target, the loader applies the CO-RE results: core_results() */
	ld->core_kept = ld->core_path[0] != 0;
	ld->skel = loader_open_skel(&opts, &ld->core_kept, small ? b->object_first : b->object);
	if (ctx->debug && (small || b->object)) /* kprobe has only the small one */
		fprintf(stderr, "pwru: debug: BPF object: %s's own, %s\n", b->name,
			small ? "fentry's first template only"
			      : "every fentry template and the kretprobes");
	if (!ld->skel) {
		rc = -errno;
		snprintf(err, errlen, "opening the BPF object: %s", strerror(errno));
	}
	return rc;
}

#define LOG_ABOVE " (libbpf's log above)"

const char *loader_drop_log_note(char *msg)
{
	char *p = strstr(msg, LOG_ABOVE);

	if (p)
		memmove(p, p + strlen(LOG_ABOVE), strlen(p + strlen(LOG_ABOVE)) + 1);
	return msg;
}

int loader_load(struct loader *ld, char *err, size_t errlen)
{
	bool limited;
	const char *why;
	int rc;

	ld->ctx->obj = ld->skel->obj;
	rc = backend_prepare(ld->b, ld->ctx);
	if (rc) {
		snprintf(err, errlen, "preparing the %s programs: %s", ld->b->name, strerror(-rc));
		return rc;
	}
	rc = ld->rs ? retsplit_prepare(ld->rs, ld->skel->obj, ld->user_btf) : 0;
	if (rc) {
		snprintf(err, errlen, "preparing the fentry programs for return values: %s",
			 strerror(-rc));
		return rc;
	}
	rc = ld->pt ? progtrace_prepare(ld->pt, ld->skel->obj) : 0;
	if (rc) {
		snprintf(err, errlen, "preparing the tc/XDP programs' probes: %s", strerror(-rc));
		return rc;
	}
	/*
	 * The kernel's objects by their ids in its own BTF: those of a --kernel-btf file may
	 * not be the running kernel's (then there are none, as for the filter's loads).
	 */
	if (ld->ctx->uses) { /* btf_uses_find() leaves a --kernel-btf file's refs out */
		ld->refs = ld->ctx->uses->refs;
		ld->skel->rodata->cfg_get_func_ip = ld->ctx->uses->get_func_ip;
		memcpy((__u32 *)ld->skel->rodata->cfg_ktype_ids, ld->ctx->uses->ktype_ids,
		       sizeof(ld->ctx->uses->ktype_ids));
	}
	/* the skb's fields as plain loads where the kernel can cast (bpf/filter.bpf.h) */
	ld->skel->rodata->cfg_skb_direct = ld->refs.rdonly_cast != 0;
	rc = ld->core_kept ? core_results(ld, err, errlen) : fill_core_btf(ld, err, errlen);
	if (rc)
		return rc;
	/* a refusal explained by the limit needs none of libbpf's lines above it */
	held_log_begin();
	rc = pwru_bpf__load(ld->skel);
	limited = rc && memlock_refused(rc);
	held_log_end(!limited);
	if (limited) {
		memlock_explain("loading the BPF programs", err, errlen);
		return rc;
	}
	if (rc) {
		why = splice_hooks_error(ld->hooks);
		snprintf(err, errlen, "loading the BPF programs failed: %s%s%s", strerror(-rc),
			 *why ? ": " : LOG_ABOVE, why);
		return rc;
	}
	return splice_hooks_verify(ld->hooks, ld->skel->obj, err, errlen);
}

const char *loader_core_source(const struct loader *ld)
{
	return ld->core_reused ? "kept in /run/pwru (none resolved)" : "resolved by libbpf";
}

void loader_close(struct loader *ld)
{
	/* After the object: its programs point into libbpf's handler table until then. */
	pwru_bpf__destroy(ld->skel);
	splice_hooks_remove(ld->hooks);
	nop_kept_free(&ld->nops);
	if (ld->core_path[0])
		close(ld->core_fd);
	*ld = (struct loader){0};
}
