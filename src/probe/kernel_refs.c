// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "bpf/kernel_refs.h"
#include "src/discover/btf_find.h"
#include "src/probe/kernel_refs.h"
#include "src/probe/prog_edit.h"

const struct btf_want kernel_refs_wants[KERNEL_REFS_N] = {
    {"bpf_rdonly_cast", BTF_KIND_FUNC, 0},
    {"bpf_redirect_info", BTF_KIND_VAR, 0},
};

void kernel_refs_find(const struct btf *vmlinux, struct kernel_refs *r)
{
	struct btf_want w[KERNEL_REFS_N];

	memcpy(w, kernel_refs_wants, sizeof(w));
	btf_find_all(vmlinux, w, KERNEL_REFS_N);
	r->rdonly_cast = w[0].id;
	r->redirect_info = w[1].id;
}

static bool is_marker_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == 0 &&
	       in->imm == PWRU_KREF_RDONLY_CAST;
}

static bool is_marker_addr(const struct bpf_insn *in, size_t left)
{
	uint64_t v;

	if (left < 2 || in->code != (BPF_LD | BPF_IMM | BPF_DW) || in->src_reg != 0)
		return false;
	v = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
	return v == PWRU_KREF_REDIRECT_INFO;
}

int kernel_refs_patch_insns(struct bpf_insn *in, size_t n, const struct kernel_refs *r)
{
	int turned = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (is_marker_call(&in[i])) {
			/* vmlinux's: off 0 (a module's kfunc would index fd_array) */
			in[i].src_reg = BPF_PSEUDO_KFUNC_CALL;
			in[i].imm = (__s32)r->rdonly_cast;
			in[i].off = 0;
			turned++;
		} else if (is_marker_addr(&in[i], n - i)) {
			/* a typed ksym: the VAR's id, then its BTF object's fd (0: vmlinux) */
			in[i].src_reg = r->redirect_info ? BPF_PSEUDO_BTF_ID : 0;
			in[i].imm = (__s32)r->redirect_info;
			in[i + 1].imm = 0;
			turned++;
		}
		if (in[i].code == (BPF_LD | BPF_IMM | BPF_DW))
			i++; /* its second half holds no instruction */
	}
	return turned;
}

static int refs_edit(struct bpf_insn *in, size_t n, const void *arg)
{
	return kernel_refs_patch_insns(in, n, arg);
}

int kernel_refs_patch(struct bpf_program *prog, const struct kernel_refs *r)
{
	return prog_edit(prog, refs_edit, r);
}
