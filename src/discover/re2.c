// SPDX-License-Identifier: GPL-2.0
/*
 * cilium/pwru's --filter-func is RE2; ours is matched by regexec. One walk over the pattern
 * rewrites RE2 into the POSIX extended regex that matches the same kernel function names,
 * and refuses, with what to write, what POSIX has no form of: compiled as it stands, such
 * a pattern would silently match something else or nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "src/discover/re2.h"

struct scan {
	const char *re;	 /* the pattern as given, for messages */
	const char *p;	 /* where the walk is */
	char *out;	 /* the ERE: never more than twice the pattern */
	size_t n;	 /* its length */
	int depth;	 /* groups open */
	int icase_close; /* depth whose ')' ends a leading (?i:...) group: the end */
	bool quant;	 /* the last thing written was a repetition */
	int cflags;
	struct pwru_err *e;
};

static void put(struct scan *s, const char *t, size_t len)
{
	memcpy(s->out + s->n, t, len);
	s->n += len;
}

static int refuse(struct scan *s, const char *tok, int len, const char *hint)
{
	return err_bad_input(s->e, EINVAL,
			     "--filter-func '%s' is not a valid regex: %.*s is RE2 syntax "
			     "(cilium/pwru's), this is a POSIX extended regex (%s)",
			     s->re, len, tok, hint);
}

static const char *escape_hint(char c)
{
	switch (c) {
	case 'd':
		return "digits: [0-9]";
	case 'D':
		return "not a digit: [^0-9]";
	case 'p':
	case 'P':
		return "classes: [[:alpha:]], [^[:alpha:]]";
	case 'A':
		return "the start: ^";
	case 'z':
		return "the end: $";
	case 'Q':
	case 'E':
		return "literals: each escaped, ip\\.rcv";
	default:
		return "the character itself, or a [...] of it";
	}
}

/*
 * \b \B \w \W \s \S are glibc's too, with RE2's ASCII meaning; \< \> \` \' are glibc word
 * and buffer anchors but RE2's literals; other escaped punctuation is a literal in both.
 */
static int scan_escape(struct scan *s)
{
	char c = s->p[1];

	if (!c) {
		put(s, "\\", 1); /* regcomp says "Trailing backslash" */
		s->p++;
		return 0;
	}
	if (isalnum((unsigned char)c) && !strchr("bBwWsS", c))
		return refuse(s, s->p, 2, escape_hint(c));
	if (strchr("<>`'", c)) {
		put(s, "[", 1);
		put(s, &c, 1);
		put(s, "]", 1);
	} else {
		put(s, s->p, 2);
	}
	s->p += 2;
	return 0;
}

/* POSIX brackets take no escapes: RE2's \. in one is a '.', its \] has no same-length form. */
static int scan_bracket(struct scan *s)
{
	const char *p = s->p + 1;

	put(s, "[", 1);
	if (*p == '^')
		put(s, p++, 1);
	if (*p == ']')
		put(s, p++, 1);
	for (; *p && *p != ']'; p++) {
		const char *end = p[0] == '[' && p[1] == ':' ? strstr(p + 2, ":]") : NULL;

		if (end) {
			put(s, p, (size_t)(end + 2 - p));
			p = end + 1;
		} else if (*p != '\\') {
			put(s, p, 1);
		} else if (p[1] && ispunct((unsigned char)p[1]) && !strchr("]^-[\\", p[1])) {
			put(s, ++p, 1);
		} else {
			return refuse(
			    s, p, p[1] ? 2 : 1,
			    "no escapes inside [...]: ']' first, '-' last, [0-9] for \\d");
		}
	}
	if (*p)
		put(s, p++, 1);
	s->p = p;
	return 0;
}

/* RE2 reads '{' as a repetition only in {n}, {n,}, {n,m}; elsewhere it is a literal. */
static void scan_brace(struct scan *s)
{
	size_t len = strspn(s->p + 1, "0123456789");
	size_t more = len && s->p[1 + len] == ',' ? strspn(s->p + 2 + len, "0123456789") + 1 : 0;

	if (len && s->p[1 + len + more] == '}') {
		put(s, s->p, len + more + 2);
		s->p += len + more + 2;
		s->quant = true;
		return;
	}
	put(s, "\\{", 2);
	s->p++;
}

