/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The glue's markers (FILTER_MARK_* of bpf/filter_scratch.h): 64-bit immediates the splice
 * rewrites with what the spliced bodies need from the glue (how many packet bytes to copy,
 * whether to fill the scratch's len and skb, whether to look the scratch up at all).
 * Pure data: no libbpf objects, no filter.
 */
#ifndef PWRU_FILTER_MARKS_H
#define PWRU_FILTER_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

struct ebpf_code;

/* What the bodies spliced into a program need; all zero: nothing, no filter. */
struct filter_marks {
	uint32_t copy_len;  /* FILTER_MARK_COPY_LEN: the most any body loads from the copy */
	bool reads_meta;    /* FILTER_MARK_META: a body reads the scratch's len or skb */
	bool needs_scratch; /* FILTER_MARK_SCRATCH: a body reads the scratch at all */
};

/* Adds what BODY needs to M. */
void filter_marks_add(struct filter_marks *m, const struct ebpf_code *body);

/* *VALUE: what M writes into marker MARK; -ENOENT for another number. */
int filter_marks_value(const struct filter_marks *m, uint64_t mark, uint64_t *value);

/* Rewrites every marker among INSNS' 64-bit immediate loads with its value from M. */
void filter_marks_apply(const struct filter_marks *m, struct bpf_insn *insns, size_t cnt);

#endif
