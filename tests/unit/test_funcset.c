// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/funcset.h"
#include "src/discover/kmod_btf.h"

/* Hand-made prototypes: each case is one FUNC whose skb register we know. */
static void test_positions(void)
{
	struct btf *b = btf__new_empty();
	int skb, cskb, tskb, pskb, ppskb, u64t, big16, big24, i;
	int proto, f;

	skb = btf__add_struct(b, "sk_buff", 8);
	btf__add_field(b, "len", btf__add_int(b, "unsigned int", 4, 0), 0, 0);
	u64t = btf__add_int(b, "u64", 8, 0);
	big16 = btf__add_struct(b, "pair", 16);
	btf__add_field(b, "a", u64t, 0, 0);
	btf__add_field(b, "b", u64t, 64, 0);
	big24 = btf__add_struct(b, "triple", 24);
	btf__add_field(b, "a", u64t, 0, 0);
	btf__add_field(b, "b", u64t, 64, 0);
	btf__add_field(b, "c", u64t, 128, 0);
	pskb = btf__add_ptr(b, skb);
	cskb = btf__add_ptr(b, btf__add_const(b, skb));
	tskb = btf__add_ptr(b, btf__add_typedef(b, "skb_t", btf__add_volatile(b, skb)));
	ppskb = btf__add_ptr(b, pskb);

	struct {
		const char *name;
		int params[9];
		int want, nslots, flags;
	} cases[] = {
	    {"plain", {pskb, u64t}, 1, 2, 0},
	    {"const_skb", {u64t, cskb}, 2, 2, 0},
	    {"typedef_volatile", {tskb}, 1, 1, 0},
	    /* no skb: the layout is not worked out */
	    {"double_ptr", {ppskb, u64t}, 0, 0, 0},
	    {"first_wins", {u64t, pskb, cskb}, 2, 3, 0},
	    {"after_16_byte_struct", {big16, pskb}, 3, 3, FUNC_STRUCT_ARG},
	    /* in memory, not in a register: the skb is still in the first register */
	    {"after_24_byte_struct",
	     {big24, pskb},
	     1,
	     4,
	     FUNC_STRUCT_ARG | FUNC_BIG_ARG | FUNC_IRREGULAR},
	    {"no_skb", {u64t, u64t}, 0, 0, 0},
	    {"sixth_register", {u64t, u64t, u64t, u64t, u64t, pskb}, 6, 6, 0},
	    {"first_stack_slot", {u64t, u64t, u64t, u64t, u64t, u64t, pskb}, 7, 7, 0},
	    {"ninth_slot", {u64t, u64t, u64t, u64t, u64t, u64t, u64t, u64t, pskb}, 9, 9, 0},
	    /* one register left: the pair goes to the stack whole, the skb takes the register */
	    {"pair_split",
	     {u64t, u64t, u64t, u64t, u64t, big16, pskb},
	     6,
	     8,
	     FUNC_STRUCT_ARG | FUNC_IRREGULAR},
	};
	for (i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
		struct arg_layout l;
		int k;

		proto = btf__add_func_proto(b, u64t);
		for (k = 0; k < 9 && cases[i].params[k]; k++)
			btf__add_func_param(b, "p", cases[i].params[k]);
		f = btf__add_func(b, cases[i].name, BTF_FUNC_GLOBAL, proto);
		is_int(funcset_skb_position(b, (uint32_t)f), cases[i].want, "%s: skb slot",
		       cases[i].name);
		funcset_proto_layout(b, (uint32_t)proto, &l);
		ok(l.nslots == cases[i].nslots && l.flags == cases[i].flags,
		   "%s: %d slots, flags %#x (got %d, %#x)", cases[i].name, cases[i].nslots,
		   cases[i].flags, l.nslots, l.flags);
	}
	/* fexit sign-extends what an int or an enum returns, not an unsigned */
	{
		struct arg_layout l;
		int s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED),
		    u32 = btf__add_int(b, "u32", 4, 0);

		proto = btf__add_func_proto(b, s32);
		btf__add_func_param(b, "skb", pskb);
		funcset_proto_layout(b, (uint32_t)proto, &l);
		ok(l.flags & FUNC_RET_S32, "returns int: FUNC_RET_S32");
		proto = btf__add_func_proto(b, u32);
		btf__add_func_param(b, "skb", pskb);
		funcset_proto_layout(b, (uint32_t)proto, &l);
		ok(!(l.flags & FUNC_RET_S32), "returns u32: not sign-extended");
	}
	btf__free(b);
}

