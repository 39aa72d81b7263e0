// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"

static void test_sample(void)
{
	struct kallsyms *ks = NULL;
	const struct ksym *s;
	uint64_t off = 0;
	size_t n;

	is_int(kallsyms_load("tests/data/kallsyms.sample", &ks), 0, "recorded sample parses");
	if (!ks)
		return;
	is_int(kallsyms_count(ks), 16, "malformed lines are skipped, the rest kept");
	ok(!kallsyms_hidden(ks), "real addresses are not reported as hidden");

	n = kallsyms_lookup_name(ks, "ip_rcv", NULL, &s);
	is_int(n, 1, "ip_rcv in vmlinux once (the module copy is not vmlinux)");
	ok(n && s->addr == 0xffffffff81ff8c00ULL && s->type == 'T', "ip_rcv address and type");
	n = kallsyms_lookup_name(ks, "NF_HOOK.constprop.0", NULL, &s);
	is_int(n, 3, "a static name with three copies gives three addresses");
	ok(n == 3 && s[0].addr < s[1].addr && s[1].addr < s[2].addr,
	   "copies come in address order");
	n = kallsyms_lookup_name(ks, "veth_xmit", "veth", &s);
	ok(n == 1 && !strcmp(s->module, "veth"), "module symbol found under its module");
	is_int(kallsyms_lookup_name(ks, "veth_xmit", NULL, &s), 0, "module symbol not in vmlinux");
	is_int(kallsyms_lookup_name(ks, "no_such_function", NULL, &s), 0, "absent name: none");

	s = kallsyms_lookup_addr(ks, 0xffffffff81ff8c00ULL);
	is_str(s ? s->name : NULL, "ip_rcv", "exact address lookup");
	ok(!kallsyms_lookup_addr(ks, 0xffffffff81ff8c04ULL), "no exact symbol inside a function");
	s = kallsyms_nearest(ks, 0xffffffff81ff8c04ULL, &off);
	ok(s && !strcmp(s->name, "ip_rcv") && off == 4, "nearest below, with offset 4");
	s = kallsyms_nearest(ks, 0xffffffff81000000ULL, &off);
	ok(s && (!strcmp(s->name, "_stext") || !strcmp(s->name, "_text")) && off == 0,
	   "aliases at one address resolve to one of them");
	ok(!kallsyms_nearest(ks, 0x1000, &off), "below the first symbol: none");
	kallsyms_free(ks);
}

static void test_hidden(void)
{
	const char text[] = "0000000000000000 T _text\n0000000000000000 t ip_rcv\n";
	struct kallsyms *ks = NULL;

	is_int(kallsyms_parse(text, sizeof(text) - 1, &ks), 0, "zeroed table parses");
	ok(ks && kallsyms_hidden(ks), "all-zero addresses (kptr_restrict) are reported hidden");
	kallsyms_free(ks);
	ok(kallsyms_load("/nonexistent/kallsyms", &ks) < 0, "missing file is an error");
}

static void test_live(void)
{
	struct kallsyms *ks = NULL;
	const struct ksym *s;

	if (kallsyms_load(NULL, &ks)) {
		ok(1, "# SKIP /proc/kallsyms unreadable");
		return;
	}
	ok(kallsyms_count(ks) > 10000, "live /proc/kallsyms has many symbols");
	if (!kallsyms_hidden(ks))
		ok(kallsyms_lookup_name(ks, "ip_rcv", NULL, &s) >= 1, "live table knows ip_rcv");
	kallsyms_free(ks);
}

int main(void)
{
	test_sample();
	test_hidden();
	test_live();
	return tap_done();
}
