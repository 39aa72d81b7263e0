// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "src/probe/nop_compact.h"

static bool is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* `ja +0` in either width: falls through whatever its fields say, nothing else in it */
static bool is_nop(const struct bpf_insn *in)
{
	static const struct bpf_insn ja = {.code = BPF_JMP | BPF_JA};
	static const struct bpf_insn ja32 = {.code = BPF_JMP32 | BPF_JA};

	return !memcmp(in, &ja, sizeof(*in)) || !memcmp(in, &ja32, sizeof(*in));
}

/*
 * Where IN's offset field counts from (the next instruction), in FIELD; false for an
 * instruction without one: helper and kfunc calls take ids, exit none.
 */
static bool offset_field(struct bpf_insn *in, int32_t **imm, int16_t **off)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	*imm = NULL;
	*off = NULL;
	if (is_ld_imm64(in) && in->src_reg == BPF_PSEUDO_FUNC) {
		*imm = &in->imm; /* a callback's address (bpf_loop and the like) */
		return true;
	}
	if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_EXIT)
		return false;
	if (op == BPF_CALL) {
		if (in->src_reg != BPF_PSEUDO_CALL)
			return false;
		*imm = &in->imm;
	} else if (cls == BPF_JMP32 && op == BPF_JA) {
		*imm = &in->imm; /* gotol: the 32-bit form */
	} else {
		*off = &in->off;
	}
	return true;
}

/*
 * NEWPOS[i]: where instruction i lands, or for a removed one where the instruction after it
 * does; NEWPOS[n] is the new length. Returns how many go.
 */
static size_t plan(const struct bpf_insn *in, size_t n, uint32_t *newpos)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		newpos[i] = (uint32_t)kept;
		if (!is_nop(&in[i]))
			kept++;
		if (is_ld_imm64(&in[i]) && i + 1 < n) /* its second half is data */
			newpos[++i] = (uint32_t)kept++;
	}
	newpos[n] = (uint32_t)kept;
	return n - kept;
}

/* Each jump's, call's and callback's new offset, into FIXED[i] (nothing written to IN). */
static int new_offsets(const struct bpf_insn *in, size_t n, const uint32_t *newpos, int32_t *fixed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct bpf_insn c = in[i];
		int32_t *imm;
		int16_t *off;
		int64_t to;

		if (is_nop(&c)) /* it goes: where it led does not matter (the last may be one) */
			continue;
		if (!offset_field(&c, &imm, &off)) {
			i += is_ld_imm64(&c);
			continue;
		}
		to = (int64_t)i + 1 + (imm ? *imm : *off);
		if (to < 0 || (size_t)to >= n)
			return -EINVAL;
		fixed[i] = (int32_t)newpos[to] - (int32_t)newpos[i] - 1;
		i += is_ld_imm64(&c);
	}
	return 0;
}

static uint32_t rec_off(const void *base, uint32_t rec, size_t i)
{
	uint32_t v;

	memcpy(&v, (const char *)base + i * rec, sizeof(v));
	return v;
}

static bool records_fit(const void *base, uint32_t cnt, uint32_t rec, size_t n)
{
	uint32_t i;

	for (i = 0; i < cnt; i++)
		if (rec_off(base, rec, i) >= n)
			return false;
	return true;
}

/*
 * Moves the records with their instructions. Two landing on one instruction: the earlier
 * described only removed no-ops, the later one stays (the kernel wants offsets that
 * strictly increase). One landing past the new end (NEWPOS[N]) described only removed
 * instructions at the end, a dead subprogram's: it goes.
 */
static uint32_t move_records(void *base, uint32_t cnt, uint32_t rec, const uint32_t *newpos,
			     size_t n)
{
	uint32_t i, out = 0;

	for (i = 0; i < cnt; i++) {
		uint32_t to = newpos[rec_off(base, rec, i)];
		char *dst;

		if (to >= newpos[n])
			break; /* offsets increase: so do the ones after it */
		if (out && rec_off(base, rec, out - 1) == to)
			out--;
		dst = (char *)base + (size_t)out * rec;
		memmove(dst, (const char *)base + (size_t)i * rec, rec);
		memcpy(dst, &to, sizeof(to));
		out++;
	}
	return out;
}

