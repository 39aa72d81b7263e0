// SPDX-License-Identifier: GPL-2.0
/*
 * Subprogram replacement in a final BPF instruction array. The kernel checks that every
 * func_info record starts a subprogram, that line_info offsets strictly increase and that each
 * subprogram's first instruction has a line_info record, so a replaced body keeps exactly one
 * line record (at its start) and a removed subprogram takes all of its records with it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "filters/splice.h"

struct layout {
	size_t nf;
	size_t *start, *end, *new_start;
	const struct splice_edit **edit;
};

static uint32_t rec_off(const void *base, uint32_t rec, size_t i)
{
	uint32_t v;

	memcpy(&v, (const char *)base + i * rec, sizeof(v));
	return v;
}

static void set_rec_off(void *base, uint32_t rec, size_t i, uint32_t v)
{
	memcpy((char *)base + i * rec, &v, sizeof(v));
}

static void layout_free(struct layout *l)
{
	free(l->start);
	free(l->end);
	free(l->new_start);
	free(l->edit);
}

static size_t new_len(const struct layout *l, size_t f)
{
	if (!l->edit[f])
		return l->end[f] - l->start[f];
	return l->edit[f]->remove ? 0 : l->edit[f]->cnt;
}

static int layout_build(const struct prog_image *in, const struct splice_edit *edits, size_t nedits,
			struct layout *l, size_t *total)
{
	size_t nf = in->func_cnt, pos = 0;

	l->nf = nf;
	l->start = calloc(nf, sizeof(size_t));
	l->end = calloc(nf, sizeof(size_t));
	l->new_start = calloc(nf, sizeof(size_t));
	l->edit = calloc(nf, sizeof(*l->edit));
	if (!l->start || !l->end || !l->new_start || !l->edit)
		return -ENOMEM;
	for (size_t i = 0; i < nedits; i++) {
		if (edits[i].func >= nf || l->edit[edits[i].func])
			return -EINVAL;
		if (!edits[i].remove && (!edits[i].cnt || !edits[i].body))
			return -EINVAL;
		l->edit[edits[i].func] = &edits[i];
	}
	for (size_t f = 0; f < nf; f++) {
		l->start[f] = rec_off(in->func_info, in->func_rec, f);
		if ((f == 0 && l->start[f] != 0) || (f && l->start[f] <= l->start[f - 1]))
			return -EINVAL;
	}
	for (size_t f = 0; f < nf; f++) {
		l->end[f] = f + 1 < nf ? l->start[f + 1] : in->cnt;
		if (l->end[f] > in->cnt)
			return -EINVAL;
		l->new_start[f] = pos;
		pos += new_len(l, f);
	}
	*total = pos;
	return pos ? 0 : -EINVAL;
}

static size_t func_at(const struct layout *l, size_t insn)
{
	size_t lo = 0, hi = l->nf;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (l->start[mid] <= insn)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static bool is_pseudo_call(const struct bpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_CALL) && i->src_reg == BPF_PSEUDO_CALL;
}

static bool is_pseudo_func(const struct bpf_insn *i)
{
	return i->code == (BPF_LD | BPF_IMM | BPF_DW) && i->src_reg == BPF_PSEUDO_FUNC;
}

/* Re-aims one relocated call (or callback address) at old J, now at new NJ. */
static int fix_call(const struct layout *l, const struct prog_image *in, size_t j,
		    struct bpf_insn *ni, size_t nj)
{
	long tgt = (long)j + ni->imm + 1;
	size_t f;

	if (tgt < 0 || (size_t)tgt >= in->cnt)
		return -EINVAL;
	f = func_at(l, (size_t)tgt);
	if (l->edit[f] && (size_t)tgt != l->start[f])
		return -EINVAL;
	if (l->edit[f] && l->edit[f]->remove) {
		if (!is_pseudo_call(ni))
			return -EINVAL;
		*ni = (struct bpf_insn){.code = BPF_ALU | BPF_MOV | BPF_K,
					.dst_reg = BPF_REG_0,
					.imm = l->edit[f]->value};
		return 0;
	}
	ni->imm = (int32_t)((long)(l->new_start[f] + ((size_t)tgt - l->start[f])) - (long)nj - 1);
	return 0;
}