/* (?P<name> and (?<name>: capturing says nothing about whether a name matches. */
static int scan_named(struct scan *s, const char *name)
{
	size_t len = 0;

	while (isalnum((unsigned char)name[len]) || name[len] == '_')
		len++;
	if (!len || name[len] != '>')
		return err_bad_input(
		    s->e, EINVAL, "--filter-func '%s' is not a valid regex: bad group name at %s",
		    s->re, s->p);
	put(s, "(", 1);
	s->depth++;
	s->p = name + len + 1;
	return 0;
}

/*
 * (?flags) and (?flags:re). s, m and U change nothing for a name: no newline in it, and
 * greed changes what a match spans, not whether there is one. i is the whole pattern's
 * REG_ICASE when nothing came before it; elsewhere POSIX has no form of it.
 */
static int scan_flags(struct scan *s)
{
	const char *q = s->p + 2, *dash = NULL;
	bool icase = s->cflags & REG_ICASE, want = icase, leading = !s->n && !s->depth;

	for (; *q && strchr("imsU-", *q); q++) {
		if (*q == '-' && dash)
			break;
		if (*q == '-')
			dash = q;
		else if (*q == 'i')
			want = !dash;
	}
	if ((*q != ')' && *q != ':') || (*q == ')' && q == s->p + 2) || (dash && dash + 1 == q))
		return err_bad_input(s->e, EINVAL,
				     "--filter-func '%s' is not a valid regex: unknown group at %s",
				     s->re, s->p);
	if (want != icase && !leading)
		return refuse(s, s->p, (int)(q + 1 - s->p),
			      "(?i) only at the start, for the whole pattern; elsewhere [Ii]p_rcv");
	s->cflags = want ? REG_ICASE : 0;
	if (*q == ':') {
		put(s, "(", 1);
		s->depth++;
		if (want != icase)
			s->icase_close = s->depth;
	}
	s->p = q + 1;
	return 0;
}

static int scan_group(struct scan *s)
{
	const char *q = s->p + 2;

	if (s->p[1] != '?') {
		put(s, s->p++, 1);
		s->depth++;
		return 0;
	}
	if (q[0] == 'P' && q[1] == '<')
		return scan_named(s, q + 2);
	if (q[0] == '<' && q[1] != '=' && q[1] != '!')
		return scan_named(s, q + 1);
	return scan_flags(s);
}

static int scan_close(struct scan *s)
{
	if (s->icase_close && s->depth == s->icase_close && s->p[1])
		return refuse(s, s->re, (int)(s->p + 1 - s->re),
			      "(?i) only at the start, for the whole pattern; elsewhere [Ii]p_rcv");
	if (s->depth == s->icase_close)
		s->icase_close = 0;
	if (s->depth)
		s->depth--;
	put(s, s->p++, 1);
	return 0;
}

static int scan_one(struct scan *s)
{
	char c = *s->p;

	if (c == '?' && s->quant) {
		/*
		 * RE2's lazy *? +? ?? {n}?: the same whole names match (pwru's
		 * first-match check differs: docs/usage.md); POSIX reads another repeat.
		 */
		s->quant = false;
		s->p++;
		return 0;
	}
	if (strchr("*+?", c)) {
		put(s, s->p++, 1);
		s->quant = true;
		return 0;
	}
	s->quant = false;
	switch (c) {
	case '\\':
		return scan_escape(s);
	case '[':
		return scan_bracket(s);
	case '{':
		scan_brace(s);
		return 0;
	case '(':
		return scan_group(s);
	case ')':
		return scan_close(s);
	default:
		put(s, s->p++, 1);
		return 0;
	}
}

int re2_to_ere(const char *re, char **ere, int *cflags, struct pwru_err *e)
{
	struct scan s = {.re = re, .p = re, .e = e};

	s.out = malloc(2 * strlen(re) + 1);
	if (!s.out)
		return err_from_errno(e, -ENOMEM, "--filter-func");
	while (*s.p) {
		if (scan_one(&s)) {
			free(s.out);
			return -1;
		}
	}
	s.out[s.n] = '\0';
	*ere = s.out;
	*cflags = s.cflags;
	return 0;
}
