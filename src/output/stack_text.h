/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symbolized frames as text, for every sink that prints them: the traced function's source
 * line, the CALLER, and the stack, one function per line with its inlined ones.
 */
#ifndef PWRU_STACK_TEXT_H
#define PWRU_STACK_TEXT_H

#include <stddef.h>
#include "src/output/record.h"

/* " (net/ipv4/ip_input.c:562)" after FUNC; "" without debug info. */
size_t stack_text_func_line(const struct pwru_record *r, char *buf, size_t len);

/* "__ip_local_out+0x5a/0x80 (net/ipv4/ip_output.c:119)"; "" when the record has no caller. */
size_t stack_text_caller(const struct pwru_record *r, char *buf, size_t len);

/*
 * The stack under an event line: per frame its inlined functions, innermost first, then the
 * function itself, each line INDENT then the text and '\n':
 *     NF_HOOK (include/linux/netfilter.h:314) (inlined)
 *     ip_rcv+0x40/0x1e0 (net/ipv4/ip_input.c:569)
 * Returns the length written; from the first line that does not fit, nothing more.
 */
size_t stack_text_frames(const struct pwru_record *r, const char *indent, char *buf, size_t len);

#endif
