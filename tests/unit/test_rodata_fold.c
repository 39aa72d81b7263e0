// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <linux/bpf.h>
#include "tap.h"
#include "src/probe/rodata_fold.h"

#define FD 7

/* The frozen .rodata: a u32 at 4, a u8 at 9, a u64 too large for a move at 16. */
static const unsigned char ro[24] = {[4] = 0x78, 0x56, 0x34, 0x12, [9] = 0x2a, [16] = 1, [21] = 1};

static void ld_map(struct bpf_insn *in, int reg, int fd, int off)
{
	in[0] = (struct bpf_insn){.code = BPF_LD | BPF_IMM | BPF_DW,
				  .dst_reg = reg,
				  .src_reg = BPF_PSEUDO_MAP_VALUE,
				  .imm = fd};
	in[1] = (struct bpf_insn){.imm = off};
}

static struct bpf_insn ldx(int size, int dst, int src, int off)
{
	return (struct bpf_insn){
	    .code = BPF_LDX | BPF_MEM | size, .dst_reg = dst, .src_reg = src, .off = off};
}

static const struct bpf_insn ret0[2] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K},
					{.code = BPF_JMP | BPF_EXIT}};

/* a program: the pair at 0..2, then `r0 = 0; exit` */
static int fold_pair(struct bpf_insn *in, int fd, int off, struct bpf_insn load)
{
	ld_map(in, 1, fd, off);
	in[2] = load;
	memcpy(&in[3], ret0, sizeof(ret0));
	return rodata_fold_insns(in, 5, FD, ro, sizeof(ro));
}

static struct bpf_insn mov_reg(int dst, int src)
{
	return (struct bpf_insn){
	    .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = dst, .src_reg = src};
}

/* the u32 at 4 loaded by LOAD, then NEXT, then `r0 = 0; exit` */
static int fold_then(struct bpf_insn *in, struct bpf_insn load, struct bpf_insn next)
{
	ld_map(in, 1, FD, 4);
	in[2] = load;
	in[3] = next;
	memcpy(&in[4], ret0, sizeof(ret0));
	return rodata_fold_insns(in, 6, FD, ro, sizeof(ro));
}

static int is_move(const struct bpf_insn *in, int reg, unsigned int v)
{
	return in[0].code == (BPF_LD | BPF_IMM | BPF_DW) && in[0].dst_reg == reg &&
	       !in[0].src_reg && (unsigned int)in[0].imm == v && !in[1].imm && !in[1].code &&
	       in[2].code == (BPF_JMP | BPF_JA) && !in[2].off;
}

int main(void)
{
	struct bpf_insn in[8];

	is_int(fold_pair(in, FD, 4, ldx(BPF_W, 1, 1, 0)), 1, "a u32 switch is folded");
	ok(is_move(in, 1, 0x12345678), "into an ld_imm64 of its value and one no-op");
	is_int(fold_pair(in, FD, 8, ldx(BPF_B, 1, 1, 1)), 1,
	       "a u8 at the map offset plus the load's");
	ok(is_move(in, 1, 0x2a), "its value is the byte at 9");
	is_int(fold_pair(in, FD, 16, ldx(BPF_DW, 1, 1, 0)), 0,
	       "a u64 past 32 bits is left alone (a 32-bit move cannot hold it)");
	is_int(fold_pair(in, FD, 8, ldx(BPF_DW, 1, 1, 0)), 1, "a u64 that fits is folded");
	ok(is_move(in, 1, 0x2a00), "to its value, the bytes at 8 to 15");
	is_int(fold_pair(in, FD + 1, 4, ldx(BPF_W, 1, 1, 0)), 0,
	       "another map's loads are left alone");
	is_int(fold_pair(in, FD, 4, ldx(BPF_W, 2, 1, 0)), 0,
	       "left alone when the address stays in its register (the load writes another)");
	is_int(fold_then(in, ldx(BPF_W, 2, 1, 0), mov_reg(1, 8)), 1,
	       "folded when the next instruction overwrites the address (r1 = r8)");
	ok(is_move(in, 2, 0x12345678), "into a move to the load's register");
	is_int(fold_then(in, ldx(BPF_W, 2, 1, 0), ldx(BPF_DW, 1, 10, -88)), 1,
	       "folded when the next instruction loads into the address's register");
	is_int(fold_then(in, ldx(BPF_W, 2, 1, 0), ldx(BPF_DW, 1, 1, 0)), 0,
	       "left alone when the next instruction reads the address (r1 = *(r1 + 0))");
	is_int(fold_then(in, ldx(BPF_W, 2, 1, 0), mov_reg(1, 1)), 0,
	       "left alone when the next instruction moves the address to itself");
	is_int(fold_then(
		   in, ldx(BPF_W, 2, 1, 0),
		   (struct bpf_insn){.code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 1, .imm = 1}),
	       0, "left alone when the next instruction adds to the address");
	is_int(fold_then(in, ldx(BPF_W, 2, 1, 0),
			 (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .imm = 1}),
	       0, "left alone when the next instruction is a call (it reads r1 to r5)");
	is_int(fold_pair(in, FD, 22, ldx(BPF_W, 1, 1, 0)), 0,
	       "a load past the map's end is left alone");
	/* r0 = 0; if r0 == 0 goto +2 (to the load); then the pair; exit */
	in[0] = (struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K};
	in[1] = (struct bpf_insn){.code = BPF_JMP | BPF_JEQ | BPF_K, .off = 2};
	ld_map(&in[2], 1, FD, 4);
	in[4] = ldx(BPF_W, 1, 1, 0);
	memcpy(&in[5], ret0, sizeof(ret0));
	is_int(rodata_fold_insns(in, 7, FD, ro, sizeof(ro)), 0,
	       "left alone when a jump lands on the load (another path may hold another address)");
	return tap_done();
}
