// SPDX-License-Identifier: GPL-2.0
/*
 * Source lines on recorded data: a stand-in vmlinux and module with DWARF (built from
 * tests/data/srcline/), and a kernel tree as a live system shows it (kallsyms with a KASLR
 * offset, sysfs notes and module sections, modules.dep, the distribution's debug folder),
 * written to a scratch folder. Every address of their functions must resolve as eu-addr2line
 * resolves it, and the inlined chains must name the marked lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "kallsyms/srcline.h"
#include "kallsyms/symbolizer.h"

#define VMLINUX	 "build/tests/data/fake_vmlinux"
#define NODEBUG	 "build/tests/data/fake_vmlinux.nodebug"
#define MODULE	 "build/tests/data/fake-mod.ko"
#define RELEASE	 "6.12.0-test"
#define KASLR	 ((uint64_t)0x1e00000)
#define MOD_TEXT ((uint64_t)0xffffffffc0a01000ULL)
#define MOD_COLD ((uint64_t)0xffffffffc0a05000ULL)

struct func {
	char name[64], section[32];
	uint64_t value, size;
};

static char root[64];

static int marker_line(const char *src, const char *name)
{
	char line[256], want[96];
	FILE *f = fopen(src, "r");
	int n = 0, found = 0;

	snprintf(want, sizeof(want), "LINE: %s ", name);
	while (f && !found && fgets(line, sizeof(line), f)) {
		n++;
		found = strstr(line, want) != NULL;
	}
	if (f)
		fclose(f);
	return found ? n : -1;
}

static Elf *open_elf(const char *path, int *fd)
{
	elf_version(EV_CURRENT);
	*fd = open(path, O_RDONLY);
	return *fd < 0 ? NULL : elf_begin(*fd, ELF_C_READ, NULL);
}

/* The FUNC symbols of PATH with their section names. */
static size_t elf_funcs(const char *path, struct func *out, size_t max)
{
	Elf_Scn *scn = NULL, *sec;
	GElf_Shdr sh, ssh;
	GElf_Sym sym;
	size_t i, n = 0, strndx;
	int fd;
	Elf *elf = open_elf(path, &fd);

	if (!elf || elf_getshdrstrndx(elf, &strndx))
		return 0;
	while ((scn = elf_nextscn(elf, scn)) && gelf_getshdr(scn, &sh)) {
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);

		for (i = 1; i < sh.sh_size / sh.sh_entsize && n < max; i++) {
			if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			sec = elf_getscn(elf, sym.st_shndx);
			if (!sec || !gelf_getshdr(sec, &ssh))
				continue;
			snprintf(out[n].name, sizeof(out[n].name), "%s",
				 elf_strptr(elf, sh.sh_link, sym.st_name));
			snprintf(out[n].section, sizeof(out[n].section), "%s",
				 elf_strptr(elf, strndx, ssh.sh_name));
			out[n].value = sym.st_value;
			out[n].size = sym.st_size;
			n++;
		}
	}
	elf_end(elf);
	close(fd);
	return n;
}

/* The raw bytes of section NAME of PATH, as sysfs shows a note section. */
static size_t section_bytes(const char *path, const char *name, void *buf, size_t max)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *d;
	size_t strndx, n = 0;
	int fd;
	Elf *elf = open_elf(path, &fd);

	if (!elf || elf_getshdrstrndx(elf, &strndx))
		return 0;
	while (!n && (scn = elf_nextscn(elf, scn)) && gelf_getshdr(scn, &sh))
		if (!strcmp(elf_strptr(elf, strndx, sh.sh_name), name) &&
		    (d = elf_getdata(scn, NULL)) && d->d_size <= max) {
			memcpy(buf, d->d_buf, d->d_size);
			n = d->d_size;
		}
	elf_end(elf);
	close(fd);
	return n;
}

