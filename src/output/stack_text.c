// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "kallsyms/symbolizer.h"
#include "src/output/stack_text.h"

static size_t clamp(int n, size_t len)
{
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

size_t stack_text_func_line(const struct pwru_record *r, char *buf, size_t len)
{
	char line[512];

	if (len)
		buf[0] = '\0';
	if (!r->func_frame || !sym_format_line(r->func_frame, line, sizeof(line)))
		return 0;
	return clamp(snprintf(buf, len, " (%s)", line), len);
}

size_t stack_text_caller(const struct pwru_record *r, char *buf, size_t len)
{
	if (!r->caller_frame) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	return sym_format(r->caller_frame, buf, len);
}

/* Appends one line if it fits whole; returns the new length. */
static size_t put_line(char *buf, size_t len, size_t n, const char *indent, const char *text,
		       const char *suffix)
{
	int w;

	if (n >= len)
		return n;
	w = snprintf(buf + n, len - n, "%s%s%s\n", indent, text, suffix);
	if (w < 0 || (size_t)w >= len - n) {
		buf[n] = '\0';
		return n;
	}
	return n + (size_t)w;
}

static size_t put_frame(const struct sym_frame *f, const char *indent, char *buf, size_t len,
			size_t n)
{
	char text[768];
	int i;

	for (i = 0; i + 1 < f->nsrc; i++) {
		snprintf(text, sizeof(text), "%s (%s:%u)", f->src[i].func ? f->src[i].func : "??",
			 f->src[i].file ? f->src[i].file : "??", f->src[i].line);
		n = put_line(buf, len, n, indent, text, " (inlined)");
	}
	sym_format(f, text, sizeof(text));
	return put_line(buf, len, n, indent, text, "");
}

size_t stack_text_frames(const struct pwru_record *r, const char *indent, char *buf, size_t len)
{
	size_t i, n = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < r->nframes; i++)
		n = put_frame(r->frames[i], indent, buf, len, n);
	return n;
}
