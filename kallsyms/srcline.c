// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include "kallsyms/build_id.h"
#include "kallsyms/kallsyms.h"
#include "kallsyms/modpath.h"
#include "kallsyms/srcline.h"
#include "kallsyms/srcline_int.h"

static const char *const vmlinux_paths[] = {
    "%s/usr/lib/debug/boot/vmlinux-%s",	       /* Debian, Ubuntu */
    "%s/usr/lib/debug/lib/modules/%s/vmlinux", /* Fedora, RHEL, SUSE */
    "%s/lib/modules/%s/build/vmlinux",	       /* a kernel built and installed here */
    "%s/boot/vmlinux-%s",
};

static int find_elf(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	struct ksrc_mod *m = *userdata;
	int fd = open(m->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	*file_name = strdup(m->path);
	*elfp = NULL;
	return fd;
}

/* The file given holds the DWARF itself (checked when opened): look nowhere else. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	return -1;
}

static int read_hex_file(const char *path, uint64_t *v)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 16);
	return 0;
}

int srcline_section_addr(const struct ksrc_mod *m, const char *sec, uint64_t *addr)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sys/module/%s/sections/%s", m->owner->root, m->name, sec);
	return read_hex_file(path, addr);
}

/* Where the kernel put a module's section, from sysfs; not loaded when absent (or hidden). */
static int section_address(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
			   const char *secname, GElf_Word shndx, const GElf_Shdr *shdr,
			   Dwarf_Addr *addr)
{
	uint64_t a = 0;

	if (srcline_section_addr(*userdata, secname, &a) || !a)
		a = (uint64_t)-1;
	*addr = a;
	return 0;
}

const Dwfl_Callbacks srcline_callbacks = {
    .find_elf = find_elf,
    .find_debuginfo = find_debuginfo,
    .section_address = section_address,
};

static int has_section(Elf *elf, const char *want)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t strndx;
	const char *name;

	if (elf_getshdrstrndx(elf, &strndx))
		return 0;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    (name = elf_strptr(elf, strndx, sh.sh_name)) && !strcmp(name, want))
			return 1;
	return 0;
}

int srcline_check_file(const char *path, const struct build_id *want, const char *what,
		       const char *whose, Elf **elfp, int *fdp, char *err, size_t errlen)
{
	char got_hex[2 * BUILD_ID_MAX + 1], want_hex[2 * BUILD_ID_MAX + 1];
	struct build_id got;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -EINVAL;
	Elf *elf;

	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
		return rc;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		snprintf(err, errlen, "%s %s is not an ELF file", what, path);
	else if (!has_section(elf, ".debug_info"))
		snprintf(err, errlen, "%s %s has no DWARF debug info (no .debug_info)", what, path);
	else if (build_id_from_elf(elf, &got) || (want->len && !build_id_equal(&got, want))) {
		build_id_hex(&got, got_hex, sizeof(got_hex));
		build_id_hex(want, want_hex, sizeof(want_hex));
		snprintf(err, errlen, "%s %s has build id %s, %s is %s: they are different builds",
			 what, path, got.len ? got_hex : "(none)", whose, want_hex);
	} else
		rc = 0;
	if (rc) {
		elf_end(elf);
		close(fd);
		return rc;
	}
	*elfp = elf;
	*fdp = fd;
	return 0;
}