static void put(const char *rel, const void *data, size_t len)
{
	char path[512], *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		printf("# cannot write %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void put_str(const char *rel, const char *s)
{
	put(rel, s, strlen(s));
}

static void put_copy(const char *rel, const char *src)
{
	static char buf[1 << 20];
	int fd = open(src, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	put(rel, buf, n > 0 ? (size_t)n : 0);
}

static uint64_t mod_base(const char *section)
{
	return strcmp(section, ".text") ? MOD_COLD : MOD_TEXT;
}

static char *kallsyms_text(void)
{
	static char text[8192];
	struct func f[32];
	size_t i, n, len;

	len = (size_t)snprintf(text, sizeof(text), "%016" PRIx64 " T _text\n",
			       (uint64_t)0xffffffff81000000ULL + KASLR);
	n = elf_funcs(VMLINUX, f, 32);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%016" PRIx64 " T %s\n",
					f[i].value + KASLR, f[i].name);
	n = elf_funcs(MODULE, f, 32);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"%016" PRIx64 " T %s\t[fake_mod]\n",
					mod_base(f[i].section) + f[i].value, f[i].name);
	return text;
}

/* A live system's view of the stand-ins, as pwru reads it. */
static void build_root(void)
{
	char notes[256], hex[32];
	size_t n;

	snprintf(root, sizeof(root), "/tmp/test_srcline.XXXXXX");
	if (!mkdtemp(root))
		return;
	n = section_bytes(VMLINUX, ".note.gnu.build-id", notes, sizeof(notes));
	put("sys/kernel/notes", notes, n);
	n = section_bytes(MODULE, ".note.gnu.build-id", notes, sizeof(notes));
	put("sys/module/fake_mod/notes/.note.gnu.build-id", notes, n);
	snprintf(hex, sizeof(hex), "0x%" PRIx64 "\n", MOD_TEXT);
	put_str("sys/module/fake_mod/sections/.text", hex);
	snprintf(hex, sizeof(hex), "0x%" PRIx64 "\n", MOD_COLD);
	put_str("sys/module/fake_mod/sections/.text.unlikely", hex);
	put_str("lib/modules/" RELEASE "/modules.dep",
		"kernel/net/other.ko.xz:\n"
		"kernel/drivers/fake/fake-mod.ko.xz: kernel/net/other.ko.xz\n");
	put_copy("usr/lib/debug/lib/modules/" RELEASE "/kernel/drivers/fake/fake-mod.ko", MODULE);
	put_copy("usr/lib/debug/boot/vmlinux-" RELEASE, VMLINUX);
}

static void remove_root(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (root[0] && system(cmd))
		printf("# could not remove %s\n", root);
}

static struct kallsyms *load_kallsyms(void)
{
	struct kallsyms *ks = NULL;
	const char *text = kallsyms_text();

	kallsyms_parse(text, strlen(text), &ks);
	return ks;
}

static void note_count(void *arg, const char *msg)
{
	(*(int *)arg)++;
	printf("# note: %s\n", msg);
}

/* "func file:line" per frame, innermost first, file by its base name. */
static void chain_of(struct ksrc *s, const struct kallsyms *ks, uint64_t addr, char *out,
		     size_t len)
{
	struct ksrc_frame f[8];
	struct ksym_pos pos;
	const char *base;
	size_t used = 0;
	int i, n;

	out[0] = '\0';
	if (kallsyms_locate(ks, addr, &pos))
		return;
	n = ksrc_lookup(s, addr, pos.sym->module, f, 8);
	for (i = 0; i < n && used < len; i++) {
		base = f[i].file ? strrchr(f[i].file, '/') : NULL;
		base = base ? base + 1 : f[i].file;
		used +=
		    (size_t)snprintf(out + used, len - used, "%s%s %s:%u", i ? "; " : "",
				     f[i].func ? f[i].func : "??", base ? base : "??", f[i].line);
	}
}

/* eu-addr2line's answer for one address of FILE (SECTION-relative when not NULL). */
static int eu_chain(const char *file, const char *section, uint64_t addr, char *out, size_t len)
{
	char cmd[512], fn[256], loc[512], *colon, *base;
	size_t used = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "eu-addr2line -e %s %s%s -i -f 0x%" PRIx64 " 2>/dev/null", file,
		 section ? "-j " : "", section ? section : "", addr);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	out[0] = '\0';
	while (fgets(fn, sizeof(fn), p) && fgets(loc, sizeof(loc), p) && used < len) {
		fn[strcspn(fn, " \n")] = '\0';
		/* file:line:column */
		loc[strcspn(loc, "\n")] = '\0';
		colon = strrchr(loc, ':');
		if (colon && strchr(loc, ':') != colon)
			*colon = '\0';
		base = strrchr(loc, '/');
		used += (size_t)snprintf(out + used, len - used, "%s%s %s", used ? "; " : "", fn,
					 base ? base + 1 : loc);
	}
	return pclose(p) ? -1 : 0;
}

