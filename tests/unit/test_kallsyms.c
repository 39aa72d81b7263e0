// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/*
 * Address to name as a function tracer needs it: aliases at one address listed local first
 * and alphabetically before the global name, data symbols around and at function starts.
 */
static const char crafted[] = "ffffffff81000100 t a_local_alias\n"
			      "ffffffff81000100 W b_weak_alias\n"
			      "ffffffff81000100 T z_global_fn\n"
			      "ffffffff81000180 d a_static_table\n"
			      "ffffffff81000200 D a_data_at_fn\n"
			      "ffffffff81000200 t local_fn\n"
			      "ffffffff81000300 w a_weak_local\n"
			      "ffffffff81000300 W z_weak_global\n"
			      "ffffffff83000000 B a_bss_var\n"
			      "ffffffffc0001000 t mod_local\t[m]\n"
			      "ffffffffc0001000 T mod_global\t[m]\n";

static void test_aliases_and_data(void)
{
	struct kallsyms *ks = NULL;
	const struct ksym *s;
	uint64_t off = 0;

	is_int(kallsyms_parse(crafted, sizeof(crafted) - 1, &ks), 0, "crafted table parses");
	if (!ks)
		return;
	is_int(kallsyms_count(ks), 11, "every symbol is kept for name lookups");
	s = kallsyms_lookup_addr(ks, 0xffffffff81000100ULL);
	is_str(s ? s->name : NULL, "z_global_fn", "a global name wins over local and weak aliases");
	s = kallsyms_lookup_addr(ks, 0xffffffff81000300ULL);
	is_str(s ? s->name : NULL, "z_weak_global", "a global weak name wins over a local one");
	s = kallsyms_lookup_addr(ks, 0xffffffff81000200ULL);
	is_str(s ? s->name : NULL, "local_fn",
	       "a data symbol at a function's start is not its name");
	ok(!kallsyms_lookup_addr(ks, 0xffffffff81000180ULL), "a data address names no function");
	s = kallsyms_nearest(ks, 0xffffffff81000190ULL, &off);
	ok(s && !strcmp(s->name, "z_global_fn") && off == 0x90,
	   "nearest skips a data symbol in between: %s+0x%llx", s ? s->name : "(none)",
	   (unsigned long long)off);
	s = kallsyms_nearest(ks, 0xffffffff83000010ULL, &off);
	ok(s && !strcmp(s->name, "z_weak_global"), "nearest to a bss address is a function");
	s = kallsyms_lookup_addr(ks, 0xffffffffc0001000ULL);
	ok(s && !strcmp(s->name, "mod_global") && !strcmp(s->module, "m"),
	   "the same rule in modules");
	is_int(kallsyms_lookup_name(ks, "a_data_at_fn", NULL, &s), 1, "data still found by name");
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
		ok(0, "/proc/kallsyms is readable");
		return;
	}
	ok(kallsyms_count(ks) > 10000, "live /proc/kallsyms has many symbols");
	if (!kallsyms_hidden(ks))
		ok(kallsyms_lookup_name(ks, "ip_rcv", NULL, &s) >= 1, "live table knows ip_rcv");
	kallsyms_free(ks);
}

/* Function sizes end at the next function of the same owner, as the kernel measures them. */
static const char owners[] = "ffffffff81000100 T fn_a\n"
			     "ffffffff81000180 d data_between\n"
			     "ffffffff81000200 t fn_b\n"
			     "ffffffff81000200 T fn_b_alias\n"
			     "ffffffff81000300 T last_vmlinux_fn\n"
			     "ffffffffc0001000 t mod_first\t[veth]\n"
			     "ffffffffc0001100 t mod_last\t[veth]\n"
			     "ffffffffc0002000 t bpf_prog_1234_tc_main\t[bpf]\n"
			     "ffffffffc0002400 t bpf_prog_5678_helper_user\t[bpf]\n";

static void expect_frame(const struct kallsyms *ks, uint64_t addr, const char *want)
{
	struct ksym_pos pos;
	char buf[128];

	if (kallsyms_locate(ks, addr, &pos))
		kallsyms_snprint(buf, sizeof(buf), addr, NULL);
	else
		kallsyms_snprint(buf, sizeof(buf), addr, &pos);
	is_str(buf, want, "0x%llx is %s", (unsigned long long)addr, want);
}

