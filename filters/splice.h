/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replacing whole BPF subprograms in a program's final instruction array, keeping BPF-to-BPF
 * calls, func_info and line_info consistent. Pure data manipulation: no libbpf objects.
 */
#ifndef PWRU_SPLICE_H
#define PWRU_SPLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* A program as the kernel will get it. Records start with their __u32 insn_off. */
struct prog_image {
	struct bpf_insn *insns;
	size_t cnt;
	void *func_info;
	uint32_t func_cnt, func_rec;
	void *line_info;
	uint32_t line_cnt, line_rec;
};

/* What to do with the subprogram starting at func_info record FUNC. */
struct splice_edit {
	uint32_t func;
	/* the new body (cnt > 0), or, when remove is set, nothing: */
	const struct bpf_insn *body;
	size_t cnt;
	/* the subprogram disappears and each call to it becomes "w0 = value" */
	bool remove;
	int32_t value;
};

/*
 * Builds OUT (fresh allocations) from IN with EDITS applied; IN's func_info must be sorted
 * by insn_off, as libbpf and the kernel require. Returns 0 or a negative errno.
 */
int splice_apply(const struct prog_image *in, const struct splice_edit *edits, size_t nedits,
		 struct prog_image *out);

void prog_image_free(struct prog_image *img);

#endif
