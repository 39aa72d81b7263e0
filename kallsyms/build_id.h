/* SPDX-License-Identifier: GPL-2.0 */
/* GNU build ids: of the running kernel and its modules (sysfs notes) and of ELF files. */
#ifndef PWRU_BUILD_ID_H
#define PWRU_BUILD_ID_H

#include <stddef.h>
#include <libelf.h>

#define BUILD_ID_MAX 64

struct build_id {
	unsigned char b[BUILD_ID_MAX];
	size_t len; /* 0: none */
};

/*
 * From a file of raw ELF notes, as /sys/kernel/notes and
 * /sys/module/NAME/notes/.note.gnu.build-id are. Returns 0 (ID->len 0 when the notes hold
 * no build id) or -errno.
 */
int build_id_from_notes(const char *path, struct build_id *id);
/* From an ELF file's notes. Returns 0 (ID->len 0 when it has none) or -EINVAL. */
int build_id_from_elf(Elf *elf, struct build_id *id);
int build_id_equal(const struct build_id *a, const struct build_id *b);
/* Lowercase hex, cut to fit LEN. */
void build_id_hex(const struct build_id *id, char *buf, size_t len);

#endif
