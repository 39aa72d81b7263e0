// SPDX-License-Identifier: GPL-2.0
/*
 * The loader's splice hooks: a program in a hooked section gets the filter, and one that
 * escapes the hooks (its section handled by libbpf itself) is caught after load, before it
 * could let every packet through. The backend table lists a section for every program of
 * the tracing object.
 */
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "check_filter.skel.h"
#include "pwru.skel.h"
#include "filters/pcap_filter.h"
#include "src/probe/backend.h"
#include "src/probe/loader.h"
#include "src/probe/splice_hooks.h"

static const struct hook_section tc = {"tc", BPF_PROG_TYPE_SCHED_CLS, 0};
static const struct hook_section xdp = {"xdp", BPF_PROG_TYPE_XDP, 0};

/*
 * Loads the checker's tc program with hooks on SEC; returns splice_hooks_verify()'s result,
 * and in *GATE what the kernel-side check alone says of the loaded program.
 */
static int load_with(const struct hook_section *sec, const char *expr, char *err, size_t len,
		     int *gate)
{
	char gerr[512];

	struct check_filter_bpf *skel = NULL;
	struct splice_hooks *h = NULL;
	struct pcap_filter *f = NULL;
	int rc = pcap_filter_compile(expr, &f, err, len);

	if (!rc)
		rc = splice_hooks_install(f, sec, 1, NULL, NULL, &h, err, len);
	if (!rc) {
		skel = check_filter_bpf__open_and_load();
		rc = skel ? splice_hooks_verify(h, skel->obj, err, len) : -errno;
	}
	if (skel && gate)
		*gate = pcap_filter_check_loaded(bpf_program__fd(skel->progs.check_filter),
						 "check_filter", gerr, sizeof(gerr));
	check_filter_bpf__destroy(skel);
	splice_hooks_remove(h);
	pcap_filter_free(f);
	return rc;
}

static void test_verify(void)
{
	char err[512] = "";
	int gate = 1, rc = load_with(&tc, "icmp", err, sizeof(err), &gate);

	if (rc == -EPERM) {
		printf("# cannot load BPF here (%s): skipping the load checks\n", strerror(EPERM));
		return;
	}
	is_int(rc, 0, "hooked section: the filter is spliced and the check passes");
	if (rc)
		printf("#   %s\n", err);
	is_int(gate, 0, "the kernel holds it without the gate stub");
	is_int(load_with(&tc, "", err, sizeof(err), &gate), 0,
	       "empty expression: the gate is spliced away too");
	is_int(gate, 0, "the kernel holds the empty filter without the gate stub");
	rc = load_with(&xdp, "icmp", err, sizeof(err), &gate);
	is_int(rc, -ENOEXEC, "section without a hook: the loaded program is refused");
	is_int(gate, -ENOEXEC, "and the kernel-side check alone finds the gate stub in it");
	ok(strstr(err, "check_filter") && strstr(err, "every packet"),
	   "the refusal names the program and the consequence");
	printf("#   %s\n", err);
}

/* libbpf's "+" suffix: the bare name, or the name followed by '/'. */
static int covers(const char *hook, const char *sec)
{
	size_t n = strlen(hook);

	if (n && hook[n - 1] == '+')
		return !strncmp(hook, sec, n - 1) && (!sec[n - 1] || sec[n - 1] == '/');
	return !strcmp(hook, sec);
}

static void test_table_covers_object(void)
{
	const struct hook_section *secs[16];
	size_t n = loader_sections(secs, 16), i, progs = 0, bare = 0;
	struct pwru_bpf *skel = pwru_bpf__open();
	struct bpf_program *p;

	ok(skel != NULL, "the tracing object opens");
	if (!skel)
		return;
	bpf_object__for_each_program(p, skel->obj)
	{
		const char *sec = bpf_program__section_name(p);
		int hit = 0;

		for (i = 0; i < n; i++)
			hit |= covers(secs[i]->sec, sec);
		progs++;
		if (!hit) {
			bare++;
			printf("#   %s: SEC(\"%s\") is hooked by no one\n", bpf_program__name(p),
			       sec);
		}
	}
	ok(progs >= 10 && !bare, "every one of the %zu programs is in a section the loader hooks",
	   progs);
	pwru_bpf__destroy(skel);
}

/* Another object's programs keep libbpf's handlers: the tracking hooks' sections. */
static void test_table_leaves_others(void)
{
	static const char *const others[] = {"fexit/kfree_skbmem", "raw_tp/kmem_cache_free",
					     "kprobe/pwru_non_skb", "fentry/ip_rcv",
					     "tp_btf/kfree_skb"};
	const struct hook_section *secs[16];
	size_t n = backend_sections(secs, 16), i, k;
	int taken = 0;

	for (k = 0; k < sizeof(others) / sizeof(others[0]); k++)
		for (i = 0; i < n; i++)
			if (covers(secs[i]->sec, others[k])) {
				taken++;
				printf("#   %s takes SEC(\"%s\")\n", secs[i]->sec, others[k]);
			}
	ok(!taken, "no backend section takes another object's SEC(\"type/target\")");
}

static void test_table(void)
{
	char names[128];
	size_t i;

	is_str(backend_names(", ", names, sizeof(names)),
	       "kprobe-multi, kprobe, fentry, tracepoint",
	       "the table's names, in order of preference");
	for (i = 0; backend_at(i); i++) {
		const struct backend *b = backend_at(i);

		ok(backend_find(b->name) == b && b->nsections && b->probe && b->attach && b->detach,
		   "%s: found by name, has sections and its steps", b->name);
	}
	ok(!backend_find("fentryx"), "an unknown name is not found");
}

int main(void)
{
	backend_quiet(1);
	test_table();
	test_table_covers_object();
	test_table_leaves_others();
	test_verify();
	return tap_done();
}
