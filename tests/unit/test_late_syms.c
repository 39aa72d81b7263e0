// SPDX-License-Identifier: GPL-2.0
/*
 * Code that kallsyms does not bound: a module's last function ends where /proc/modules says
 * the module ends, and code loaded after the start (a module, a BPF program) is named once
 * the symbolizer reads the files again, never after the function before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "kallsyms/kallsyms.h"
#include "kallsyms/kmodules.h"
#include "kallsyms/symbolizer.h"

static const char syms_before[] = "ffffffff81000100 T fn_a\n"
				  "ffffffffc0a00000 t veth_xmit\t[veth]\n"
				  "ffffffffc0a02000 t veth_set_channels.cold\t[veth]\n";
/* nf_tables loaded, and a BPF program, after the first read */
static const char syms_after[] = "ffffffff81000100 T fn_a\n"
				 "ffffffffc0a00000 t veth_xmit\t[veth]\n"
				 "ffffffffc0a02000 t veth_set_channels.cold\t[veth]\n"
				 "ffffffffc0a10000 t nft_do_chain\t[nf_tables]\n"
				 "ffffffffc0a18000 t bpf_prog_1234_kprobe_skb\t[bpf]\n";
static const char mods_before[] = "veth 40960 0 - Live 0xffffffffc0a00000\n";
static const char mods_after[] = "nf_tables 270336 0 - Live 0xffffffffc0a10000\n"
				 "veth 40960 0 - Live 0xffffffffc0a00000\n";

static void frame_is(const struct sym_frame *f, const char *want, const char *what)
{
	char buf[128];

	sym_format_pos(f, buf, sizeof(buf));
	is_str(buf, want, "%s", what);
}

static void test_module_end(void)
{
	struct kallsyms *ks = NULL;
	struct kmodules *m = NULL;
	struct ksym_pos pos;

	is_int(kallsyms_parse(syms_before, sizeof(syms_before) - 1, &ks), 0, "table parses");
	is_int(kmodules_parse(mods_before, sizeof(mods_before) - 1, &m), 0, "modules parse");
	if (!ks || !m)
		return;
	kallsyms_set_modules(ks, m);
	ok(!kallsyms_locate(ks, 0xffffffffc0a02010ULL, &pos) && pos.sym &&
	       !strcmp(pos.sym->name, "veth_set_channels.cold"),
	   "inside the module, past its last function: that function");
	ok(kallsyms_locate(ks, 0xffffffffc0a1004cULL, &pos) && !pos.sym,
	   "past the module's end: not the module's last function");
	kallsyms_free(ks);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ok(f && fputs(text, f) >= 0, "fixture %s written", path);
	if (f)
		fclose(f);
}

static void test_reload(void)
{
	char dir[] = "/tmp/test_late_syms.XXXXXX", ksp[64], mp[64];
	struct kallsyms *ks = NULL;
	struct kmodules *m = NULL;
	struct symbolizer *s;
	const struct sym_frame *held, *f;

	if (!mkdtemp(dir))
		return;
	snprintf(ksp, sizeof(ksp), "%s/kallsyms", dir);
	snprintf(mp, sizeof(mp), "%s/modules", dir);
	put(ksp, syms_before);
	put(mp, mods_before);
	kallsyms_load(ksp, &ks);
	kmodules_load(mp, &m);
	ok(ks && m, "the start's files read");
	if (!ks || !m)
		return;
	kallsyms_set_modules(ks, m);
	s = symbolizer_new(ks, NULL, 4);
	symbolizer_enable_reload(s, ksp, mp, 0);
	held = symbolizer_lookup(s, 0xffffffffc0a00010ULL, 0);
	frame_is(held, "veth_xmit+0x10/0x2000 [veth]", "a known module frame");
	frame_is(symbolizer_lookup(s, 0xffffffffc0a1004cULL, 1), "0xffffffffc0a1004c",
		 "unknown code, the files unchanged: a raw address");
	put(ksp, syms_after);
	put(mp, mods_after);
	f = symbolizer_lookup(s, 0xffffffffc0a1004cULL, 1);
	frame_is(f, "nft_do_chain+0x4c [nf_tables]",
		 "a cached miss, the files changed: read again, the new module's name");
	frame_is(symbolizer_lookup(s, 0xffffffffc0a18020ULL, 1),
		 "bpf_prog_1234_kprobe_skb+0x20 [bpf]", "a BPF program loaded later");
	frame_is(held, "veth_xmit+0x10/0x2000 [veth]",
		 "a frame held across the reload still reads");
	symbolizer_trim(s);
	frame_is(symbolizer_lookup(s, 0xffffffffc0a1004cULL, 1), "nft_do_chain+0x4c [nf_tables]",
		 "after the trim, from the new table");
	symbolizer_free(s);
	kallsyms_free(ks);
	unlink(ksp);
	unlink(mp);
	rmdir(dir);
}

int main(void)
{
	test_module_end();
	test_reload();
	return tap_done();
}
