// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "src/discover/kbtf.h"

static struct {
	const char *path;
	struct btf *btf;
	bool tried;
	int err;
} kb;

void kbtf_use_file(const char *path)
{
	kb.path = path;
}

struct btf *kbtf_get(void)
{
	if (!kb.tried) {
		kb.tried = true;
		kb.btf = kb.path ? btf__parse(kb.path, NULL) : btf__load_vmlinux_btf();
		kb.err = kb.btf ? 0 : errno;
	}
	/* later callers see the first parse's reason */
	errno = kb.err;
	return kb.btf;
}

bool kbtf_parsed(void)
{
	return kb.tried;
}

void kbtf_free(void)
{
	btf__free(kb.btf);
	kb.btf = NULL;
	kb.tried = false;
	kb.err = 0;
}