static int copy_insns(const struct layout *l, const struct prog_image *in, struct bpf_insn *out)
{
	for (size_t f = 0; f < l->nf; f++) {
		size_t nj = l->new_start[f];

		if (l->edit[f]) {
			if (!l->edit[f]->remove)
				memcpy(out + nj, l->edit[f]->body, l->edit[f]->cnt * sizeof(*out));
			continue;
		}
		memcpy(out + nj, in->insns + l->start[f], (l->end[f] - l->start[f]) * sizeof(*out));
		for (size_t j = l->start[f]; j < l->end[f]; j++, nj++) {
			struct bpf_insn *ni = &out[nj];
			int err = 0;

			if (is_pseudo_call(ni) || is_pseudo_func(ni))
				err = fix_call(l, in, j, ni, nj);
			if (err)
				return err;
			if (ni->code == (BPF_LD | BPF_IMM | BPF_DW)) {
				j++;
				nj++;
			}
		}
	}
	return 0;
}

static int copy_func_info(const struct layout *l, const struct prog_image *in,
			  struct prog_image *out)
{
	out->func_rec = in->func_rec;
	out->func_info = calloc(l->nf, in->func_rec);
	if (!out->func_info)
		return -ENOMEM;
	for (size_t f = 0; f < l->nf; f++) {
		if (l->edit[f] && l->edit[f]->remove)
			continue;
		memcpy((char *)out->func_info + out->func_cnt * in->func_rec,
		       (const char *)in->func_info + f * in->func_rec, in->func_rec);
		set_rec_off(out->func_info, in->func_rec, out->func_cnt++, l->new_start[f]);
	}
	return 0;
}

static int copy_line_info(const struct layout *l, const struct prog_image *in,
			  struct prog_image *out)
{
	size_t last_edited = SIZE_MAX;

	out->line_rec = in->line_rec;
	if (!in->line_cnt)
		return 0;
	out->line_info = calloc(in->line_cnt, in->line_rec);
	if (!out->line_info)
		return -ENOMEM;
	for (size_t i = 0; i < in->line_cnt; i++) {
		size_t off = rec_off(in->line_info, in->line_rec, i), f, noff;

		if (off >= in->cnt)
			return -EINVAL;
		f = func_at(l, off);
		if (l->edit[f] && (l->edit[f]->remove || last_edited == f))
			continue;
		if (l->edit[f]) {
			last_edited = f;
			noff = l->new_start[f];
		} else {
			noff = l->new_start[f] + (off - l->start[f]);
		}
		memcpy((char *)out->line_info + out->line_cnt * in->line_rec,
		       (const char *)in->line_info + i * in->line_rec, in->line_rec);
		set_rec_off(out->line_info, in->line_rec, out->line_cnt++, (uint32_t)noff);
	}
	return 0;
}

int splice_apply(const struct prog_image *in, const struct splice_edit *edits, size_t nedits,
		 struct prog_image *out)
{
	struct layout l = {0};
	size_t total = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (!in->func_cnt || in->func_rec < sizeof(uint32_t) ||
	    (in->line_cnt && in->line_rec < sizeof(uint32_t)))
		return -EINVAL;
	err = layout_build(in, edits, nedits, &l, &total);
	if (!err) {
		out->insns = calloc(total, sizeof(*out->insns));
		out->cnt = total;
		err = out->insns ? copy_insns(&l, in, out->insns) : -ENOMEM;
	}
	if (!err)
		err = copy_func_info(&l, in, out);
	if (!err)
		err = copy_line_info(&l, in, out);
	layout_free(&l);
	if (err)
		prog_image_free(out);
	return err;
}

void prog_image_free(struct prog_image *img)
{
	free(img->insns);
	free(img->func_info);
	free(img->line_info);
	memset(img, 0, sizeof(*img));
}