/* Every byte of every function: pwru's chain must be eu-addr2line's. */
static void compare_all(struct ksrc *s, const struct kallsyms *ks, const char *file, int module)
{
	struct func f[32];
	char ours[1024], theirs[1024], first_bad[2600] = "";
	size_t i, n = elf_funcs(file, f, 32), checked = 0, bad = 0;
	uint64_t off, addr;

	for (i = 0; i < n; i++) {
		for (off = 0; off < f[i].size; off++) {
			addr = module ? mod_base(f[i].section) + f[i].value + off
				      : f[i].value + off + KASLR;
			chain_of(s, ks, addr, ours, sizeof(ours));
			if (eu_chain(file, module ? f[i].section : NULL, f[i].value + off, theirs,
				     sizeof(theirs)))
				continue;
			checked++;
			if (strcmp(ours, theirs) && !bad++)
				snprintf(first_bad, sizeof(first_bad),
					 "%s+0x%" PRIx64 ": pwru '%s', eu-addr2line '%s'",
					 f[i].name, off, ours, theirs);
		}
	}
	ok(checked > (module ? 10u : 20u) && !bad,
	   "%s: %zu addresses resolve as eu-addr2line says (%zu differ) %s",
	   module ? "module" : "vmlinux", checked, bad, first_bad);
}

/* Some address of function NAME must give exactly WANT. */
static void expect_somewhere(struct ksrc *s, const struct kallsyms *ks, const char *name,
			     const char *want)
{
	const struct ksym *sym;
	char got[1024];
	uint64_t off;
	int found = 0;

	if (kallsyms_lookup_name(ks, name, NULL, &sym) < 1 &&
	    kallsyms_lookup_name(ks, name, "fake_mod", &sym) < 1) {
		ok(0, "%s in the recorded kallsyms", name);
		return;
	}
	for (off = 0; off < 64 && !found; off++) {
		chain_of(s, ks, sym->addr + off, got, sizeof(got));
		found = !strcmp(got, want);
	}
	ok(found, "an address in %s resolves to: %s", name, want);
}

static const char *marked(const char *func, const char *src, const char *marker)
{
	static char buf[4][128];
	static int k;
	const char *base = strrchr(src, '/') + 1;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s %s:%d", func, base, marker_line(src, marker));
	return buf[k];
}

static void test_lines(void)
{
	const char *v = "tests/data/srcline/fake_vmlinux.c", *m = "tests/data/srcline/fake_mod.c";
	struct ksrc_opts o = {.root = root, .release = RELEASE};
	struct kallsyms *ks = load_kallsyms();
	struct ksrc_frame f[4];
	struct ksrc *s = NULL;
	char err[512] = "", want[512];
	int rc;

	rc = ksrc_open(ks, &o, &s, err, sizeof(err));
	is_int(rc, 0, "the distribution's vmlinux-RELEASE is found and opens (%s)", err);
	if (rc) {
		kallsyms_free(ks);
		return;
	}
	ok(strstr(ksrc_vmlinux(s), "/usr/lib/debug/boot/vmlinux-" RELEASE) != NULL,
	   "found at /usr/lib/debug/boot/vmlinux-RELEASE: %s", ksrc_vmlinux(s));
	snprintf(want, sizeof(want), "%s; %s; %s", marked("inner", v, "inner_calls_sink"),
		 marked("middle", v, "middle_calls_inner"),
		 marked("outer", v, "outer_calls_middle"));
	expect_somewhere(s, ks, "outer", want);
	expect_somewhere(s, ks, "outer", marked("outer", v, "outer_calls_sink"));
	expect_somewhere(s, ks, "sink", marked("sink", v, "sink_body"));
	snprintf(want, sizeof(want), "%s; %s", marked("mod_inner", m, "mod_inner_calls_sink"),
		 marked("mod_xmit", m, "mod_xmit_calls_inner"));
	expect_somewhere(s, ks, "mod_xmit", want);
	expect_somewhere(s, ks, "mod_error", marked("mod_error", m, "mod_error_calls_sink"));
	is_int(ksrc_lookup(s, MOD_TEXT, "bpf", f, 4), 0, "BPF programs have no lines");
	is_int(ksrc_lookup(s, 0xffffffff81000000ULL, NULL, f, 4), 0,
	       "an address outside vmlinux's code has no line");
	compare_all(s, ks, VMLINUX, 0);
	compare_all(s, ks, MODULE, 1);
	ksrc_free(s);
	kallsyms_free(ks);
}

