// SPDX-License-Identifier: GPL-2.0
/* The crafted test inputs under tests/data/ still are what their generators write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "tap.h"
#include "tests/data/btf/crafted_btf.h"
#include "src/discover/funcset.h"

static void test_skb_empty(void)
{
	const char *path = "tests/data/btf/skb-empty.btf";
	struct btf *want = crafted_skb_empty(), *got = btf__parse(path, NULL);
	const void *w, *g;
	__u32 wn = 0, gn = 0;
	int id;

	ok(want && got, "%s parses, and its generator runs", path);
	if (!want || !got)
		goto out;
	w = btf__raw_data(want, &wn);
	g = btf__raw_data(got, &gn);
	ok(wn == gn && !memcmp(w, g, wn),
	   "the file is what crafted_skb_empty() writes (make test-data)");
	id = btf__find_by_name_kind(got, "icmp_rcv", BTF_KIND_FUNC);
	is_int(id > 0 ? funcset_skb_position(got, (uint32_t)id) : -1, 1,
	       "icmp_rcv takes the skb in register 1: the function set finds it");
	id = btf__find_by_name_kind(got, "sk_buff", BTF_KIND_STRUCT);
	ok(id > 0 && !btf_vlen(btf__type_by_id(got, id)), "and struct sk_buff has no fields");
out:
	btf__free(want);
	btf__free(got);
}

int main(void)
{
	test_skb_empty();
	return tap_done();
}
