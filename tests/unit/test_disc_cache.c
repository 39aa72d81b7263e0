// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tap.h"
#include "fake_root.h"
#include "fuzz_copy.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/disc_cache.h"

static const char table[] = "ffffffff81000000 T _text\n"
			    "ffffffff81ff8c00 T ip_rcv\n"
			    "ffffffff81ff8d00 t ip_rcv_finish\n"
			    "ffffffff81ff8e00 t ip_rcv_finish\n"
			    "ffffffffc0a01000 t veth_xmit\t[veth]\n";

/* What one discovery found: the tracer's fields, here on their own. */
struct found {
	struct funcset fs, tps;
	struct kallsyms *ks;
	struct traceable tr;
	size_t unreadable, without_btf, from_ko;
};

static struct disc_view view(struct found *f)
{
	return (struct disc_view){.fs = &f->fs,
				  .tps = &f->tps,
				  .ksyms = &f->ks,
				  .tr = &f->tr,
				  .kmods = {&f->unreadable, &f->without_btf, &f->from_ko}};
}

static uint64_t *addrs(size_t n, uint64_t first, uint64_t step)
{
	uint64_t *a = calloc(n, sizeof(*a));
	size_t i;

	for (i = 0; i < n; i++)
		a[i] = first + i * step;
	return a;
}

/* Two functions (one in a module, one with two copies), one dropped, one tracepoint. */
static void fill(struct found *f)
{
	memset(f, 0, sizeof(*f));
	f->fs.funcs = calloc(2, sizeof(struct func_entry));
	f->fs.funcs[0] = (struct func_entry){.name = strdup("ip_rcv_finish"),
					     .addrs = addrs(2, 0xffffffff81ff8d00, 0x100),
					     .naddrs = 2,
					     .btf_id = 4711,
					     .pos = 3,
					     .nslots = 3,
					     .flags = FUNC_RET_S32 | FUNC_WANT_RET};
	f->fs.funcs[1] = (struct func_entry){.name = strdup("veth_xmit"),
					     .module = strdup("veth"),
					     .addrs = addrs(1, 0xffffffffc0a01000, 0),
					     .naddrs = 1,
					     .btf_id = 70001,
					     .pos = 1,
					     .nslots = 2};
	f->fs.n = 2;
	f->fs.dropped = calloc(1, sizeof(struct func_entry));
	f->fs.dropped[0] = (struct func_entry){
	    .name = strdup("ip_inlined"), .pos = 1, .nslots = 1, .dropped = DROPPED_NO_SYMBOL};
	f->fs.ndropped = 1;
	f->fs.btf_matches = 3;
	f->fs.in_modules = 1;
	f->fs.no_symbol = 1;
	f->tps.funcs = calloc(1, sizeof(struct func_entry));
	f->tps.funcs[0] =
	    (struct func_entry){.name = strdup("kfree_skb"), .btf_id = 900, .pos = 2, .nslots = 4};
	f->tps.n = 1;
	kallsyms_parse(table, sizeof(table) - 1, &f->ks);
	f->tr.ftrace_ips = addrs(3, 0xffffffff81ff8c04, 0x100);
	f->tr.nftrace_ips = 3;
	f->tr.blacklist = calloc(1, sizeof(*f->tr.blacklist));
	f->tr.blacklist[0][0] = 0xffffffff81000000;
	f->tr.blacklist[0][1] = 0xffffffff81000100;
	f->tr.nblacklist = 1;
	strcpy(f->tr.ftrace_source, "/sys/kernel/tracing/available_filter_functions_addrs");
	f->unreadable = 1;
	f->without_btf = 2;
	f->from_ko = 3;
}

static void empty(struct found *f)
{
	funcset_free(&f->fs);
	funcset_free(&f->tps);
	kallsyms_free(f->ks);
	traceable_free(&f->tr);
	memset(f, 0, sizeof(*f));
}

/* Reads ROOT's copy into F (emptied first): true when it was taken. */
static bool read_copy(const char *root, uint64_t config, struct found *f, struct boot_key *key)
{
	struct disc_view v;

	empty(f);
	v = view(f);
	return disc_cache_read(root, config, &v, key);
}

