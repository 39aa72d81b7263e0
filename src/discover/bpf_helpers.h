/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel functions the loaded BPF programs on the skb path call: helpers, kfuncs and the
 * map operations the verifier calls directly, found in each program's JITed image
 * (BPF_OBJ_GET_INFO_BY_FD, no /proc/kcore) by disassembling it and naming the call targets
 * with kallsyms (kallsyms/disasm.h).
 */
#ifndef PWRU_BPF_HELPERS_H
#define PWRU_BPF_HELPERS_H

#include <stddef.h>
#include <stdint.h>

struct bpf_object;
struct kallsyms;

struct bpf_helper {
	const char *name;   /* kallsyms' string */
	const char *module; /* NULL: vmlinux (kfuncs may live in modules) */
	uint64_t addr;
	uint32_t calls; /* how many of the programs' functions call it */
};

struct bpf_helpers {
	struct bpf_helper *v; /* sorted by name */
	size_t n;
	size_t progs;	  /* programs on the skb path examined */
	size_t not_jited; /* of those, interpreted (no image) */
};

/* 1 for program types that see an skb or a packet: tc, XDP, cgroup skb, socket filter, ... */
int bpf_helpers_prog_type_wanted(uint32_t type);

/*
 * Fills OUT from every loaded program of a wanted type (needs CAP_SYS_ADMIN). Returns 0, or
 * -errno with ERR set.
 */
int bpf_helpers_find(const struct kallsyms *ks, struct bpf_helpers *out, char *err, size_t errlen);
/* The same for one program, PROG_FD; adds to OUT. */
int bpf_helpers_add_prog(const struct kallsyms *ks, int prog_fd, struct bpf_helpers *out);
void bpf_helpers_free(struct bpf_helpers *h);

/*
 * For --filter-track-bpf-helpers: the names of H's helpers as "a,b,c" (malloc'd, "" when
 * none), leaving out those in modules (kprobed by name, a name is vmlinux's) and those
 * the loaded programs of OWN call themselves (pwru's: their probes would fire inside
 * pwru's own programs, only to be skipped), unless KEEP(name, ARG) keeps them (KEEP NULL:
 * none). *N: how many are listed.
 */
char *bpf_helpers_list(const struct bpf_helpers *h, struct bpf_object *own,
		       const struct kallsyms *ks, int (*keep)(const char *name, void *arg),
		       void *arg, size_t *n);

#endif
