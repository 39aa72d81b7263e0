// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "filters/pcap_filter.h"
#include "src/probe/splice_hooks.h"

#define MAX_HOOKS 16
#define MAX_SEEN  64

/* One registered section: the cookie its handler gets. */
struct hook_reg {
	struct splice_hooks *h;
	enum bpf_prog_type type; /* the section's, set back at the program's prepare step */
};

struct splice_hooks {
	struct pcap_filter *f;
	hook_load_fn fn;
	void *arg;
	hook_load_fn divert; /* instead of the splice and FN, while set */
	void *divert_arg;
	int id[MAX_HOOKS];
	struct hook_reg reg[MAX_HOOKS];
	size_t n;
	/* the programs that went through a hook: the filter was spliced into them */
	const struct bpf_program *seen[MAX_SEEN];
	size_t nseen;
	char err[256];
};

/*
 * The type libbpf sees until a program's prepare step. libbpf 1.1 parses the kernel's BTF
 * at each load of an object holding a tracing program not attached to another program,
 * whether or not it has anything to find there: the loader gives each program its target
 * itself, and a target named with bpf_program__set_attach_target() has libbpf parse it
 * then (docs/performance.md, session 12). The real type is set back before the program
 * is loaded (its expected attach type stays the section's throughout).
 */
static enum bpf_prog_type open_type(enum bpf_prog_type type)
{
	return type == BPF_PROG_TYPE_TRACING ? BPF_PROG_TYPE_KPROBE : type;
}

static int prepare_load(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	struct hook_reg *r = (struct hook_reg *)cookie;
	struct splice_hooks *h = r->h;
	int rc;

	/* cannot fail here: the object counts as loaded only once every program is */
	bpf_program__set_type(prog, r->type);
	if (h->divert)
		return h->divert(h->divert_arg, prog, opts, h->err, sizeof(h->err));
	rc = pcap_filter_splice(h->f, prog, opts);
	if (!rc && h->nseen < MAX_SEEN)
		h->seen[h->nseen++] = prog;
	if (rc) {
		snprintf(h->err, sizeof(h->err), "%s", pcap_filter_last_error(h->f));
		return rc;
	}
	return h->fn ? h->fn(h->arg, prog, opts, h->err, sizeof(h->err)) : 0;
}

/*
 * libbpf 1.1 frees its handler array when the last handler goes away but keeps the stale
 * pointer, so the next registration double-frees. A handler registered once and never
 * removed (for a section name no program uses) keeps the array from ever emptying.
 */
static int keep_handler_array(void)
{
	static int sentinel;
	LIBBPF_OPTS(libbpf_prog_handler_opts, o);

	if (sentinel <= 0)
		sentinel = libbpf_register_prog_handler("pwru.hooks.sentinel",
							BPF_PROG_TYPE_SOCKET_FILTER, 0, &o);
	return sentinel < 0 ? sentinel : 0;
}

static int seen(const struct hook_section *secs, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (!strcmp(secs[k].sec, secs[i].sec))
			return 1;
	return 0;
}

int splice_hooks_install(struct pcap_filter *f, const struct hook_section *secs, size_t n,
			 hook_load_fn fn, void *arg, struct splice_hooks **out, char *err,
			 size_t errlen)
{
	struct splice_hooks *h = calloc(1, sizeof(*h));
	int rc = h ? keep_handler_array() : -ENOMEM;
	size_t i;

	*out = NULL;
	if (rc) {
		snprintf(err, errlen, "cannot register a libbpf program handler: %s",
			 strerror(-rc));
		free(h);
		return rc;
	}
	*h = (struct splice_hooks){.f = f, .fn = fn, .arg = arg};
	for (i = 0; i < n; i++) {
		LIBBPF_OPTS(libbpf_prog_handler_opts, o, .cookie = (long)&h->reg[h->n],
			    .prog_prepare_load_fn = prepare_load);

		if (seen(secs, i))
			continue;
		if (h->n < MAX_HOOKS)
			h->reg[h->n] = (struct hook_reg){.h = h, .type = secs[i].type};
		rc = h->n < MAX_HOOKS
			 ? libbpf_register_prog_handler(secs[i].sec, open_type(secs[i].type),
							secs[i].attach, &o)
			 : -E2BIG;
		if (rc < 0) {
			snprintf(err, errlen,
				 "cannot register a libbpf handler for SEC(\"%s\"): %s",
				 secs[i].sec, strerror(-rc));
			splice_hooks_remove(h);
			return rc;
		}
		h->id[h->n++] = rc;
	}
	*out = h;
	return 0;
}

const char *splice_hooks_error(const struct splice_hooks *h)
{
	return h ? h->err : "";
}

void splice_hooks_divert(struct splice_hooks *h, hook_load_fn fn, void *arg)
{
	h->divert = fn;
	h->divert_arg = arg;
	h->err[0] = 0; /* the diverted load's reason is not the object's */
}

static int went_through(const struct splice_hooks *h, const struct bpf_program *p)
{
	size_t i;

	for (i = 0; i < h->nseen; i++)
		if (h->seen[i] == p)
			return 1;
	return 0;
}

int splice_hooks_verify(const struct splice_hooks *h, struct bpf_object *obj, char *err,
			size_t errlen)
{
	struct bpf_program *p;
	int rc;

	bpf_object__for_each_program(p, obj)
	{
		if (bpf_program__fd(p) < 0)
			continue; /* not loaded */
		if (!went_through(h, p)) {
			snprintf(
			    err, errlen,
			    "program %s was loaded without its pcap filter (no splice hook for "
			    "its section SEC(\"%s\")): it would let every packet through",
			    bpf_program__name(p), bpf_program__section_name(p));
			return -ENOEXEC;
		}
		rc =
		    pcap_filter_check_loaded(bpf_program__fd(p), bpf_program__name(p), err, errlen);
		/* no subprograms at all: a stand-in (clone.h), or nothing that could filter */
		if (rc && rc != -ENODATA)
			return rc;
	}
	return 0;
}

void splice_hooks_remove(struct splice_hooks *h)
{
	if (!h)
		return;
	while (h->n)
		libbpf_unregister_prog_handler(h->id[--h->n]);
	free(h);
}
