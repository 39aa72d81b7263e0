// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "track.skel.h"
#include "kallsyms/kallsyms.h"
#include "src/output/fmt.h"
#include "src/output/pace.h"
#include "src/probe/backend.h"
#include "src/probe/bpfmap.h"
#include "src/probe/track.h"

/* The fexit hooks of bpf/track.bpf.c, with the argument count each was written for. */
static const struct {
	const char *prog;
	int nargs;
	bool free; /* a free: without one the table fills; the others only lose clones */
} fexit_hooks[] = {
    {"trk_kfree_skbmem", 1, true},
    {"trk_kfree_skb_partial", 2, true},
    {"trk_napi_skb_cache_put", 1, true},
    {"trk_kfree_skb_defer", 1, true},
    {"trk_napi_skb_free_stolen_head", 1, true},
    {"trk_napi_reuse_skb", 2, true},
    {"trk_skb_clone", 2, false},
    {"trk_skb_copy", 2, false},
    {"trk_skb_copy_expand", 4, false},
    {"trk_pskb_copy_fclone", 4, false},
    {"trk_skb_segment", 2, false},
    {"trk_skb_segment_list", 3, false},
    {"trk_skb_morph", 2, false},
    {"trk_pskb_expand_head", 4, false},
};

#define NHOOKS	     (sizeof(fexit_hooks) / sizeof(fexit_hooks[0]))
#define SLAB_PROG    "trk_slab_free"
#define NON_SKB_PROG "trk_non_skb"

enum track_mode { MODE_FEXIT, MODE_SLAB };

struct track {
	struct track_bpf *skel;
	const struct btf *btf; /* with --output-bpfmap: tells map functions apart */
	struct bpf_link **links;
	size_t nlinks, cap;
	int stats_fd;
	uint32_t size;
	uint64_t reported;
	struct pace said; /* when `reported` may be said again */
	uint64_t *percpu;
	int ncpus;
};

/*
 * The functions of the free hooks above: a free there of an skb only on a followed one's
 * stack is not shown (bpf/track.bpf.h). Kept in the tracing object, whose events they are.
 */
static const char *const free_funcs[] = {
    "kfree_skbmem",	 "kfree_skb_partial",	      "napi_skb_cache_put",
    "__kfree_skb_defer", "napi_skb_free_stolen_head", "napi_reuse_skb",
};

_Static_assert(sizeof(free_funcs) / sizeof(free_funcs[0]) ==
		   sizeof(((struct pwru_bpf__rodata *)0)->cfg_track_free_ip) / sizeof(uint64_t),
	       "one address per free hook");

/* KS keeps the traced functions: one not traced has no event to judge, and stays 0. */
static void set_free_ips(struct pwru_bpf *skel, const struct kallsyms *ks)
{
	const struct ksym *s;
	size_t i;

	for (i = 0; i < sizeof(free_funcs) / sizeof(free_funcs[0]); i++)
		skel->rodata->cfg_track_free_ip[i] =
		    kallsyms_lookup_name(ks, free_funcs[i], NULL, &s) ? s->addr : 0;
}

void track_configure(struct pwru_bpf *skel, const struct kallsyms *ks, const struct track_opts *o)
{
	uint32_t n = track_on(o) ? o->size : 1;

	/* the hooks object takes these from here (copy_rodata) */
	skel->rodata->cfg_track_skb = o->by_addr;
	skel->rodata->cfg_track_stack = o->by_stack;
	if (o->by_stack)
		set_free_ips(skel, ks);
	bpf_map__set_max_entries(skel->maps.track_skbs, o->by_addr ? n : 1);
	bpf_map__set_max_entries(skel->maps.track_stacks, o->by_stack ? n : 1);
	bpf_map__set_max_entries(skel->maps.track_skb_stack, o->by_stack ? n : 1);
	/* map lookups held until their return */
	if (o->bpfmap)
		backend_size_pending(skel->maps.pending);
}

static const char *hooked_func(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p), *slash = strchr(sec, '/');

	return slash ? slash + 1 : sec;
}

/* The kernel has FUNC with NARGS arguments: an fexit program written for it fits. */
static bool fits(const struct btf *btf, const char *func, int nargs)
{
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;

	t = t ? btf__type_by_id(btf, t->type) : NULL;
	return t && btf_is_func_proto(t) && btf_vlen(t) == nargs;
}

