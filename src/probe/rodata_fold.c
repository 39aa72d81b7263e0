// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>
#include "src/probe/dead_code.h"
#include "src/probe/prog_edit.h"
#include "src/probe/rodata_fold.h"

/* The LEN-byte little-endian value at OFF of DATA, if it is there. */
static bool value_at(const void *data, size_t size, uint32_t off, int len, uint64_t *v)
{
	const uint8_t *p = data;
	int k;

	if (off > size || size - off < (size_t)len)
		return false;
	*v = 0;
	for (k = len - 1; k >= 0; k--)
		*v = *v << 8 | p[off + k];
	return true;
}

static int load_size(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	}
	return 8;
}

/* IN writes REG without reading it first: what REG held before it is dead there. */
static bool overwrites(const struct bpf_insn *in, uint8_t reg)
{
	uint8_t cls = BPF_CLASS(in->code);

	if (in->dst_reg != reg)
		return false;
	if ((cls == BPF_ALU || cls == BPF_ALU64) && BPF_OP(in->code) == BPF_MOV)
		return BPF_SRC(in->code) == BPF_K || in->src_reg != reg;
	if (cls == BPF_LDX)
		return in->src_reg != reg;
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/*
 * I: `rX = map value + OFF` (ld_imm64, two slots) followed by `rY = *(size *)(rX + K)`,
 * reached only from I (no jump lands on the load), the address dead after the load (Y is
 * X, or the next instruction overwrites X: clang keeps the address in r1 and loads a
 * kfunc's argument into r2): the pair is `rY = value` (ld_imm64), then a `ja +0` the
 * verifier removes.
 */
static bool fold_at(struct bpf_insn *in, size_t n, size_t i, const bool *land, int fd,
		    const void *data, size_t size)
{
	struct bpf_insn *ld = &in[i], *mem = &in[i + 2];
	uint64_t v;
	int len;

	if (i + 2 >= n || ld->code != (BPF_LD | BPF_IMM | BPF_DW) ||
	    ld->src_reg != BPF_PSEUDO_MAP_VALUE || ld->imm != fd || land[i + 1] || land[i + 2])
		return false;
	if (BPF_CLASS(mem->code) != BPF_LDX || BPF_MODE(mem->code) != BPF_MEM ||
	    mem->src_reg != ld->dst_reg || mem->off < 0)
		return false;
	if (mem->dst_reg != ld->dst_reg && (i + 3 >= n || !overwrites(&in[i + 3], ld->dst_reg)))
		return false;
	len = load_size(mem->code);
	if (!value_at(data, size, (uint32_t)in[i + 1].imm + (uint32_t)mem->off, len, &v) ||
	    v > UINT32_MAX)
		return false;
	/*
	 * The value as an ld_imm64 in the pair's own two slots: one `ja +0` left, not two. The
	 * verifier removes each no-op by moving the rest of the program and its per-instruction
	 * state, which under emulation made every fold cost about 35 us of a load. The JITs
	 * emit a 32-bit move for a value that fits, as for `wY = value`.
	 */
	in[i] = (struct bpf_insn){.code = BPF_LD | BPF_IMM | BPF_DW,
				  .dst_reg = mem->dst_reg,
				  .imm = (int32_t)(uint32_t)v};
	in[i + 1] = (struct bpf_insn){0};
	in[i + 2] = (struct bpf_insn){.code = BPF_JMP | BPF_JA};
	return true;
}

int rodata_fold_insns(struct bpf_insn *in, size_t n, int map_fd, const void *data, size_t size)
{
	bool *land = insn_landings(in, n);
	int folded = 0;
	size_t i;

	if (!land)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (fold_at(in, n, i, land, map_fd, data, size)) {
			folded++;
			i += 2;
		}
	free(land);
	return folded;
}

struct fold_arg {
	int map_fd;
	const void *data;
	size_t size;
};

/* The folds, then what they decide: the branches on them and the code those leave dead. */
static int fold_edit(struct bpf_insn *in, size_t n, const void *arg)
{
	const struct fold_arg *a = arg;
	int folded = rodata_fold_insns(in, n, a->map_fd, a->data, a->size), decided;

	if (folded < 0)
		return folded;
	decided = dead_code_insns(in, n, NULL);
	return decided < 0 ? decided : folded + decided;
}

int rodata_fold(struct bpf_program *prog, int map_fd, const void *data, size_t size)
{
	struct fold_arg a = {.map_fd = map_fd, .data = data, .size = size};

	return prog_edit(prog, fold_edit, &a);
}