static void test_live(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct kallsyms *ks = NULL;
	struct funcset_btf vm = {0};
	struct funcset fs;
	const struct func_entry *e;
	struct pwru_err err = {0};

	if (!btf || kallsyms_load(NULL, &ks) || kallsyms_hidden(ks)) {
		/* as root, both are part of what pwru needs: their absence is a failure */
		if (geteuid())
			skip("kallsyms shows addresses to root only");
		else
			ok(0, "vmlinux BTF and kallsyms addresses are readable");
		btf__free(btf);
		kallsyms_free(ks);
		return;
	}
	vm.btf = btf;
	is_int(funcset_build(&vm, 1, ks, NULL, &fs, &err), 0, "whole kernel set builds");
	ok(fs.n > 1000, "more than a thousand skb functions (%zu)", fs.n);
	e = funcset_find(&fs, "ip_rcv", NULL);
	ok(e && e->pos == 1 && e->naddrs >= 1, "ip_rcv: skb in register 1, has an address");
	e = funcset_find(&fs, "__skb_flow_dissect", NULL);
	ok(e && e->pos == 2, "__skb_flow_dissect(net, const struct sk_buff *, ...): register 2");
	e = funcset_find(&fs, "sk_skb_reason_drop", NULL);
	if (!e)
		e = funcset_find(&fs, "kfree_skb_reason", NULL);
	ok(e && e->pos == (e->name[0] == 's' ? 2 : 1), "the drop point is in the set");
	ok(!funcset_find(&fs, "schedule", NULL), "a function without skb is not");
	ok(fs.btf_matches >= fs.n + fs.no_symbol, "counts add up");
	funcset_free(&fs);

	is_int(funcset_build(&vm, 1, ks, "ip_rcv", &fs, &err), 0, "filtered set builds");
	ok(fs.n == 1 && !strcmp(fs.funcs[0].name, "ip_rcv"), "ip_rcv matches only ip_rcv");
	funcset_free(&fs);
	is_int(funcset_build(&vm, 1, ks, "ip_rcv.*", &fs, &err), 0, "prefix regex");
	ok(fs.n > 1 && funcset_find(&fs, "ip_rcv_core", NULL) && funcset_find(&fs, "ip_rcv", NULL),
	   "ip_rcv.* also finds ip_rcv_core");
	ok(!funcset_find(&fs, "ip6_rcv_core", NULL), "but not ip6_rcv_core");
	funcset_free(&fs);
	is_int(funcset_build(&vm, 1, ks, "ip_rcv|tcp_v4_rcv", &fs, &err), 0, "alternation");
	is_int(fs.n, 2, "alternation is anchored as a whole: exactly two");
	funcset_free(&fs);
	is_int(funcset_build(&vm, 1, ks, "(", &fs, &err), -1, "bad regex");
	is_int(err.cls, PWRU_BAD_INPUT, "is bad input: %s", err.msg);
	kallsyms_free(ks);
	btf__free(btf);
}

/* A func NAME of BASE's sk_buff pointer in register POS (1 or 2), added to B. */
static void add_skb_func(struct btf *b, const char *name, int skb_ptr, int u64t, int pos)
{
	int proto = btf__add_func_proto(b, u64t);

	if (pos == 2)
		btf__add_func_param(b, "x", u64t);
	btf__add_func_param(b, "skb", pos ? skb_ptr : u64t);
	btf__add_func(b, name, BTF_FUNC_GLOBAL, proto);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "we");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void write_split(const char *dir, const char *mod, struct btf *split)
{
	char path[512];
	uint32_t len;
	const void *raw = btf__raw_data(split, &len);

	snprintf(path, sizeof(path), "%s/sys/kernel/btf/%s", dir, mod);
	write_file(path, raw, len);
	btf__free(split);
}

