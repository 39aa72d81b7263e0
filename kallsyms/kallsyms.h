/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's symbol table as /proc/kallsyms prints it: name -> addresses (a static name
 * can appear several times) and address -> function name, exact or nearest below.
 */
#ifndef PWRU_KALLSYMS_H
#define PWRU_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t addr;
	const char *name;
	const char *module; /* NULL for vmlinux */
	char type;	    /* 't', 'T', 'W', 'd', ... as kallsyms prints it */
};

struct kallsyms;

/* Parses PATH (NULL: /proc/kallsyms). Returns 0 or a negative errno. */
int kallsyms_load(const char *path, struct kallsyms **out);
/* Which symbols kallsyms_load_filtered() keeps: of the TYPES given, those KEEP accepts. */
struct kallsyms_filter {
	const char *types; /* "tTwW": lines of other types are skipped unparsed */
	/* NAME is LEN bytes long; NULL module: vmlinux */
	int (*keep)(const char *name, size_t len, const char *module, void *arg);
	void *arg;
	/* when set: every line read, whole with its newline, before it is looked at */
	void (*tee)(const char *line, size_t len, void *tee_arg);
	void *tee_arg;
};

/*
 * Reads PATH (NULL: /proc/kallsyms) in pieces and keeps only the symbols F accepts: memory
 * and sorting are what is kept, not the 200,000 lines. Lookups then know only those
 * symbols; kallsyms_hidden() still speaks for the whole file. Returns 0 or a negative
 * errno.
 */
int kallsyms_load_filtered(const char *path, const struct kallsyms_filter *f,
			   struct kallsyms **out);
/* The same from FD, read from where it stands to its end; FD stays open. */
int kallsyms_load_filtered_fd(int fd, const struct kallsyms_filter *f, struct kallsyms **out);
/* Parses an in-memory copy of the file; BUF is copied. */
int kallsyms_parse(const char *buf, size_t len, struct kallsyms **out);
void kallsyms_free(struct kallsyms *ks);

size_t kallsyms_count(const struct kallsyms *ks);
/* Calls FN on every symbol, in name order; stops at FN's first non-zero, which it returns. */
int kallsyms_each(const struct kallsyms *ks, int (*fn)(const struct ksym *s, void *arg), void *arg);
/* True when every address is 0: kptr_restrict hides them from this reader. */
int kallsyms_hidden(const struct kallsyms *ks);

/*
 * All symbols named NAME in vmlinux (MODULE NULL) or in MODULE. Returns how many, and
 * points *FIRST at the first of them; they are contiguous and ordered by address.
 */
size_t kallsyms_lookup_name(const struct kallsyms *ks, const char *name, const char *module,
			    const struct ksym **first);
/* True for a function's type ('t', 'T', 'w', 'W'). */
int kallsyms_is_text(char type);
/*
 * Address to function: data symbols are never returned, and of several names at one address
 * a global one wins over a local one (then a strong one over a weak one).
 * kallsyms_lookup_addr: the function starting exactly at ADDR, or NULL.
 * kallsyms_nearest: the last one starting at or below ADDR, or NULL; *OFF gets ADDR minus
 * its start.
 */
const struct ksym *kallsyms_lookup_addr(const struct kallsyms *ks, uint64_t addr);
const struct ksym *kallsyms_nearest(const struct kallsyms *ks, uint64_t addr, uint64_t *off);

/*
 * Where an address inside a function falls, as the kernel's own stack traces say it: the
 * function (as kallsyms_nearest), the offset into it, and its size, measured up to the next
 * function of the same owner (vmlinux, one module, or "bpf" for BPF programs). SIZE is 0 for
 * the last function of its owner, whose end kallsyms does not give.
 */
struct ksym_pos {
	const struct ksym *sym;
	uint64_t off, size;
};

struct kmodules;
/*
 * Bounds each module's last function by the module's end (kmodules.h); KS owns M from here.
 * Without it, an address up to a slack past the last function is named after it.
 */
void kallsyms_set_modules(struct kallsyms *ks, struct kmodules *m);
/* Fills POS; returns 0, or -ENOENT below the first function or too far past the last one. */
int kallsyms_locate(const struct kallsyms *ks, uint64_t addr, struct ksym_pos *pos);
/*
 * "ip_rcv+0x1a/0x200", "veth_xmit+0x10/0x2c0 [veth]" (no "/size" when unknown), or
 * "0xffffffffc0a01d40" when POS is NULL or has no symbol. Returns the length written, as
 * snprintf, truncated to LEN - 1.
 */
size_t kallsyms_snprint(char *buf, size_t len, uint64_t addr, const struct ksym_pos *pos);

#endif
