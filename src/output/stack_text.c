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

/* Lines appended while they fit whole: a cut stack is a prefix of whole lines. */
struct lines {
	char *buf;
	size_t len, n;
	int full;
};

static void put_line(struct lines *l, const char *indent, const char *text, const char *suffix)
{
	int w;

	if (l->full)
		return;
	w = snprintf(l->buf + l->n, l->len - l->n, "%s%s%s\n", indent, text, suffix);
	if (w < 0 || (size_t)w >= l->len - l->n) {
		l->buf[l->n] = '\0';
		l->full = 1;
		return;
	}
	l->n += (size_t)w;
}

static void put_frame(const struct sym_frame *f, const char *indent, struct lines *l)
{
	char text[768];
	int i;

	for (i = 0; i + 1 < f->nsrc; i++) {
		snprintf(text, sizeof(text), "%s (%s:%u)", f->src[i].func ? f->src[i].func : "??",
			 f->src[i].file ? f->src[i].file : "??", f->src[i].line);
		put_line(l, indent, text, " (inlined)");
	}
	sym_format(f, text, sizeof(text));
	put_line(l, indent, text, "");
}

size_t stack_text_frames(const struct pwru_record *r, const char *indent, char *buf, size_t len)
{
	struct lines l = {.buf = buf, .len = len, .full = !len};
	size_t i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < r->nframes; i++)
		put_frame(r->frames[i], indent, &l);
	return l.n;
}
