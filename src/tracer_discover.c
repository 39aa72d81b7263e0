// SPDX-License-Identifier: GPL-2.0
/*
 * What there is to trace on this kernel: BTF, the functions taking an skb (modules too), the
 * tracepoints, and the few kallsyms names pwru needs, read once at start.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "kallsyms/cs_calls.h"
#include "kallsyms/disasm.h"
#include "kallsyms/kmodules.h"
#include "src/discover/btf_check.h"
#include "src/discover/disc_cache.h"
#include "src/discover/ksyms_cache.h"
#include "src/discover/kbtf.h"
#include "src/discover/kmod_btf.h"
#include "src/discover/tracepoints.h"
#include "src/phases.h"
#include "src/probe/kprobe.h"
#include "src/probe/tracepoint.h"
#include "src/tracer.h"

/*
 * Module BTFs are split on the running kernel's vmlinux BTF: with another --kernel-btf they
 * would be read against the wrong base, so modules are scanned only when asked for.
 */
static enum kmod_mode kmod_mode(const struct pwru_config *cfg)
{
	if (cfg->kmods)
		return KMOD_LIST;
	return cfg->no_kmods || (cfg->kernel_btf && !cfg->all_kmods) ? KMOD_NONE : KMOD_ALL;
}

static int build_funcset(struct tracer *t, struct pwru_err *e)
{
	struct kmod_btfs kb;
	int rc;

	backend_quiet(1); /* an unreadable module BTF is counted and reported below */
	rc = kmod_btfs_load(kbtf_get(), kmod_mode(t->cfg), t->cfg->kmods, "", &kb, e);
	backend_quiet(0);
	if (rc)
		return rc;
	phase_done(PH_MODULES);
	t->kmods_unreadable = kb.skipped;
	t->kmods_without_btf = kb.from_ko + kb.untyped;
	t->kmods_from_ko = kb.from_ko;
	/* one pass over each BTF for functions and tracepoints */
	rc = funcset_walk(kb.v, kb.n,
			  (const struct funcset_kind *[]){&funcset_functions, &tpset_tracepoints},
			  (struct funcset *[]){&t->fs, &t->tps}, 2, t->cfg->filter_func, e);
	if (!rc)
		rc = funcset_finish(&t->fs, e);
	if (!rc && tracepoint_names(&t->tps, &t->tp_names))
		rc = err_from_errno(e, -ENOMEM, "naming the tracepoints");
	kmod_btfs_free(&kb);
	phase_done(PH_FUNCS);
	return rc;
}

static int load_btf(struct tracer *t, struct pwru_err *e)
{
	const char *path = t->cfg->kernel_btf ? t->cfg->kernel_btf : "/sys/kernel/btf/vmlinux";
	struct btf *btf;
	char why[128];
	int errnum;

	backend_quiet(1); /* the one line below says it all */
	btf = kbtf_get();
	errnum = errno;
	backend_quiet(0);
	phase_done(PH_BTF);
	if (btf && btf_layout_ok(btf, why, sizeof(why)))
		return 0;
	if (btf) {
		kbtf_free();
		errnum = EINVAL;
	} else {
		libbpf_strerror(errnum, why, sizeof(why));
	}
	if (t->cfg->kernel_btf) /* a bad --kernel-btf is a bad flag value */
		return err_bad_input(e, errnum,
				     "cannot read kernel BTF from %s: %s (give a BTF blob or an "
				     "ELF file with a .BTF section)",
				     path, why);
	return err_not_possible(e, errnum,
				"cannot read kernel BTF from %s: %s (needs "
				"CONFIG_DEBUG_INFO_BTF=y, or --kernel-btf FILE)",
				path, why);
}

/* What --filter-trace-tc/xdp trace: "tc", "XDP" or "tc and XDP" (JOIN between them). */
static const char *program_kinds(const struct pwru_config *cfg, const char *join, char *buf,
				 size_t len)
{
	snprintf(buf, len, "%s%s%s", cfg->filter_trace_tc ? "tc" : "",
		 cfg->filter_trace_tc && cfg->filter_trace_xdp ? join : "",
		 cfg->filter_trace_xdp ? "XDP" : "");
	return buf;
}

/* Why no kernel function is traced: said by an error and by the programs-only note. */
static void no_function_why(const struct tracer *t, char *buf, size_t len)
{
	snprintf(buf, len,
		 "no kernel function taking an skb matches --filter-func '%s' (%zu matched in "
		 "BTF, %zu of them absent from kallsyms%s; nor does any tracepoint)",
		 t->cfg->filter_func ? t->cfg->filter_func : "", t->fs.btf_matches, t->fs.no_symbol,
		 t->kmods_without_btf ? "; modules without BTF are searched only for callbacks "
					"in their ops tables"
				      : "");
}

