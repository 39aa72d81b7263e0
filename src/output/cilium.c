// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "src/output/cilium.h"
#include "src/output/cilium_tables.h"

#define CTX_ACT_DROP	2 /* TC_ACT_SHOT, what Cilium's programs return for a drop */
#define DROP_MIN	130
#define NOTIFY_DROP	1 /* CILIUM_NOTIFY_DROP */
#define DROP_NOTIFY_LEN 36

static const char *lookup(const struct cilium_name *t, uint32_t v)
{
	for (; t->value != CILIUM_TABLE_END; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

const char *cilium_identity_name(uint32_t identity)
{
	return lookup(cilium_identities, identity);
}

const char *cilium_drop_name(uint8_t code)
{
	return code < DROP_MIN ? NULL : lookup(cilium_drop_codes, code);
}

const char *cilium_file_name(uint8_t id)
{
	return lookup(cilium_files, id);
}

static const struct cilium_magic *find_magic(uint32_t mark)
{
	const struct cilium_magic *m;

	for (m = cilium_magics; m->mask; m++)
		if ((mark & m->mask) == m->value)
			return m;
	return NULL;
}

/* snprintf at BUF + *N, keeping *N within LEN - 1 whatever the result. */
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n + 1 >= len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (k > 0)
		*n = *n + (size_t)k < len ? *n + (size_t)k : len - 1;
}

static uint32_t identity_of(uint32_t mark)
{
	return ((mark & 0xFF) << 16) | (mark >> 16);
}

bool cilium_mark_identity(uint32_t mark, uint32_t *identity)
{
	const struct cilium_magic *m = find_magic(mark);

	if (!m || m->carries != CILIUM_CARRIES_IDENTITY)
		return false;
	*identity = identity_of(mark);
	return true;
}

size_t cilium_mark_text(uint32_t mark, char *buf, size_t len)
{
	const struct cilium_magic *m = find_magic(mark);
	uint32_t id = identity_of(mark);
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	if (!m)
		return 0;
	append(buf, len, &n, "%s", m->name);
	switch (m->carries) {
	case CILIUM_CARRIES_IDENTITY:
		append(buf, len, &n, " identity=%u", id);
		if (cilium_identity_name(id))
			append(buf, len, &n, "(%s)", cilium_identity_name(id));
		break;
	case CILIUM_CARRIES_ENDPOINT:
		append(buf, len, &n, " ep=%u", mark >> 16);
		break;
	case CILIUM_CARRIES_KEY:
		append(buf, len, &n, " key=%u node=%u", (mark >> 12) & 0xF, mark >> 16);
		break;
	case CILIUM_CARRIES_CLUSTER:
		append(buf, len, &n, " cluster=%u", mark & 0xFF);
		break;
	case CILIUM_CARRIES_NOTHING:
		break;
	}
	return n;
}

size_t cilium_mark_token(uint32_t mark, char *buf, size_t len)
{
	size_t n = 0, i;

	if (len)
		buf[0] = '\0';
	if (!find_magic(mark))
		return 0;
	append(buf, len, &n, "mark=");
	n += cilium_mark_text(mark, buf + n, len - n);
	for (i = 0; i < n; i++)
		if (buf[i] == ' ')
			buf[i] = ',';
	return n;
}

/*
 * cb[2] holds the wire form: the reason in the low byte, the extended error (an errno, a
 * FIB result) in the next. Observed on bpf_lxc's policy drop in the VM: 0x00000085, not
 * the datapath's negative -133, which would read as reason 0x7b and is refused.
 */
static void cb_reason(uint32_t w, uint8_t *reason, int8_t *ext)
{
	*reason = w & 0xFF;
	*ext = (int8_t)((w >> 8) & 0xFF);
}

bool cilium_drop_from_cb(const uint32_t cb[5], struct cilium_drop *d)
{
	uint8_t exit_code = cb[4] & 0xFF, file = (cb[4] >> 8) & 0xFF, reason;
	int8_t ext;

	cb_reason(cb[2], &reason, &ext);
	if (exit_code != CTX_ACT_DROP || !cilium_file_name(file) || !cilium_drop_name(reason))
		return false;
	*d = (struct cilium_drop){
	    .reason = reason,
	    .ext = ext,
	    .file = file,
	    .line = (uint16_t)(cb[4] >> 16),
	    .src_identity = cb[0],
	    .dst_identity = cb[1],
	};
	return true;
}

/* Little-endian fields of a message the datapath wrote on this host. */
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

bool cilium_drop_from_notify(const void *msg, size_t size, struct cilium_drop *d)
{
	const uint8_t *p = msg;
	uint16_t line;

	if (size < DROP_NOTIFY_LEN || p[0] != NOTIFY_DROP || !cilium_drop_name(p[1]))
		return false;
	memcpy(&line, p + 28, sizeof(line));
	*d = (struct cilium_drop){
	    .reason = p[1],
	    .src_identity = get32(p + 16),
	    .dst_identity = get32(p + 20),
	    .line = line,
	    .file = p[30],
	    .ext = (int8_t)p[31],
	};
	return true;
}

size_t cilium_drop_text(const struct cilium_drop *d, char *buf, size_t len)
{
	const char *name = cilium_drop_name(d->reason), *file = cilium_file_name(d->file);
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	append(buf, len, &n, "%s (%u)", name ? name : "DROP_UNKNOWN", d->reason);
	if (file)
		append(buf, len, &n, " %s:%u", file, d->line);
	else
		append(buf, len, &n, " file%u:%u", d->file, d->line);
	if (d->ext)
		append(buf, len, &n, ", ext %d", d->ext);
	return n;
}
