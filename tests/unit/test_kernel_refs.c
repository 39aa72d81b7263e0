// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel objects the tracing programs reference by BTF id (bpf/kernel_refs.h,
 * src/probe/kernel_refs.c): libbpf no longer parses the kernel's BTF to load the object
 * (the loader's hooks, a CO-RE target of the loader's own), and each marker becomes the
 * reference libbpf would have made of the __ksym extern, with the kernel's id, or the
 * weak extern's "absent" where the kernel has none.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "tracing_obj.h"
#include "bench_events.skel.h"
#include "check_filter.skel.h"
#include "track.skel.h"
#include "bpf/kernel_refs.h"
#include "src/probe/kernel_refs.h"

#define MAX_INSNS 200000

/* libbpf says this (debug level) whenever it parses the kernel's BTF itself */
static int parsed_kernel_btf;

static int watch(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (strstr(line, "loading kernel BTF"))
		parsed_kernel_btf++;
	return 0;
}

struct kept {
	struct bpf_insn *in;
	size_t n;
};

/* Every program's relocated instructions, end to end (at most MAX_INSNS). */
static void keep_insns(struct bpf_object *obj, void *arg)
{
	struct kept *k = arg;
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
	{
		size_t c = bpf_program__insn_cnt(p);

		if (k->n + c > MAX_INSNS)
			break;
		memcpy(k->in + k->n, bpf_program__insns(p), c * sizeof(*k->in));
		k->n += c;
	}
}

/* Calls with SRC and IMM (off 0: in vmlinux) among the N instructions at IN. */
static size_t calls(const struct bpf_insn *in, size_t n, int src, __s32 imm)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == src &&
		     in[i].imm == imm && !in[i].off;
	return c;
}

/* ld_imm64s with SRC and the 64-bit value V. */
static size_t loads(const struct bpf_insn *in, size_t n, int src, __u64 v)
{
	size_t i, c = 0;

	for (i = 0; i + 1 < n; i++)
		if (in[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			c += in[i].src_reg == src &&
			     ((__u32)in[i].imm | (__u64)(__u32)in[i + 1].imm << 32) == v;
			i++; /* its second half */
		}
	return c;
}

static void test_patch(const struct bpf_insn *relocated, size_t n)
{
	const struct kernel_refs some = {.rdonly_cast = 1234, .redirect_info = 5678}, none = {0};
	size_t casts = calls(relocated, n, 0, PWRU_KREF_RDONLY_CAST);
	size_t addrs = loads(relocated, n, 0, PWRU_KREF_REDIRECT_INFO);
	struct bpf_insn *in = malloc(n * sizeof(*in));

	ok(casts >= 6 && addrs >= 2, "the programs carry the markers (%zu casts, %zu addresses)",
	   casts, addrs);
	memcpy(in, relocated, n * sizeof(*in));
	is_int(kernel_refs_patch_insns(in, n, &some), (int)(casts + addrs),
	       "each marker is turned, where the kernel has both");
	is_int(calls(in, n, BPF_PSEUDO_KFUNC_CALL, 1234), casts,
	       "each cast calls the kfunc by its id in vmlinux BTF (off 0)");
	is_int(loads(in, n, BPF_PSEUDO_BTF_ID, 5678), addrs,
	       "each address is the variable's BTF reference, in vmlinux (fd 0)");
	is_int(calls(in, n, 0, PWRU_KREF_RDONLY_CAST) + loads(in, n, 0, PWRU_KREF_REDIRECT_INFO), 0,
	       "no marker is left");
	memcpy(in, relocated, n * sizeof(*in));
	is_int(kernel_refs_patch_insns(in, n, &none), (int)(casts + addrs),
	       "each marker is turned, where the kernel has neither");
	is_int(calls(in, n, BPF_PSEUDO_KFUNC_CALL, 0), casts,
	       "each cast is a kfunc call to id 0, as libbpf leaves an unresolved weak one");
	is_int(loads(in, n, 0, 0), loads(relocated, n, 0, 0) + addrs,
	       "each address is 0, as libbpf leaves an unresolved weak variable");
	free(in);
}

static void test_find(const struct btf *kernel)
{
	struct kernel_refs r;
	int cast = btf__find_by_name_kind(kernel, "bpf_rdonly_cast", BTF_KIND_FUNC);
	int var = btf__find_by_name_kind(kernel, "bpf_redirect_info", BTF_KIND_VAR);

	kernel_refs_find(kernel, &r);
	is_int(r.rdonly_cast, cast > 0 ? cast : 0, "bpf_rdonly_cast: the kernel's FUNC id");
	is_int(r.redirect_info, var > 0 ? var : 0, "bpf_redirect_info: the kernel's VAR id");
	kernel_refs_find(NULL, &r);
	ok(!r.rdonly_cast && !r.redirect_info, "without the kernel's BTF, neither");
}

static void test_load(const struct btf *kernel)
{
	struct kept k = {.in = malloc(MAX_INSNS * sizeof(*k.in))};
	char path[32];
	int fd = tracing_obj_cut(kernel, path, sizeof(path)), rc;

	ok(fd >= 0, "the kernel's BTF is cut for the tracing object");
	parsed_kernel_btf = 0;
	rc = fd >= 0 ? tracing_obj_load(path, watch, keep_insns, &k) : -1;
	is_int(rc, -ECANCELED,
	       "the object relocated as the loader loads it, stopped before the "
	       "kernel");
	is_int(parsed_kernel_btf, 0, "libbpf did not parse the kernel's BTF itself");
	if (k.n)
		test_patch(k.in, k.n);
	if (fd >= 0)
		close(fd);
	free(k.in);
}

/* How many calls to the marker the object's ELF (its code sections) holds. */
static size_t marker_calls(const void *elf, size_t size)
{
	const struct bpf_insn call = {.code = BPF_JMP | BPF_CALL, .imm = PWRU_KREF_RDONLY_CAST};
	const char *p = elf, *end = p + size;
	size_t c = 0;

	while ((p = memmem(p, (size_t)(end - p), &call, sizeof(call)))) {
		c++;
		p += sizeof(call);
	}
	return c;
}

/*
 * Only the objects whose loaders turn the markers carry them: one that libbpf loads by its
 * own handlers would hand the kernel a helper number it does not have.
 */
static void test_objects(void)
{
	size_t n[4];
	const void *elf[4] = {pwru_bpf__elf_bytes(&n[0]), check_filter_bpf__elf_bytes(&n[1]),
			      track_bpf__elf_bytes(&n[2]), bench_events_bpf__elf_bytes(&n[3])};

	ok(marker_calls(elf[0], n[0]) > 0, "the tracing object carries markers");
	ok(marker_calls(elf[1], n[1]) > 0,
	   "--check-filter's object carries markers (its loader turns them)");
	is_int(marker_calls(elf[2], n[2]), 0,
	       "the tracking hooks' object (libbpf's own handlers) carries none");
	is_int(marker_calls(elf[3], n[3]), 0,
	       "the benchmark's records object (no hooks) carries none");
}

int main(void)
{
	struct btf *kernel;

	test_objects();
	kernel = btf__load_vmlinux_btf();
	if (!kernel) {
		skip("no vmlinux BTF on this kernel");
		return tap_done();
	}
	test_find(kernel);
	if (geteuid())
		skip("not root: libbpf cannot create the object's maps before relocating");
	else
		test_load(kernel);
	btf__free(kernel);
	return tap_done();
}