static bool same_entry(const struct func_entry *a, const struct func_entry *b)
{
	return !strcmp(a->name, b->name) && !a->module == !b->module &&
	       (!a->module || !strcmp(a->module, b->module)) && a->naddrs == b->naddrs &&
	       !a->addrs == !b->addrs &&
	       (!a->addrs || !memcmp(a->addrs, b->addrs, a->naddrs * sizeof(uint64_t))) &&
	       a->btf_id == b->btf_id && a->pos == b->pos && a->nslots == b->nslots &&
	       a->dropped == b->dropped;
}

static void test_round_trip(void)
{
	struct found made, got = {0};
	struct disc_view v;
	struct boot_key key;
	const struct ksym *s;
	uint64_t config = disc_cache_config("/proc/self/exe", NULL, "flags");
	char root[64], want[200];

	make_root(root, NULL);
	ok(!read_copy(root, config, &got, &key) && key.ok,
	   "no copy yet: the key is taken all the same");
	fill(&made);
	v = view(&made);
	disc_cache_write(root, config, &v, &key);
	ok(read_copy(root, config, &got, &key), "the next read takes the copy");
	ok(got.fs.n == 2 && same_entry(&got.fs.funcs[0], &made.fs.funcs[0]) &&
	       same_entry(&got.fs.funcs[1], &made.fs.funcs[1]),
	   "the functions, names, modules, addresses, BTF ids and skb positions alike");
	is_int(got.fs.funcs[0].flags, FUNC_RET_S32,
	       "the argument flags kept, the return-value mark not");
	ok(got.fs.ndropped == 1 && same_entry(&got.fs.dropped[0], &made.fs.dropped[0]) &&
	       got.fs.btf_matches == 3 && got.fs.in_modules == 1 && got.fs.no_symbol == 1,
	   "the dropped functions and the counts, for --debug and the attach line");
	ok(got.tps.n == 1 && same_entry(&got.tps.funcs[0], &made.tps.funcs[0]), "the tracepoints");
	ok(got.ks && kallsyms_count(got.ks) == 5 &&
	       kallsyms_lookup_name(got.ks, "ip_rcv_finish", NULL, &s) == 2 &&
	       kallsyms_lookup_name(got.ks, "veth_xmit", "veth", &s) == 1 &&
	       s->addr == 0xffffffffc0a01000 && kallsyms_lookup_addr(got.ks, 0xffffffff81ff8c00),
	   "kallsyms' kept names, by name and by address");
	ok(got.tr.nftrace_ips == 3 && !memcmp(got.tr.ftrace_ips, made.tr.ftrace_ips, 24) &&
	       traceable_ftrace(&got.tr, "ip_rcv", 0xffffffff81ff8c00) &&
	       !traceable_ftrace(&got.tr, "x", 0xffffffff81000000) &&
	       !traceable_kprobe(&got.tr, 0xffffffff81000010) &&
	       traceable_kprobe(&got.tr, 0xffffffff81ff8c00),
	   "the traceable verdicts: ftrace's and the kprobe blacklist's");
	snprintf(want, sizeof(want),
		 "/sys/kernel/tracing/available_filter_functions_addrs, kept in %s/run/pwru", root);
	is_str(got.tr.ftrace_source, want, "the list's source, said to be kept");
	ok(got.unreadable == 1 && got.without_btf == 2 && got.from_ko == 3, "the module counts");
	/* kept again from what was read: the source is not said kept twice */
	v = view(&got);
	disc_cache_write(root, config, &v, &key);
	ok(read_copy(root, config, &made, &key) &&
	       !strstr(strstr(made.tr.ftrace_source, "kept in") + 1, "kept in"),
	   "a copy made from a copy says kept once: %s", made.tr.ftrace_source);
	empty(&made);
	empty(&got);
	remove_root(root);
}

