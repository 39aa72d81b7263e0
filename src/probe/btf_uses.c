// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "filters/skb_btf.h"
#include "src/discover/btf_check.h"
#include "src/discover/btf_find.h"
#include "src/discover/disc_cache.h"
#include "src/output/drop_reason.h"
#include "src/probe/btf_uses.h"
#include "src/probe/core_btf.h"

#define COPY_NAME "btf"
#define COPY_KIND 'b'
/* bumped whenever the body's layout changes; a build's own identity is in CONFIG too */
#define LAYOUT	  4
#define MAX_BYTES (64u << 20)

/* The body's first bytes; then the reasons (value, length, name), the cut, its results. */
struct uses_head {
	uint64_t config, sum; /* the sum is over what follows it, this header's rest too */
	uint32_t layout, get_func_ip;
	struct kernel_refs refs;
	__u32 ktype_ids[PWRU_KT_N];
	int32_t test_fn_id, cast_rc;
	struct cbpf_cast cast;
	int32_t nft_id, spare;
	uint64_t core_progs, core_len, core_res_len, nreasons;
};

/* Where the sum starts: the ids and offsets kept in the header are summed as well. */
#define SUMMED offsetof(struct uses_head, layout)

uint64_t btf_uses_config(const char *root, uint64_t config)
{
	uint64_t v[3] = {config, 0, 0};
	char path[512];
	struct stat st;

	if (!config)
		return 0; /* nothing kept */
	snprintf(path, sizeof(path), "%s/sys/kernel/btf/nf_tables", root);
	/*
	 * Not its times: sysfs gives a file the time its inode was made in the cache, made
	 * again after an eviction. A reload of the module makes a file with a new number.
	 */
	if (!stat(path, &st)) {
		v[1] = st.st_ino;
		v[2] = (uint64_t)st.st_size;
	}
	return disc_cache_sum(v, sizeof(v));
}

/* What a start wants of the kernel's BTF by name, found in one walk (btf_find_all). */
enum {
	W_RDONLY_CAST,
	W_REDIRECT_INFO,
	W_TEST_FN,
	W_CAST,
	W_KTYPE = W_CAST + 2,
	W_N = W_KTYPE + PWRU_KT_N
};

int btf_uses_find(const struct btf *btf, bool user_btf, struct btf_uses *u)
{
	static const char *const cast[2] = {CBPF_CAST_STRUCTS};
	struct btf_want w[W_N] = {[W_TEST_FN] = {"bpf_fentry_test1", BTF_KIND_FUNC, 0}};
	__s32 cast_ids[2];
	int i;

	memset(u, 0, sizeof(*u));
	memcpy(w, kernel_refs_wants, sizeof(kernel_refs_wants));
	for (i = 0; i < 2; i++)
		w[W_CAST + i] = (struct btf_want){cast[i], BTF_KIND_STRUCT, 0};
	ktype_wants(w + W_KTYPE);
	btf_find_all(btf, w, W_N);
	/* a --kernel-btf file's ids may not be the running kernel's: none of them */
	if (!user_btf)
		u->refs = (struct kernel_refs){w[W_RDONLY_CAST].id, w[W_REDIRECT_INFO].id};
	u->get_func_ip = btf_enum_has(btf, "bpf_func_id", "BPF_FUNC_get_func_ip");
	for (i = 0; i < PWRU_KT_N; i++)
		u->ktype_ids[i] = w[W_KTYPE + i].id;
	u->test_fn_id = w[W_TEST_FN].id ? (int)w[W_TEST_FN].id : -ENOENT;
	for (i = 0; i < 2; i++)
		cast_ids[i] = (__s32)w[W_CAST + i].id;
	u->cast_rc = user_btf
			 ? -ENOENT
			 : cbpf_cast_from_ids(btf, (__s32)w[W_RDONLY_CAST].id, cast_ids, &u->cast);
	return drop_reasons_load(btf, &u->reasons);
}

uint64_t btf_uses_progs(struct bpf_object *obj)
{
	struct bpf_program *p;
	const char *s;
	uint64_t h = 0xcbf29ce484222325ULL;

	bpf_object__for_each_program(p, obj)
	{
		if (!bpf_program__autoload(p))
			continue;
		for (s = bpf_program__name(p); *s; s++)
			h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
		h = (h ^ 0x100) * 0x100000001b3ULL;
	}
	return h;
}

int btf_uses_take_core(struct btf_uses *u, uint64_t progs, int fd)
{
	struct stat st;
	unsigned char *p;

	if (fstat(fd, &st))
		return -errno;
	p = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!p)
		return -ENOMEM;
	if (pread(fd, p, (size_t)st.st_size, 0) != st.st_size) {
		free(p);
		return -EIO;
	}
	free(u->core);
	u->core = p;
	u->core_len = (size_t)st.st_size;
	u->core_progs = progs;
	btf_uses_take_results(u, NULL, 0); /* they were another cut's */
	return 0;
}

void btf_uses_take_results(struct btf_uses *u, unsigned char *res, size_t len)
{
	free(u->core_res);
	u->core_res = res;
	u->core_res_len = res ? len : 0;
}

