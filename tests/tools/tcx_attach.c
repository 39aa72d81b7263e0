// SPDX-License-Identifier: GPL-2.0
/*
 * tcx-attach READY-FILE OBJ DEV ingress|egress PROG...
 *
 * Loads the tc programs PROG... of the BPF object OBJ and attaches each, in the order
 * given, to DEV's tcx ingress or egress (Linux 6.6+) through a BPF link, then creates
 * READY-FILE and holds the links until SIGINT or SIGTERM. The VM's iproute2 and bpftool
 * (Debian 12) cannot attach tcx programs; the scenarios use this instead.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "hold.h"

/*
 * Linux 6.6's attach types: Debian 12's UAPI headers and libbpf 1.1 predate them.
 * libbpf 1.1 passes attach types it does not know to the kernel unchanged.
 */
#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS 46
#define BPF_TCX_EGRESS	47
#endif

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "tcx-attach: %s %s: %s\n", what, name, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	unsigned int ifindex;
	int type, i, fd, err;

	if (argc < 6 || (strcmp(argv[4], "ingress") && strcmp(argv[4], "egress"))) {
		fprintf(stderr, "usage: tcx-attach READY-FILE OBJ DEV ingress|egress PROG...\n");
		return 2;
	}
	type = strcmp(argv[4], "ingress") ? BPF_TCX_EGRESS : BPF_TCX_INGRESS;
	ifindex = if_nametoindex(argv[3]);
	if (!ifindex)
		return fail("device", argv[3], errno);
	obj = bpf_object__open_file(argv[2], NULL);
	if (!obj)
		return fail("opening", argv[2], errno);
	bpf_object__for_each_program(p, obj) bpf_program__set_autoload(p, false);
	for (i = 5; i < argc; i++) {
		p = bpf_object__find_program_by_name(obj, argv[i]);
		if (!p)
			return fail("no program", argv[i], ENOENT);
		bpf_program__set_autoload(p, true);
	}
	if (bpf_object__load(obj))
		return fail("loading", argv[2], errno);
	for (i = 5; i < argc; i++) {
		p = bpf_object__find_program_by_name(obj, argv[i]);
		/* appended after the programs already there; the link lives with this process */
		fd = bpf_link_create(bpf_program__fd(p), (int)ifindex, type, NULL);
		if (fd < 0)
			return fail("attaching", argv[i], errno);
	}
	err = hold_until_signal(argv[1]);
	return err ? fail("creating", argv[1], err) : 0;
}
