// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "fake_root.h"
#include "fuzz_copy.h"
#include "filters/skb_btf.h"
#include "src/output/drop_reason.h"
#include "src/probe/btf_uses.h"

#define CONFIG 0x5157ull
#define PROGS  0x42ull

/* A stand-in for the CO-RE cut: the copy keeps its bytes whatever they are. */
static void give_core(struct btf_uses *u)
{
	static const char blob[] = "raw BTF stand-in";
	int fd = memfd_create("core", MFD_CLOEXEC);

	if (fd < 0 || write(fd, blob, sizeof(blob)) != sizeof(blob))
		return;
	ok(!btf_uses_take_core(u, PROGS, fd) && u->core_len == sizeof(blob),
	   "the cut is taken from the memfd whole");
	close(fd);
}

/* A stand-in for the CO-RE results (core_kept.h), kept whatever they are. */
static void give_results(struct btf_uses *u)
{
	static const char res[] = "CO-RE results stand-in";
	unsigned char *p = malloc(sizeof(res));

	if (p)
		memcpy(p, res, sizeof(res));
	btf_uses_take_results(u, p, sizeof(res));
}

static bool same_reasons(const struct drop_reasons *a, const struct drop_reasons *b)
{
	size_t i, n = drop_reasons_count(a);
	uint64_t va, vb;

	if (n != drop_reasons_count(b))
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(drop_reasons_at(a, i, &va), drop_reasons_at(b, i, &vb)) || va != vb)
			return false;
	return true;
}

/* What a start reads back is what the parse it replaces gives, every field of it. */
static void check_same(const struct btf_uses *got, const struct btf_uses *made)
{
	uint64_t v = 0, w = 1;
	const char *name;

	ok(!memcmp(&got->refs, &made->refs, sizeof(made->refs)), "kernel refs kept");
	ok(got->get_func_ip == made->get_func_ip, "bpf_get_func_ip's presence kept");
	ok(!memcmp(got->ktype_ids, made->ktype_ids, sizeof(made->ktype_ids)), "type ids kept");
	is_int(got->test_fn_id, made->test_fn_id, "bpf_fentry_test1's id kept");
	ok(!memcmp(&got->cast, &made->cast, sizeof(made->cast)) && got->cast_rc == made->cast_rc,
	   "the filter's cast kept");
	ok(same_reasons(got->reasons, made->reasons), "%zu drop reasons kept, in order",
	   drop_reasons_count(made->reasons));
	/* the table is searchable, not only a list: done() ran on it */
	name = drop_reasons_at(made->reasons, drop_reasons_count(made->reasons) - 1, &v);
	ok(!drop_reason_value(got->reasons, name, &w) && w == v &&
	       drop_reason_name(got->reasons, v) &&
	       !strcmp(drop_reason_name(got->reasons, v), name),
	   "a reason found by name and by value (%s)", name);
	/* 6.2+: SKB_CONSUMED is "not a drop", asked of every drop event */
	v = 0;
	drop_reason_value(made->reasons, "SKB_CONSUMED", &v);
	ok(drop_reason_consumed(got->reasons, v) == drop_reason_consumed(made->reasons, v),
	   "SKB_CONSUMED (%llu) known as in the parse", (unsigned long long)v);
	is_int(got->nft_id, made->nft_id, "nft_do_chain's id in nf_tables' BTF kept");
	ok(got->core_progs == PROGS && got->core_len == made->core_len &&
	       !memcmp(got->core, made->core, made->core_len),
	   "the cut kept for the same programs");
	ok(got->core_res_len == made->core_res_len && made->core_res_len &&
	       !memcmp(got->core_res, made->core_res, made->core_res_len),
	   "the CO-RE results kept with it");
}

/*
 * ROOT's /sys/kernel/btf/nf_tables with LEN bytes (0: none), in a new file (a new inode
 * number, as a reload gives) when FRESH, else in the same one.
 */
static void nf_tables_btf(const char *root, size_t len, bool fresh)
{
	char path[512], tmp[520];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/btf/nf_tables", root);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if (!len) {
		unlink(path);
		return;
	}
	f = fopen(fresh ? tmp : path, "we");
	if (f) {
		while (len--)
			fputc('b', f);
		fclose(f);
	}
	/* made while the old one still exists: another inode number */
	if (fresh && rename(tmp, path))
		fprintf(stderr, "# could not make %s\n", path);
}

/* The copy's word follows nf_tables' BTF: loaded, unloaded, reloaded. */
static void check_config(const char *root)
{
	char dir[512];
	uint64_t none, loaded;

	snprintf(dir, sizeof(dir), "mkdir -p %s/sys/kernel/btf", root);
	if (system(dir))
		fprintf(stderr, "# could not make %s/sys/kernel/btf\n", root);
	none = btf_uses_config(root, CONFIG);
	is_int(btf_uses_config(root, 0) == 0, 1, "no discovery copy: no btf copy either (0)");
	ok(none == btf_uses_config(root, CONFIG),
	   "without nf_tables the word is CONFIG's own, the same at each start");
	ok(btf_uses_config(root, CONFIG + 1) != none, "another CONFIG: another word");
	nf_tables_btf(root, 100, true);
	loaded = btf_uses_config(root, CONFIG);
	ok(loaded != none && loaded == btf_uses_config(root, CONFIG),
	   "nf_tables loaded: another word, the same at each start");
	nf_tables_btf(root, 100, true);
	ok(btf_uses_config(root, CONFIG) != loaded,
	   "nf_tables reloaded (its BTF file made again, as big): another word");
	loaded = btf_uses_config(root, CONFIG);
	nf_tables_btf(root, 101, false);
	ok(btf_uses_config(root, CONFIG) != loaded, "a BTF of another size: another word");
	nf_tables_btf(root, 0, false);
	ok(btf_uses_config(root, CONFIG) == none, "nf_tables unloaded: the word without it");
}