/* Nothing to attach, and no --filter-trace-tc/xdp to trace programs instead. */
static int no_function(struct tracer *t, struct pwru_err *e)
{
	char why[512];

	no_function_why(t, why, sizeof(why));
	return err_not_possible(e, ENOENT, "%s", why);
}

bool tracer_programs_only(const struct tracer *t)
{
	return !t->fs.n && !t->tps.n;
}

/*
 * As in cilium/pwru, --filter-trace-tc/xdp trace their programs even when --filter-func
 * matches no function; but with no such program loaded either there is nothing to trace.
 */
int tracer_no_program(const struct tracer *t, struct pwru_err *e)
{
	char why[512], kinds[16];

	no_function_why(t, why, sizeof(why));
	return err_not_possible(e, ENOENT,
				"%s, and no %s program is loaded that can be traced (bpftool net "
				"shows those attached; one needs BTF)",
				why, program_kinds(t->cfg, " or ", kinds, sizeof(kinds)));
}

void tracer_note_programs_only(const struct tracer *t)
{
	char why[512], kinds[16];

	no_function_why(t, why, sizeof(why));
	fprintf(stderr, "pwru: %s: tracing the %s programs alone\n", why,
		program_kinds(t->cfg, " and ", kinds, sizeof(kinds)));
}

/* NAME is one of LIST's comma-separated names. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *at;

	for (at = list; (at = strstr(at, name)); at += n)
		if ((at == list || at[-1] == ',') && (at[n] == ',' || !at[n]))
			return 1;
	return 0;
}

/*
 * What --filter-trace-tc/xdp read from kallsyms: where Cilium's notifications go, and a
 * redirect's target where BTF has no per-CPU variables (bpf/redirect.bpf.h): bpf_redirect_info
 * is an 'A' symbol there (x86-64's per-CPU offsets), __per_cpu_offset a 'D'.
 */
#define PROG_SYMBOLS "bpf_skb_event_output,bpf_redirect_info,__per_cpu_offset"

bool tracer_traces_programs(const struct pwru_config *cfg)
{
	return cfg->filter_trace_tc || cfg->filter_trace_xdp;
}

/* Stacks, callers and BPF helpers can be any function, a BPF program's too. */
static bool keeps_every_symbol(const struct pwru_config *cfg)
{
	return cfg->output_stack || cfg->output_caller || cfg->filter_track_bpf_helpers;
}

/*
 * BPF programs' symbols come and go, and traced programs need data symbols: these runs
 * read the kernel's kallsyms, not the boot's copy.
 */
static bool needs_dynamic_symbols(const struct pwru_config *cfg)
{
	return keeps_every_symbol(cfg) || tracer_traces_programs(cfg);
}

/*
 * The kallsyms entries pwru uses: the functions found, --filter-non-skb-funcs' (their
 * events are named from here too), and the backends' test target.
 */
static int keep_symbol(const char *name, size_t len, const char *module, void *arg)
{
	const struct tracer *t = arg;
	const char *non_skb = t->cfg->filter_non_skb_funcs;

	if (keeps_every_symbol(t->cfg))
		return 1;
	/* where the debug info's vmlinux is placed (KASLR), for FUNC's source line */
	return (len == 5 && !memcmp(name, "_text", 5)) || funcset_has_name(&t->fs, name, len) ||
	       (name[0] == 'b' && !strcmp(name, "bpf_fentry_test1")) ||
	       (name[0] == 'n' && !strcmp(name, "nft_do_chain")) ||
	       (non_skb && in_list(non_skb, name)) ||
	       (tracer_traces_programs(t->cfg) && !module && in_list(PROG_SYMBOLS, name));
}

/*
 * The functions whose events carry their return value (where the backend has fexit):
 * nf_hook_slow, whose result is netfilter's verdict; PWRU_RETVAL_FUNCS=REGEX asks for
 * others in tests.
 */
static int mark_retval(struct funcset *fs, struct pwru_err *e)
{
	const char *re_text = getenv("PWRU_RETVAL_FUNCS");
	regex_t re;
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (!fs->funcs[i].module && !strcmp(fs->funcs[i].name, "nf_hook_slow"))
			fs->funcs[i].flags |= FUNC_WANT_RET | FUNC_NF_HOOK;
	if (!re_text || !*re_text)
		return 0;
	if (funcset_regex_compile(re_text, &re, e)) {
		err_prefix(e, "PWRU_RETVAL_FUNCS");
		return -1;
	}
	for (i = 0; i < fs->n; i++)
		if (!regexec(&re, fs->funcs[i].name, 0, NULL, 0))
			fs->funcs[i].flags |= FUNC_WANT_RET;
	regfree(&re);
	return 0;
}

