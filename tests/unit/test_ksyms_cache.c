// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "fake_root.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/ksyms_cache.h"
#include "src/discover/boot_cache.h"

/* x86-64's first lines are per-CPU offsets: zero even when addresses are shown */
static const char table[] =
    "0000000000000000 A fixed_percpu_data\n"
    "0000000000001000 A cpu_debug_store\n"
    "ffffffff81000000 T _text\n"
    "ffffffff81ff8c00 T ip_rcv\n"
    "ffffffff81ff8d00 t ip_rcv_finish\n"
    "ffffffff82a00000 D init_net\n"
    "ffffffffc0a01000 t veth_xmit\t[veth]\n"
    "ffffffffc0c00000 t bpf_prog_6deef7357e7b4530_cil_from_container\t[bpf]\n"
    "ffffffffc0d00000 t bpf_trampoline_6442512345\t[bpf]\n"
    "ffffffffc0e00000 t kprobe_insn_page\t[__builtin__kprobes]\n";

static int keep_all(const char *name, size_t len, const char *module, void *arg)
{
	return 1;
}

static const struct kallsyms_filter all = {.types = "tTwWD", .keep = keep_all};

/* Loads ROOT's table; true when it came from the copy. */
static bool load(const char *root, bool functions_only, struct kallsyms **ks)
{
	const char *from = "";

	kallsyms_free(*ks);
	*ks = NULL;
	if (ksyms_cache_load(root, &all, functions_only, ks, &from))
		return false;
	return strstr(from, "kept in") != NULL;
}

static bool has(const struct kallsyms *ks, const char *name, const char *module)
{
	const struct ksym *s;

	return ks && kallsyms_lookup_name(ks, name, module, &s) == 1;
}

static void test_copy(void)
{
	struct kallsyms *ks = NULL;
	char root[64];

	make_root(root, NULL);
	put(root, "/proc/kallsyms", table);
	ok(!load(root, true, &ks) && has(ks, "bpf_trampoline_6442512345", "bpf"),
	   "first start reads the kernel's table, all of it");
	ok(load(root, true, &ks), "the next start takes the copy");
	ok(has(ks, "_text", NULL) && has(ks, "ip_rcv_finish", NULL) && has(ks, "veth_xmit", "veth"),
	   "with vmlinux's and the modules' functions");
	ok(!has(ks, "init_net", NULL) && !has(ks, "bpf_trampoline_6442512345", "bpf") &&
	       !has(ks, "kprobe_insn_page", "__builtin__kprobes"),
	   "without data, BPF programs, trampolines and kprobe pages, which come and go");
	ok(!load(root, false, &ks) && has(ks, "cil_from_container", NULL) == false &&
	       has(ks, "bpf_prog_6deef7357e7b4530_cil_from_container", "bpf"),
	   "a start that needs more than functions reads the kernel's table");
	put(root, "/proc/modules", "veth 40960 0 - Live 0xffffffffc0a00000\n");
	ok(!load(root, true, &ks), "a module gone: the kernel's table again");
	ok(load(root, true, &ks), "and its copy next time");
	put(root, "/proc/kallsyms", "0000000000000000 T _text\n0000000000000000 T ip_rcv\n");
	ok(!load(root, true, &ks) && kallsyms_hidden(ks),
	   "addresses hidden from this reader (kptr_restrict): the copy is not used");
	kallsyms_free(ks);
	remove_root(root);
}

/* The names in ROOT/run/pwru, one after another, in ONE. */
static int names_in(const char *root, char *one, size_t len)
{
	char dir[128];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/run/pwru", root);
	d = opendir(dir);
	one[0] = '\0';
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && ++n)
			snprintf(one, len, "%s", e->d_name);
	if (d)
		closedir(d);
	return n;
}

/* A start killed while writing a copy, or one that finished: what /run/pwru holds after. */
static void test_leftovers(void)
{
	struct boot_copy c = {.bytes = 4};
	struct boot_cache_new *n;
	struct boot_key key;
	char root[64], name[64];
	int status = -1;
	pid_t pid;

	make_root(root, NULL);
	boot_cache_open(root, "x", &key, &c);
	pid = fork();
	if (!pid) {
		n = boot_cache_create(root, "x", &key);
		_exit(n && write(boot_cache_fd(n), "body", 4) == 4 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(status == 0 && names_in(root, name, sizeof(name)) == 0,
	   "a start killed while writing its copy leaves nothing in /run/pwru (%s)", name);
	n = boot_cache_create(root, "x", &key);
	ok(n && write(boot_cache_fd(n), "body", 4) == 4, "a copy written");
	boot_cache_commit(n, &c, true);
	ok(names_in(root, name, sizeof(name)) == 1 && !strcmp(name, "x"),
	   "a finished copy is there under its name alone (%s)", name);
	ok(boot_cache_open(root, "x", &key, &c) >= 0 && c.bytes == 4, "and opens as this boot's");
	remove_root(root);
}

int main(void)
{
	test_copy();
	test_leftovers();
	return tap_done();
}
