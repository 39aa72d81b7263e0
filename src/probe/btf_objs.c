// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "src/probe/btf_objs.h"

static int keep(struct btf_objs *o, const char *name, int fd)
{
	char **nn = realloc(o->names, (o->n + 1) * sizeof(*nn));
	int *nf;

	if (!nn)
		return -ENOMEM;
	o->names = nn;
	nf = realloc(o->fds, (o->n + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	o->fds = nf;
	o->names[o->n] = strdup(name);
	if (!o->names[o->n])
		return -ENOMEM;
	o->fds[o->n++] = fd;
	return 0;
}

/* Every kernel BTF object but vmlinux's, by the name the kernel gives it. */
static int list(struct btf_objs *o)
{
	__u32 id = 0;
	int fd, rc = 0;

	o->listed = 1;
	while (!rc && !bpf_btf_get_next_id(id, &id)) {
		char name[64] = "";
		struct bpf_btf_info info = {.name = (__u64)(unsigned long)name,
					    .name_len = sizeof(name)};
		__u32 len = sizeof(info);

		fd = bpf_btf_get_fd_by_id(id);
		if (fd < 0)
			continue; /* gone meanwhile (module unloaded) */
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.kernel_btf ||
		    !strcmp(name, "vmlinux")) {
			close(fd);
			continue;
		}
		rc = keep(o, name, fd);
		if (rc)
			close(fd);
	}
	return rc;
}

int btf_objs_fd(struct btf_objs *o, const char *module)
{
	size_t i;
	int rc;

	if (!module)
		return 0;
	if (!o->listed) {
		rc = list(o);
		if (rc)
			return rc;
	}
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->names[i], module))
			return o->fds[i];
	return -ENOENT;
}

void btf_objs_free(struct btf_objs *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		close(o->fds[i]);
		free(o->names[i]);
	}
	free(o->names);
	free(o->fds);
	memset(o, 0, sizeof(*o));
}