static void damage_last_byte(const char *root)
{
	char path[512];
	unsigned char c;
	off_t end;
	int fd;

	snprintf(path, sizeof(path), "%s/run/pwru/btf", root);
	fd = open(path, O_RDWR);
	end = fd >= 0 ? lseek(fd, -1, SEEK_END) : -1;
	if (end >= 0 && pread(fd, &c, 1, end) == 1) {
		c ^= 0x5a;
		if (pwrite(fd, &c, 1, end) != 1)
			fprintf(stderr, "# could not damage %s\n", path);
	}
	if (fd >= 0)
		close(fd);
}

struct fuzz_arg {
	const char *root;
	struct btf_uses got;
};

/* Taken: the drop reasons a table, the cut as long as the copy said. */
static enum fuzz_take take_uses(void *arg)
{
	struct fuzz_arg *a = arg;
	struct boot_key key;
	bool taken = btf_uses_read(a->root, CONFIG, &a->got, &key);
	bool sound = !taken || (a->got.reasons && a->got.core && a->got.core_len);

	btf_uses_free(&a->got);
	return !taken ? FUZZ_REFUSED : sound ? FUZZ_TAKEN : FUZZ_UNSOUND;
}

/* Every cut and a flipped bit in every byte, with the sum as it was and made right. */
static void fuzz(const char *root)
{
	struct fuzz_arg a = {.root = root};
	struct fuzz_counts n;

	fuzz_copy(root, "btf", take_uses, &a, &n);
	fuzz_checks(&n, 1000);
}

static __u32 id_or_0(const struct btf *btf, const char *name, int kind)
{
	int id = btf__find_by_name_kind(btf, name, kind);

	return id > 0 ? (__u32)id : 0;
}

/* The one walk finds what libbpf's btf__find_by_name_kind(), a walk per name, finds. */
static void same_as_libbpf(const struct btf *btf, const struct btf_uses *u)
{
	static const char *const kt[PWRU_KT_N] = {PWRU_KTYPE_NAMES};
	struct cbpf_cast cast = {0};
	int k, cast_rc = cbpf_cast_from_btf(btf, &cast), bad = 0;

	for (k = 0; k < PWRU_KT_N; k++)
		bad +=
		    u->ktype_ids[k] != (__u32)btf__find_by_name_kind(btf, kt[k], BTF_KIND_STRUCT);
	ok(!bad, "the struct ids are libbpf's");
	is_int(u->test_fn_id, btf__find_by_name_kind(btf, "bpf_fentry_test1", BTF_KIND_FUNC),
	       "bpf_fentry_test1's id is libbpf's");
	/* a VAR until 6.10 (0 after: no such variable, and libbpf says -ENOENT) */
	ok(u->refs.redirect_info == id_or_0(btf, "bpf_redirect_info", BTF_KIND_VAR) &&
	       u->refs.rdonly_cast == id_or_0(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) &&
	       u->refs.rdonly_cast,
	   "the kernel refs are libbpf's (%u, %u)", u->refs.rdonly_cast, u->refs.redirect_info);
	ok(u->cast_rc == cast_rc && !memcmp(&u->cast, &cast, sizeof(cast)) &&
	       (cast_rc || u->cast.window > 0),
	   "the cast's ids are libbpf's (rc %d, kfunc %d, type %d, window %d)", u->cast_rc,
	   u->cast.kfunc, u->cast.type, u->cast.window);
}

int main(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct btf_uses made, got;
	struct boot_key key, key2;
	char root[64];

	if (!btf) {
		skip("this machine has no /sys/kernel/btf/vmlinux");
		return tap_done();
	}
	is_int(btf_uses_find(btf, false, &made), 0, "this kernel's BTF gives its uses");
	/* what a parse must give here, or the round trip below proves nothing */
	ok(made.ktype_ids[0] && made.test_fn_id > 0 && drop_reasons_count(made.reasons),
	   "sk_buff, bpf_fentry_test1 and the drop reasons found (%u, %d, %zu)", made.ktype_ids[0],
	   made.test_fn_id, drop_reasons_count(made.reasons));
	same_as_libbpf(btf, &made);
	give_core(&made);
	give_results(&made);
	made.nft_id = 4242;
	make_root(root, NULL);
	check_config(root);
	ok(!btf_uses_read(root, CONFIG, &got, &key) && key.ok, "no copy yet; the key is taken");
	btf_uses_write(root, CONFIG, &made, &key);
	ok(btf_uses_read(root, CONFIG, &got, &key2), "the next start reads the copy");
	check_same(&got, &made);
	give_core(&got);
	ok(!got.core_res && !got.core_res_len, "a new cut drops the results made for the old one");
	btf_uses_free(&got);
	fuzz(root);
	ok(btf_uses_read(root, CONFIG, &got, &key2), "the copy put back is read");
	btf_uses_free(&got);
	ok(!btf_uses_read(root, CONFIG + 1, &got, &key2) && !got.reasons,
	   "another build or flags: refused");
	btf_uses_free(&got); /* a refusal that failed holds a table */
	damage_last_byte(root);
	ok(!btf_uses_read(root, CONFIG, &got, &key2), "a damaged copy: refused");
	btf_uses_free(&got);
	remove_root(root);
	btf_uses_free(&made);
	btf__free(btf);
	return tap_done();
}