static int reuse_maps(struct track_bpf *tk, struct pwru_bpf *skel)
{
	struct {
		struct bpf_map *mine, *theirs;
	} m[] = {
	    {tk->maps.track_skbs, skel->maps.track_skbs},
	    {tk->maps.track_stacks, skel->maps.track_stacks},
	    {tk->maps.track_skb_stack, skel->maps.track_skb_stack},
	    {tk->maps.track_stats, skel->maps.track_stats},
	    {tk->maps.events, skel->maps.events},
	    {tk->maps.lost, skel->maps.lost},
	    {tk->maps.pending, skel->maps.pending},
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		rc = bpf_map__reuse_fd(m[i].mine, bpf_map__fd(m[i].theirs));
		if (rc)
			return rc;
	}
	return 0;
}

static const struct btf_var_secinfo *rodata_var(const struct btf *btf, const char *name,
						size_t *size)
{
	int id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	const struct btf_type *sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_var_secinfo *v = sec ? btf_var_secinfos(sec) : NULL;
	int i;

	for (i = 0; sec && i < btf_vlen(sec); i++, v++) {
		const struct btf_type *var = btf__type_by_id(btf, v->type);

		if (!strcmp(btf__name_by_offset(btf, var->name_off), name)) {
			*size = v->size;
			return v;
		}
	}
	return NULL;
}

/*
 * The hooks object shares the event fill and the tracking switches with the tracing
 * object: each .rodata variable both declare gets the tracing object's value, so a
 * switch added to one header needs no line here.
 */
static void copy_rodata(struct track_bpf *tk, const struct pwru_bpf *skel)
{
	const struct btf *to = bpf_object__btf(tk->obj), *from = bpf_object__btf(skel->obj);
	int id = btf__find_by_name_kind(to, ".rodata", BTF_KIND_DATASEC);
	const struct btf_type *sec = id > 0 ? btf__type_by_id(to, id) : NULL;
	const struct btf_var_secinfo *v = sec ? btf_var_secinfos(sec) : NULL, *w;
	size_t size;
	int i;

	for (i = 0; sec && i < btf_vlen(sec); i++, v++) {
		const char *name = btf__name_by_offset(to, btf__type_by_id(to, v->type)->name_off);

		w = rodata_var(from, name, &size);
		if (w && size == v->size)
			memcpy((char *)tk->rodata + v->offset,
			       (const char *)skel->rodata + w->offset, size);
	}
}

/* Opens and loads the hooks for MODE; *NFREE: free hooks chosen. */
static int load_mode(struct track *t, struct pwru_bpf *skel, const struct btf *btf,
		     const struct track_opts *o, enum track_mode mode, size_t *nfree)
{
	struct bpf_program *p;
	size_t i;
	int rc;

	t->skel = track_bpf__open();
	if (!t->skel)
		return -errno;
	copy_rodata(t->skel, skel);
	rc = reuse_maps(t->skel, skel);
	if (rc)
		return rc;
	*nfree = 0;
	bpf_object__for_each_program(p, t->skel->obj) bpf_program__set_autoload(p, false);
	if (o->non_skb_funcs || (o->helper_funcs && *o->helper_funcs)) {
		p = bpf_object__find_program_by_name(t->skel->obj, NON_SKB_PROG);
		if (!p)
			return -ENOENT;
		bpf_program__set_autoload(p, true);
	}
	rc = o->bpfmap ? bpfmap_configure(t->skel, skel, btf) : 0;
	if (rc)
		return rc;
	t->btf = o->bpfmap ? btf : NULL;
	if (mode == MODE_SLAB) {
		p = bpf_object__find_program_by_name(t->skel->obj, SLAB_PROG);
		*nfree = 1;
		return p ? bpf_program__set_autoload(p, true) : -ENOENT;
	}
	for (i = 0; i < NHOOKS; i++) {
		p = bpf_object__find_program_by_name(t->skel->obj, fexit_hooks[i].prog);
		if (!p || !fits(btf, hooked_func(p), fexit_hooks[i].nargs))
			continue;
		bpf_program__set_autoload(p, true);
		*nfree += fexit_hooks[i].free;
	}
	if (!*nfree)
		return -ENOENT;
	return 0;
}

