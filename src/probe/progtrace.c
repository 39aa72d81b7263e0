// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bpf/probe_sections.h"
#include "src/discover/bpf_progs.h"
#include "src/output/prog_names.h"
#include "src/probe/clone.h"
#include "src/probe/fentry.h"
#include "src/probe/prog_refs.h"
#include "src/probe/progtrace.h"

/* How often the thread looks for programs loaded or gone: Cilium replaces them often. */
#define SCAN_MS 200

enum tpl { TC_ENTRY, TC_EXIT, XDP_ENTRY, XDP_EXIT, NTPL };

static const char *const tpl_names[NTPL] = {"pwru_tc_entry", "pwru_tc_exit", "pwru_xdp_entry",
					    "pwru_xdp_exit"};
static const char skb_output_name[] = "pwru_skb_output";

static const struct hook_section sections[] = {
    {PWRU_SEC_PROG_ENTRY, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY},
    {PWRU_SEC_PROG_EXIT, BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT},
    {PWRU_SEC_SKB_OUTPUT, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY},
};

/* A traced program: an entry and an exit copy, each with its link. */
struct target {
	uint32_t id;
	int prog[2], link[2];
	char label[BPF_PROG_NAME_MAX + 8];
};

struct progtrace {
	struct progtrace_opts o;
	struct clone_tpl tpl[NTPL];
	struct clone_target stand_in;
	struct bpf_link *skb_output;
	struct prog_refs *refs;
	struct bpf_progs_scan scan;
	struct target *t;
	size_t n, cap;
	size_t refused;
	int last_rc;
	char first_refusal[160];
	pthread_t thread;
	bool running;
	atomic_int stop;
};

static int tpl_index(const char *name)
{
	int k;

	for (k = 0; k < NTPL; k++)
		if (!strcmp(name, tpl_names[k]))
			return k;
	return -1;
}

/* The stand-in libbpf loads in a template's place, and the probe's target. */
static int stand_in(const struct btf *vmlinux, struct clone_target *tg)
{
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, "bpf_fentry_test1", BTF_KIND_FUNC) : -1;

	*tg = (struct clone_target){0};
	if (id <= 0)
		return -ENOENT;
	tg->btf_id = (uint32_t)id;
	return 0;
}

int progtrace_probe(const struct btf *vmlinux, struct pwru_err *e)
{
	static const char what[] = "--filter-trace-tc/--filter-trace-xdp need fentry/fexit on "
				   "BPF programs";
	struct clone_target tg;
	char why[160];
	int err;

	if (stand_in(vmlinux, &tg))
		return err_not_possible(e, ENOENT, "%s: no bpf_fentry_test1 in kernel BTF to try",
					what);
	/* attached too: arm64 before 6.4 loads fentry programs and refuses to attach them */
	err = fentry_try(&tg, 1, why, sizeof(why));
	return err ? err_not_possible(e, -err, "%s: %s", what, why) : 0;
}

static int found_one(void *arg, const struct bpf_prog_target *t)
{
	close(t->fd);
	*(bool *)arg = true;
	return -ECANCELED; /* one is enough */
}

bool progtrace_any_loaded(const struct progtrace *pt)
{
	struct bpf_progs_scan s = {.tc = pt->o.tc, .xdp = pt->o.xdp};
	bool found = false;
	char err[256];
	int rc = bpf_progs_scan(&s, found_one, &found, err, sizeof(err));

	/* a listing that fails is no proof of none: the start's scan says why */
	return found || (rc && rc != -ECANCELED);
}

struct progtrace *progtrace_new(const struct progtrace_opts *o)
{
	struct progtrace *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return NULL;
	pt->o = *o;
	pt->scan = (struct bpf_progs_scan){.tc = o->tc, .xdp = o->xdp};
	stand_in(o->vmlinux, &pt->stand_in);
	return pt;
}

size_t progtrace_sections(const struct hook_section **out, size_t max)
{
	size_t i, n = sizeof(sections) / sizeof(sections[0]);

	for (i = 0; i < n && i < max; i++)
		out[i] = &sections[i];
	return i;
}

bool progtrace_owns(const struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);

	return tpl_index(name) >= 0 || !strcmp(name, skb_output_name);
}

int progtrace_prog_load(struct progtrace *pt, struct bpf_program *prog,
			struct bpf_prog_load_opts *opts, char *err, size_t len)
{
	int k = tpl_index(bpf_program__name(prog)), rc;

	if (k < 0)
		return 0; /* skb_event_output: loaded as written, on its fixed target */
	rc = clone_capture(&pt->tpl[k], prog, opts, &pt->stand_in);
	if (rc)
		snprintf(err, len, "capturing %s: %s", tpl_names[k], strerror(-rc));
	return rc;
}

/* Packets between a traced program's entry and its exit (bpf/entry_prog.h's prog_shown). */
#define PROG_SHOWN_ENTRIES 4096