/* fill()'s result kept in ROOT under CONFIG. */
static void keep(const char *root, uint64_t config)
{
	struct found f = {0};
	struct disc_view v;
	struct boot_key key;

	read_copy(root, config, &f, &key);
	empty(&f);
	fill(&f);
	v = view(&f);
	disc_cache_write(root, config, &v, &key);
	empty(&f);
}

static void test_refused(void)
{
	struct found got = {0};
	struct boot_key key;
	char root[64], path[128], exe[128];
	uint64_t config, other;
	struct stat st;
	int fd;

	make_root(root, NULL);
	snprintf(exe, sizeof(exe), "%s/pwru", root);
	put(root, "/pwru", "build 1");
	config = disc_cache_config(exe, NULL, "flags");
	keep(root, config);
	ok(read_copy(root, config, &got, &key), "a copy kept");
	put(root, "/proc/modules", "veth 40960 0 - Live 0xffffffffc0a00000\n");
	ok(!read_copy(root, config, &got, &key) && !got.fs.n && !got.ks,
	   "a module gone since: refused, nothing read");
	keep(root, config);
	put(root, "/pwru", "build 2, another size");
	other = disc_cache_config(exe, NULL, "flags");
	ok(other != config && !read_copy(root, other, &got, &key), "another pwru build: refused");
	ok(disc_cache_config(exe, NULL, "other flags") != other &&
	       disc_cache_config(exe, "/proc/self/exe", "flags") != other,
	   "other flags, or a --kernel-btf file, make another config");
	keep(root, other);
	snprintf(path, sizeof(path), "%s/run/pwru/discovery", root);
	ok(truncate(path, 400) == 0 && !read_copy(root, other, &got, &key) && !got.fs.n,
	   "a copy cut short: refused");
	keep(root, other);
	/* the last byte: a kprobe blacklist address, which no parse could question */
	fd = open(path, O_WRONLY);
	ok(fd >= 0 && !fstat(fd, &st) && pwrite(fd, "X", 1, st.st_size - 1) == 1 && !close(fd) &&
	       !read_copy(root, other, &got, &key) && !got.fs.n && !got.tps.n && !got.ks,
	   "a copy with a byte changed: refused");
	setenv("PWRU_NO_CACHE", "1", 1);
	unlink(path);
	keep(root, other);
	unsetenv("PWRU_NO_CACHE");
	ok(access(path, F_OK) && !read_copy(root, other, &got, &key),
	   "PWRU_NO_CACHE=1 keeps nothing");
	empty(&got);
	remove_root(root);
}

/* What the backends index by or walk is in bounds (FUNCSET_MAX_POS, the addresses). */
static bool sound_set(const struct funcset *fs)
{
	size_t i;

	for (i = 0; i < fs->n + fs->ndropped; i++) {
		const struct func_entry *f = i < fs->n ? &fs->funcs[i] : &fs->dropped[i - fs->n];

		if (!f->name || f->pos > FUNCSET_MAX_POS || (f->naddrs && !f->addrs))
			return false;
	}
	return true;
}

struct fuzz_arg {
	const char *root;
	uint64_t config;
	struct found f;
};

static enum fuzz_take take_disc(void *arg)
{
	struct fuzz_arg *a = arg;
	struct boot_key key;

	if (!read_copy(a->root, a->config, &a->f, &key))
		return FUZZ_REFUSED;
	return sound_set(&a->f.fs) && sound_set(&a->f.tps) && a->f.ks ? FUZZ_TAKEN : FUZZ_UNSOUND;
}

static void test_fuzz(void)
{
	uint64_t config = disc_cache_config("/proc/self/exe", NULL, "flags");
	struct fuzz_arg a = {.config = config};
	struct fuzz_counts n;
	struct boot_key key;
	char root[64];

	make_root(root, NULL);
	a.root = root;
	keep(root, config);
	fuzz_copy(root, "discovery", take_disc, &a, &n);
	fuzz_checks(&n, 500);
	ok(read_copy(root, config, &a.f, &key) && a.f.fs.n == 2, "the copy put back is taken");
	empty(&a.f);
	remove_root(root);
}

int main(void)
{
	test_round_trip();
	test_refused();
	test_fuzz();
	return tap_done();
}