/* Link-time address of symbol NAME in ELF's symbol table. */
static int elf_symbol(Elf *elf, const char *name, uint64_t *value)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Data *data;
	size_t i, n;
	const char *s;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 1; data && i < n; i++) {
			if (!gelf_getsym(data, (int)i, &sym))
				break;
			s = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (s && !strcmp(s, name)) {
				*value = sym.st_value;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/*
 * The span of the loaded segments at link time, from the first one as libdwfl counts it: on
 * x86-64 the per-CPU segment sits at 0 and is no part of the kernel's mapping.
 */
static int load_span(Elf *elf, uint64_t *lo, uint64_t *hi)
{
	size_t i, n;
	GElf_Phdr ph;

	*lo = 0;
	*hi = 0;
	if (elf_getphdrnum(elf, &n))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (!*hi)
			*lo = ph.p_vaddr;
		if (ph.p_vaddr >= *lo && ph.p_vaddr + ph.p_memsz > *hi)
			*hi = ph.p_vaddr + ph.p_memsz;
	}
	return *hi > *lo ? 0 : -EINVAL;
}

/* How far KASLR moved the kernel: _text where kallsyms says minus where vmlinux says. */
static int kaslr_offset(Elf *elf, const struct kallsyms *ks, uint64_t *off, char *err,
			size_t errlen)
{
	static const char *const anchors[] = {"_text", "_stext"};
	const struct ksym *s;
	uint64_t link;
	size_t i;

	for (i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++) {
		if (kallsyms_lookup_name(ks, anchors[i], NULL, &s) < 1 ||
		    elf_symbol(elf, anchors[i], &link))
			continue;
		*off = s->addr - link;
		return 0;
	}
	snprintf(err, errlen, "neither kallsyms nor the vmlinux symbol table has _text");
	return -ENOENT;
}

static int open_kernel(struct ksrc *s, const struct kallsyms *ks, const char *path, char *err,
		       size_t errlen)
{
	char notes[512];
	struct build_id want = {0};
	struct ksrc_mod *k = &s->kernel;
	uint64_t off = 0, lo, hi;
	Dwarf_Addr bias = 0;
	void **ud;
	Elf *elf;
	int fd, rc;

	snprintf(notes, sizeof(notes), "%s/sys/kernel/notes", s->root);
	build_id_from_notes(notes, &want);
	rc = srcline_check_file(path, &want, "vmlinux", "the running kernel's", &elf, &fd, err,
				errlen);
	if (rc)
		return rc;
	rc = kaslr_offset(elf, ks, &off, err, errlen);
	if (!rc && load_span(elf, &lo, &hi)) {
		snprintf(err, errlen, "vmlinux %s has no loadable segment", path);
		rc = -EINVAL;
	}
	elf_end(elf);
	close(fd);
	if (rc)
		return rc;
	k->owner = s;
	k->path = strdup(path);
	k->dwfl = dwfl_begin(&srcline_callbacks);
	if (!k->path || !k->dwfl)
		return -ENOMEM;
	/* Reported at its run-time place, libdwfl reads vmlinux as relocatable by OFF. */
	k->mod = dwfl_report_module(k->dwfl, "kernel", lo + off, hi + off);
	if (k->mod && dwfl_module_info(k->mod, &ud, NULL, NULL, NULL, NULL, NULL, NULL))
		*ud = k;
	dwfl_report_end(k->dwfl, NULL, NULL);
	if (!k->mod || !dwfl_module_getdwarf(k->mod, &bias) || bias != off) {
		snprintf(err, errlen, "vmlinux %s: libdw cannot read its DWARF (%s)", path,
			 dwfl_errmsg(-1));
		k->mod = NULL;
		return -EINVAL;
	}
	return 0;
}

static int find_vmlinux(const struct ksrc *s, char *path, size_t len, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(vmlinux_paths) / sizeof(vmlinux_paths[0]); i++) {
		snprintf(path, len, vmlinux_paths[i], s->root, s->release);
		if (!access(path, R_OK))
			return 0;
	}
	snprintf(err, errlen,
		 "no debug info for %s (no vmlinux in /usr/lib/debug/boot, "
		 "/usr/lib/debug/lib/modules/%s, /lib/modules/%s/build or /boot)",
		 s->release, s->release, s->release);
	return -ENOENT;
}

int ksrc_open(const struct kallsyms *ks, const struct ksrc_opts *o, struct ksrc **out, char *err,
	      size_t errlen)
{
	struct ksrc *s = calloc(1, sizeof(*s));
	char path[512];
	struct utsname u;
	int rc;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	elf_version(EV_CURRENT);
	if (!o->release && uname(&u)) {
		free(s);
		return -errno;
	}
	s->root = strdup(o->root ? o->root : "");
	s->release = strdup(o->release ? o->release : u.release);
	s->note = o->note;
	s->note_arg = o->note_arg;
	rc = s->root && s->release ? 0 : -ENOMEM;
	if (!rc && o->vmlinux)
		snprintf(path, sizeof(path), "%s", o->vmlinux);
	else if (!rc)
		rc = find_vmlinux(s, path, sizeof(path), err, errlen);
	if (!rc)
		rc = open_kernel(s, ks, path, err, errlen);
	if (rc) {
		ksrc_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void srcline_mod_release(struct ksrc_mod *m)
{
	if (m->dwfl)
		dwfl_end(m->dwfl);
	free(m->name);
	free(m->path);
}

void ksrc_free(struct ksrc *s)
{
	size_t i;

	if (!s)
		return;
	srcline_mod_release(&s->kernel);
	for (i = 0; i < s->nmods; i++) {
		srcline_mod_release(s->mods[i]);
		free(s->mods[i]);
	}
	free(s->mods);
	free(s->root);
	free(s->release);
	free(s);
}

const char *ksrc_vmlinux(const struct ksrc *s)
{
	return s->kernel.path;
}
