/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel addresses to what a person reads: the function with offset and size from kallsyms,
 * and, with debug info, the source line and the inlined functions at that point. Each address
 * is resolved once and kept (stacks repeat the same few hundred addresses).
 */
#ifndef PWRU_SYMBOLIZER_H
#define PWRU_SYMBOLIZER_H

#include <stddef.h>
#include <stdint.h>
#include "kallsyms/kallsyms.h"
#include "kallsyms/srcline.h"

#define SYM_MAX_INLINE 8

struct sym_frame {
	uint64_t addr;
	int ret;	     /* a return address: its line is the call's, at addr - 1 */
	unsigned gen;	     /* the symbolizer's table generation it was resolved with */
	struct ksym_pos pos; /* pos.sym NULL: no function known */
	/* Source, innermost inlined function first, the function of pos last; 0 without lines. */
	int nsrc;
	struct ksrc_frame src[SYM_MAX_INLINE];
};

struct sym_stats {
	size_t lookups, hits, entries, resets;
};

struct symbolizer;

/*
 * KS must outlive the symbolizer; SRC (may be NULL: no lines) becomes its own. CAP bounds the
 * cache (entries) from one trim to the next, which one use may pass by 256 lookups; 0 picks
 * the default.
 */
struct symbolizer *symbolizer_new(const struct kallsyms *ks, struct ksrc *src, size_t cap);
void symbolizer_free(struct symbolizer *s);
/*
 * On a miss for a kernel address, read KALLSYMS_PATH and MODULES_PATH again (NULL: the /proc
 * files), at most once per INTERVAL_MS, and look up in the new table: code loaded after the
 * start. KS stays the caller's; the tables read here are the symbolizer's.
 */
void symbolizer_enable_reload(struct symbolizer *s, const char *kallsyms_path,
			      const char *modules_path, unsigned interval_ms);
int symbolizer_has_lines(const struct symbolizer *s);

/*
 * The frame at ADDR; RET when ADDR is a return address (every stack frame but the first).
 * The frame stays valid until the next symbolizer_trim().
 */
const struct sym_frame *symbolizer_lookup(struct symbolizer *s, uint64_t addr, int ret);
/*
 * Starts the cache over when it holds CAP frames; called between uses (one event's frames),
 * so that the frames of one use stay valid together.
 */
void symbolizer_trim(struct symbolizer *s);
void symbolizer_stats(const struct symbolizer *s, struct sym_stats *st);

/* "ip_rcv+0x40/0x1e0", with " [module]" for module code; "0x<addr>" when unknown. */
size_t sym_format_pos(const struct sym_frame *f, char *buf, size_t len);
/* "net/ipv4/ip_input.c:569", the line in the function of pos; "" without lines. */
size_t sym_format_line(const struct sym_frame *f, char *buf, size_t len);
/* "ip_rcv+0x40/0x1e0 (net/ipv4/ip_input.c:569)": both, the line only when known. */
size_t sym_format(const struct sym_frame *f, char *buf, size_t len);

#endif