static void move_insns(struct bpf_insn *in, size_t n, const uint32_t *newpos, const int32_t *fixed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct bpf_insn c = in[i];
		int32_t *imm;
		int16_t *off;

		if (is_nop(&c))
			continue;
		if (offset_field(&c, &imm, &off)) {
			if (imm)
				*imm = fixed[i];
			else
				*off = (int16_t)fixed[i];
		}
		in[newpos[i]] = c;
		if (is_ld_imm64(&c) && i + 1 < n) {
			i++;
			in[newpos[i]] = in[i];
		}
	}
}

int nop_compact_image(struct prog_image *img)
{
	size_t n = img->cnt, gone;
	uint32_t *newpos = malloc((n + 1) * sizeof(*newpos));
	int32_t *fixed = calloc(n ? n : 1, sizeof(*fixed));
	int rc = newpos && fixed ? 0 : -ENOMEM;

	if (!rc && (!records_fit(img->func_info, img->func_cnt, img->func_rec, n) ||
		    !records_fit(img->line_info, img->line_cnt, img->line_rec, n)))
		rc = -EINVAL;
	gone = rc ? 0 : plan(img->insns, n, newpos);
	if (gone)
		rc = new_offsets(img->insns, n, newpos, fixed);
	if (!rc && gone) {
		move_insns(img->insns, n, newpos, fixed);
		img->cnt = newpos[n];
		img->func_cnt =
		    move_records(img->func_info, img->func_cnt, img->func_rec, newpos, n);
		img->line_cnt =
		    move_records(img->line_info, img->line_cnt, img->line_rec, newpos, n);
	}
	free(newpos);
	free(fixed);
	return rc ? rc : (int)gone;
}

static void *dup_mem(const void *p, size_t n)
{
	void *d = malloc(n ? n : 1);

	if (d && n)
		memcpy(d, p, n);
	return d;
}

/* PROG's instructions and OPTS's records as copies of our own, kept in K. */
static struct prog_image *image_of(struct nop_kept *k, const struct bpf_program *prog,
				   const struct bpf_prog_load_opts *o)
{
	struct prog_image *grown = realloc(k->img, (k->n + 1) * sizeof(*grown)), *img;

	if (!grown)
		return NULL;
	k->img = grown;
	img = &k->img[k->n++];
	*img = (struct prog_image){
	    .cnt = bpf_program__insn_cnt(prog),
	    .func_cnt = o->func_info ? o->func_info_cnt : 0,
	    .func_rec = o->func_info_rec_size,
	    .line_cnt = o->line_info ? o->line_info_cnt : 0,
	    .line_rec = o->line_info_rec_size,
	};
	img->insns = dup_mem(bpf_program__insns(prog), img->cnt * sizeof(*img->insns));
	img->func_info = dup_mem(o->func_info, (size_t)img->func_cnt * img->func_rec);
	img->line_info = dup_mem(o->line_info, (size_t)img->line_cnt * img->line_rec);
	if (img->insns && img->func_info && img->line_info)
		return img;
	prog_image_free(img);
	k->n--;
	return NULL;
}

static bool has_nop(const struct bpf_program *prog)
{
	const struct bpf_insn *in = bpf_program__insns(prog);
	size_t i, n = bpf_program__insn_cnt(prog);

	for (i = 0; i < n; i++)
		if (is_nop(&in[i]))
			return true;
	return false;
}

int nop_compact(struct nop_kept *k, struct bpf_program *prog, struct bpf_prog_load_opts *opts)
{
	struct prog_image *img;
	int gone, rc;

	if (!has_nop(prog))
		return 0;
	img = image_of(k, prog, opts);
	if (!img)
		return -ENOMEM;
	gone = nop_compact_image(img);
	if (gone <= 0)
		return gone;
	rc = bpf_program__set_insns(prog, img->insns, img->cnt);
	if (rc)
		return rc;
	/* libbpf copied them; the records it only points at */
	free(img->insns);
	img->insns = NULL;
	if (opts->func_info) {
		opts->func_info = img->func_info;
		opts->func_info_cnt = img->func_cnt;
	}
	if (opts->line_info) {
		opts->line_info = img->line_info;
		opts->line_info_cnt = img->line_cnt;
	}
	return gone;
}

void nop_kept_free(struct nop_kept *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		prog_image_free(&k->img[i]);
	free(k->img);
	*k = (struct nop_kept){0};
}