/*
 * A debug package unpacked elsewhere (dpkg -x linux-image-R-dbg X) and given with
 * --vmlinux X/usr/lib/debug/boot/vmlinux-R: its modules' copies are found beside it.
 */
static void test_unpacked(void)
{
	const char *m = "tests/data/srcline/fake_mod.c";
	char vmlinux[256], dist[256], moved[300], err[512] = "";
	struct kallsyms *ks = load_kallsyms();
	struct ksrc_opts o = {.root = root, .release = RELEASE, .vmlinux = vmlinux};
	struct ksrc *s = NULL;

	put_copy("x/usr/lib/debug/boot/vmlinux-" RELEASE, VMLINUX);
	put_copy("x/usr/lib/debug/lib/modules/" RELEASE "/kernel/drivers/fake/fake-mod.ko", MODULE);
	snprintf(vmlinux, sizeof(vmlinux), "%s/x/usr/lib/debug/boot/vmlinux-" RELEASE, root);
	/* the system's own copy out of the way: only the unpacked tree has the module's */
	snprintf(dist, sizeof(dist),
		 "%s/usr/lib/debug/lib/modules/" RELEASE "/kernel/drivers/fake/fake-mod.ko", root);
	snprintf(moved, sizeof(moved), "%s.away", dist);
	if (rename(dist, moved) || ksrc_open(ks, &o, &s, err, sizeof(err))) {
		ok(0, "the unpacked package opens: %s", err);
	} else {
		expect_somewhere(s, ks, "mod_error",
				 marked("mod_error", m, "mod_error_calls_sink"));
		ksrc_free(s);
	}
	rename(moved, dist);
	kallsyms_free(ks);
}

static void expect_refused(const char *vmlinux, int want_rc, const char *want_text,
			   const char *what)
{
	struct ksrc_opts o = {.root = root, .release = RELEASE, .vmlinux = vmlinux};
	struct kallsyms *ks = load_kallsyms();
	struct ksrc *s = NULL;
	char err[512] = "";
	int rc = ksrc_open(ks, &o, &s, err, sizeof(err));

	ok(rc == want_rc && !s && strstr(err, want_text) && !strchr(err, '\n'),
	   "%s: refused in one line saying '%s' (%d: %s)", what, want_text, rc, err);
	ksrc_free(s);
	kallsyms_free(ks);
}

