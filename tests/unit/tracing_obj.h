/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracing object (pwru.skel.h) as the loader loads it, for the tests that check what
 * libbpf makes of it: through the loader's section hooks, against a CO-RE target, and
 * stopped at the first program's prepare step, before anything reaches the kernel (libbpf
 * has relocated every program by then).
 */
#ifndef PWRU_TEST_TRACING_OBJ_H
#define PWRU_TEST_TRACING_OBJ_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "filters/pcap_filter.h"
#include "src/probe/core_btf.h"
#include "src/probe/loader.h"
#include "src/probe/splice_hooks.h"

static int tracing_obj_stop(void *arg, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
			    char *err, size_t errlen)
{
	snprintf(err, errlen, "stopped before the kernel");
	return -ECANCELED;
}

/* What a test does to the object between its open and its load. */
struct tracing_obj_step {
	bool stripped; /* opened without its CO-RE records (loader_open_skel) */
	void (*fn)(struct pwru_bpf *skel, struct splice_hooks *h, void *arg);
	void *arg;
};

/*
 * Loads the object, CO-RE against PATH (NULL: libbpf's own target), after STEP (NULL:
 * none), libbpf's messages to PRINT, then hands it to KEEP(obj, ARG). -ECANCELED when it
 * stopped as it should; -ENOENT when STEP wanted it stripped and it could not be.
 */
static int tracing_obj_load_after(const char *path, const struct tracing_obj_step *step,
				  libbpf_print_fn_t print,
				  void (*keep)(struct bpf_object *, void *), void *arg)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = path);
	const struct hook_section *p[16];
	struct hook_section secs[16];
	size_t n = loader_sections(p, 16), i;
	struct splice_hooks *h = NULL;
	struct pcap_filter *f = NULL;
	bool stripped = step && step->stripped;
	libbpf_print_fn_t prev;
	struct pwru_bpf *skel;
	char err[256];
	int rc;

	for (i = 0; i < n; i++)
		secs[i] = *p[i];
	rc = pcap_filter_compile("", &f, err, sizeof(err));
	rc = rc ?: splice_hooks_install(f, secs, n, tracing_obj_stop, NULL, &h, err, sizeof(err));
	skel = rc ? NULL : loader_open_skel(&opts, &stripped, NULL);
	if (skel && step && step->stripped && !stripped)
		rc = -ENOENT;
	else if (skel) {
		if (step && step->fn)
			step->fn(skel, h, step->arg);
		prev = libbpf_set_print(print);
		rc = pwru_bpf__load(skel);
		libbpf_set_print(prev);
		keep(skel->obj, arg);
	}
	pwru_bpf__destroy(skel);
	splice_hooks_remove(h);
	pcap_filter_free(f);
	return rc;
}

static int tracing_obj_load(const char *path, libbpf_print_fn_t print,
			    void (*keep)(struct bpf_object *, void *), void *arg)
{
	return tracing_obj_load_after(path, NULL, print, keep, arg);
}

/* The loader's CO-RE cut of KERNEL for the object, in a memfd at PATH; -1 when it failed. */
static int tracing_obj_cut(const struct btf *kernel, char *path, size_t len)
{
	struct pwru_bpf *skel = pwru_bpf__open();
	int fd = memfd_create("core-btf", MFD_CLOEXEC), rc = -1;

	if (skel && fd >= 0)
		rc = core_btf_fill(kernel, skel->obj, fd);
	pwru_bpf__destroy(skel);
	snprintf(path, len, "/proc/self/fd/%d", fd);
	if (rc && fd >= 0)
		close(fd);
	return rc ? -1 : fd;
}

#endif
