// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "prog_refs.skel.h"
#include "bpf/prog_refs.h"
#include "src/probe/prog_refs.h"

struct prog_refs {
	struct prog_refs_bpf *skel;
	struct bpf_link *link;
};

struct prog_refs *prog_refs_open(char *err, size_t errlen)
{
	struct prog_refs *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	r->skel = prog_refs_bpf__open_and_load();
	if (r->skel)
		r->link = bpf_program__attach_iter(r->skel->progs.pwru_prog_refs, NULL);
	if (!r->skel || !r->link) {
		snprintf(err, errlen, "the kernel refuses a BPF program iterator: %s",
			 strerror(errno));
		prog_refs_close(r);
		return NULL;
	}
	return r;
}

int prog_refs_read(struct prog_refs *r, void (*fn)(void *arg, uint32_t id, int64_t refs), void *arg)
{
	struct prog_ref buf[256];
	ssize_t n;
	size_t i;
	int fd = bpf_iter_create(bpf_link__fd(r->link)), rc = 0;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < (size_t)n / sizeof(buf[0]); i++)
			fn(arg, buf[i].id, buf[i].refs - 1); /* the iterator holds one */
	if (n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

void prog_refs_close(struct prog_refs *r)
{
	if (!r)
		return;
	bpf_link__destroy(r->link);
	prog_refs_bpf__destroy(r->skel);
	free(r);
}