int progtrace_prepare(struct progtrace *pt, struct bpf_object *obj)
{
	struct bpf_map *shown = bpf_object__find_map_by_name(obj, "prog_shown");
	struct bpf_program *p;
	int k, rc;

	if (!shown)
		return -ENOENT;
	rc = bpf_map__set_max_entries(shown, PROG_SHOWN_ENTRIES);
	if (rc)
		return rc;

	for (k = 0; k < NTPL; k++) {
		p = bpf_object__find_program_by_name(obj, tpl_names[k]);
		if (!p)
			return -ENOENT;
		bpf_program__set_autoload(p, k < XDP_ENTRY ? pt->o.tc : pt->o.xdp);
	}
	p = bpf_object__find_program_by_name(obj, skb_output_name);
	if (!p)
		return -ENOENT;
	bpf_program__set_autoload(p, pt->o.tc);
	return pt->o.tc ? bpf_program__set_attach_target(p, 0, "bpf_skb_event_output") : 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void detach(struct target *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		close_fd(&t->link[i]);
		close_fd(&t->prog[i]);
	}
}

/*
 * Where T's JIT image starts (0: not told). An XDP program's caller is found by it where the
 * kernel's stack stops in BPF code (bpf/entry_prog.h, prog_caller()).
 */
static uint64_t prog_text(const struct bpf_prog_target *t)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);
	uint64_t text = 0;

	info.nr_jited_ksyms = 1;
	info.jited_ksyms = (uintptr_t)&text;
	return bpf_obj_get_info_by_fd(t->fd, &info, &len) ? 0 : text;
}

/* A copy of template K on program T, attached: 0, or a negative errno with the reason. */
static int attach_copy(struct progtrace *pt, int k, const struct bpf_prog_target *t, int *prog,
		       int *link)
{
	struct clone_target tg = {.btf_id = t->func_id, .attach_prog_fd = t->fd};
	char log[128];

	tg.values[CLONE_FUNC_IP] = t->id;
	if (k == XDP_ENTRY || k == XDP_EXIT)
		tg.values[CLONE_PROG_TEXT] = prog_text(t);
	*prog = clone_load(&pt->tpl[k], &tg, log, sizeof(log));
	if (*prog < 0)
		return *prog;
	*link = bpf_raw_tracepoint_open(NULL, *prog);
	return *link < 0 ? -errno : 0;
}

static void note_refusal(struct progtrace *pt, const struct bpf_prog_target *t, int rc)
{
	pt->last_rc = rc;
	if (!pt->refused++)
		snprintf(pt->first_refusal, sizeof(pt->first_refusal), "%s (program %u): %s",
			 t->name, t->id, strerror(-rc));
}

static struct target *new_target(struct progtrace *pt)
{
	struct target *v;
	size_t cap;

	if (pt->n == pt->cap) {
		cap = pt->cap ? 2 * pt->cap : 32;
		v = realloc(pt->t, cap * sizeof(*v));
		if (!v)
			return NULL;
		pt->t = v;
		pt->cap = cap;
	}
	v = &pt->t[pt->n];
	*v = (struct target){.prog = {-1, -1}, .link = {-1, -1}};
	return v;
}

/* Exit first: an entry's remembered packet always finds its exit. */
static int trace_one(struct progtrace *pt, const struct bpf_prog_target *t)
{
	int entry = t->kind == BPF_PROG_KIND_TC ? TC_ENTRY : XDP_ENTRY, rc;
	enum prog_kind kind = t->kind == BPF_PROG_KIND_TC ? PROG_TC : PROG_XDP;
	struct target *n = new_target(pt);

	if (!n)
		return -ENOMEM;
	n->id = t->id;
	rc = prog_names_add(pt->o.names, t->id, t->name, kind);
	if (!rc)
		rc = attach_copy(pt, entry + 1, t, &n->prog[1], &n->link[1]);
	if (!rc)
		rc = attach_copy(pt, entry, t, &n->prog[0], &n->link[0]);
	if (rc) {
		detach(n);
		note_refusal(pt, t, rc);
		return rc == -ENOMEM ? rc : 0;
	}
	snprintf(n->label, sizeof(n->label), "%s(%s)", t->name, kind == PROG_XDP ? "xdp" : "tc");
	pt->n++;
	return 0;
}

struct scan_ctx {
	struct progtrace *pt;
	bool later; /* loaded after start: said as it happens */
};

static int on_program(void *arg, const struct bpf_prog_target *t)
{
	struct scan_ctx *c = arg;
	size_t before = c->pt->n, refused = c->pt->refused;
	int rc = trace_one(c->pt, t);

	if (!rc && c->later && c->pt->n > before)
		fprintf(c->pt->o.diag, "pwru: tracing %s, program %u, loaded after start\n",
			c->pt->t[before].label, t->id);
	else if (c->later && c->pt->refused > refused)
		fprintf(c->pt->o.diag,
			"pwru: cannot trace %s, program %u, loaded after start: %s\n", t->name,
			t->id, strerror(-c->pt->last_rc));
	close((int)t->fd);
	return rc;
}

