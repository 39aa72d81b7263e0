// SPDX-License-Identifier: GPL-2.0
/*
 * The CO-RE target cut from the kernel's BTF (src/probe/core_btf.c): libbpf relocates every
 * program of the tracing object to the same instructions against it as against the whole
 * of the kernel's BTF (with the modules' where this kernel has nf_tables loaded), from a
 * small part of it. And the kernel type ids the loader sets in
 * .rodata are the kernel's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "relocated.h"
#include "tracing_obj.h"
#include "src/probe/core_btf.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* The object's programs as libbpf relocated them against the CO-RE target at PATH. */
static int relocate(const char *path, struct relocated *r)
{
	return tracing_obj_load(path, quiet, keep_insns, r);
}

static void test_same_relocations(const struct btf *kernel)
{
	struct relocated whole = {0}, part = {0};
	struct btf *small;
	char path[32];
	int fd = tracing_obj_cut(kernel, path, sizeof(path)), rc;

	ok(fd >= 0, "the kernel's BTF is cut for the tracing object");
	if (fd < 0)
		return;
	small = btf__parse(path, NULL);
	ok(small && btf__type_cnt(small) * 20 < btf__type_cnt(kernel),
	   "the cut holds under 5%% of the kernel's types (%u of %u)",
	   small ? btf__type_cnt(small) : 0, btf__type_cnt(kernel));
	ok(small && btf__resolve_size(small,
				      btf__find_by_name_kind(small, "sk_buff", BTF_KIND_STRUCT)) ==
			btf__resolve_size(
			    kernel, btf__find_by_name_kind(kernel, "sk_buff", BTF_KIND_STRUCT)),
	   "struct sk_buff is in it, of the kernel's size");
	btf__free(small);
	/* no path: libbpf's own target, vmlinux BTF and, for what that lacks, the modules' */
	rc = relocate(NULL, &whole);
	is_int(rc, -ECANCELED, "relocated against the kernel's BTF, stopped before the kernel");
	rc = relocate(path, &part);
	is_int(rc, -ECANCELED, "relocated against the cut, stopped before the kernel");
	ok(whole.n >= 10 && whole.n == part.n, "the same %zu programs both times", whole.n);
	is_int(differences(&whole, &part), 0,
	       "every program's instructions are the same relocated against the cut");
	relocated_free(&whole);
	relocated_free(&part);
	close(fd);
}

static void test_ktype_ids(const struct btf *kernel)
{
	static const char *const names[PWRU_KT_N] = {PWRU_KTYPE_NAMES};
	__u32 ids[PWRU_KT_N];
	int k, wrong = 0;

	ktype_ids_find(kernel, ids);
	for (k = 0; k < PWRU_KT_N; k++)
		if ((int)ids[k] != btf__find_by_name_kind(kernel, names[k], BTF_KIND_STRUCT)) {
			printf("#   struct %s: %u\n", names[k], ids[k]);
			wrong++;
		}
	is_int(wrong, 0, "each kernel type id is the kernel's struct of that name");
}

int main(void)
{
	struct btf *kernel = btf__load_vmlinux_btf();

	if (!kernel) {
		skip("no vmlinux BTF on this kernel");
		return tap_done();
	}
	test_ktype_ids(kernel);
	if (geteuid())
		skip("not root: libbpf cannot create the object's maps before relocating");
	else
		test_same_relocations(kernel);
	btf__free(kernel);
	return tap_done();
}
