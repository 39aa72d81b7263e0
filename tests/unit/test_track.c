// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "src/probe/track.h"

static const char table[] = "ffffffff81000000 T fib_table_lookup\n"
			    "ffffffff81000100 t ip_route_input_slow\n"
			    "ffffffff82000000 D init_net\n"
			    "ffffffffc0000000 t veth_poll\t[veth]\n";

static void test_check_funcs(void)
{
	struct kallsyms *ks = NULL;
	char err[256];

	if (kallsyms_parse(table, sizeof(table) - 1, &ks)) {
		ok(0, "the crafted kallsyms parses");
		return;
	}
	is_int(track_check_funcs(ks, "fib_table_lookup", err, sizeof(err)), 0, "one function");
	is_int(track_check_funcs(ks, "fib_table_lookup,ip_route_input_slow", err, sizeof(err)), 0,
	       "two, a static one among them");
	is_int(track_check_funcs(ks, "fib_table_lookup,nope", err, sizeof(err)), -EINVAL,
	       "an unknown name is refused");
	is_str(err, "--filter-non-skb-funcs: no kernel function nope in /proc/kallsyms",
	       "and named");
	is_int(track_check_funcs(ks, "init_net", err, sizeof(err)), -EINVAL,
	       "a data symbol is not a function");
	is_int(track_check_funcs(ks, "veth_poll", err, sizeof(err)), -EINVAL,
	       "only vmlinux functions: a module's is not looked for");
	is_int(track_check_funcs(ks, ",", err, sizeof(err)), -EINVAL, "an empty list is refused");
	is_str(err, "--filter-non-skb-funcs wants FUNC[,FUNC...], not ','", "and said so");
	kallsyms_free(ks);
}

int main(void)
{
	test_check_funcs();
	return tap_done();
}
