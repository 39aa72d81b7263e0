// SPDX-License-Identifier: GPL-2.0
/*
 * Modules without BTF (kernels before 5.11) typed from their .ko: the same ops table built
 * for x86-64 and for arm64 (tests/fuzz/parsers/ko/seed_ops.c, whose shape is struct
 * header_ops), each read with its own architecture's address relocation, whatever pwru
 * was built for. The vmlinux is a BTF of the test's own: a real kernel's may hold other
 * 48-byte ops structs that make the match ambiguous (6.18's does).
 */
#include <errno.h>
#include <bpf/btf.h>
#include "tap.h"
#include "src/discover/kmod_ko.h"

/* The first parameter of function NAME in the split BTF MOD, as "struct NAME *", or "". */
static const char *first_param(const struct btf *mod, const char *name)
{
	static char buf[64];
	const struct btf_type *fn, *proto, *ptr, *st;
	const struct btf_param *p;
	int id = btf__find_by_name_kind(mod, name, BTF_KIND_FUNC);

	buf[0] = 0;
	if (id <= 0)
		return buf;
	fn = btf__type_by_id(mod, id);
	proto = btf__type_by_id(mod, fn->type);
	if (!proto || btf_vlen(proto) < 1)
		return buf;
	p = btf_params(proto);
	ptr = btf__type_by_id(mod, p->type);
	if (!btf_is_ptr(ptr))
		return buf;
	st = btf__type_by_id(mod, ptr->type);
	while (btf_is_mod(st))
		st = btf__type_by_id(mod, st->type);
	if (btf_is_struct(st))
		snprintf(buf, sizeof(buf), "struct %s *", btf__name_by_offset(mod, st->name_off));
	return buf;
}

/* struct header_ops as far as the matcher looks: create(skb, ...), parse(skb, ...), 48 bytes. */
static struct btf *fixture_vmlinux(void)
{
	struct btf *b = btf__new_empty();
	int skb = btf__add_struct(b, "sk_buff", 232);
	int skb_ptr = btf__add_ptr(b, skb);
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int proto = btf__add_func_proto(b, u32);
	int proto_ptr, ops;

	btf__add_func_param(b, "skb", skb_ptr);
	btf__add_func_param(b, "len", u32);
	proto_ptr = btf__add_ptr(b, proto);
	ops = btf__add_struct(b, "header_ops", 48);
	btf__add_field(b, "create", proto_ptr, 0, 0);
	btf__add_field(b, "parse", proto_ptr, 64, 0);
	if (skb < 0 || u32 < 0 || proto < 0 || ops < 0) {
		btf__free(b);
		return NULL;
	}
	return b;
}

static void test_arch(const struct btf *vmlinux, const char *arch)
{
	char path[128];
	struct btf *mod;

	snprintf(path, sizeof(path), "build/tests/data/ops-%s.ko", arch);
	mod = kmod_ko_btf(vmlinux, path);
	ok(mod != NULL, "%s: the ops table's callbacks typed from the .ko (%s)", arch,
	   mod ? "ok" : strerror(errno));
	if (!mod)
		return;
	is_str(first_param(mod, "seed_create"), "struct sk_buff *",
	       "%s: create(skb, ...) at offset 0, from header_ops", arch);
	is_str(first_param(mod, "seed_parse"), "struct sk_buff *",
	       "%s: parse(skb, ...) at offset 8", arch);
	btf__free(mod);
}

int main(void)
{
	struct btf *vmlinux = fixture_vmlinux();

	ok(vmlinux != NULL, "a vmlinux BTF holding struct header_ops");
	if (vmlinux) {
		test_arch(vmlinux, "x86_64");
		test_arch(vmlinux, "aarch64");
		ok(!kmod_ko_btf(vmlinux, "tests/unit/test_kmod_ko.c") && errno,
		   "not an ELF file: no BTF, an error");
	}
	btf__free(vmlinux);
	return tap_done();
}
