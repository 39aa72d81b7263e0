// SPDX-License-Identifier: GPL-2.0
/*
 * Call targets from machine code (recorded bytes for x86-64 and arm64), and the helpers of a
 * real JITed tc program loaded here: tests/bpf/helpers.bpf.c calls bpf_skb_load_bytes,
 * bpf_skb_change_proto and bpf_get_hash_recalc.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "kallsyms/disasm.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/bpf_helpers.h"

#define HELPERS_OBJ "build/tests/bpf/helpers.bpf.o"

static void test_x86(void)
{
	/*
	 * At 0x1000: call +0x100 (to 0x1105); call *%rax; jmp +0x10 (not a call); a byte that
	 * does not decode alone; call to 0x1105 again; call -0x100 (to 0xf17).
	 */
	static const uint8_t code[] = {0xe8, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd0, 0xe9,
				       0x10, 0x00, 0x00, 0x00, 0x06, 0xe8, 0xf3, 0x00,
				       0x00, 0x00, 0xe8, 0x00, 0xff, 0xff, 0xff};
	uint64_t *t = NULL;
	size_t n = 0;

	is_int(disasm_call_targets(DISASM_X86_64, code, sizeof(code), 0x1000, &t, &n), 0,
	       "x86-64 code disassembles");
	ok(n == 2 && t[0] == 0xf17 && t[1] == 0x1105,
	   "direct calls only, sorted, each once (%zu: 0x%llx 0x%llx)", n,
	   n > 0 ? (unsigned long long)t[0] : 0ULL, n > 1 ? (unsigned long long)t[1] : 0ULL);
	free(t);
	is_int(disasm_call_targets(DISASM_X86_64, code, 0, 0x1000, &t, &n), 0, "empty code");
	ok(n == 0, "has no call");
	free(t);
}

static void test_arm64(void)
{
	/* At 0x1000: bl +0x100; br x0 (indirect); b +0x8 (not a call); bl -0x4. */
	static const uint8_t code[] = {0x40, 0x00, 0x00, 0x94, 0x00, 0x00, 0x1f, 0xd6,
				       0x02, 0x00, 0x00, 0x14, 0xff, 0xff, 0xff, 0x97};
	uint64_t *t = NULL;
	size_t n = 0;
	int rc = disasm_call_targets(DISASM_ARM64, code, sizeof(code), 0x1000, &t, &n);

	is_int(rc, 0, "arm64 code disassembles");
	ok(n == 2 && t[0] == 0x1008 && t[1] == 0x1100, "bl targets only (%zu)", n);
	free(t);
}

static int has_helper(const struct bpf_helpers *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->v[i].name, name) && !h->v[i].module)
			return 1;
	return 0;
}

static void expect_helpers(const struct bpf_helpers *h, const char *what)
{
	static const char *const want[] = {"bpf_skb_load_bytes", "bpf_skb_change_proto",
					   "bpf_get_hash_recalc"};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ok(has_helper(h, want[i]), "%s: %s found", what, want[i]);
}

static void test_live(void)
{
	struct bpf_helpers one = {0}, all = {0};
	struct bpf_object *obj;
	struct kallsyms *ks = NULL;
	char err[256] = "";
	int fd;

	if (geteuid() || kallsyms_load(NULL, &ks) || kallsyms_hidden(ks)) {
		ok(1, "# SKIP needs root and kallsyms to load a tc program");
		kallsyms_free(ks);
		return;
	}
	obj = bpf_object__open_file(HELPERS_OBJ, NULL);
	if (!obj || bpf_object__load(obj)) {
		ok(0, "%s loads", HELPERS_OBJ);
		bpf_object__close(obj);
		kallsyms_free(ks);
		return;
	}
	fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "pwru_test_helpers"));
	is_int(bpf_helpers_add_prog(ks, fd, &one), 0, "the program's JIT image is read");
	ok(one.progs == 1 && one.not_jited == 0, "one program, JITed");
	expect_helpers(&one, "its image");
	ok(one.n == 3, "and nothing else (%zu targets)", one.n);
	is_int(bpf_helpers_find(ks, &all, err, sizeof(err)), 0, "every loaded program (%s)", err);
	expect_helpers(&all, "all programs");
	bpf_helpers_free(&one);
	bpf_helpers_free(&all);
	bpf_object__close(obj);
	kallsyms_free(ks);
}

int main(void)
{
	test_x86();
	test_arm64();
	test_live();
	return tap_done();
}
