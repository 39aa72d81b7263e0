// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf's CO-RE results kept and applied by the loader (src/probe/core_kept.c): every
 * program of the tracing object, opened without its CO-RE records and given the kept
 * results, is the same instructions as libbpf's own relocation of it against the same
 * target; and results made for other programs are refused, the object left as it was.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "relocated.h"
#include "tracing_obj.h"
#include "src/probe/core_kept.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

struct kept_load {
	const char *path; /* the CO-RE target */
	bool apply;	  /* the results applied before the load */
	bool drop_one;	  /* one more program left out after the results were made */
	int resolve_rc, apply_rc;
	unsigned char *res;
	size_t res_len;
};

static void kept_steps(struct pwru_bpf *skel, struct splice_hooks *h, void *arg)
{
	struct kept_load *k = arg;
	const void *bytes;
	size_t n;

	bytes = pwru_bpf__elf_bytes(&n);
	k->resolve_rc = core_kept_resolve(skel->obj, bytes, n, k->path, h, &k->res, &k->res_len);
	if (k->drop_one)
		bpf_program__set_autoload(skel->progs.kprobe_multi_skb_6, false);
	if (!k->resolve_rc && k->apply)
		k->apply_rc = core_kept_apply(skel->obj, k->res, k->res_len);
}

/* The object without its CO-RE records, K's steps before the load, as in tracing_obj.h. */
static int load_kept(struct kept_load *k, struct relocated *r)
{
	struct tracing_obj_step step = {.stripped = true, .fn = kept_steps, .arg = k};

	return tracing_obj_load_after(k->path, &step, quiet, keep_insns, r);
}

static void test_same_as_libbpf(const char *path)
{
	struct relocated libbpf = {0}, kept = {0}, none = {0};
	struct kept_load k = {.path = path, .apply = true}, bare = {.path = path};
	int rc;

	rc = tracing_obj_load(path, quiet, keep_insns, &libbpf);
	is_int(rc, -ECANCELED, "libbpf relocated the object against the cut");
	rc = load_kept(&k, &kept);
	is_int(rc, -ECANCELED, "the object without CO-RE records, results applied, stopped");
	is_int(k.resolve_rc, 0, "libbpf's results made on a second copy of the object");
	is_int(k.apply_rc, 0, "and applied to every program");
	ok(libbpf.n >= 60 && libbpf.n == kept.n, "the same %zu programs both ways", libbpf.n);
	is_int(differences(&libbpf, &kept), 0,
	       "every program's instructions are libbpf's own relocation of them");
	rc = load_kept(&bare, &none);
	ok(rc == -ECANCELED && differences(&libbpf, &none) > 100,
	   "without the results they are not (the comparison sees CO-RE)");
	relocated_free(&libbpf);
	relocated_free(&kept);
	relocated_free(&none);
	free(k.res);
	free(bare.res);
}

static void test_other_programs(const char *path)
{
	struct relocated before = {0}, after = {0};
	struct kept_load k = {.path = path, .apply = true, .drop_one = true};
	struct kept_load bare = {.path = path, .drop_one = true};

	load_kept(&k, &after);
	is_int(k.apply_rc, -EINVAL, "results made for other programs are refused");
	load_kept(&bare, &before);
	is_int(differences(&before, &after), 0, "and the object is left as it was");
	relocated_free(&before);
	relocated_free(&after);
	free(k.res);
	free(bare.res);
}

static void test_no_target(void)
{
	struct relocated r = {0};
	struct kept_load k = {.path = "/proc/self/no-such-btf", .apply = true};

	load_kept(&k, &r);
	ok(k.resolve_rc < 0 && k.resolve_rc != -ECANCELED && !k.res,
	   "a CO-RE target libbpf cannot read fails with its error (%d), nothing kept",
	   k.resolve_rc);
	relocated_free(&r);
}

#define LD64(imm_, src)                                                                            \
	{.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .src_reg = (src), .imm = (imm_)},        \
	{                                                                                          \
		.imm = 0                                                                           \
	}

static void test_diff(void)
{
	const struct bpf_insn raw[] = {
	    {.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 2, .src_reg = 1, .off = 4},
	    {.code = BPF_JMP | BPF_CALL, .imm = 113},
	    LD64(0, 0), /* a map, before libbpf */
	    LD64(7, 0), /* a CO-RE enum value */
	    LD64(9, 0), /* a CO-RE one libbpf poisons */
	    {.code = BPF_JMP | BPF_EXIT},
	};
	struct bpf_insn rel[sizeof(raw) / sizeof(raw[0])];
	struct core_kept_insn out[sizeof(raw) / sizeof(raw[0])];
	long n;

	memcpy(rel, raw, sizeof(raw));
	rel[0].off = 24; /* CO-RE: the field's offset */
	rel[1].imm = 4;	 /* the helper sanitized: libbpf's at every load */
	rel[2].src_reg = BPF_PSEUDO_MAP_FD;
	rel[2].imm = 5;
	rel[4].imm = 8;
	rel[6].code = rel[7].code = BPF_JMP | BPF_CALL;
	rel[6].imm = rel[7].imm = 195896080;
	rel[6].dst_reg = 0;
	n = core_kept_diff(raw, sizeof(raw) / sizeof(raw[0]), rel, sizeof(rel) / sizeof(rel[0]),
			   out);
	ok(n == 4 && out[0].at == 0 && out[0].insn.off == 24 && out[1].at == 4 &&
	       out[1].insn.imm == 8 && out[2].at == 6 && out[3].at == 7,
	   "kept: a field offset, an ld_imm64's value, a poisoned pair; not a call or a map (%ld)",
	   n);
	is_int((int)core_kept_diff(raw, 3, rel, sizeof(rel) / sizeof(rel[0]), out), -EINVAL,
	       "a program ending inside an ld_imm64 is refused");
}

int main(void)
{
	struct btf *kernel = btf__load_vmlinux_btf();
	char path[32];
	int fd;

	test_diff();
	if (!kernel) {
		skip("no vmlinux BTF on this kernel");
		return tap_done();
	}
	if (geteuid()) {
		skip("not root: libbpf cannot load the object's BTF before relocating");
		btf__free(kernel);
		return tap_done();
	}
	fd = tracing_obj_cut(kernel, path, sizeof(path));
	ok(fd >= 0, "the kernel's BTF is cut for the tracing object");
	if (fd >= 0) {
		test_same_as_libbpf(path);
		test_other_programs(path);
		test_no_target();
		close(fd);
	}
	btf__free(kernel);
	return tap_done();
}