/* Modules: moda {shared_fn(skb), mod_only_fn(x, skb), no_skb_fn(x)},
 * mod_b {shared_fn(x, skb), absent_fn(skb)}, plus an unreadable one and one without BTF. */
static void make_sysroot(char *dir, struct btf *base, int skb_ptr, int u64t)
{
	char path[512];
	struct btf *a = btf__new_empty_split(base), *b = btf__new_empty_split(base);

	snprintf(path, sizeof(path), "%s/sys", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel/btf", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/module", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/module/nobtf", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel/btf/broken", dir);
	write_file(path, "not BTF at all", 14);
	add_skb_func(a, "shared_fn", skb_ptr, u64t, 1);
	add_skb_func(a, "mod_only_fn", skb_ptr, u64t, 2);
	add_skb_func(a, "no_skb_fn", skb_ptr, u64t, 0);
	write_split(dir, "moda", a);
	add_skb_func(b, "shared_fn", skb_ptr, u64t, 2);
	add_skb_func(b, "absent_fn", skb_ptr, u64t, 1);
	write_split(dir, "mod_b", b);
}

static const char crafted_kallsyms[] = "ffffffff81000000 T shared_fn\n"
				       "ffffffff81000100 T base_only_fn\n"
				       "ffffffffc0001000 t shared_fn\t[moda]\n"
				       "ffffffffc0001100 t mod_only_fn\t[moda]\n"
				       "ffffffffc0001200 t no_skb_fn\t[moda]\n"
				       "ffffffffc0002000 t shared_fn\t[mod_b]\n"
				       "ffffffffc0002100 t mod_only_fn\t[mod_b]\n";

static int has_addr(const struct func_entry *e, uint64_t addr, uint8_t pos)
{
	return e && e->naddrs == 1 && e->addrs[0] == addr && e->pos == pos;
}

static void check_all_modules(const struct btf *base, const char *dir, struct kallsyms *ks)
{
	struct kmod_btfs kb;
	struct funcset fs;
	struct pwru_err e = {0};

	is_int(kmod_btfs_load(base, KMOD_ALL, NULL, dir, &kb, &e), 0, "all modules: loads (%s)",
	       e.msg);
	ok(kb.n == 3 && !kb.v[0].module && !strcmp(kb.v[1].module, "mod_b") &&
	       !strcmp(kb.v[2].module, "moda"),
	   "vmlinux first, then mod_b and moda by name (%zu BTFs)", kb.n);
	is_int(kb.skipped, 1, "the unreadable module BTF is skipped, not fatal");
	is_int(funcset_build(kb.v, kb.n, ks, NULL, &fs, &e), 0, "set builds");
	ok(has_addr(funcset_find(&fs, "shared_fn", NULL), 0xffffffff81000000ULL, 1),
	   "vmlinux shared_fn keeps the vmlinux address only");
	ok(has_addr(funcset_find(&fs, "shared_fn", "moda"), 0xffffffffc0001000ULL, 1),
	   "moda's shared_fn: moda's address, register 1");
	ok(has_addr(funcset_find(&fs, "shared_fn", "mod_b"), 0xffffffffc0002000ULL, 2),
	   "mod_b's shared_fn: its own address and register 2, not an ambiguity");
	ok(has_addr(funcset_find(&fs, "mod_only_fn", "moda"), 0xffffffffc0001100ULL, 2),
	   "mod_only_fn found in moda's split BTF");
	ok(!funcset_find(&fs, "mod_only_fn", "mod_b"), "mod_b's kallsyms name without BTF: not");
	ok(!funcset_find(&fs, "no_skb_fn", "moda"), "a module function without skb: not");
	ok(!funcset_find(&fs, "absent_fn", "mod_b"), "absent from kallsyms: not");
	ok(fs.n == 4 && fs.in_modules == 3 && fs.no_symbol == 1 && fs.ambiguous == 0,
	   "4 functions (3 in modules), 1 without symbol (n %zu, mod %zu, nosym %zu)", fs.n,
	   fs.in_modules, fs.no_symbol);
	funcset_free(&fs);
	is_int(funcset_build(kb.v, kb.n, ks, "shared_fn", &fs, &e), 0, "filtered build");
	is_int(fs.n, 3, "--filter-func shared_fn: one per place it lives");
	funcset_free(&fs);
	kmod_btfs_free(&kb);
}

