// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 call targets: the JITed images of tests/bpf/helpers.bpf.c that Debian's arm64
 * kernels made (tests/data/jit/, captured in the VMs by capture.sh), where each helper is
 * called through x10 (movn/movk/movk, blr), and hand-assembled cases for what the walk must
 * not believe: a register written in between, a call, a branch landing mid-sequence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "kallsyms/disasm.h"

struct fixture {
	char kernel[128];
	uint64_t addr;
	uint64_t calls[8];
	char names[8][64];
	size_t ncalls;
	uint8_t code[4096];
	size_t len;
};

static void parse_code(struct fixture *f, const char *hex)
{
	unsigned int b;

	while (f->len < sizeof(f->code) && sscanf(hex, "%2x", &b) == 1) {
		f->code[f->len++] = (uint8_t)b;
		hex += 2;
	}
}

static int load(const char *path, struct fixture *f)
{
	char line[512], name[64];
	unsigned long long a;
	FILE *in = fopen(path, "r");

	memset(f, 0, sizeof(*f));
	if (!in)
		return -1;
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "# tests/bpf/helpers.bpf.c JITed by Linux %127s", f->kernel) == 1)
			continue;
		if (sscanf(line, "addr %llx", &a) == 1)
			f->addr = a;
		else if (sscanf(line, "call %llx %63s", &a, name) == 2 && f->ncalls < 8) {
			f->calls[f->ncalls] = a;
			snprintf(f->names[f->ncalls++], sizeof(name), "%s", name);
		} else if (!strncmp(line, "code ", 5))
			parse_code(f, line + 5);
	}
	fclose(in);
	return f->addr && f->ncalls && f->len ? 0 : -1;
}

static int has(const uint64_t *t, size_t n, uint64_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] == x)
			return 1;
	return 0;
}

static void test_fixture(const char *path)
{
	static struct fixture f;
	uint64_t *t = NULL;
	size_t n = 0, i;

	if (load(path, &f)) {
		ok(0, "%s parses (addr, call and code lines)", path);
		return;
	}
	is_int(disasm_call_targets(DISASM_ARM64, f.code, f.len, f.addr, &t, &n), 0,
	       "%s: %s's image disassembles", path, f.kernel);
	for (i = 0; i < f.ncalls; i++)
		ok(has(t, n, f.calls[i]), "%s: %s at 0x%llx found", f.kernel, f.names[i],
		   (unsigned long long)f.calls[i]);
	ok(n == f.ncalls, "%s: nothing else (%zu targets)", f.kernel, n);
	free(t);
}

/* Targets of hand-assembled CODE at 0x1000 (llvm-mc -triple=aarch64). */
static size_t targets(const uint8_t *code, size_t len, uint64_t *first)
{
	uint64_t *t = NULL;
	size_t n = 0;

	if (disasm_call_targets(DISASM_ARM64, code, len, 0x1000, &t, &n))
		n = (size_t)-1;
	*first = n && n != (size_t)-1 ? t[0] : 0;
	free(t);
	return n;
}

#define MOVN_X10    0xea, 0x1a, 0x98, 0x92 /* movn x10, #0xc0d7 */
#define MOVK_X10_16 0xea, 0x46, 0xb5, 0xf2 /* movk x10, #0xaa37, lsl #16 */
#define MOVK_X10_32 0x4a, 0x91, 0xd4, 0xf2 /* movk x10, #0xa48a, lsl #32 */
#define BUILD_X10   MOVN_X10, MOVK_X10_16, MOVK_X10_32
#define X10_ADDR    0xffffa48aaa373f28ULL
/* movn x19, #0x7d17; movk x19, #0xaa37, lsl #16; movk x19, #0xa48a, lsl #32 */
#define BUILD_X19 0xf3, 0xa2, 0x8f, 0x92, 0xf3, 0x46, 0xb5, 0xf2, 0x53, 0x91, 0xd4, 0xf2
#define X19_ADDR  0xffffa48aaa3782e8ULL
#define CBZ_X0_8  0x40, 0x00, 0x00, 0xb4 /* cbz x0, +8 */
#define BLR_X10	  0x40, 0x01, 0x3f, 0xd6
#define BLR_X11	  0x60, 0x01, 0x3f, 0xd6
#define BLR_X19	  0x60, 0x02, 0x3f, 0xd6