/*
 * Whether discovery's result can come from, and go to, the boot's copy (disc_cache.h):
 * not for --list-funcs, which counts names without addresses too, nor for the runs that
 * read the kernel's whole kallsyms.
 */
static bool result_kept(const struct pwru_config *cfg)
{
	return !cfg->list_funcs && !needs_dynamic_symbols(cfg);
}

/* What the result depends on besides the boot and the modules: this build and these flags. */
static uint64_t result_config(const struct pwru_config *cfg)
{
	char *flags = NULL;
	uint64_t config;

	if (asprintf(&flags, "kmods %d %s\nfilter-func %s\nfilter-non-skb-funcs %s\nkernel-btf %d",
		     (int)kmod_mode(cfg), cfg->kmods ? cfg->kmods : "",
		     cfg->filter_func ? cfg->filter_func : "",
		     cfg->filter_non_skb_funcs ? cfg->filter_non_skb_funcs : "",
		     cfg->kernel_btf != NULL) < 0)
		return 0;
	/*
	 * The kernel's own BTF file too: a start that cannot see it (a mount over
	 * /sys/kernel/btf) must not take a copy that saves it reading that file.
	 */
	config = disc_cache_config(
	    "/proc/self/exe", cfg->kernel_btf ? cfg->kernel_btf : "/sys/kernel/btf/vmlinux", flags);
	free(flags);
	return config;
}

static struct disc_view result_view(struct tracer *t)
{
	return (struct disc_view){
	    .fs = &t->fs,
	    .tps = &t->tps,
	    .ksyms = &t->ksyms,
	    .tr = &t->tr,
	    .kmods = {&t->kmods_unreadable, &t->kmods_without_btf, &t->kmods_from_ko}};
}

/* The functions, tracepoints and kallsyms names, from the kernel; the set not yet joined. */
static int discover_sets(struct tracer *t, struct pwru_err *e)
{
	const char *ksyms_from;
	int rc;

	if (build_funcset(t, e))
		return -1;
	/* only the names that can matter: the file has 200,000 lines */
	rc = ksyms_cache_load(
	    "",
	    &(struct kallsyms_filter){.types = tracer_traces_programs(t->cfg) ? "tTwWAD" : "tTwW",
				      .keep = keep_symbol,
				      .arg = t},
	    !needs_dynamic_symbols(t->cfg), &t->ksyms, &ksyms_from);
	phase_done(PH_KALLSYMS);
	/* --list-funcs does without addresses: it counts them by name */
	if (rc || (kallsyms_hidden(t->ksyms) && !t->cfg->list_funcs))
		return err_not_possible(e, rc ? -rc : EPERM,
					"/proc/kallsyms %s; run as root with kernel.kptr_restrict "
					"below 2",
					rc ? strerror(-rc) : "shows no addresses");
	if (t->cfg->debug)
		fprintf(stderr, "pwru: debug: kallsyms: %zu symbols kept from %s\n",
			kallsyms_count(t->ksyms), ksyms_from);
	return 0;
}

/* What the options need beyond the sets, checked before anything is loaded. */
static int check_needs(struct tracer *t, struct pwru_err *e)
{
	const char *kflag;
	char why[256];

	if (t->cfg->filter_non_skb_funcs &&
	    track_check_funcs(t->ksyms, t->cfg->filter_non_skb_funcs, why, sizeof(why)))
		return err_bad_input(e, EINVAL, "%s", why);
	/* opened only for this option (kallsyms/cs_calls.h): a missing library, said first */
	if (t->cfg->filter_track_bpf_helpers && disasm_available(why, sizeof(why)))
		return err_not_possible(e, ENOENT,
					"--filter-track-bpf-helpers needs capstone, which pwru "
					"could not open (%s): install libcapstone%d",
					why, CS_API_MAJOR);
	/* their probes are kprobes on any backend: said here, before anything is loaded */
	kflag = t->cfg->filter_non_skb_funcs	   ? "--filter-non-skb-funcs"
		: t->cfg->filter_track_bpf_helpers ? "--filter-track-bpf-helpers"
						   : NULL;
	if (kflag && kprobe_missing(why, sizeof(why)))
		return err_not_possible(
		    e, EOPNOTSUPP, "%s needs kprobes, which this kernel lacks (%s)", kflag, why);
	return 0;
}

/* The boot's copy of the result, when it is there and still holds: true. */
static bool discover_from_copy(struct tracer *t, uint64_t config, struct boot_key *key)
{
	struct disc_view v = result_view(t);

	memset(key, 0, sizeof(*key));
	/* the copy is for those who may see the addresses themselves */
	if (!config || !ksyms_addresses_shown("/proc/kallsyms") ||
	    !disc_cache_read("", config, &v, key))
		return false;
	phase_done(PH_FUNCS);
	memset(key, 0, sizeof(*key)); /* this copy stands: no new one */
	if (t->cfg->debug)	      /* the same words as a read of kallsyms' own copy */
		fprintf(stderr,
			"pwru: debug: kallsyms: %zu symbols kept from /proc/kallsyms's functions, "
			"kept in /run/pwru\n",
			kallsyms_count(t->ksyms));
	return true;
}

