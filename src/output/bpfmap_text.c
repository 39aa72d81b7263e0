// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "src/output/bpfmap_text.h"

static const char hex[] = "0123456789abcdef";

#define DUMP_LINE 79 /* "00000000  " 16 x "xx " two gaps, " |" 16 chars "|\n" */

/* One line of up to 16 bytes at offset OFF: the missing bytes' columns are blank. */
static size_t dump_line(const uint8_t *p, size_t n, size_t off, char *out)
{
	char *o = out + sprintf(out, "%08zx  ", off);
	size_t i;

	for (i = 0; i < 16; i++) {
		o[0] = i < n ? hex[p[i] >> 4] : ' ';
		o[1] = i < n ? hex[p[i] & 15] : ' ';
		o[2] = ' ';
		o += 3;
		if (i == 7)
			*o++ = ' ';
	}
	*o++ = ' ';
	*o++ = '|';
	for (i = 0; i < n; i++)
		*o++ = p[i] >= 32 && p[i] <= 126 ? (char)p[i] : '.';
	*o++ = '|';
	*o++ = '\n';
	return (size_t)(o - out);
}

size_t bpfmap_hexdump(const uint8_t *p, size_t n, char *buf, size_t len)
{
	char line[DUMP_LINE + 1];
	size_t off, k, used = 0;

	if (!len)
		return 0;
	for (off = 0; off < n; off += 16) {
		k = dump_line(p + off, n - off < 16 ? n - off : 16, off, line);
		if (used + k >= len)
			k = len - 1 - used;
		memcpy(buf + used, line, k);
		used += k;
	}
	buf[used] = '\0';
	return used;
}

static size_t cut(size_t size)
{
	return size < PWRU_BPFMAP_DATA ? size : PWRU_BPFMAP_DATA;
}

void bpfmap_hex(const uint8_t *p, uint32_t size, char out[BPFMAP_HEX_MAX])
{
	size_t i, n = cut(size);

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

size_t bpfmap_text(const struct pwru_bpfmap *m, char *buf, size_t len)
{
	char name[sizeof(m->name) + 1];
	size_t used, i;
	int n;

	if (!len)
		return 0;
	/* a map's name is its creator's: shown as ls -q would */
	for (i = 0; i < sizeof(m->name) && m->name[i]; i++)
		name[i] = m->name[i] >= 32 && m->name[i] < 127 ? m->name[i] : '?';
	name[i] = '\0';
	n = snprintf(buf, len, "map_id: %u\nmap_name: %s\nkey(%u):\n", m->id, name, m->key_size);
	used = n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
	used += bpfmap_hexdump(m->key, cut(m->key_size), buf + used, len - used);
	switch (m->value) {
	case PWRU_BPFMAP_VALUE:
		n = snprintf(buf + used, len - used, "value(%u):\n", m->value_size);
		break;
	case PWRU_BPFMAP_MISS:
		n = snprintf(buf + used, len - used, "value(%u): not found\n", m->value_size);
		break;
	case PWRU_BPFMAP_UNREAD:
		n = snprintf(buf + used, len - used, "value(%u): not read (per-CPU)\n",
			     m->value_size);
		break;
	default: /* a delete: a key only */
		return used;
	}
	used += n < 0 ? 0 : (size_t)n < len - used ? (size_t)n : len - used - 1;
	if (m->value == PWRU_BPFMAP_VALUE)
		used += bpfmap_hexdump(m->val, cut(m->value_size), buf + used, len - used);
	return used;
}