static int keep_link(struct track *t, struct bpf_link *l)
{
	if (t->nlinks == t->cap) {
		size_t ncap = t->cap ? 2 * t->cap : 32;
		struct bpf_link **n = realloc(t->links, ncap * sizeof(*n));

		if (!n) {
			bpf_link__destroy(l);
			return -ENOMEM;
		}
		t->links = n;
		t->cap = ncap;
	}
	t->links[t->nlinks++] = l;
	return 0;
}

/* The lifetime hooks: each attaches where its SEC() says. */
static int attach_hooks(struct track *t, size_t *nhooked)
{
	struct bpf_program *p;
	struct bpf_link *l;

	*nhooked = 0;
	bpf_object__for_each_program(p, t->skel->obj)
	{
		/* kprobes (--filter-non-skb-funcs, --output-bpfmap) attach by name, below */
		if (!bpf_program__autoload(p) || strstr(bpf_program__section_name(p), "probe/"))
			continue;
		l = bpf_program__attach(p);
		if (!l || keep_link(t, l))
			return l ? -ENOMEM : -errno;
		(*nhooked)++;
	}
	return 0;
}

/* NAME's kprobe (a map function's own with --output-bpfmap); *L: NULL when none attached. */
static int attach_one(struct track *t, struct bpf_program *p, const char *name, struct bpf_link **l)
{
	enum bpfmap_kind kind = t->btf ? bpfmap_kind(t->btf, name) : BPFMAP_NONE;
	struct bpf_link *two[2];
	size_t i, n;
	int rc;

	if (kind == BPFMAP_NONE) {
		*l = bpf_program__attach_kprobe(p, false, name);
		return *l ? keep_link(t, *l) : -errno;
	}
	rc = bpfmap_attach(t->skel, name, kind, two, &n);
	*l = rc ? NULL : two[0];
	for (i = 0; i < n; i++)
		if (rc)
			bpf_link__destroy(two[i]);
		else if (keep_link(t, two[i]))
			rc = -ENOMEM;
	return rc;
}

/*
 * One kprobe per name of the comma-separated LIST (checked by track_check_funcs). A name the
 * kernel will not probe fails the whole, or with SKIP is counted in *SKIPPED.
 */
static int attach_non_skb(struct track *t, const char *list, int skip, size_t *skipped, char *err,
			  size_t errlen)
{
	struct bpf_program *p = bpf_object__find_program_by_name(t->skel->obj, NON_SKB_PROG);
	char *copy = strdup(list), *save = NULL, *name;
	struct bpf_link *l;
	int rc = copy && p ? 0 : -ENOMEM;

	for (name = copy ? strtok_r(copy, ",", &save) : NULL; name && !rc;
	     name = strtok_r(NULL, ",", &save)) {
		rc = attach_one(t, p, name, &l);
		if (rc && !l && skip) {
			(*skipped)++;
			rc = 0;
		} else if (rc) {
			snprintf(err, errlen, "--filter-non-skb-funcs: cannot probe %s: %s", name,
				 strerror(-rc));
		}
	}
	free(copy);
	return rc;
}

/* The helpers of --filter-track-bpf-helpers: one line says how many the kernel took. */
static void attach_helpers(struct track *t, const char *list)
{
	size_t skipped = 0, n = 1;
	const char *c;

	for (c = list; *c; c++)
		n += *c == ',';
	backend_quiet(1); /* counted below */
	attach_non_skb(t, list, 1, &skipped, NULL, 0);
	backend_quiet(0);
	if (skipped)
		fprintf(stderr,
			"pwru: %zu of the %zu BPF helpers cannot be probed (notrace or "
			"kprobe blacklist): their calls are not shown\n",
			skipped, n);
}

static void unload(struct track *t)
{
	while (t->nlinks)
		bpf_link__destroy(t->links[--t->nlinks]);
	free(t->links);
	t->links = NULL;
	t->cap = 0;
	track_bpf__destroy(t->skel);
	t->skel = NULL;
}

