// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwelf.h>
#include "kallsyms/build_id.h"

#define NT_GNU_BUILD_ID 3
#define NOTES_MAX	4096 /* the kernel's notes are a few hundred bytes */

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Walks notes in BUF (Elf64_Nhdr and Elf32_Nhdr are the same three 32-bit words). */
static void find_gnu_build_id(const unsigned char *buf, size_t len, struct build_id *id)
{
	size_t pos = 0, name_at, desc_at;
	uint32_t h[3];

	while (pos + sizeof(h) <= len) {
		memcpy(h, buf + pos, sizeof(h));
		name_at = pos + sizeof(h);
		desc_at = name_at + align4(h[0]);
		if (desc_at < name_at || desc_at + h[1] > len)
			return;
		if (h[2] == NT_GNU_BUILD_ID && h[0] == 4 && !memcmp(buf + name_at, "GNU", 4) &&
		    h[1] && h[1] <= BUILD_ID_MAX) {
			memcpy(id->b, buf + desc_at, h[1]);
			id->len = h[1];
			return;
		}
		pos = desc_at + align4(h[1]);
	}
}

int build_id_from_notes(const char *path, struct build_id *id)
{
	unsigned char buf[NOTES_MAX];
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	id->len = 0;
	if (fd < 0)
		return -errno;
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(fd);
	find_gnu_build_id(buf, len, id);
	return 0;
}

int build_id_from_elf(Elf *elf, struct build_id *id)
{
	const void *p = NULL;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &p);

	id->len = 0;
	if (n < 0)
		return -EINVAL;
	if (n > 0 && n <= BUILD_ID_MAX) {
		memcpy(id->b, p, (size_t)n);
		id->len = (size_t)n;
	}
	return 0;
}

int build_id_equal(const struct build_id *a, const struct build_id *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

void build_id_hex(const struct build_id *id, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (!len)
		return;
	for (i = 0; i < id->len && 2 * i + 2 < len; i++) {
		buf[2 * i] = hex[id->b[i] >> 4];
		buf[2 * i + 1] = hex[id->b[i] & 15];
	}
	buf[2 * i] = '\0';
}
