// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "src/discover/bpf_progs.h"

#ifndef BPF_LINK_TYPE_TCX
#define BPF_LINK_TYPE_TCX 11 /* uapi of 6.6; the build's headers may be older */
#endif

static int wanted(const struct bpf_progs_scan *s, uint32_t type, enum bpf_prog_kind *kind)
{
	if (type == BPF_PROG_TYPE_SCHED_CLS && s->tc)
		*kind = BPF_PROG_KIND_TC;
	else if (type == BPF_PROG_TYPE_XDP && s->xdp)
		*kind = BPF_PROG_KIND_XDP;
	else
		return 0;
	return 1;
}

/* The BTF name of FUNC_ID in BTF object BTF_ID; "" when unreadable. */
static void func_name(uint32_t btf_id, uint32_t func_id, char *buf, size_t len)
{
	struct btf *btf = btf__load_from_kernel_by_id(btf_id);
	const struct btf_type *t = btf ? btf__type_by_id(btf, func_id) : NULL;

	buf[0] = '\0';
	if (t && btf_is_func(t))
		snprintf(buf, len, "%s", btf__name_by_offset(btf, t->name_off));
	btf__free(btf);
}

int bpf_progs_describe(int fd, const struct bpf_progs_scan *s, struct bpf_prog_target *t)
{
	struct bpf_func_info fi = {0};
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);
	char full[BPF_PROG_NAME_MAX];

	memset(t, 0, sizeof(*t));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (!wanted(s, info.type, &t->kind))
		return -ENOENT;
	if (!info.btf_id || !info.nr_func_info)
		return -ENODATA;
	t->id = info.id;
	t->fd = fd;
	/* The first record is the program's entry function (instruction 0). */
	info = (struct bpf_prog_info){
	    .nr_func_info = 1, .func_info_rec_size = sizeof(fi), .func_info = (uintptr_t)&fi};
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	t->func_id = fi.type_id;
	func_name(info.btf_id, fi.type_id, full, sizeof(full));
	/* the kernel's 15 characters, or the whole name when they begin it */
	if (full[0] && !strncmp(full, info.name, strnlen(info.name, sizeof(info.name))))
		snprintf(t->name, sizeof(t->name), "%s", full);
	else
		snprintf(t->name, sizeof(t->name), "%.*s", (int)sizeof(info.name), info.name);
	return t->func_id ? 0 : -ENODATA;
}

static int scan_one(struct bpf_progs_scan *s, uint32_t id,
		    int (*fn)(void *arg, const struct bpf_prog_target *t), void *arg)
{
	struct bpf_prog_target t;
	int fd = bpf_prog_get_fd_by_id(id), rc;

	if (fd < 0) {
		s->vanished += errno == ENOENT;
		return errno == ENOENT ? 0 : -errno;
	}
	rc = bpf_progs_describe(fd, s, &t);
	if (rc) {
		close(fd);
		s->no_btf += rc == -ENODATA;
		return rc == -ENOENT || rc == -ENODATA ? 0 : rc;
	}
	return fn(arg, &t);
}

int bpf_progs_scan(struct bpf_progs_scan *s, int (*fn)(void *arg, const struct bpf_prog_target *t),
		   void *arg, char *err, size_t errlen)
{
	uint32_t id = s->after;
	int rc;

	while (!bpf_prog_get_next_id(id, &id)) {
		rc = scan_one(s, id, fn, arg);
		if (rc) {
			snprintf(err, errlen, "BPF program %u: %s", id, strerror(-rc));
			return rc;
		}
		s->after = id;
	}
	if (errno != ENOENT) {
		rc = -errno;
		snprintf(err, errlen, "listing BPF programs: %s", strerror(errno));
		return rc;
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int add_id(uint32_t **ids, size_t *n, uint32_t id)
{
	uint32_t *v = realloc(*ids, (*n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	v[(*n)++] = id;
	*ids = v;
	return 0;
}

int bpf_progs_tcx(uint32_t **ids, size_t *n)
{
	struct bpf_link_info info;
	uint32_t id = 0, len;
	int fd, rc = 0;

	*ids = NULL;
	*n = 0;
	while (!rc && !bpf_link_get_next_id(id, &id)) {
		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0)
			continue; /* gone meanwhile */
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == BPF_LINK_TYPE_TCX)
			rc = add_id(ids, n, info.prog_id);
		close(fd);
	}
	if (!rc && errno != ENOENT && errno != EINVAL) /* EINVAL: no links (before 5.8) */
		rc = -errno;
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*ids, *n, sizeof(**ids), cmp_u32);
	return 0;
}
