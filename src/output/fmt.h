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

/* The "s" of a count's noun: 1 event, 0 events, 2 events. */
static inline const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
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

/* V's decimal digits, written backwards to end at END. */
static inline void fmt_dec_back(char *end, uint64_t v)
{
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142"
	    "43444546474849505152535455565758596061626364656667686970717273747576777879808182838485"
	    "8687888990919293949596979899";

	for (; v >= 100; v /= 100) { /* two digits a division */
		end -= 2;
		memcpy(end, pairs + v % 100 * 2, 2);
	}
	if (v >= 10)
		memcpy(end - 2, pairs + v * 2, 2);
	else
		end[-1] = (char)('0' + v);
}

static inline size_t fmt_dec_len(uint64_t v)
{
	static const uint64_t pow10[20] = {1ull,
					   10ull,
					   100ull,
					   1000ull,
					   10000ull,
					   100000ull,
					   1000000ull,
					   10000000ull,
					   100000000ull,
					   1000000000ull,
					   10000000000ull,
					   100000000000ull,
					   1000000000000ull,
					   10000000000000ull,
					   100000000000000ull,
					   1000000000000000ull,
					   10000000000000000ull,
					   100000000000000000ull,
					   1000000000000000000ull,
					   10000000000000000000ull};
	/* digits of 2^bits, then one fewer when V is below that power of ten */
	size_t n = (size_t)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return n + ((v | 1) >= pow10[n]); /* 0 has one digit too */
}

/* Digits straight into the line when they fit: no copy of a copy. */
static inline void fmt_u64(struct fmt *f, uint64_t v)
{
	size_t n = fmt_dec_len(v);
	char tmp[20];

	if (__builtin_expect(n <= (size_t)(f->end - f->p), 1)) {
		f->p += n;
		fmt_dec_back(f->p, v);
		return;
	}
	fmt_dec_back(tmp + n, v);
	fmt_mem(f, tmp, n);
}

/* The 8 hex digits of V as a word whose bytes in memory read most significant first. */
static inline uint64_t fmt_hex8(uint32_t v)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x = v;

	/* one nibble a byte, the lowest in the first byte */
	x = (x & 0xffff0000ull) << 16 | (x & 0xffffull);
	x = (x & 0x0000ff000000ff00ull) << 8 | (x & 0x000000ff000000ffull);
	x = (x & 0x00f000f000f000f0ull) << 4 | (x & 0x000f000f000f000full);
	/* '0' + n, and 'a' - '0' - 10 more where n > 9 */
	x += ones * '0' + ((x + ones * 6) >> 4 & ones) * ('a' - '0' - 10);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x); /* big-endian stores the highest byte first as it is */
#endif
	return x;
}

static inline void fmt_hex(struct fmt *f, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = v ? (size_t)(67 - __builtin_clzll(v)) / 4 : 1;

	if (n == 16 && (size_t)(f->end - f->p) >= 16) { /* kernel addresses: all 16 at once */
		uint64_t hi = fmt_hex8((uint32_t)(v >> 32)), lo = fmt_hex8((uint32_t)v);

		memcpy(f->p, &hi, 8);
		memcpy(f->p + 8, &lo, 8);
		f->p += 16;
		return;
	}
	char tmp[16], *q = n <= (size_t)(f->end - f->p) ? f->p : tmp;
	size_t i = n;

	do
		q[--i] = digits[v & 15];
	while ((v >>= 4));
	if (q == f->p)
		f->p += n;
	else
		fmt_mem(f, tmp, n);
}

static inline void fmt_s64(struct fmt *f, int64_t v)
{
	if (v < 0)
		fmt_char(f, '-');
	fmt_u64(f, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

/* Whether one of the 8 bytes of X must be escaped in JSON: below 0x20, '"', '\\', DEL. */
static inline int fmt_json_special8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones << 7;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7f);

	return !!(
	    (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | ((d - ones) & ~d)) &
	    high);
}

static inline int fmt_json_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == 0x7f; /* DEL too: a terminal reads it */
}

/* How many of the N bytes at S go out as they are: eight at a time, then one by one. */
static inline size_t fmt_json_plain(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		if (fmt_json_special8(x))
			break;
	}
	while (i < n && !fmt_json_special((unsigned char)s[i]))
		i++;
	return i;
}

/* N bytes (no NUL among them) as a JSON string, quoted, its plain runs copied whole. */
static inline void fmt_json_mem(struct fmt *f, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char c;
	size_t i;

	fmt_char(f, '"');
	for (;;) {
		i = fmt_json_plain(s, n);
		fmt_mem(f, s, i);
		if (i == n)
			break;
		c = (unsigned char)s[i];
		s += i + 1;
		n -= i + 1;
		if (c == '"' || c == '\\') {
			fmt_char(f, '\\');
			fmt_char(f, (char)c);
		} else {
			fmt_lit(f, "\\u00");
			fmt_char(f, digits[c >> 4]);
			fmt_char(f, digits[c & 15]);
		}
	}
	fmt_char(f, '"');
}

/* A JSON string, quoted: control characters, quote and backslash escaped. */
static inline void fmt_json_str(struct fmt *f, const char *s)
{
	fmt_json_mem(f, s, strlen(s));
}

/* ,"key": (no comma after '{'); KEY a string literal */
#define fmt_key(f, key)                                                                            \
	do {                                                                                       \
		if ((f)->p[-1] != '{')                                                             \
			fmt_char(f, ',');                                                          \
		fmt_lit(f, "\"" key "\":");                                                        \
	} while (0)

#endif
