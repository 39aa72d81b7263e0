// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kallsyms/kallsyms.h"
#include "kallsyms/kmodules.h"

struct kallsyms {
	char *text;	      /* the file, with names cut in place */
	struct ksym *by_addr; /* text symbols only: an address is named after a function */
	struct ksym *by_name; /* every symbol */
	size_t n, ntext;
	uint64_t max_addr;
	struct kmodules *mods; /* NULL: module ends unknown */
};

int kallsyms_is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* Global before local, strong before weak: the name a caller would use. */
static int alias_rank(char type)
{
	return (type == 't' || type == 'w') * 2 + (type == 'w' || type == 'W');
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	int c;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	c = alias_rank(x->type) - alias_rank(y->type);
	/* then by name, so that the choice does not depend on the file's order */
	return c ? c : strcmp(x->name, y->name);
}

static int cmp_key(const char *name, const char *mod, const struct ksym *y)
{
	int c = strcmp(name, y->name);

	if (c)
		return c;
	return strcmp(mod ? mod : "", y->module ? y->module : "");
}

static int cmp_name(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	int c = cmp_key(x->name, x->module, y);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One line: "ffffffff81000000 T name" optionally followed by "\t[module]". */
static int parse_line(char *line, struct ksym *s)
{
	uint64_t addr = 0;
	char *p = line, *name, *mod = NULL;
	int v, digits = 0;

	while ((v = hexval(*p)) >= 0) {
		addr = addr << 4 | (uint64_t)v;
		p++;
		digits++;
	}
	if (!digits || p[0] != ' ' || !p[1] || p[2] != ' ')
		return -1;
	s->type = p[1];
	name = p + 3;
	p = strchr(name, '\t');
	if (p) {
		*p++ = '\0';
		if (*p == '[') {
			mod = p + 1;
			p = strchr(mod, ']');
			if (p)
				*p = '\0';
		}
	}
	if (!*name)
		return -1;
	s->addr = addr;
	s->name = name;
	s->module = mod;
	return 0;
}

static size_t count_lines(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int kallsyms_parse(const char *buf, size_t len, struct kallsyms **out)
{
	struct kallsyms *ks = calloc(1, sizeof(*ks));
	char *line, *next;

	if (!ks)
		return -ENOMEM;
	ks->text = malloc(len + 1);
	if (!ks->text)
		goto nomem;
	memcpy(ks->text, buf, len);
	ks->text[len] = '\0';
	ks->by_addr = calloc(count_lines(ks->text), sizeof(struct ksym));
	if (!ks->by_addr)
		goto nomem;
	ks->by_name = calloc(count_lines(ks->text), sizeof(struct ksym));
	if (!ks->by_name)
		goto nomem;
	for (line = ks->text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (parse_line(line, &ks->by_name[ks->n]))
			continue;
		if (ks->by_name[ks->n].addr > ks->max_addr)
			ks->max_addr = ks->by_name[ks->n].addr;
		if (kallsyms_is_text(ks->by_name[ks->n].type))
			ks->by_addr[ks->ntext++] = ks->by_name[ks->n];
		ks->n++;
	}
	qsort(ks->by_addr, ks->ntext, sizeof(struct ksym), cmp_addr);
	qsort(ks->by_name, ks->n, sizeof(struct ksym), cmp_name);
	*out = ks;
	return 0;
nomem:
	kallsyms_free(ks);
	return -ENOMEM;
}

/* /proc files report size 0, so read until EOF. */
static int read_all(const char *path, char **buf, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *b = malloc(cap), *nb;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !b) {
		int err = fd < 0 ? -errno : -ENOMEM;

		if (fd >= 0)
			close(fd);
		free(b);
		return err;
	}
	while ((r = read(fd, b + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n < cap)
			continue;
		nb = realloc(b, cap *= 2);
		if (!nb) {
			r = -1;
			errno = ENOMEM;
			break;
		}
		b = nb;
	}
	if (r < 0) {
		int err = -errno;

		close(fd);
		free(b);
		return err;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
}

int kallsyms_load(const char *path, struct kallsyms **out)
{
	char *buf = NULL;
	size_t len = 0;
	int err = read_all(path ? path : "/proc/kallsyms", &buf, &len);

	if (err)
		return err;
	err = kallsyms_parse(buf, len, out);
	free(buf);
	return err;
}

struct kept {
	struct ksym *v;
	size_t n, cap;
	char *pool;
	size_t plen, pcap;
};

/* Copies S with its strings into K; the strings' pool offsets stand in for pointers. */
static int keep_sym(struct kept *k, const struct ksym *s)
{
	size_t nl = strlen(s->name) + 1, ml = s->module ? strlen(s->module) + 1 : 0;

	if (k->n == k->cap) {
		size_t nc = k->cap ? k->cap * 2 : 256;
		struct ksym *nv = realloc(k->v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		k->v = nv;
		k->cap = nc;
	}
	while (k->plen + nl + ml > k->pcap) {
		size_t nc = k->pcap ? k->pcap * 2 : 4096;
		char *np = realloc(k->pool, nc);

		if (!np)
			return -ENOMEM;
		k->pool = np;
		k->pcap = nc;
	}
	k->v[k->n] = *s;
	k->v[k->n].name = (const char *)(uintptr_t)k->plen;
	memcpy(k->pool + k->plen, s->name, nl);
	k->plen += nl;
	if (ml) {
		k->v[k->n].module = (const char *)(uintptr_t)(k->plen + 1);
		memcpy(k->pool + k->plen, s->module, ml);
		k->plen += ml;
	}
	k->n++;
	return 0;
}

/* Parses the complete lines of BUF[0..*HAVE), keeps the rest for the next read. */
/*
 * Fills S from a 64-bit line ("%016lx T name[\t[module]]") only when F wants it: the type,
 * then the name, are looked at before the address is parsed. 1 kept, 0 not, -1 not such a
 * line (the caller parses it the slow way).
 */
/* strchr() without the call: TYPES is a few letters, asked of every line */
static bool has_type(const char *types, char type)
{
	for (; *types; types++)
		if (*types == type)
			return true;
	return false;
}

static int fast_line(char *line, char *nl, const struct kallsyms_filter *f, struct ksym *s,
		     uint64_t *max_addr)
{
	char *name = line + 19, *tab;
	int i;

	if (nl - line <= 19 || line[16] != ' ' || line[18] != ' ')
		return -1;
	if (!*max_addr && memcmp(line, "0000000000000000", 16))
		*max_addr = 1; /* some address is shown: the exact maximum is not needed */
	s->type = line[17];
	if (!has_type(f->types, s->type))
		return 0;
	s->module = NULL;
	/* a module's symbol ends in "\t[module]": vmlinux's, most of them, are not searched */
	tab = nl[-1] == ']' ? memchr(name, '\t', (size_t)(nl - name)) : NULL;
	if (tab) {
		*tab = '\0';
		if (tab[1] == '[') {
			s->module = tab + 2;
			nl[-1] = '\0';
		}
	}
	s->name = name;
	if (!f->keep(s->name, (size_t)((tab ? tab : nl) - name), s->module, f->arg))
		return 0;
	for (s->addr = 0, i = 0; i < 16; i++)
		s->addr = s->addr << 4 | (uint64_t)hexval(line[i]);
	return 1;
}

/* Parses the complete lines of BUF[0..*HAVE), keeps the rest for the next read. */
static int scan_lines(char *buf, size_t *have, struct kept *k, uint64_t *max_addr,
		      const struct kallsyms_filter *f)
{
	char *line = buf, *end = buf + *have, *nl;
	struct ksym s;
	int r;

	while ((nl = memchr(line, '\n', (size_t)(end - line)))) {
		if (f->tee)
			f->tee(line, (size_t)(nl - line) + 1, f->tee_arg);
		*nl = '\0';
		r = fast_line(line, nl, f, &s, max_addr);
		if (r < 0 && !parse_line(line, &s)) {
			if (s.addr > *max_addr)
				*max_addr = s.addr;
			r = has_type(f->types, s.type) &&
			    f->keep(s.name, strlen(s.name), s.module, f->arg);
		}
		if (r > 0 && keep_sym(k, &s))
			return -ENOMEM;
		line = nl + 1;
	}
	*have = (size_t)(end - line);
	memmove(buf, line, *have);
	return 0;
}

static int build_filtered(struct kept *k, uint64_t max_addr, struct kallsyms **out)
{
	struct kallsyms *ks = calloc(1, sizeof(*ks));
	size_t i;

	if (!ks)
		return -ENOMEM;
	for (i = 0; i < k->n; i++) {
		k->v[i].name = k->pool + (uintptr_t)k->v[i].name;
		if (k->v[i].module) /* stored one past its offset: 0 stays "no module" */
			k->v[i].module = k->pool + (uintptr_t)k->v[i].module - 1;
	}
	ks->text = k->pool;
	ks->by_name = k->v;
	ks->n = k->n;
	ks->max_addr = max_addr;
	ks->by_addr = calloc(k->n ? k->n : 1, sizeof(struct ksym));
	if (!ks->by_addr) {
		free(ks); /* the caller still owns the pool and the symbols */
		return -ENOMEM;
	}
	for (i = 0; i < k->n; i++)
		if (kallsyms_is_text(k->v[i].type))
			ks->by_addr[ks->ntext++] = k->v[i];
	qsort(ks->by_addr, ks->ntext, sizeof(struct ksym), cmp_addr);
	qsort(ks->by_name, ks->n, sizeof(struct ksym), cmp_name);
	*out = ks;
	return 0;
}

int kallsyms_load_filtered(const char *path, const struct kallsyms_filter *f, struct kallsyms **out)
{
	int fd = open(path ? path : "/proc/kallsyms", O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = kallsyms_load_filtered_fd(fd, f, out);
	close(fd);
	return err;
}

int kallsyms_load_filtered_fd(int fd, const struct kallsyms_filter *f, struct kallsyms **out)
{
	struct kept k = {0};
	char buf[1 << 16];
	size_t have = 0;
	uint64_t max_addr = 0;
	ssize_t r = 0;
	int err = 0;

	while (!err && (r = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)r;
		err = scan_lines(buf, &have, &k, &max_addr, f);
		if (!err && have == sizeof(buf) - 1)
			have = 0; /* a line longer than the buffer: not a kallsyms line */
	}
	if (!err && r < 0)
		err = -errno;
	if (!err && have) { /* a last line without its newline */
		buf[have++] = '\n';
		err = scan_lines(buf, &have, &k, &max_addr, f);
	}
	if (!err)
		err = build_filtered(&k, max_addr, out);
	if (err) {
		free(k.v);
		free(k.pool);
	}
	return err;
}

void kallsyms_free(struct kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->text);
	free(ks->by_addr);
	free(ks->by_name);
	kmodules_free(ks->mods);
	free(ks);
}

size_t kallsyms_count(const struct kallsyms *ks)
{
	return ks->n;
}

int kallsyms_each(const struct kallsyms *ks, int (*fn)(const struct ksym *s, void *arg), void *arg)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < ks->n; i++)
		rc = fn(&ks->by_name[i], arg);
	return rc;
}

int kallsyms_hidden(const struct kallsyms *ks)
{
	return !ks->max_addr;
}

size_t kallsyms_lookup_name(const struct kallsyms *ks, const char *name, const char *module,
			    const struct ksym **first)
{
	size_t lo = 0, hi = ks->n, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_key(name, module, &ks->by_name[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < ks->n && !cmp_key(name, module, &ks->by_name[end]); end++)
		;
	*first = lo < ks->n ? &ks->by_name[lo] : NULL;
	return end - lo;
}

/* Index of the last text symbol with addr <= ADDR, or ntext when there is none. */
static size_t floor_index(const struct kallsyms *ks, uint64_t addr)
{
	size_t lo = 0, hi = ks->ntext;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->by_addr[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return ks->ntext;
	/* Several symbols can share an address: the first is the preferred one (cmp_addr). */
	lo--;
	while (lo && ks->by_addr[lo - 1].addr == ks->by_addr[lo].addr)
		lo--;
	return lo;
}

const struct ksym *kallsyms_lookup_addr(const struct kallsyms *ks, uint64_t addr)
{
	size_t i = floor_index(ks, addr);

	return i < ks->ntext && ks->by_addr[i].addr == addr ? &ks->by_addr[i] : NULL;
}

const struct ksym *kallsyms_nearest(const struct kallsyms *ks, uint64_t addr, uint64_t *off)
{
	size_t i = floor_index(ks, addr);

	if (i >= ks->ntext)
		return NULL;
	*off = addr - ks->by_addr[i].addr;
	return &ks->by_addr[i];
}

/*
 * Past the last function of an owner its end is unknown: an address farther than this is
 * not attributed to it (the largest kernel functions are a few tens of KiB).
 */
#define UNKNOWN_END_SLACK (1u << 20)

static int same_owner(const struct ksym *a, const struct ksym *b)
{
	if (!a->module || !b->module)
		return a->module == b->module;
	return !strcmp(a->module, b->module);
}

void kallsyms_set_modules(struct kallsyms *ks, struct kmodules *m)
{
	kmodules_free(ks->mods);
	ks->mods = m;
}

/* Whether ADDR, past S, the last known function of its owner, can still be S's. */
static int past_last_is_own(const struct kallsyms *ks, const struct ksym *s, uint64_t addr)
{
	uint64_t start, end;

	if (addr - s->addr >= UNKNOWN_END_SLACK)
		return 0;
	if (!ks->mods || !s->module || !strcmp(s->module, "bpf"))
		return 1;
	/* a module no longer (or never) listed bounds nothing we can trust */
	return kmodules_range(ks->mods, s->module, &start, &end) && addr < end;
}

int kallsyms_locate(const struct kallsyms *ks, uint64_t addr, struct ksym_pos *pos)
{
	size_t i = floor_index(ks, addr), j;
	const struct ksym *s;

	*pos = (struct ksym_pos){0};
	if (i >= ks->ntext)
		return -ENOENT;
	s = &ks->by_addr[i];
	for (j = i + 1; j < ks->ntext && ks->by_addr[j].addr == s->addr; j++)
		;
	if (j < ks->ntext && same_owner(s, &ks->by_addr[j]))
		pos->size = ks->by_addr[j].addr - s->addr;
	else if (!past_last_is_own(ks, s, addr))
		return -ENOENT;
	pos->sym = s;
	pos->off = addr - s->addr;
	return 0;
}

static size_t clamp_len(int n, size_t len)
{
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

size_t kallsyms_snprint(char *buf, size_t len, uint64_t addr, const struct ksym_pos *pos)
{
	const struct ksym *s = pos ? pos->sym : NULL;
	char size[24] = "";

	if (!s)
		return clamp_len(snprintf(buf, len, "0x%" PRIx64, addr), len);
	if (pos->size)
		snprintf(size, sizeof(size), "/0x%" PRIx64, pos->size);
	return clamp_len(snprintf(buf, len, "%s+0x%" PRIx64 "%s%s%s%s", s->name, pos->off, size,
				  s->module ? " [" : "", s->module ? s->module : "",
				  s->module ? "]" : ""),
			 len);
}
