// SPDX-License-Identifier: GPL-2.0
/*
 * Modules: their debug file found through modules.dep (Debian and Ubuntu keep an uncompressed
 * copy with DWARF under /usr/lib/debug/lib/modules), checked against the loaded module's build
 * id, and read at the addresses sysfs gives for each of its sections.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kallsyms/build_id.h"
#include "kallsyms/modpath.h"
#include "kallsyms/srcline.h"
#include "kallsyms/srcline_int.h"

/* ENTRY without a compression suffix: debug copies are stored uncompressed. */
static void strip_compression(char *entry)
{
	char *ko = strstr(entry, ".ko.");

	if (ko)
		ko[3] = '\0';
}

/*
 * The debug tree the vmlinux in use sits in, when it is laid out as a debug package lays
 * it (TREE/boot/vmlinux-R, TREE/lib/modules/R/vmlinux): a package unpacked elsewhere
 * (dpkg -x) and given with --vmlinux keeps its modules' copies beside it. 0 when found.
 */
static int vmlinux_tree(const struct ksrc *s, char *tree, size_t len)
{
	static const char *const marks[] = {"/boot/vmlinux", "/lib/modules/"};
	const char *v = s->kernel.path, *at;
	size_t i;

	for (i = 0; v && i < sizeof(marks) / sizeof(marks[0]); i++) {
		at = strstr(v, marks[i]);
		if (at && (size_t)(at - v) < len) {
			snprintf(tree, len, "%.*s", (int)(at - v), v);
			return 0;
		}
	}
	return -ENOENT;
}

/* ENTRY (modules.dep's, without compression) under the debug tree TREE. */
static int under_tree(const struct ksrc *s, const char *tree, const char *plain, char *path,
		      size_t len)
{
	int n = plain[0] == '/'
		    ? snprintf(path, len, "%s%s", tree, plain)
		    : snprintf(path, len, "%s/lib/modules/%s/%s", tree, s->release, plain);

	return n < 0 || (size_t)n >= len || access(path, R_OK) ? -ENOENT : 0;
}

/* The candidates for module NAME, best first; 0 when one is readable. */
static int debug_path(const struct ksrc *s, const char *name, char *path, size_t len)
{
	char entry[512], plain[512], tree[512];
	size_t n;

	if (modpath_find(s->root, s->release, name, entry, sizeof(entry)))
		return -ENOENT;
	snprintf(plain, sizeof(plain), "%s", entry);
	strip_compression(plain);
	if (!vmlinux_tree(s, tree, sizeof(tree)) && !under_tree(s, tree, plain, path, len))
		return 0;
	if (plain[0] == '/')
		snprintf(path, len, "%s/usr/lib/debug%s", s->root, plain);
	else
		snprintf(path, len, "%s/usr/lib/debug/lib/modules/%s/%s", s->root, s->release,
			 plain);
	if (!access(path, R_OK))
		return 0;
	/* A kernel built here may install its modules with their DWARF. */
	n = strlen(entry);
	if (n < 3 || strcmp(entry + n - 3, ".ko"))
		return -ENOENT;
	if (entry[0] == '/')
		snprintf(path, len, "%s%s", s->root, entry);
	else
		snprintf(path, len, "%s/lib/modules/%s/%s", s->root, s->release, entry);
	return access(path, R_OK) ? -ENOENT : 0;
}

static void note(const struct ksrc *s, const char *msg)
{
	if (s->note)
		s->note(s->note_arg, msg);
}

static int open_module(struct ksrc_mod *m)
{
	char path[1024], err[1200], notes[512];
	struct build_id want = {0};
	uint64_t text = 0;
	Dwarf_Addr bias;
	void **ud;
	Elf *elf;
	int fd;

	if (debug_path(m->owner, m->name, path, sizeof(path)))
		return -ENOENT;
	snprintf(notes, sizeof(notes), "%s/sys/module/%s/notes/.note.gnu.build-id", m->owner->root,
		 m->name);
	build_id_from_notes(notes, &want);
	if (srcline_check_file(path, &want, "module debug file", "the loaded module's", &elf, &fd,
			       err, sizeof(err))) {
		note(m->owner, err);
		return -EINVAL;
	}
	elf_end(elf);
	close(fd);
	if (srcline_section_addr(m, ".text", &text) || !text)
		return -ENOENT;
	m->path = strdup(path);
	m->dwfl = dwfl_begin(&srcline_callbacks);
	if (!m->path || !m->dwfl)
		return -ENOMEM;
	/* Relocatable: the place reported is not used, sections come from section_address. */
	m->mod = dwfl_report_module(m->dwfl, m->name, text, text + 1);
	if (m->mod && dwfl_module_info(m->mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL))
		*ud = m;
	dwfl_report_end(m->dwfl, NULL, NULL);
	if (m->mod && !dwfl_module_getdwarf(m->mod, &bias)) {
		snprintf(err, sizeof(err), "module debug file %s: libdw cannot read it (%s)", path,
			 dwfl_errmsg(-1));
		note(m->owner, err);
		m->mod = NULL;
	}
	return m->mod ? 0 : -EINVAL;
}

struct ksrc_mod *srcline_module(struct ksrc *s, const char *name)
{
	struct ksrc_mod *m, **nm;
	size_t i;

	for (i = 0; i < s->nmods; i++)
		if (!strcmp(s->mods[i]->name, name))
			return s->mods[i];
	if (s->nmods == s->cap) {
		nm = realloc(s->mods, (s->cap ? s->cap * 2 : 16) * sizeof(*nm));
		if (!nm)
			return NULL;
		s->mods = nm;
		s->cap = s->cap ? s->cap * 2 : 16;
	}
	/* One allocation each: libdwfl keeps a pointer to it. */
	m = calloc(1, sizeof(*m));
	if (!m || !(m->name = strdup(name))) {
		free(m);
		return NULL;
	}
	m->owner = s;
	s->mods[s->nmods++] = m;
	open_module(m);
	return m;
}
