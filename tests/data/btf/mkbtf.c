// SPDX-License-Identifier: GPL-2.0
/* make test-data: writes the crafted BTF blobs of crafted_btf.h into DIR. */
#include <stdio.h>
#include "crafted_btf.h"

static int write_blob(const char *dir, const char *name, struct btf *b)
{
	char path[512];
	const void *data;
	__u32 size;
	FILE *f;
	int rc = -1;

	if (!b)
		return -1;
	data = btf__raw_data(b, &size);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f && data && fwrite(data, 1, size, f) == size)
		rc = 0;
	if (f && fclose(f))
		rc = -1;
	btf__free(b);
	if (rc)
		fprintf(stderr, "mkbtf: cannot write %s\n", path);
	return rc;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";

	return write_blob(dir, "skb-empty.btf", crafted_skb_empty()) ? 1 : 0;
}