/* Programs attached through tcx read their results as TCX_*. */
static void name_tcx(struct progtrace *pt)
{
	uint32_t *ids = NULL;
	size_t n = 0, i, k;

	if (bpf_progs_tcx(&ids, &n))
		return;
	for (i = 0; i < pt->n; i++)
		for (k = 0; k < n; k++)
			if (pt->t[i].id == ids[k])
				prog_names_add(pt->o.names, ids[k], "", PROG_TCX);
	free(ids);
}

/* A traced program whose only references are our links is attached nowhere: let it go. */
static void on_refs(void *arg, uint32_t id, int64_t refs)
{
	struct progtrace *pt = arg;
	struct target *t;
	size_t i;

	for (i = 0; i < pt->n; i++) {
		t = &pt->t[i];
		if (t->id != id || t->link[0] < 0 || refs > 2)
			continue;
		fprintf(pt->o.diag, "pwru: %s, program %u, is gone: detached\n", t->label, id);
		detach(t);
		pt->t[i] = pt->t[--pt->n];
		return;
	}
}

static void scan_once(struct progtrace *pt, bool later)
{
	struct scan_ctx c = {pt, later};
	char err[256];

	if (bpf_progs_scan(&pt->scan, on_program, &c, err, sizeof(err)) && !later)
		fprintf(pt->o.diag, "pwru: %s\n", err);
	name_tcx(pt);
	if (pt->refs)
		prog_refs_read(pt->refs, on_refs, pt);
}

static void *watch(void *arg)
{
	struct progtrace *pt = arg;
	struct timespec ts = {0, SCAN_MS * 1000000L};

	while (!pt->stop) {
		nanosleep(&ts, NULL);
		if (!pt->stop)
			scan_once(pt, true);
	}
	return NULL;
}

/*
 * A kind asked for with nothing of it traced at start: the kernel functions (or, with none,
 * the other kind's programs) are, and the programs loaded from now on will be, so the
 * trace goes on; but a user expecting a program's events should know it is not there
 * (none loaded, none with BTF, or refused).
 */
static void none_traced(struct progtrace *pt, const char *flag, const char *kind, const char *other)
{
	const char *now = "the kernel functions";

	if (pt->o.alone) /* the other kind's, if any (one gone since pwru looked: none) */
		now = pt->n ? other : "nothing now";
	fprintf(pt->o.diag,
		"pwru: %s: no %s program to trace now (bpftool net shows those attached; one "
		"needs BTF): tracing %s, and %s programs as they are loaded\n",
		flag, kind, now, kind);
}

static void summary(struct progtrace *pt)
{
	size_t i, tc = 0;
	enum prog_kind k;

	for (i = 0; i < pt->n; i++)
		if (prog_names_get(pt->o.names, pt->t[i].id, &k) && k != PROG_XDP)
			tc++;
	/* the counts when something was found, traced or not */
	if (pt->n || pt->scan.no_btf || pt->refused) {
		fprintf(pt->o.diag, "pwru: tracing %zu tc and %zu XDP programs", tc, pt->n - tc);
		if (pt->scan.no_btf)
			fprintf(pt->o.diag, ", %zu without BTF left out", pt->scan.no_btf);
		if (pt->refused)
			fprintf(pt->o.diag, ", %zu refused (first: %s)", pt->refused,
				pt->first_refusal);
		fputc('\n', pt->o.diag);
	}
	if (pt->o.tc && !tc)
		none_traced(pt, "--filter-trace-tc", "tc", "the XDP programs");
	if (pt->o.xdp && pt->n == tc)
		none_traced(pt, "--filter-trace-xdp", "XDP", "the tc programs");
}

int progtrace_start(struct progtrace *pt, struct bpf_object *obj, struct pwru_err *e)
{
	struct bpf_program *out = bpf_object__find_program_by_name(obj, skb_output_name);
	char why[256];
	int k;

	for (k = 0; k < NTPL; k++)
		if ((k < XDP_ENTRY ? pt->o.tc : pt->o.xdp) && !clone_is_template(&pt->tpl[k]))
			return err_not_possible(e, ENOENT, "template %s was not captured",
						tpl_names[k]);
	pt->refs = prog_refs_open(why, sizeof(why));
	if (!pt->refs)
		fprintf(pt->o.diag,
			"pwru: %s: programs that go away stay traced (and loaded) until exit\n",
			why);
	if (pt->o.tc && !(pt->skb_output = bpf_program__attach_trace(out)))
		return err_not_possible(e, errno, "fentry on bpf_skb_event_output: %s",
					strerror(errno));
	scan_once(pt, false);
	summary(pt);
	if (pthread_create(&pt->thread, NULL, watch, pt))
		return err_not_possible(e, EAGAIN, "cannot start the thread following programs");
	pt->running = true;
	return 0;
}

void progtrace_free(struct progtrace *pt)
{
	size_t i;
	int k;

	if (!pt)
		return;
	pt->stop = 1;
	if (pt->running)
		pthread_join(pt->thread, NULL);
	for (i = 0; i < pt->n; i++)
		detach(&pt->t[i]);
	bpf_link__destroy(pt->skb_output);
	prog_refs_close(pt->refs);
	for (k = 0; k < NTPL; k++)
		clone_tpl_free(&pt->tpl[k]);
	free(pt->t);
	free(pt);
}
