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
	if (n > (size_t)(f->end - f->p))
		n = (size_t)(f->end - f->p);
	memcpy(f->p, s, n);
	f->p += n;
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
	char tmp[20];
	int n = 0;

	do
		tmp[sizeof(tmp) - ++n] = (char)('0' + v % 10);
	while ((v /= 10));
	fmt_mem(f, tmp + sizeof(tmp) - n, (size_t)n);
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

	fmt_char(f, '"');
	for (; (c = (unsigned char)*s); s++) {
		if (c == '"' || c == '\\') {
			fmt_char(f, '\\');
			fmt_char(f, (char)c);
		} else if (c < 0x20 || c == 0x7f) { /* DEL too: a terminal reads it */
			fmt_str(f, "\\u00");
			fmt_char(f, digits[c >> 4]);
			fmt_char(f, digits[c & 15]);
		} else {
			fmt_char(f, (char)c);
		}
	}
	fmt_char(f, '"');
}

/* ,"key": */
static inline void fmt_key(struct fmt *f, const char *key)
{
	if (f->p[-1] != '{')
		fmt_char(f, ',');
	fmt_char(f, '"');
	fmt_str(f, key);
	fmt_str(f, "\":");
}

#endif
