/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The branches the .rodata fold made constant, decided before the load, and the code they
 * leave unreachable cleared. The verifier finds both itself, but removes each dead range
 * by moving the rest of the program, and its other passes (the control-flow check, the
 * subprogram checks, the JIT's preparation) walk every instruction handed to it: in
 * kprobe_multi_skb_1 about 70% of them are dead once the run's switches are constants.
 */
#ifndef PWRU_DEAD_CODE_H
#define PWRU_DEAD_CODE_H

#include <stddef.h>

struct bpf_insn;

/*
 * Over the N instructions at IN, in place: each conditional jump whose registers hold
 * values known on every path to it (moves and 64-bit loads of constants in straight-line
 * code; anything is forgotten where a jump, call or callback lands, and calls clobber
 * r0-r5) becomes `ja` or, never taken, `ja +0`; each instruction no entry reaches any more
 * (the program's, a called subprogram's, a callback's) becomes `ja +0`, for nop_compact()
 * to remove with the others, func_info and line_info records included. Same length, so no
 * offset moves here. Returns how many instructions changed, or -EINVAL (IN untouched) for
 * a jump or a fall-through out of the program. ARG is unused (an insn_edit_fn);
 * rodata_fold() runs it after its folds.
 */
int dead_code_insns(struct bpf_insn *in, size_t n, const void *arg);

#endif
