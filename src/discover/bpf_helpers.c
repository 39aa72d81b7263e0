// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "kallsyms/disasm.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/bpf_helpers.h"

int bpf_helpers_prog_type_wanted(uint32_t type)
{
	switch (type) {
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_SK_SKB:
		return 1;
	default:
		return 0;
	}
}

/* The JITed image and where each of its functions (main program, subprograms) is. */
struct jit_image {
	uint8_t *code;
	uint64_t *addrs;
	uint32_t *lens;
	uint32_t nfuncs, len;
};

static void jit_image_free(struct jit_image *j)
{
	free(j->code);
	free(j->addrs);
	free(j->lens);
}

/* Two queries: sizes first, then the bytes. Returns -ENODATA when not JITed. */
static int read_jit(int fd, struct jit_image *j)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);
	int rc = bpf_obj_get_info_by_fd(fd, &info, &len);

	*j = (struct jit_image){0};
	if (rc)
		return -errno;
	if (!info.jited_prog_len || !info.nr_jited_ksyms || !info.nr_jited_func_lens)
		return -ENODATA;
	j->len = info.jited_prog_len;
	j->nfuncs = info.nr_jited_ksyms < info.nr_jited_func_lens ? info.nr_jited_ksyms
								  : info.nr_jited_func_lens;
	j->code = malloc(j->len);
	j->addrs = calloc(info.nr_jited_ksyms, sizeof(*j->addrs));
	j->lens = calloc(info.nr_jited_func_lens, sizeof(*j->lens));
	if (!j->code || !j->addrs || !j->lens) {
		jit_image_free(j);
		return -ENOMEM;
	}
	info = (struct bpf_prog_info){
	    .jited_prog_len = j->len,
	    .jited_prog_insns = (uintptr_t)j->code,
	    .nr_jited_ksyms = j->nfuncs,
	    .jited_ksyms = (uintptr_t)j->addrs,
	    .nr_jited_func_lens = j->nfuncs,
	    .jited_func_lens = (uintptr_t)j->lens,
	};
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		rc = -errno;
		jit_image_free(j);
		return rc;
	}
	return 0;
}

static int cmp_helper(const void *a, const void *b)
{
	const struct bpf_helper *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->addr > y->addr) - (x->addr < y->addr);
}

static int add_target(struct bpf_helpers *h, const struct ksym *s)
{
	struct bpf_helper *nv;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->v[i].addr == s->addr) {
			h->v[i].calls++;
			return 0;
		}
	nv = realloc(h->v, (h->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	h->v = nv;
	h->v[h->n++] =
	    (struct bpf_helper){.name = s->name, .module = s->module, .addr = s->addr, .calls = 1};
	return 0;
}

/* Targets that are kernel functions; calls into BPF code (subprograms, other programs) are not. */
static int add_targets(const struct kallsyms *ks, const uint64_t *t, size_t n,
		       struct bpf_helpers *h)
{
	const struct ksym *s;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		s = kallsyms_lookup_addr(ks, t[i]);
		if (s && !(s->module && !strcmp(s->module, "bpf")))
			rc = add_target(h, s);
	}
	return rc;
}

int bpf_helpers_add_prog(const struct kallsyms *ks, int prog_fd, struct bpf_helpers *out)
{
	struct jit_image j;
	uint64_t *t;
	size_t n, off = 0;
	uint32_t i;
	int rc = read_jit(prog_fd, &j);

	out->progs++;
	if (rc == -ENODATA) {
		out->not_jited++;
		return 0;
	}
	for (i = 0; !rc && i < j.nfuncs && off + j.lens[i] <= j.len; off += j.lens[i++]) {
		rc = disasm_call_targets(disasm_host_arch(), j.code + off, j.lens[i], j.addrs[i],
					 &t, &n);
		if (!rc)
			rc = add_targets(ks, t, n, out);
		free(t);
	}
	jit_image_free(&j);
	/* none found yet: out->v is still NULL, which qsort must not be given */
	if (!rc && out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_helper);
	return rc;
}

static int prog_type(int fd, uint32_t *type)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*type = info.type;
	return 0;
}

int bpf_helpers_find(const struct kallsyms *ks, struct bpf_helpers *out, char *err, size_t errlen)
{
	uint32_t id = 0, type = 0;
	int fd, rc = 0;

	*out = (struct bpf_helpers){0};
	while (!rc && !bpf_prog_get_next_id(id, &id)) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0) {
			if (errno == ENOENT)
				continue; /* unloaded meanwhile */
			rc = -errno;
			snprintf(err, errlen, "reading BPF program %u: %s", id, strerror(errno));
			break;
		}
		if (!prog_type(fd, &type) && bpf_helpers_prog_type_wanted(type)) {
			rc = bpf_helpers_add_prog(ks, fd, out);
			if (rc)
				snprintf(err, errlen, "disassembling BPF program %u: %s", id,
					 strerror(-rc));
		}
		close(fd);
	}
	if (!rc && errno != ENOENT) {
		rc = -errno;
		snprintf(err, errlen, "listing BPF programs: %s", strerror(errno));
	}
	if (rc)
		bpf_helpers_free(out);
	return rc;
}

void bpf_helpers_free(struct bpf_helpers *h)
{
	free(h->v);
	*h = (struct bpf_helpers){0};
}

static int called_by(const struct bpf_helpers *own, uint64_t addr)
{
	size_t i;

	for (i = 0; i < own->n; i++)
		if (own->v[i].addr == addr)
			return 1;
	return 0;
}

char *bpf_helpers_list(const struct bpf_helpers *h, struct bpf_object *own_obj,
		       const struct kallsyms *ks, int (*keep)(const char *name, void *arg),
		       void *arg, size_t *n)
{
	struct bpf_helpers own = {0};
	struct bpf_program *p;
	size_t i, len = 1, used = 0;
	char *list;

	for (p = bpf_object__next_program(own_obj, NULL); p;
	     p = bpf_object__next_program(own_obj, p))
		if (bpf_program__fd(p) >= 0)
			bpf_helpers_add_prog(ks, bpf_program__fd(p), &own);
	for (i = 0; i < h->n; i++)
		len += strlen(h->v[i].name) + 1;
	list = malloc(len);
	*n = 0;
	for (i = 0; list && i < h->n; i++) {
		if (h->v[i].module ||
		    (called_by(&own, h->v[i].addr) && !(keep && keep(h->v[i].name, arg))))
			continue;
		used += (size_t)snprintf(list + used, len - used, "%s%s", used ? "," : "",
					 h->v[i].name);
		(*n)++;
	}
	if (list)
		list[used] = '\0';
	bpf_helpers_free(&own);
	return list;
}
