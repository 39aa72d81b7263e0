/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where start-up time goes, for --debug and the benchmarks (docs/performance.md): each
 * stage marks its end; the time since the previous mark is its share.
 */
#ifndef PWRU_PHASES_H
#define PWRU_PHASES_H

#include <stdio.h>

enum phase {
	PH_BTF,	      /* vmlinux BTF */
	PH_KALLSYMS,  /* /proc/kallsyms, drop reasons */
	PH_MODULES,   /* modules' BTF */
	PH_FUNCS,     /* the function and tracepoint sets */
	PH_TRACEABLE, /* ftrace list, kprobe blacklist */
	PH_BACKEND,   /* the choice, with its probes */
	PH_LOAD,      /* the BPF object: relocation, filter splice, verifier */
	PH_ATTACH,    /* from the first attach call to ready */
	PH_N,
};

void phases_start(void);
void phase_done(enum phase p);
/* "pwru: debug: phases (s): btf 0.120, ...; ready at 2.301" on F. */
void phases_print(FILE *f);

#endif
