// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of pwru's start-up: what no tracer can skip, loading vmlinux BTF with libbpf
 * and reading /proc/kallsyms once, keeping nothing of it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/btf.h>

int main(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	char buf[1 << 16];
	int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);

	if (!btf || fd < 0)
		return 1;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	btf__free(btf);
	return 0;
}
