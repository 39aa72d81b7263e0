// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include "src/discover/btf_check.h"

bool btf_layout_ok(const struct btf *btf, char *why, size_t len)
{
	const struct btf_header *h;
	__u32 size = 0;

	h = btf__raw_data(btf, &size);
	if (!h || size < sizeof(*h)) {
		snprintf(why, len, "no BTF header");
		return false;
	}
	/* the header itself was checked by libbpf; the types follow it at TYPE_OFF */
	if ((h->hdr_len + h->type_off) % 4 || h->type_len % 4) {
		snprintf(why, len, "its type section is not 4-byte aligned (offset %u, length %u)",
			 h->hdr_len + h->type_off, h->type_len);
		return false;
	}
	return true;
}

bool btf_enum_has(const struct btf *btf, const char *enum_name, const char *name)
{
	__s32 id = btf__find_by_name_kind(btf, enum_name, BTF_KIND_ENUM);
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, (__u32)id);
	const struct btf_enum *v;

	if (!t)
		return false;
	v = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++, v++) {
		const char *n = btf__name_by_offset(btf, v->name_off);

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}