static void check_named_modules(const struct btf *base, const char *dir, struct kallsyms *ks)
{
	struct kmod_btfs kb;
	struct funcset fs;
	struct pwru_err e = {0};
	int rc;

	is_int(kmod_btfs_load(base, KMOD_LIST, "mod-b", dir, &kb, &e), 0,
	       "--kmods mod-b: loads (%s)", e.msg);
	ok(kb.n == 2 && !strcmp(kb.v[1].module, "mod_b"), "'-' is read as '_' as modprobe does");
	funcset_build(kb.v, kb.n, ks, NULL, &fs, &e);
	ok(fs.n == 2 && funcset_find(&fs, "shared_fn", "mod_b") &&
	       !funcset_find(&fs, "shared_fn", "moda"),
	   "only vmlinux and mod_b are scanned");
	funcset_free(&fs);
	kmod_btfs_free(&kb);
	is_int(kmod_btfs_load(base, KMOD_LIST, "moda,nosuch", dir, &kb, &e), -1,
	       "--kmods with a module that is not loaded fails");
	is_int(e.cls, PWRU_BAD_INPUT, "as bad input");
	ok(strstr(e.msg, "'nosuch' is not a loaded module") != NULL, "and says which: %s", e.msg);
	ok(!kb.n && !kb.v, "and leaves nothing allocated");
	is_int(kmod_btfs_load(base, KMOD_LIST, "nobtf", dir, &kb, &e), -1,
	       "--kmods with a module without BTF fails");
	is_int(e.cls, PWRU_NOT_POSSIBLE, "as not possible here");
	ok(strstr(e.msg, "has no BTF") != NULL, "and says so: %s", e.msg);
	rc = kmod_btfs_load(base, KMOD_LIST, "broken", dir, &kb, &e);
	ok(rc == -1 && e.cls == PWRU_NOT_POSSIBLE,
	   "--kmods naming an unreadable BTF fails, not as bad input: %s", e.msg);
	is_int(kmod_btfs_load(base, KMOD_NONE, NULL, dir, &kb, &e), 0, "none");
	is_int(kb.n, 1, "--no-kmods: vmlinux only");
	kmod_btfs_free(&kb);
}

static void test_split(void)
{
	char dir[] = "/tmp/test_funcset.XXXXXX", cmd[64];
	struct btf *base = btf__new_empty();
	struct kallsyms *ks = NULL;
	int skb, skb_ptr, u64t;

	skb = btf__add_struct(base, "sk_buff", 8);
	btf__add_field(base, "len", btf__add_int(base, "unsigned int", 4, 0), 0, 0);
	skb_ptr = btf__add_ptr(base, skb);
	u64t = btf__add_int(base, "u64", 8, 0);
	add_skb_func(base, "shared_fn", skb_ptr, u64t, 1);
	if (!mkdtemp(dir) || kallsyms_parse(crafted_kallsyms, sizeof(crafted_kallsyms) - 1, &ks)) {
		ok(0, "scratch directory and kallsyms");
		btf__free(base);
		return;
	}
	make_sysroot(dir, base, skb_ptr, u64t);
	check_all_modules(base, dir, ks);
	check_named_modules(base, dir, ks);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ok(!system(cmd), "scratch removed");
	kallsyms_free(ks);
	btf__free(base);
}

