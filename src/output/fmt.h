/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Appending to a line buffer without printf: the sinks format millions of fields a second.
 * Every call keeps one byte free for a terminating newline and never writes past END.
 */
#ifndef PWRU_FMT_H
#define PWRU_FMT_H

#include <stdint.h>
#include <string.h>

struct fmt {
	char *p;
	char *end;
};

static inline void fmt_mem(struct fmt *f, const char *s, size_t n)
{
	/* the common case on its own: with N known (a literal) the compiler inlines the copy */
	if (__builtin_expect(n <= (size_t)(f->end - f->p), 1)) {
		memcpy(f->p, s, n);
		f->p += n;
		return;
	}
	n = (size_t)(f->end - f->p);
	memcpy(f->p, s, n);
	f->p += n;
}

/* A string literal, its length known when compiled. */
#define fmt_lit(f, lit) fmt_mem(f, "" lit, sizeof(lit) - 1)

/* N spaces. */
static inline void fmt_pad(struct fmt *f, size_t n)
{
	if (n > (size_t)(f->end - f->p))
		n = (size_t)(f->end - f->p);
	memset(f->p, ' ', n);
	f->p += n;
}

/* Spaces until WIDTH bytes were written since START. */
static inline void fmt_pad_to(struct fmt *f, const char *start, size_t width)
{
	size_t n = (size_t)(f->p - start);

	if (n < width)
		fmt_pad(f, width - n);
}

static inline void fmt_str(struct fmt *f, const char *s)
{
	fmt_mem(f, s, strlen(s));
}

static inline void fmt_char(struct fmt *f, char c)
{
	if (f->p < f->end)
		*f->p++ = c;
}

static inline void fmt_u64(struct fmt *f, uint64_t v)
{
	/* two digits a division */
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142"
	    "43444546474849505152535455565758596061626364656667686970717273747576777879808182838485"
	    "8687888990919293949596979899";
	char tmp[20], *q = tmp + sizeof(tmp);

	for (; v >= 100; v /= 100) {
		q -= 2;
		memcpy(q, pairs + v % 100 * 2, 2);
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, pairs + v * 2, 2);
	} else {
		*--q = (char)('0' + v);
	}
	fmt_mem(f, q, (size_t)(tmp + sizeof(tmp) - q));
}

static inline void fmt_hex(struct fmt *f, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;

	do
		tmp[sizeof(tmp) - ++n] = digits[v & 15];
	while ((v >>= 4));
	fmt_mem(f, tmp + sizeof(tmp) - n, (size_t)n);
}

/* A JSON string, quoted: control characters, quote and backslash escaped. */
static inline void fmt_json_str(struct fmt *f, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char c;

	const char *run;

	fmt_char(f, '"');
	for (;;) {
		/* the plain run up to the next character to escape, or the end, in one copy */
		for (run = s; (c = (unsigned char)*s) >= 0x20 && c != '"' && c != '\\' && c != 0x7f;
		     s++)
			;
		fmt_mem(f, run, (size_t)(s - run));
		if (!c)
			break;
		s++;
		if (c == '"' || c == '\\') {
			fmt_char(f, '\\');
			fmt_char(f, (char)c);
		} else { /* control characters, DEL too: a terminal reads it */
			fmt_lit(f, "\\u00");
			fmt_char(f, digits[c >> 4]);
			fmt_char(f, digits[c & 15]);
		}
	}
	fmt_char(f, '"');
}

/* ,"key": (no comma after '{'); KEY a string literal */
#define fmt_key(f, key)                                                                            \
	do {                                                                                       \
		if ((f)->p[-1] != '{')                                                             \
			fmt_char(f, ',');                                                          \
		fmt_lit(f, "\"" key "\":");                                                        \
	} while (0)

#endif
