// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the count of calls not seen is partial, and why: a process holding no BPF object
 * counts nothing and misses nothing, until a kprobe is said to be attached without its link.
 */
#include <string.h>
#include "src/probe/prog_misses.h"
#include "tap.h"

int main(void)
{
	struct prog_misses m;
	const char *why;

	prog_misses(&m);
	ok(!m.progs && !m.links && !m.unlinked && !m.partial && !prog_misses_why(&m),
	   "no BPF object held: nothing counted, nothing partial");
	prog_misses_unlinked();
	prog_misses_unlinked();
	prog_misses(&m);
	why = prog_misses_why(&m);
	ok(m.unlinked == 2 && m.partial && !m.uncounting,
	   "kprobes attached without their link: the count is partial");
	ok(why && strstr(why, "without a BPF link"), "and the reason says so");
	m.uncounting = true;
	why = prog_misses_why(&m);
	ok(why && strstr(why, "Linux 6.7"), "a kernel that counts no kprobe skip is said first");
	return tap_done();
}