/* This machine's loaded modules, when it has any with BTF. */
static void test_live_modules(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct kallsyms *ks = NULL;
	struct kmod_btfs kb = {0};
	struct funcset fs;
	struct pwru_err e = {0};
	size_t i, bad = 0;

	if (!btf || kallsyms_load(NULL, &ks) || kallsyms_hidden(ks) ||
	    kmod_btfs_load(btf, KMOD_ALL, NULL, "", &kb, &e) || kb.n < 2) {
		skip("no module BTF under /sys/kernel/btf here (%zu BTFs): see VM 15-kmods", kb.n);
		goto out;
	}
	is_int(funcset_build(kb.v, kb.n, ks, NULL, &fs, &e), 0, "vmlinux and %zu modules build",
	       kb.n - 1);
	for (i = 0; i < fs.n; i++) {
		const struct ksym *s = kallsyms_lookup_addr(ks, fs.funcs[i].addrs[0]);

		bad += !s || strcmp(s->name, fs.funcs[i].name) ||
		       (s->module ? !fs.funcs[i].module || strcmp(s->module, fs.funcs[i].module)
				  : fs.funcs[i].module != NULL);
	}
	is_int(bad, 0, "every address belongs to its own (name, module); %zu in modules",
	       fs.in_modules);
	funcset_free(&fs);
out:
	kmod_btfs_free(&kb);
	kallsyms_free(ks);
	btf__free(btf);
}

static const char ko_src[] =
    "struct sk_buff;\n"
    "struct ops { long (*xmit)(struct sk_buff *); long (*other)(int, struct sk_buff *); };\n"
    "struct one { long (*cb)(struct sk_buff *); };\n"
    "static long my_xmit(struct sk_buff *s) { return (long)s; }\n"
    "static long my_other(int x, struct sk_buff *s) { return (long)s + x; }\n"
    "static long lone(struct sk_buff *s) { return 1 + (long)s; }\n"
    "const struct ops my_ops = { my_xmit, my_other };\n"
    "const struct one my_one = { lone };\n";

static const char ko_kallsyms[] = "ffffffffc0003000 t my_xmit\t[fake_nic]\n"
				  "ffffffffc0003100 t my_other\t[fake_nic]\n"
				  "ffffffffc0003200 t lone\t[fake_nic]\n";

/*
 * A BTF read back from its bytes, as vmlinux's is: unlike one being built, libbpf must copy
 * it to add strings on top, which catches pointers held across that.
 */
static struct btf *reload(struct btf *b)
{
	uint32_t len;
	const void *raw = btf__raw_data(b, &len);
	struct btf *r = raw ? btf__new(raw, len) : NULL;

	btf__free(b);
	return r;
}

/* vmlinux types the module's tables use; DECOY adds a same-shaped struct without skb. */
static struct btf *ko_base(int decoy)
{
	struct btf *b = btf__new_empty();
	int skb, pskb, lng, intt, p1, p2, p3, pp1, pp2, pp3, ops;

	skb = btf__add_struct(b, "sk_buff", 8);
	btf__add_field(b, "len", btf__add_int(b, "unsigned int", 4, 0), 0, 0);
	pskb = btf__add_ptr(b, skb);
	lng = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	intt = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	p1 = btf__add_func_proto(b, lng);
	btf__add_func_param(b, "skb", pskb);
	p2 = btf__add_func_proto(b, lng);
	btf__add_func_param(b, "x", intt);
	btf__add_func_param(b, "skb", pskb);
	p3 = btf__add_func_proto(b, lng);
	btf__add_func_param(b, "x", lng);
	/* Members are added to the last type created: pointers first. */
	pp1 = btf__add_ptr(b, p1);
	pp2 = btf__add_ptr(b, p2);
	pp3 = btf__add_ptr(b, p3);
	ops = btf__add_struct(b, "ops", 16);
	btf__add_field(b, "xmit", pp1, 0, 0);
	btf__add_field(b, "other", pp2, 64, 0);
	btf__add_struct(b, "one", 8);
	btf__add_field(b, "cb", pp1, 0, 0);
	if (decoy) {
		btf__add_struct(b, "decoy", 16);
		btf__add_field(b, "f", pp3, 0, 0);
		btf__add_field(b, "g", pp2, 64, 0);
	}
	return ops > 0 ? reload(b) : NULL;
}

