// SPDX-License-Identifier: GPL-2.0
/*
 * Subprogram splicing on a hand-made program: calls and callback addresses re-aimed across
 * a body that grows or disappears, func_info and line_info kept the way the verifier wants.
 */
#include <errno.h>
#include <string.h>
#include "tap.h"
#include "filters/splice.h"

#define MOV(r, v) ((struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = r, .imm = v})
#define CALL(off)                                                                                  \
	((struct bpf_insn){.code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = off})
#define EXIT ((struct bpf_insn){.code = BPF_JMP | BPF_EXIT})
#define FUNC_LO(off)                                                                               \
	((struct bpf_insn){.code = BPF_LD | BPF_IMM | BPF_DW,                                      \
			   .dst_reg = 2,                                                           \
			   .src_reg = BPF_PSEUDO_FUNC,                                             \
			   .imm = off})
#define LD_HI ((struct bpf_insn){0})

/*
 * main: 0 mov; 1 call f1; 2 call f2; 3-4 r2 = &f2; 5 exit
 * f1:   6 mov; 7 exit
 * f2:   8 mov; 9 call f1; 10 exit
 */
static struct bpf_insn prog[] = {MOV(0, 0), CALL(4), CALL(5),	FUNC_LO(4), LD_HI, EXIT,
				 MOV(0, 1), EXIT,    MOV(0, 2), CALL(-4),   EXIT};
static struct bpf_func_info funcs[] = {{0, 11}, {6, 12}, {8, 13}};
static struct bpf_line_info lines[] = {{0, 1, 1, 1}, {2, 1, 1, 2}, {5, 1, 1, 3}, {6, 1, 1, 4},
				       {7, 1, 1, 5}, {8, 1, 1, 6}, {9, 1, 1, 7}, {10, 1, 1, 8}};

static struct prog_image image(void)
{
	return (struct prog_image){.insns = prog,
				   .cnt = sizeof(prog) / sizeof(prog[0]),
				   .func_info = funcs,
				   .func_cnt = 3,
				   .func_rec = sizeof(funcs[0]),
				   .line_info = lines,
				   .line_cnt = 8,
				   .line_rec = sizeof(lines[0])};
}

static size_t target(const struct prog_image *img, size_t at)
{
	return (size_t)((long)at + img->insns[at].imm + 1);
}

static __u32 func_off(const struct prog_image *img, size_t i)
{
	return ((const struct bpf_func_info *)img->func_info)[i].insn_off;
}

static void lines_are(const struct prog_image *img, const __u32 *want, size_t n, const char *what)
{
	int same = img->line_cnt == n;

	for (size_t i = 0; same && i < n; i++)
		same = ((const struct bpf_line_info *)img->line_info)[i].insn_off == want[i];
	ok(same, "%s: line_info offsets", what);
}

static void test_grow(void)
{
	static const struct bpf_insn body[] = {MOV(0, 7), MOV(1, 8), EXIT};
	struct splice_edit e = {.func = 1, .body = body, .cnt = 3};
	struct prog_image in = image(), out;
	static const __u32 want_lines[] = {0, 2, 5, 6, 9, 10, 11};

	is_int(splice_apply(&in, &e, 1, &out), 0, "grow f1 by one instruction");
	is_int(out.cnt, 12, "grown program has 12 instructions");
	is_int(target(&out, 1), 6, "main's call still reaches f1");
	is_int(target(&out, 2), 9, "main's call reaches the moved f2");
	is_int(target(&out, 3), 9, "the callback address follows f2");
	is_int(target(&out, 10), 6, "f2's backward call reaches f1");
	ok(!memcmp(&out.insns[6], body, sizeof(body)), "f1's body is the new one");
	ok(out.func_cnt == 3 && func_off(&out, 1) == 6 && func_off(&out, 2) == 9,
	   "func_info follows the subprograms");
	lines_are(&out, want_lines, 7, "grow");
	prog_image_free(&out);
}

static void test_remove(void)
{
	struct splice_edit e = {.func = 1, .remove = true, .value = 7};
	struct prog_image in = image(), out;
	static const __u32 want_lines[] = {0, 2, 5, 6, 7, 8};

	is_int(splice_apply(&in, &e, 1, &out), 0, "remove f1");
	is_int(out.cnt, 9, "9 instructions left");
	ok(out.insns[1].code == (BPF_ALU | BPF_MOV | BPF_K) && out.insns[1].imm == 7 &&
	       out.insns[1].dst_reg == BPF_REG_0,
	   "main's call to f1 became w0 = 7");
	ok(out.insns[7].code == (BPF_ALU | BPF_MOV | BPF_K) && out.insns[7].imm == 7,
	   "f2's call to f1 became w0 = 7");
	is_int(target(&out, 2), 6, "main's call reaches the moved f2");
	is_int(target(&out, 3), 6, "the callback address follows f2");
	ok(out.func_cnt == 2 && func_off(&out, 1) == 6, "f1's func_info is gone");
	lines_are(&out, want_lines, 6, "remove");
	prog_image_free(&out);
}

static void test_refused(void)
{
	struct splice_edit gone_cb = {.func = 2, .remove = true};
	struct splice_edit bad_func = {.func = 3, .remove = true};
	struct bpf_insn one = EXIT;
	struct splice_edit twice[] = {{.func = 1, .body = &one, .cnt = 1},
				      {.func = 1, .body = &one, .cnt = 1}};
	struct prog_image in = image(), out;

	is_int(splice_apply(&in, &gone_cb, 1, &out), -EINVAL,
	       "removing a subprogram whose address is taken is refused");
	is_int(splice_apply(&in, &bad_func, 1, &out), -EINVAL, "an unknown subprogram is refused");
	is_int(splice_apply(&in, twice, 2, &out), -EINVAL,
	       "two edits of one subprogram are refused");
	ok(out.insns == NULL, "nothing is left allocated after a refusal");
}

int main(void)
{
	test_grow();
	test_remove();
	test_refused();
	return tap_done();
}