static int try_mode(struct track *t, struct pwru_bpf *skel, const struct btf *btf,
		    const struct track_opts *o, enum track_mode mode, size_t *nhooked)
{
	size_t nfree = 0;
	int rc;

	backend_quiet(1); /* a kernel without trampolines refuses; the fallback says so */
	rc = load_mode(t, skel, btf, o, mode, &nfree);
	if (!rc)
		rc = track_bpf__load(t->skel);
	if (!rc)
		rc = attach_hooks(t, nhooked);
	backend_quiet(0);
	if (rc)
		unload(t);
	return rc;
}

int track_attach(struct pwru_bpf *skel, const struct btf *btf, const struct track_opts *o,
		 struct track **out, char *err, size_t errlen)
{
	struct track *t;
	size_t n = 0;
	int rc;

	*out = NULL;
	if (!track_on(o))
		return 0;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->size = o->size;
	t->stats_fd = bpf_map__fd(skel->maps.track_stats);
	t->ncpus = libbpf_num_possible_cpus();
	t->percpu = calloc(t->ncpus > 0 ? (size_t)t->ncpus : 1, sizeof(*t->percpu));
	if (!t->percpu) {
		free(t);
		return -ENOMEM;
	}
	rc = try_mode(t, skel, btf, o, MODE_FEXIT, &n);
	if (!rc) {
		fprintf(stderr,
			"pwru: following skbs: %zu free, clone and copy functions hooked with "
			"fexit\n",
			n);
	} else {
		rc = try_mode(t, skel, btf, o, MODE_SLAB, &n);
		if (!rc)
			fprintf(stderr,
				"pwru: following skbs until their slab free (tracepoint); this "
				"kernel runs no fexit programs, so clones and copies are not "
				"followed\n");
	}
	if (rc)
		snprintf(err, errlen,
			 "cannot hook where skbs are freed (fexit on kfree_skbmem, or the "
			 "kmem_cache_free tracepoint): %s; --filter-track-skb needs one",
			 strerror(-rc));
	else if (o->non_skb_funcs)
		rc = attach_non_skb(t, o->non_skb_funcs, 0, NULL, err, errlen);
	if (!rc && o->helper_funcs && *o->helper_funcs)
		attach_helpers(t, o->helper_funcs);
	if (rc) {
		track_detach(t);
		return rc;
	}
	*out = t;
	return 0;
}

int track_check_funcs(const struct kallsyms *ks, const char *list, char *err, size_t errlen)
{
	char *copy = strdup(list), *save = NULL, *name;
	const struct ksym *first;
	size_t n = 0;
	int rc = copy ? 0 : -ENOMEM;

	for (name = copy ? strtok_r(copy, ",", &save) : NULL; name;
	     name = strtok_r(NULL, ",", &save), n++) {
		if (kallsyms_lookup_name(ks, name, NULL, &first) && kallsyms_is_text(first->type))
			continue;
		snprintf(err, errlen,
			 "--filter-non-skb-funcs: no kernel function %s in /proc/kallsyms", name);
		rc = -EINVAL;
		break;
	}
	if (!rc && !n) {
		snprintf(err, errlen, "--filter-non-skb-funcs wants FUNC[,FUNC...], not '%s'",
			 list);
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

uint64_t track_missed(struct track *t)
{
	uint32_t key = 0;
	uint64_t sum = 0;
	int i;

	if (!t || bpf_map_lookup_elem(t->stats_fd, &key, t->percpu))
		return 0;
	for (i = 0; i < t->ncpus; i++)
		sum += t->percpu[i];
	return sum;
}

void track_report(void *arg, int final, uint64_t now)
{
	struct track *t = arg;
	uint64_t n = track_missed(t);

	if (final) {
		if (n)
			fprintf(stderr,
				"pwru: %llu matching skb%s %s not followed: the tracking table "
				"(--filter-track-size %u) was full\n",
				(unsigned long long)n, plural(n), n == 1 ? "was" : "were", t->size);
		return;
	}
	if (n <= t->reported || !pace_due(&t->said, now))
		return;
	t->reported = n;
	fprintf(stderr,
		"pwru: the tracking table is full (--filter-track-size %u): %llu matching skb%s "
		"not followed so far\n",
		t->size, (unsigned long long)n, plural(n));
}

void track_detach(struct track *t)
{
	if (!t)
		return;
	unload(t);
	free(t->percpu);
	free(t);
}
