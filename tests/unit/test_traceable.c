// SPDX-License-Identifier: GPL-2.0
#include "tap.h"
#include "src/discover/traceable.h"

static void test_addrs(void)
{
	struct traceable t;

	is_int(traceable_load(&t, "tests/data/traceable/addrs"), 0, "recorded tracefs loads");
	is_str(t.ftrace_source, "/sys/kernel/tracing/available_filter_functions_addrs",
	       "the address list is preferred");
	ok(traceable_ftrace(&t, "ip_rcv", 0xffffffff81ff8c00ULL),
	   "ftrace site 4 bytes in (after endbr64) covers the function start");
	ok(traceable_ftrace(&t, "ip_rcv_core", 0xffffffff81ff7f90ULL), "exact site");
	ok(!traceable_ftrace(&t, "ip_rcv", 0xffffffff82000000ULL),
	   "another copy of a name without a site is refused");
	ok(!traceable_ftrace(&t, "notrace_fn", 0xffffffff81ff7f00ULL), "no site: refused");
	ok(traceable_ftrace_in(&t, "veth_xmit", "veth", 0xffffffffc0a01000ULL),
	   "a module function's site (line with [veth]) is read too");
	ok(!traceable_kprobe(&t, 0xffffffff81e00040ULL), "inside a blacklisted range");
	ok(traceable_kprobe(&t, 0xffffffff81e00080ULL), "range end is exclusive");
	ok(traceable_kprobe(&t, 0xffffffff81ff8c00ULL), "outside every range");
	ok(!traceable_kprobe(&t, 0xffffffff81000000ULL), "range start is inclusive");
	traceable_free(&t);
}

static void test_names_and_nothing(void)
{
	struct traceable t;

	is_int(traceable_load(&t, "tests/data/traceable/names"), 0, "names-only tracefs loads");
	is_str(t.ftrace_source, "/sys/kernel/debug/tracing/available_filter_functions",
	       "debugfs path used when tracefs has nothing");
	ok(traceable_ftrace(&t, "ip_rcv", 1), "listed name allowed at any address");
	ok(!traceable_ftrace(&t, "veth_xmit", 1), "module entries are not vmlinux names");
	ok(traceable_ftrace_in(&t, "veth_xmit", "veth", 1), "but are names of their module");
	ok(!traceable_ftrace_in(&t, "veth_xmit", "bridge", 1), "and of no other module");
	ok(!traceable_ftrace(&t, "schedule", 1), "unlisted name refused");
	ok(traceable_kprobe(&t, 1), "no blacklist: everything allowed");
	traceable_free(&t);

	is_int(traceable_load(&t, "tests/data/traceable/none"), 0, "nothing readable is fine");
	ok(!t.ftrace_source[0] && traceable_ftrace(&t, "anything", 1), "unknown means allowed");
	traceable_free(&t);
}

/* Each struct keeps its own source: tracers for two roots can live side by side. */
static void test_two_loads(void)
{
	struct traceable a, b;

	traceable_load(&a, "tests/data/traceable/addrs");
	traceable_load(&b, "tests/data/traceable/names");
	is_str(a.ftrace_source, "/sys/kernel/tracing/available_filter_functions_addrs",
	       "a second load leaves the first one's source alone");
	is_str(b.ftrace_source, "/sys/kernel/debug/tracing/available_filter_functions",
	       "and has its own");
	traceable_free(&a);
	traceable_free(&b);
}

int main(void)
{
	test_addrs();
	test_names_and_nothing();
	test_two_loads();
	return tap_done();
}