/*
 * What the start takes from BTF besides discovery: the boot's copy when discovery's was
 * kept under CONFIG (the kernel's BTF is then not parsed), else from the BTF itself.
 */
static int find_uses(struct tracer *t, uint64_t config, struct pwru_err *e)
{
	int rc;

	if (config && !t->cfg->kernel_btf) {
		t->uses_config = btf_uses_config("", config);
		if (btf_uses_read("", t->uses_config, &t->uses, &t->uses_key))
			return 0;
	}
	if (!kbtf_parsed() && load_btf(t, e))
		return -1;
	rc = btf_uses_find(kbtf_get(), t->cfg->kernel_btf != NULL, &t->uses);
	if (rc)
		return err_from_errno(e, rc, "reading the drop reasons from kernel BTF");
	t->uses_new = true;
	return 0;
}

int tracer_discover(struct tracer *t, struct pwru_err *e)
{
	uint64_t config = result_kept(t->cfg) ? result_config(t->cfg) : 0;
	struct disc_view v = result_view(t);
	struct kmodules *mods = NULL;
	struct boot_key key;
	bool kept;
	int rc;

	kbtf_use_file(t->cfg->kernel_btf);
	kept = discover_from_copy(t, config, &key);
	/* discovery walks the BTF: checked first, as it was before the copy */
	if ((!kept && load_btf(t, e)) || find_uses(t, config, e))
		return -1;
	t->reasons = t->uses.reasons;
	if (!kept && discover_sets(t, e))
		return -1;
	if (!kmodules_load(NULL, &mods)) /* bounds each module's last function */
		kallsyms_set_modules(t->ksyms, mods);
	if (check_needs(t, e))
		return -1;
	if (!kept) {
		rc = funcset_join(&t->fs, t->ksyms, e);
		phase_done(PH_FUNCS);
		if (rc)
			return -1;
	}
	if (kept && tracepoint_names(&t->tps, &t->tp_names))
		return err_from_errno(e, -ENOMEM, "naming the tracepoints");
	if (t->cfg->debug)
		fprintf(stderr, "pwru: debug: discovery: %zu functions, %zu tracepoints, from %s\n",
			t->fs.n, t->tps.n,
			kept ? "this boot's copy (/run/pwru)" : "BTF and kallsyms");
	/* --list-funcs lists functions: the programs do not stand in for them */
	if (tracer_programs_only(t) && (!tracer_traces_programs(t->cfg) || t->cfg->list_funcs))
		return no_function(t, e);
	/* a list that could not be read may be readable now: asked again at every start */
	if (!kept || !t->tr.ftrace_source[0]) {
		traceable_free(&t->tr);
		rc = traceable_load(&t->tr, "");
		phase_done(PH_TRACEABLE);
		if (rc)
			return err_from_errno(e, rc, "reading the list of traceable functions");
		if (!kept && config)
			disc_cache_write("", config, &v, &key);
	}
	if (mark_retval(&t->fs, e))
		return -1;
	if (t->cfg->debug)
		fprintf(stderr, "pwru: debug: traceable functions: %zu from %s\n",
			t->tr.nftrace_ips ? t->tr.nftrace_ips : t->tr.nftrace_names,
			t->tr.ftrace_source[0] ? t->tr.ftrace_source : t->tr.ftrace_why);
	return 0;
}

/* A failure before tracing is one line, whatever the modules: these come after. */
void tracer_module_notes(const struct tracer *t)
{
	if (t->kmods_unreadable)
		fprintf(stderr,
			"pwru: the BTF of %zu modules could not be read; their functions "
			"are not traced\n",
			t->kmods_unreadable);
	if (t->kmods_without_btf)
		fprintf(stderr,
			"pwru: %zu modules have no BTF (kernel before 5.11, or built without "
			"it): only callbacks typed from the .ko of %zu of them are traced\n",
			t->kmods_without_btf, t->kmods_from_ko);
}

void tracer_report_dropped(const struct funcset *fs)
{
	size_t i;

	for (i = 0; i < fs->ndropped; i++) {
		const struct func_entry *f = &fs->dropped[i];

		fprintf(stderr, "pwru: debug: skipped %s%s%s%s: %s\n", f->name,
			f->module ? " [" : "", f->module ? f->module : "", f->module ? "]" : "",
			f->dropped == DROPPED_AMBIGUOUS
			    ? "ambiguous: copies of this name disagree on the skb's argument"
			    : "not in kallsyms (inlined everywhere, or a notrace alias)");
	}
}