static void test_refusals(void)
{
	static const char other_id[] = {4,   0,	  0,   0,  20, 0,  0,  0,  3,  0,  0,  0,
					'G', 'N', 'U', 0,  1,  2,  3,  4,  5,  6,  7,  8,
					9,   10,  11,  12, 13, 14, 15, 16, 17, 18, 19, 20};
	struct ksrc_opts o = {.root = root, .release = "9.9.9-none"};
	struct kallsyms *ks = load_kallsyms();
	struct ksrc_frame f[4];
	struct ksrc *s = NULL;
	char err[512] = "", notes[256];
	int notes_seen = 0;
	size_t n;

	is_int(ksrc_open(ks, &o, &s, err, sizeof(err)), -ENOENT,
	       "no debug info installed for the release: -ENOENT (%s)", err);
	kallsyms_free(ks);
	expect_refused("tests/data/kallsyms.sample", -EINVAL, "is not an ELF file", "a text file");
	expect_refused(NODEBUG, -EINVAL, "has no DWARF debug info", "a vmlinux without DWARF");
	expect_refused("/nonexistent/vmlinux", -ENOENT, "No such file", "a missing file");

	n = section_bytes(VMLINUX, ".note.gnu.build-id", notes, sizeof(notes));
	put("sys/kernel/notes", other_id, sizeof(other_id));
	expect_refused(VMLINUX, -EINVAL, "build id", "another kernel's vmlinux");
	put("sys/kernel/notes", notes, n);

	/* A module whose debug file is another build's: no lines, and one note. */
	put("sys/module/fake_mod/notes/.note.gnu.build-id", other_id, sizeof(other_id));
	ks = load_kallsyms();
	o = (struct ksrc_opts){
	    .root = root, .release = RELEASE, .note = note_count, .note_arg = &notes_seen};
	is_int(ksrc_open(ks, &o, &s, err, sizeof(err)), 0, "vmlinux still opens");
	if (s) {
		is_int(ksrc_lookup(s, MOD_TEXT + 1, "fake_mod", f, 4), 0,
		       "a module of another build gives no lines");
		ksrc_lookup(s, MOD_TEXT + 2, "fake_mod", f, 4);
		is_int(notes_seen, 1, "and says so once");
	}
	ksrc_free(s);
	kallsyms_free(ks);
}

static int same_src(const struct sym_frame *a, const struct sym_frame *b)
{
	int i;

	if (a->nsrc != b->nsrc)
		return 0;
	for (i = 0; i < a->nsrc; i++)
		if (a->src[i].line != b->src[i].line || strcmp(a->src[i].file, b->src[i].file))
			return 0;
	return 1;
}

static void test_symbolizer(void)
{
	struct ksrc_opts o = {.root = root, .release = RELEASE};
	struct kallsyms *ks = load_kallsyms();
	struct symbolizer *sz;
	struct ksrc *src = NULL;
	struct sym_frame at, after;
	struct sym_stats st;
	const struct ksym *outer;
	char buf[256], want[256];
	uint64_t off;
	int same = 1;

	ksrc_open(ks, &o, &src, buf, sizeof(buf));
	sz = symbolizer_new(ks, src, 4);
	kallsyms_lookup_name(ks, "outer", NULL, &outer);
	if (!sz || !src || !outer) {
		ok(0, "symbolizer on the stand-ins");
		symbolizer_free(sz);
		kallsyms_free(ks);
		return;
	}
	ok(symbolizer_has_lines(sz), "with debug info it has lines");
	/* A return address's line is the call's: the line at the byte before it. */
	for (off = 0; off + 1 < 16; off++) {
		symbolizer_trim(sz);
		at = *symbolizer_lookup(sz, outer->addr + off, 0);
		after = *symbolizer_lookup(sz, outer->addr + off + 1, 1);
		same &= same_src(&at, &after) && after.pos.off == off + 1;
	}
	ok(same, "return addresses are resolved at the call, offsets stay their own");
	symbolizer_stats(sz, &st);
	ok(st.resets >= 1 && st.entries <= 5,
	   "a cache of 4 starts over when trimmed full (%zu resets)", st.resets);
	symbolizer_lookup(sz, outer->addr + 2, 0);
	symbolizer_lookup(sz, outer->addr + 2, 0);
	symbolizer_stats(sz, &st);
	ok(st.hits >= 1, "a repeated address is a cache hit (%zu of %zu)", st.hits, st.lookups);
	at = *symbolizer_lookup(sz, outer->addr + 2, 0);
	sym_format(&at, buf, sizeof(buf));
	snprintf(want, sizeof(want),
		 "outer+0x2/0x%" PRIx64 " (tests/data/srcline/fake_vmlinux.c:", at.pos.size);
	ok(!strncmp(buf, want, strlen(want)), "formatted with the function's own line: %s", buf);
	sym_format(symbolizer_lookup(sz, 0xffffffff80000000ULL, 0), buf, sizeof(buf));
	is_str(buf, "0xffffffff80000000", "an unknown address is printed as it is");
	symbolizer_free(sz);
	kallsyms_free(ks);
}

int main(void)
{
	build_root();
	test_lines();
	test_unpacked();
	test_refusals();
	test_symbolizer();
	remove_root();
	return tap_done();
}