static void test_locate(void)
{
	struct kallsyms *ks = NULL;
	struct ksym_pos pos;
	char small[8];

	is_int(kallsyms_parse(owners, sizeof(owners) - 1, &ks), 0, "owners table parses");
	if (!ks)
		return;
	expect_frame(ks, 0xffffffff81000100ULL, "fn_a+0x0/0x100");
	expect_frame(ks, 0xffffffff8100019aULL, "fn_a+0x9a/0x100");
	expect_frame(ks, 0xffffffff81000210ULL, "fn_b_alias+0x10/0x100");
	expect_frame(ks, 0xffffffff81000310ULL, "last_vmlinux_fn+0x10");
	expect_frame(ks, 0xffffffffc000101aULL, "mod_first+0x1a/0x100 [veth]");
	expect_frame(ks, 0xffffffffc0001120ULL, "mod_last+0x20 [veth]");
	expect_frame(ks, 0xffffffffc000203cULL, "bpf_prog_1234_tc_main+0x3c/0x400 [bpf]");
	expect_frame(ks, 0xffffffff80000000ULL, "0xffffffff80000000");
	expect_frame(ks, 0xffffffffc0402400ULL, "0xffffffffc0402400");
	ok(!kallsyms_locate(ks, 0xffffffffc0001120ULL, &pos) && pos.size == 0 && pos.off == 0x20,
	   "the last function of a module has no known size");
	ok(!kallsyms_locate(ks, 0xffffffff81000100ULL, &pos) &&
	       kallsyms_snprint(small, sizeof(small), 0xffffffff81000100ULL, &pos) == 7 &&
	       !strcmp(small, "fn_a+0x"),
	   "a short buffer is cut, NUL-terminated");
	kallsyms_free(ks);
}

static int keep_some(const char *name, size_t len, const char *module, void *arg)
{
	int *wrong_len = arg;

	*wrong_len += strlen(name) != len;
	return !strcmp(name, "ip_rcv") || !strcmp(name, "NF_HOOK.constprop.0") ||
	       !strcmp(name, "veth_xmit") || !strcmp(name, "jiffies");
}

/* The filtered reader keeps what the filter takes, of the types asked, and nothing else. */
static void test_filtered(void)
{
	int wrong_len = 0;
	struct kallsyms_filter f = {.types = "tTwW", .keep = keep_some, .arg = &wrong_len};
	struct kallsyms *ks = NULL, *all = NULL;
	const struct ksym *s, *a;
	size_t n;

	is_int(kallsyms_load_filtered("tests/data/kallsyms.sample", &f, &ks), 0,
	       "filtered read of the sample");
	is_int(wrong_len, 0, "the filter is told each name's length (vmlinux's and modules')");
	kallsyms_load("tests/data/kallsyms.sample", &all);
	if (!ks || !all)
		return;
	is_int(kallsyms_count(ks), 6,
	       "kept: ip_rcv and its module copy, three NF_HOOK copies, veth_xmit; no data");
	ok(!kallsyms_hidden(ks), "addresses still known to be shown");
	n = kallsyms_lookup_name(ks, "NF_HOOK.constprop.0", NULL, &s);
	kallsyms_lookup_name(all, "NF_HOOK.constprop.0", NULL, &a);
	ok(n == 3 && s[0].addr == a[0].addr && s[2].addr == a[2].addr && s[1].type == a[1].type,
	   "the same copies, addresses and types as the full read");
	n = kallsyms_lookup_name(ks, "veth_xmit", "veth", &s);
	ok(n == 1 && !strcmp(s->module, "veth"), "a module's symbol keeps its module");
	s = kallsyms_lookup_addr(ks, 0xffffffff81ff8c00ULL);
	is_str(s ? s->name : NULL, "ip_rcv", "address lookup among the kept");
	ok(!kallsyms_lookup_name(ks, "ip_rcv_core", NULL, &s), "a symbol not asked for is absent");
	kallsyms_free(ks);
	kallsyms_free(all);
	/* not root: every address 0; the filter still counts the copies by name */
	{
		char path[] = "/tmp/pwru-kallsyms-XXXXXX";
		int fd = mkstemp(path);
		const char text[] = "0000000000000000 T _text\n0000000000000000 t ip_rcv\n"
				    "0000000000000000 t ip_rcv\t[fake_dup]";

		ok(fd >= 0 && write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1),
		   "a zeroed table without a final newline");
		close(fd);
		ks = NULL;
		is_int(kallsyms_load_filtered(path, &f, &ks), 0, "filtered read of it");
		ok(ks && kallsyms_hidden(ks) && kallsyms_count(ks) == 2,
		   "reported hidden; both ip_rcv copies kept, the last line too");
		kallsyms_free(ks);
		unlink(path);
	}
}

int main(void)
{
	test_sample();
	test_filtered();
	test_aliases_and_data();
	test_locate();
	test_hidden();
	test_live();
	return tap_done();
}
