/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-made programs for the loader's instruction passes (nop_compact, dead_code): the
 * instructions as initializers, and a socket filter loaded with BTF func_info and
 * line_info and run once by BPF_PROG_TEST_RUN, which the verifier refuses when an offset
 * or a record is off.
 */
#ifndef PWRU_INSN_PROG_H
#define PWRU_INSN_PROG_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "tap.h"
#include "filters/splice.h"

#define NOP	  ((struct bpf_insn){.code = BPF_JMP | BPF_JA})
#define JA(o)	  ((struct bpf_insn){.code = BPF_JMP | BPF_JA, .off = o})
#define MOV(r, v) ((struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = r, .imm = v})
#define MOVX(d, s)                                                                                 \
	((struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = d, .src_reg = s})
#define ALU(op, r, v) ((struct bpf_insn){.code = BPF_ALU64 | op | BPF_K, .dst_reg = r, .imm = v})
#define ADDX(d, s)                                                                                 \
	((struct bpf_insn){.code = BPF_ALU64 | BPF_ADD | BPF_X, .dst_reg = d, .src_reg = s})
#define JMP(cls, op, r, v, o)                                                                      \
	((struct bpf_insn){.code = cls | op | BPF_K, .dst_reg = r, .off = o, .imm = v})
#define CALL(off)                                                                                  \
	((struct bpf_insn){.code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = off})
#define HELPER(id) ((struct bpf_insn){.code = BPF_JMP | BPF_CALL, .imm = id})
#define GOTOL(off) ((struct bpf_insn){.code = BPF_JMP32 | BPF_JA, .imm = off})
#define FUNC_LO(r, off)                                                                            \
	((struct bpf_insn){.code = BPF_LD | BPF_IMM | BPF_DW,                                      \
			   .dst_reg = r,                                                           \
			   .src_reg = BPF_PSEUDO_FUNC,                                             \
			   .imm = off})
#define LD_HI ((struct bpf_insn){0})
/* a 64-bit constant: two slots */
#define LD64(r, v)                                                                                 \
	((struct bpf_insn){                                                                        \
	    .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = r, .imm = (__s32)(__u32)(v)}),           \
	    ((struct bpf_insn){.imm = (__s32)(__u32)((__u64)(v) >> 32)})
#define EXIT ((struct bpf_insn){.code = BPF_JMP | BPF_EXIT})

#define INSN_MAX 64 /* instructions */
#define RECS_MAX 16 /* func_info or line_info records */

/* A hand-made program and where its records are. */
struct insn_src {
	const struct bpf_insn *insns;
	size_t cnt;
	const __u32 *func_off, *line_off;
	size_t func_cnt, line_cnt;
};

/* A copy of one, for a pass to change. */
struct insn_copy {
	struct bpf_insn insns[INSN_MAX];
	struct bpf_func_info funcs[RECS_MAX];
	struct bpf_line_info lines[RECS_MAX];
	struct prog_image img;
};

/*
 * A fresh copy of S: func_info types from FN_TYPE on, one each; each line record's
 * line_col says which record it was.
 */
static inline void insn_copy_init(struct insn_copy *c, const struct insn_src *s, __u32 fn_type,
				  __u32 file_off, __u32 text_off)
{
	size_t i;

	if (s->cnt > INSN_MAX || s->func_cnt > RECS_MAX || s->line_cnt > RECS_MAX)
		abort(); /* a test larger than the room made for it */
	memcpy(c->insns, s->insns, s->cnt * sizeof(*s->insns));
	for (i = 0; i < s->func_cnt; i++)
		c->funcs[i] = (struct bpf_func_info){s->func_off[i], fn_type + (__u32)i};
	for (i = 0; i < s->line_cnt; i++)
		c->lines[i] = (struct bpf_line_info){s->line_off[i], file_off, text_off, (__u32)i};
	c->img = (struct prog_image){.insns = c->insns,
				     .cnt = s->cnt,
				     .func_info = c->funcs,
				     .func_cnt = (__u32)s->func_cnt,
				     .func_rec = sizeof(c->funcs[0]),
				     .line_info = c->lines,
				     .line_cnt = (__u32)s->line_cnt,
				     .line_rec = sizeof(c->lines[0])};
}

/*
 * BTF for N static functions `long f(long)` named NAMES (their types from *FN_TYPE on), and
 * two strings for line records; loaded into the kernel, or NULL.
 */
static inline struct btf *insn_prog_btf(const char *const *names, size_t n, __u32 *fn_type,
					__u32 *file_off, __u32 *text_off)
{
	struct btf *b = btf__new_empty();
	int lng, proto;
	size_t i;

	if (!b)
		return NULL;
	lng = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	proto = btf__add_func_proto(b, lng);
	btf__add_func_param(b, "x", lng);
	for (i = 0; i < n; i++) {
		int id = btf__add_func(b, names[i], BTF_FUNC_STATIC, proto);

		if (!i)
			*fn_type = (__u32)id;
	}
	*file_off = (__u32)btf__add_str(b, "prog.c");
	*text_off = (__u32)btf__add_str(b, "a line");
	if (btf__load_into_kernel(b)) {
		btf__free(b);
		return NULL;
	}
	return b;
}

/* Loads IMG (a socket filter) and runs it once: its return value, or -errno. */
static inline long insn_prog_run(const struct prog_image *img, int btf_fd)
{
	static char log[65536];
	unsigned char pkt[64] = {0};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .prog_btf_fd = btf_fd, .func_info = img->func_info,
		    .func_info_cnt = img->func_cnt, .func_info_rec_size = img->func_rec,
		    .line_info = img->line_info, .line_info_cnt = img->line_cnt,
		    .line_info_rec_size = img->line_rec, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1);
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt));
	int fd =
	    bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "insns", "GPL", img->insns, img->cnt, &o);
	long rc;

	if (fd < 0) {
		rc = -errno;
		printf("# %s", log);
		return rc;
	}
	rc = bpf_prog_test_run_opts(fd, &t) ? -errno : (long)t.retval;
	close(fd);
	return rc;
}

/* C's line records are at WANT[0..N), and were the records KEPT[0..N) of the source. */
static inline bool insn_lines_are(const struct insn_copy *c, const __u32 *want, const __u32 *kept,
				  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c->lines[i].insn_off != want[i] || c->lines[i].line_col != kept[i])
			return false;
	return c->img.line_cnt == n;
}

/*
 * S (its functions named NAMES, one per func_info record) run as written and after PASS:
 * both must return WANT; AFTER says what PASS left. Skipped without root or BTF.
 */
static inline void insn_prog_runs(const struct insn_src *s, const char *const *names,
				  void (*pass)(struct insn_copy *), long want, const char *after)
{
	__u32 fn_type, file_off, text_off;
	struct insn_copy c;
	struct btf *b;
	long before;

	if (geteuid()) {
		skip("needs root (BPF_PROG_TEST_RUN)");
		return;
	}
	b = insn_prog_btf(names, s->func_cnt, &fn_type, &file_off, &text_off);
	if (!b) {
		skip("this kernel takes no BTF: %s", strerror(errno));
		return;
	}
	insn_copy_init(&c, s, fn_type, file_off, text_off);
	before = insn_prog_run(&c.img, btf__fd(b));
	if (before == -EPERM || before == -EOPNOTSUPP) {
		skip("this kernel cannot run the program as written (%s)", strerror((int)-before));
	} else {
		is_int(before, want, "as written, the program returns %ld", want);
		pass(&c);
		is_int(insn_prog_run(&c.img, btf__fd(b)), want,
		       "%s, the kernel loads it and it returns the same", after);
	}
	btf__free(b);
}

#endif