static void put_reasons(FILE *f, const struct drop_reasons *dr)
{
	size_t i, n = drop_reasons_count(dr);
	uint64_t value;
	uint32_t len;

	for (i = 0; i < n; i++) {
		const char *name = drop_reasons_at(dr, i, &value);

		len = (uint32_t)strlen(name);
		fwrite(&value, sizeof(value), 1, f);
		fwrite(&len, sizeof(len), 1, f);
		fwrite(name, 1, len, f);
	}
}

void btf_uses_write(const char *root, uint64_t config, const struct btf_uses *u,
		    const struct boot_key *key)
{
	struct uses_head h = {.config = config,
			      .layout = LAYOUT,
			      .get_func_ip = u->get_func_ip,
			      .refs = u->refs,
			      .test_fn_id = u->test_fn_id,
			      .cast_rc = u->cast_rc,
			      .cast = u->cast,
			      .nft_id = u->nft_id,
			      .core_progs = u->core_progs,
			      .core_len = u->core_len,
			      .core_res_len = u->core_res_len,
			      .nreasons = drop_reasons_count(u->reasons)};
	struct boot_copy c = {.kind = COPY_KIND};
	char *body = NULL;
	size_t len = 0;
	FILE *f;

	if (!key->ok || !u->core)
		return;
	memcpy(h.ktype_ids, u->ktype_ids, sizeof(h.ktype_ids));
	f = open_memstream(&body, &len);
	if (!f)
		return;
	fwrite(&h, sizeof(h), 1, f);
	put_reasons(f, u->reasons);
	fwrite(u->core, 1, u->core_len, f);
	if (u->core_res)
		fwrite(u->core_res, 1, u->core_res_len, f);
	if (!fclose(f) && len >= sizeof(h)) {
		h.sum = disc_cache_sum(body + SUMMED, len - SUMMED);
		memcpy(body, &h, sizeof(h));
		snprintf(c.source, sizeof(c.source), "the kernel's BTF");
		boot_cache_put(root, COPY_NAME, key, &c, body, len);
	}
	free(body);
}

/* The cut and its results from BODY + OFF to LEN, as H says; false when they do not fit. */
static bool take_core(const struct uses_head *h, const unsigned char *body, size_t len, size_t off,
		      struct btf_uses *u)
{
	if (len - off < h->core_len || len - off - h->core_len != h->core_res_len ||
	    !(u->core = malloc(h->core_len + 1)))
		return false;
	memcpy(u->core, body + off, h->core_len);
	u->core_len = h->core_len;
	if (!h->core_res_len)
		return true;
	u->core_res = malloc(h->core_res_len);
	if (!u->core_res)
		return false;
	memcpy(u->core_res, body + off + h->core_len, h->core_res_len);
	u->core_res_len = h->core_res_len;
	return true;
}

/* The reasons, the cut and its results after H in BODY (LEN bytes); false when they do not fit. */
static bool take(const struct uses_head *h, const unsigned char *body, size_t len,
		 struct btf_uses *u)
{
	size_t off = sizeof(*h), i;
	uint64_t value;
	uint32_t n;
	char *name;

	u->reasons = drop_reasons_new();
	for (i = 0; u->reasons && i < h->nreasons; i++) {
		if (len - off < sizeof(value) + sizeof(n))
			return false;
		memcpy(&value, body + off, sizeof(value));
		memcpy(&n, body + off + sizeof(value), sizeof(n));
		off += sizeof(value) + sizeof(n);
		if (len - off < n || !(name = strndup((const char *)body + off, n)))
			return false;
		off += n;
		n = (uint32_t)drop_reasons_add(u->reasons, value, name);
		free(name);
		if (n)
			return false;
	}
	if (!u->reasons || !take_core(h, body, len, off, u))
		return false;
	drop_reasons_done(u->reasons);
	return true;
}

static bool fill(const unsigned char *body, size_t len, uint64_t config, struct btf_uses *u)
{
	struct uses_head h;

	if (len < sizeof(h))
		return false;
	memcpy(&h, body, sizeof(h));
	if (h.config != config || h.layout != LAYOUT ||
	    h.sum != disc_cache_sum(body + SUMMED, len - SUMMED))
		return false;
	*u = (struct btf_uses){.refs = h.refs,
			       .get_func_ip = h.get_func_ip,
			       .test_fn_id = h.test_fn_id,
			       .cast = h.cast,
			       .cast_rc = h.cast_rc,
			       .nft_id = h.nft_id,
			       .core_progs = h.core_progs};
	memcpy(u->ktype_ids, h.ktype_ids, sizeof(h.ktype_ids));
	return take(&h, body, len, u);
}

bool btf_uses_read(const char *root, uint64_t config, struct btf_uses *u, struct boot_key *key)
{
	size_t len;
	unsigned char *body = boot_cache_get(root, COPY_NAME, key, COPY_KIND, MAX_BYTES, &len);
	bool ok;

	memset(u, 0, sizeof(*u)); /* a refusal frees what was taken, and only that */
	ok = body && fill(body, len, config, u);
	free(body);
	if (!ok)
		btf_uses_free(u);
	return ok;
}

void btf_uses_free(struct btf_uses *u)
{
	drop_reasons_free(u->reasons);
	free(u->core);
	free(u->core_res);
	memset(u, 0, sizeof(*u));
}