/* A sysroot where loaded module fake_nic has no BTF, only its .ko listed in modules.dep. */
static int make_ko_sysroot(const char *dir)
{
	char path[512], cmd[1024];
	struct utsname u;

	uname(&u);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/sys/module/fake_nic %s/sys/kernel/btf %s/lib/modules/%s/kernel && "
		 "touch %s/sys/module/fake_nic/initstate && "
		 "echo 'kernel/fake-nic.ko:' > %s/lib/modules/%s/modules.dep",
		 dir, dir, dir, u.release, dir, dir, u.release);
	if (system(cmd))
		return -1;
	snprintf(path, sizeof(path), "%s/fake.c", dir);
	write_file(path, ko_src, sizeof(ko_src) - 1);
	snprintf(cmd, sizeof(cmd), "cc -c -O1 -o %s/lib/modules/%s/kernel/fake-nic.ko %s 2>&1", dir,
		 u.release, path);
	return system(cmd);
}

static void test_ko(void)
{
	char dir[] = "/tmp/test_funcset_ko.XXXXXX", cmd[64];
	struct pwru_err e = {0};
	struct btf *base = ko_base(0), *decoy = ko_base(1);
	struct kallsyms *ks = NULL;
	struct kmod_btfs kb;
	struct funcset fs;

	if (!mkdtemp(dir) || make_ko_sysroot(dir) ||
	    kallsyms_parse(ko_kallsyms, sizeof(ko_kallsyms) - 1, &ks)) {
		ok(0, "build the test module with cc (a build dependency)");
		goto out;
	}
	is_int(kmod_btfs_load(base, KMOD_ALL, NULL, dir, &kb, &e), 0,
	       "a module without BTF loads (%s)", e.msg);
	ok(kb.n == 2 && kb.from_ko == 1 && !kb.untyped && !strcmp(kb.v[1].module, "fake_nic"),
	   "fake_nic's callbacks typed from its .ko found through modules.dep (n %zu ko %zu "
	   "untyped %zu)",
	   kb.n, kb.from_ko, kb.untyped);
	funcset_build(kb.v, kb.n, ks, NULL, &fs, &e);
	ok(has_addr(funcset_find(&fs, "my_xmit", "fake_nic"), 0xffffffffc0003000ULL, 1),
	   "ops.xmit slot: my_xmit, skb in register 1");
	ok(has_addr(funcset_find(&fs, "my_other", "fake_nic"), 0xffffffffc0003100ULL, 2),
	   "ops.other slot: my_other, skb in register 2");
	ok(!funcset_find(&fs, "lone", "fake_nic"), "a table of one pointer is not trusted");
	funcset_free(&fs);
	kmod_btfs_free(&kb);
	is_int(kmod_btfs_load(decoy, KMOD_ALL, NULL, dir, &kb, &e), 0,
	       "with a same-shaped struct disagreeing on the skb");
	ok(kb.n == 1 && kb.untyped == 1, "nothing is typed: a guess would be a wrong register");
	kmod_btfs_free(&kb);
	is_int(kmod_btfs_load(decoy, KMOD_LIST, "fake-nic", dir, &kb, &e), -1,
	       "--kmods naming it then fails");
	ok(e.cls == PWRU_NOT_POSSIBLE && strstr(e.msg, "no BTF") != NULL, "saying why: %s", e.msg);
out:
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	system(cmd);
	kallsyms_free(ks);
	btf__free(base);
	btf__free(decoy);
}

int main(void)
{
	test_ko();
	test_positions();
	test_live();
	test_split();
	test_live_modules();
	return tap_done();
}