static void test_forgotten(void)
{
	/* x10 built, then add x10, x19, #0: the JIT's register move */
	static const uint8_t moved[] = {BUILD_X10, 0x6a, 0x02, 0x00, 0x91, BLR_X10};
	/* x10 built, then ldr x10, [x19, #8] */
	static const uint8_t loaded[] = {BUILD_X10, 0x6a, 0x06, 0x40, 0xf9, BLR_X10};
	/* blr x11 (not known) between: x10 is caller-saved, x19 callee-saved */
	static const uint8_t call[] = {BUILD_X10, BUILD_X19, BLR_X11, BLR_X10, BLR_X19};
	/* cbz x0, +8 after the movn: it lands on the last movk */
	static const uint8_t landing[] = {MOVN_X10, CBZ_X0_8, MOVK_X10_16, MOVK_X10_32, BLR_X10};
	/* the whole sequence, then br x10: a jump, not a call */
	static const uint8_t jump[] = {BUILD_X10, 0x40, 0x01, 0x1f, 0xd6};
	static const uint8_t kept[] = {BUILD_X10, BLR_X10};
	uint64_t t;

	ok(targets(kept, sizeof(kept), &t) == 1 && t == X10_ADDR,
	   "movn/movk/movk x10 then blr x10: the address built (0x%llx)", (unsigned long long)t);
	ok(targets(moved, sizeof(moved), &t) == 0, "x10 moved into before the blr: nothing");
	ok(targets(loaded, sizeof(loaded), &t) == 0, "x10 loaded into before the blr: nothing");
	ok(targets(call, sizeof(call), &t) == 1 && t == X19_ADDR,
	   "across a call: x10 (caller-saved) forgotten, x19 kept (0x%llx)", (unsigned long long)t);
	ok(targets(landing, sizeof(landing), &t) == 0,
	   "a branch landing inside the sequence: nothing");
	ok(targets(jump, sizeof(jump), &t) == 0, "br x10 is a jump: nothing");
}

static void test_forms(void)
{
	/* movz x11, #0x1234, lsl #48; movk x11, #0x5678; blr x11 */
	static const uint8_t wide[] = {0x8b, 0x46, 0xe2, 0xd2, 0x0b, 0xcf,
				       0x8a, 0xf2, 0x60, 0x01, 0x3f, 0xd6};
	/* movz w12, #0x1234; movk w12, #0x5678, lsl #16; blr x12 */
	static const uint8_t w32[] = {0x8c, 0x46, 0x82, 0x52, 0x0c, 0xcf,
				      0xaa, 0x72, 0x80, 0x01, 0x3f, 0xd6};
	/* movn w13, #0; blr x13: a W register's upper half is zero */
	static const uint8_t wn[] = {0x0d, 0x00, 0x80, 0x12, 0xa0, 0x01, 0x3f, 0xd6};
	/* adrp x16, +0x5000; add x16, x16, #0x123; blr x16 */
	static const uint8_t adrp[] = {0x30, 0x00, 0x00, 0xb0, 0x10, 0x8e,
				       0x04, 0x91, 0x00, 0x02, 0x3f, 0xd6};
	uint64_t t;

	ok(targets(wide, sizeof(wide), &t) == 1 && t == 0x1234000000005678ULL,
	   "movz lsl #48 then movk (0x%llx)", (unsigned long long)t);
	ok(targets(w32, sizeof(w32), &t) == 1 && t == 0x56781234ULL, "movz/movk on w12 (0x%llx)",
	   (unsigned long long)t);
	ok(targets(wn, sizeof(wn), &t) == 1 && t == 0xffffffffULL, "movn w13 (0x%llx)",
	   (unsigned long long)t);
	ok(targets(adrp, sizeof(adrp), &t) == 1 && t == 0x6123ULL, "adrp and add (0x%llx)",
	   (unsigned long long)t);
}

int main(void)
{
	test_fixture("tests/data/jit/arm64-6.1.txt");
	test_fixture("tests/data/jit/arm64-6.12.txt");
	test_fixture("tests/data/jit/arm64-7.txt");
	test_forgotten();
	test_forms();
	return tap_done();
}
