// SPDX-License-Identifier: GPL-2.0
/*
 * Drop reasons from a BTF enum: names by value, values by name, and SKB_CONSUMED told
 * apart by its value in this kernel's enum, which has moved between kernels and is absent
 * before 6.2.
 */
#include <errno.h>
#include <bpf/btf.h>
#include "tap.h"
#include "src/output/drop_reason.h"

struct val {
	const char *name;
	int value;
};

/* A drop_reasons table read from an enum of VALS (N of them), or NULL. */
static struct drop_reasons *load(const struct val *vals, int n)
{
	struct btf *btf = btf__new_empty();
	struct drop_reasons *dr = NULL;
	int i;

	btf__add_enum(btf, "skb_drop_reason", 4);
	for (i = 0; i < n; i++)
		btf__add_enum_value(btf, vals[i].name, vals[i].value);
	if (drop_reasons_load(btf, &dr))
		dr = NULL;
	btf__free(btf);
	return dr;
}

/* A kernel whose enum has SKB_CONSUMED at 3, not at 1 as 6.2's has. */
static void test_consumed_moved(void)
{
	static const struct val vals[] = {
	    {"SKB_NOT_DROPPED_YET", 0},
	    {"SKB_DROP_REASON_NOT_SPECIFIED", 1},
	    {"SKB_DROP_REASON_NO_SOCKET", 2},
	    {"SKB_CONSUMED", 3},
	};
	struct drop_reasons *dr = load(vals, 4);
	uint64_t v = 99;

	ok(dr != NULL, "an enum with SKB_CONSUMED at 3 loads");
	is_int(drop_reason_value(dr, "SKB_CONSUMED", &v), 0, "SKB_CONSUMED is found by name");
	is_int(v, 3, "at its value in this enum");
	is_int(drop_reason_value(dr, "SKB_DROP_REASON_NO_SOCKET", &v), 0, "another name too");
	is_int(v, 2, "at its value");
	is_int(drop_reason_value(dr, "SKB_DROP_REASON_NOPE", &v), -ENOENT,
	       "a name the enum lacks: -ENOENT");
	ok(drop_reason_consumed(dr, 3), "value 3 is consumed, not a drop");
	ok(!drop_reason_consumed(dr, 1), "value 1 (NOT_SPECIFIED here) is a drop");
	is_str(drop_reason_name(dr, 3), "SKB_CONSUMED", "its name is still shown");
	drop_reasons_free(dr);
}

/* Before 6.2: no SKB_CONSUMED, so nothing is consumed. */
static void test_no_consumed(void)
{
	static const struct val vals[] = {
	    {"SKB_DROP_REASON_NOT_SPECIFIED", 2},
	    {"SKB_DROP_REASON_NO_SOCKET", 3},
	};
	struct drop_reasons *dr = load(vals, 2);
	uint64_t v;
	int i, any = 0;

	ok(dr != NULL, "an enum without SKB_CONSUMED loads");
	is_int(drop_reason_value(dr, "SKB_CONSUMED", &v), -ENOENT, "SKB_CONSUMED is not found");
	for (i = 0; i < 8; i++)
		any |= drop_reason_consumed(dr, i);
	ok(!any, "no value is taken for consumed, 0 included");
	drop_reasons_free(dr);
}

/* No enum at all (before 5.17), or no table. */
static void test_no_enum(void)
{
	struct btf *btf = btf__new_empty();
	struct drop_reasons *dr = NULL;
	uint64_t v;

	ok(!drop_reasons_load(btf, &dr) && dr, "a BTF without the enum gives an empty table");
	ok(!drop_reason_consumed(dr, 0) && !drop_reason_consumed(NULL, 0),
	   "nothing consumed there, nor without a table");
	is_int(drop_reason_value(NULL, "SKB_CONSUMED", &v), -ENOENT, "no table: -ENOENT");
	drop_reasons_free(dr);
	btf__free(btf);
}

int main(void)
{
	test_consumed_moved();
	test_no_consumed();
	test_no_enum();
	return tap_done();
}
