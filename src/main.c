// SPDX-License-Identifier: GPL-2.0
/*
 * pwru: flags -> function set -> backend choice -> BPF load -> attach -> events -> output.
 * Every stage reports its failure as one struct pwru_err (src/error.h); main prints it and
 * exits with the status of its class.
 */
#include <errno.h>
#include <regex.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "filters/pcap_filter.h"
#include "kallsyms/kallsyms.h"
#include "src/probe/backend.h"
#include "src/probe/loader.h"
#include "src/probe/tracepoint.h"
#include "src/probe/progtrace.h"
#include "src/probe/retsplit.h"
#include "src/probe/track.h"
#include "src/check_filter.h"
#include "src/output/drop_reason.h"
#include "src/output/events.h"
#include "src/output/prog_names.h"
#include "src/filter_setup.h"
#include "src/flags.h"
#include "src/discover/funcset.h"
#include "src/discover/btf_check.h"
#include "src/discover/kmod_btf.h"
#include "src/discover/tracepoints.h"
#include "src/list_funcs.h"
#include "src/phases.h"
#include "src/netns_filter.h"
#include "src/output/setup.h"
#include "src/output/symbols.h"
#include "src/discover/bpf_helpers.h"
#include "kallsyms/symbolizer.h"
#include "src/discover/traceable.h"
#include "src/error.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* No SA_RESTART: a signal must wake the epoll wait and any attach loop. */
static void install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

struct tracer {
	struct pwru_config *cfg;
	struct pcap_filter *pcap;
	struct btf *btf;
	struct kallsyms *ksyms;
	struct funcset fs;
	struct funcset tps;
	char **tp_names; /* "tp:NAME" by index in tps: a tracepoint event's address */
	struct traceable tr;
	struct drop_reasons *reasons;
	const struct backend *backend;
	struct backend_ctx bctx;
	struct retsplit rs; /* return values through fentry where the backend has none */
	struct loader ld;
	struct output_setup out;
	struct track_opts track_opts;
	struct track *track;
	struct symbolizer *syms;
	struct bpf_helpers helpers; /* --filter-track-bpf-helpers */
	char *helper_list;
	struct progtrace *pt;	  /* --filter-trace-tc/xdp */
	struct prog_names *progs; /* the programs it traces, for the output */
	uint32_t netns, ifindex;
	size_t kmods_without_btf, kmods_from_ko, kmods_unreadable;
};

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
	rc = kmod_btfs_load(t->btf, kmod_mode(t->cfg), t->cfg->kmods, "", &kb, e);
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
	char why[128];
	int errnum;

	backend_quiet(1); /* the one line below says it all */
	t->btf = t->cfg->kernel_btf ? btf__parse(path, NULL) : btf__load_vmlinux_btf();
	errnum = errno;
	backend_quiet(0);
	phase_done(PH_BTF);
	if (t->btf && btf_layout_ok(t->btf, why, sizeof(why)))
		return 0;
	if (t->btf) {
		btf__free(t->btf);
		t->btf = NULL;
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

static int no_function(struct tracer *t, struct pwru_err *e)
{
	return err_not_possible(
	    e, ENOENT,
	    "no kernel function taking an skb matches --filter-func '%s' (%zu matched in BTF, "
	    "%zu of them absent from kallsyms%s; nor does any tracepoint)",
	    t->cfg->filter_func ? t->cfg->filter_func : "", t->fs.btf_matches, t->fs.no_symbol,
	    t->kmods_without_btf ? "; modules without BTF are searched only for callbacks in "
				   "their ops tables"
				 : "");
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

static bool traces_programs(const struct pwru_config *cfg)
{
	return cfg->filter_trace_tc || cfg->filter_trace_xdp;
}

/*
 * The kallsyms entries pwru uses: the functions found, --filter-non-skb-funcs' (their
 * events are named from here too), and the backends' test target.
 */
static int keep_symbol(const char *name, const char *module, void *arg)
{
	const struct tracer *t = arg;
	const char *non_skb = t->cfg->filter_non_skb_funcs;

	/* stacks, callers and BPF helpers can be any function, a BPF program's too */
	if (t->cfg->output_stack || t->cfg->output_caller || t->cfg->filter_track_bpf_helpers)
		return 1;
	/* where the debug info's vmlinux is placed (KASLR), for FUNC's source line */
	return !strcmp(name, "_text") || funcset_has_name(&t->fs, name) ||
	       (name[0] == 'b' && !strcmp(name, "bpf_fentry_test1")) ||
	       (name[0] == 'n' && !strcmp(name, "nft_do_chain")) ||
	       (non_skb && in_list(non_skb, name)) ||
	       (traces_programs(t->cfg) && !module && in_list(PROG_SYMBOLS, name));
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

static int load_symbols(struct tracer *t, struct pwru_err *e)
{
	char why[256];
	int rc;

	if (load_btf(t, e))
		return -1;
	rc = drop_reasons_load(t->btf, &t->reasons);
	if (rc)
		return err_from_errno(e, rc, "reading the drop reasons from kernel BTF");
	if (build_funcset(t, e))
		return -1;
	/* only the names that can matter: the file has 200,000 lines */
	rc = kallsyms_load_filtered(
	    NULL,
	    &(struct kallsyms_filter){.types = traces_programs(t->cfg) ? "tTwWAD" : "tTwW",
				      .keep = keep_symbol,
				      .arg = t},
	    &t->ksyms);
	phase_done(PH_KALLSYMS);
	/* --list-funcs does without addresses: it counts them by name */
	if (rc || (kallsyms_hidden(t->ksyms) && !t->cfg->list_funcs))
		return err_not_possible(e, rc ? -rc : EPERM,
					"/proc/kallsyms %s; run as root with kernel.kptr_restrict "
					"below 2",
					rc ? strerror(-rc) : "shows no addresses");
	if (t->cfg->filter_non_skb_funcs &&
	    track_check_funcs(t->ksyms, t->cfg->filter_non_skb_funcs, why, sizeof(why)))
		return err_bad_input(e, EINVAL, "%s", why);
	rc = funcset_join(&t->fs, t->ksyms, e);
	phase_done(PH_FUNCS);
	if (rc)
		return -1;
	if (!t->fs.n && !t->tps.n)
		return no_function(t, e);
	if (mark_retval(&t->fs, e))
		return -1;
	rc = traceable_load(&t->tr, "");
	phase_done(PH_TRACEABLE);
	if (rc)
		return err_from_errno(e, rc, "reading the list of traceable functions");
	return 0;
}

/* Said once tracing goes ahead: a failure before it is one line, whatever the modules. */
static void module_notes(const struct tracer *t)
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

static void set_backend_ctx(struct tracer *t)
{
	t->bctx = (struct backend_ctx){
	    .btf = t->btf,
	    .ks = t->ksyms,
	    .fs = &t->fs,
	    .tps = &t->tps,
	    .tr = &t->tr,
	    .stop = &stop,
	    .debug = t->cfg->debug,
	    .batch = t->cfg->kprobe_batch == FLAGS_UNSET ? 0 : (size_t)t->cfg->kprobe_batch};
}

/* --debug: the functions of BTF that are not in the set, and why. */
static void report_dropped(const struct funcset *fs)
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

/* The first backend in the table that this kernel supports; says so when it is not the first. */
static int pick_backend(struct tracer *t, struct pwru_err *e)
{
	char msg[1024];

	set_backend_ctx(t);
	if (backend_choose(t->cfg->backend, &t->bctx, &t->backend, msg, sizeof(msg)))
		return err_not_possible(e, EOPNOTSUPP, "%s", msg);
	if (*msg)
		fprintf(stderr, "pwru: %s\n", msg);
	return retsplit_init(&t->rs, t->backend, &t->bctx) ? err_from_errno(e, -ENOMEM, "backend")
							   : 0;
}

/* --filter-track-bpf-helpers: what the skb-path BPF programs loaded now call. */
static int find_helpers(struct tracer *t, struct pwru_err *e)
{
	char err[256];
	int rc = bpf_helpers_find(t->ksyms, &t->helpers, err, sizeof(err));

	return rc ? err_not_possible(e, -rc, "--filter-track-bpf-helpers: %s", err) : 0;
}

/* After pwru's programs loaded (those they call are left out): the helpers to probe. */
static int list_helpers(struct tracer *t)
{
	size_t n;

	t->helper_list = bpf_helpers_list(&t->helpers, t->ld.skel->obj, t->ksyms, &n);
	if (!t->helper_list)
		return -ENOMEM;
	t->track_opts.helper_funcs = t->helper_list;
	fprintf(stderr,
		"pwru: tracking %zu BPF helpers called by the %zu tc, XDP, cgroup and socket "
		"programs loaded%s%.400s%s\n",
		n, t->helpers.progs, n ? ": " : "", t->helper_list,
		strlen(t->helper_list) > 400 ? "..." : "");
	return 0;
}

/* NAME's address in MODULE (NULL: vmlinux), 0 when absent. */
static uint64_t symbol_in(const struct kallsyms *ks, const char *name, const char *module)
{
	const struct ksym *s;

	return kallsyms_lookup_name(ks, name, module, &s) ? s->addr : 0;
}

static uint64_t symbol_addr(const struct kallsyms *ks, const char *name)
{
	return symbol_in(ks, name, NULL);
}

/* --filter-trace-tc/xdp: checked before anything is loaded, so a refusal is one line. */
static int trace_programs(struct tracer *t, struct pwru_err *e)
{
	struct progtrace_opts o = {.tc = t->cfg->filter_trace_tc,
				   .xdp = t->cfg->filter_trace_xdp,
				   .vmlinux = t->btf,
				   .diag = stderr};

	if (!o.tc && !o.xdp)
		return 0;
	if (progtrace_probe(t->btf, e))
		return -1;
	o.names = t->progs = prog_names_new();
	t->pt = o.names ? progtrace_new(&o) : NULL;
	return t->pt ? 0 : err_from_errno(e, -ENOMEM, "--filter-trace-tc/xdp");
}

static int load_bpf(struct tracer *t, struct pwru_err *e)
{
	char err[512];
	int rc;

	rc = loader_open(&t->ld, t->pcap, t->backend, &t->bctx, t->pt, t->cfg->kernel_btf, err,
			 sizeof(err));
	if (!rc) {
		struct pwru_bpf__rodata *ro = t->ld.skel->rodata;

		t->ld.rs = &t->rs;
		ro->cfg_netns = t->netns;
		ro->cfg_mark = t->cfg->filter_mark;
		ro->cfg_mark_mask = t->cfg->filter_mark_mask;
		ro->cfg_ifindex = t->ifindex;
		ro->cfg_output_tuple = t->cfg->output_tuple;
		ro->cfg_output_meta = t->cfg->output_meta;
		ro->cfg_output_cb = output_cb(t->cfg);
		ro->cfg_output_tunnel = t->cfg->output_tunnel;
		ro->cfg_output_skb = t->cfg->output_skb;
		ro->cfg_output_shinfo = t->cfg->output_skb_shared_info;
		ro->cfg_snaplen = output_snaplen(t->cfg);
		ro->cfg_wakeup_bytes = output_wakeup_bytes(t->cfg);
		ro->cfg_skb_output_addr = symbol_addr(t->ksyms, "bpf_skb_event_output");
		ro->cfg_redirect_info_sym = symbol_addr(t->ksyms, "bpf_redirect_info");
		ro->cfg_per_cpu_offset = symbol_addr(t->ksyms, "__per_cpu_offset");
		ro->cfg_nft_chain_addr = symbol_in(t->ksyms, "nft_do_chain", "nf_tables");
		bpf_map__set_max_entries(t->ld.skel->maps.events, (uint32_t)t->cfg->ringbuf_size);
		track_configure(t->ld.skel, &t->track_opts);
		ro->cfg_output_stack = t->cfg->output_stack;
		ro->cfg_output_caller = t->cfg->output_caller;
		rc = loader_load(&t->ld, err, sizeof(err));
	}
	if (!rc && t->cfg->filter_track_bpf_helpers && list_helpers(t)) {
		rc = -ENOMEM;
		snprintf(err, sizeof(err), "--filter-track-bpf-helpers: %s", strerror(ENOMEM));
	}
	/* the lifetime hooks first: nothing gets followed before its end can be seen */
	if (!rc)
		rc = track_attach(t->ld.skel, t->btf, &t->track_opts, &t->track, err, sizeof(err));
	/* the loader fails only for what this kernel or libbpf refuses */
	return rc ? err_not_possible(e, rc < 0 ? -rc : EIO, "%s", err) : 0;
}

/* One kprobe is one file descriptor; the default 1024 is not enough for the fallback. */
static void raise_fd_limit(void)
{
	struct rlimit r;

	if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

static int attach(struct tracer *t, struct pwru_err *e)
{
	struct attach_result res = {0};

	/* all of the functions may have gone to fentry for their return values */
	if ((t->bctx.fs->n || t->backend->targets != TARGET_FUNCS) &&
	    t->backend->attach(&t->bctx, &res, e))
		return -1;
	if (retsplit_attach(&t->rs, &res, e))
		return -1;
	if (t->backend->targets == TARGET_TRACEPOINTS)
		fprintf(stderr, "pwru: attached %zu tracepoints, skipped %zu\n", res.attached,
			res.skipped);
	else
		fprintf(stderr, "pwru: attached %zu functions, skipped %zu\n", res.attached,
			res.skipped + t->fs.no_symbol + t->fs.ambiguous);
	return t->pt ? progtrace_start(t->pt, t->ld.skel->obj, e) : 0;
}

/* Checked before attaching: a script waiting for the file must not wait for ever. */
static int check_ready_file(const char *path, struct pwru_err *e)
{
	char *copy = strdup(path);
	int rc = 0;

	if (!copy)
		return err_from_errno(e, -ENOMEM, "--ready-file");
	if (access(dirname(copy), W_OK))
		rc = err_bad_input(e, errno,
				   "--ready-file %s: %s (its folder must exist and be writable)",
				   path, strerror(errno));
	free(copy);
	return rc;
}

static int touch_ready_file(const char *path, struct pwru_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return err_not_possible(e, errno, "--ready-file %s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

static int stream_events(struct tracer *t, struct pwru_err *e)
{
	struct pipeline *p = &t->out.p;
	struct output_stats st = {0};
	struct events *ev = NULL;
	int rc;

	/* the ring buffer already holds what happens from here on */
	if (t->cfg->ready_file && touch_ready_file(t->cfg->ready_file, e))
		return -1;
	p->en.ksyms = t->ksyms;
	p->en.reasons = t->reasons;
	p->en.tp_names = (const char *const *)t->tp_names;
	p->en.n_tp_names = t->tps.n;
	p->en.syms = t->syms;
	p->en.progs = t->progs;
	rc =
	    events_open(bpf_map__fd(t->ld.skel->maps.events), bpf_map__fd(t->ld.skel->maps.lost), p,
			t->cfg->output_file ? -1 : STDOUT_FILENO, t->cfg->output_limit_lines, &ev);
	if (rc || pipeline_open(p)) {
		events_close(ev);
		return err_from_errno(e, rc ? rc : -ENOMEM, "cannot start reading events");
	}
	if (t->track)
		events_watch(ev, track_report, t->track);
	fprintf(stderr, "pwru: listening for events (Ctrl-C to stop)\n");
	rc = events_run(ev, &stop);
	events_stats(ev, &st);
	/* before detaching, which can take a while with kprobes */
	if (pipeline_close(p, st.lost) && !rc)
		rc = -EIO;
	events_close(ev);
	/* EPIPE: the reader went away (pwru | head), a normal way to stop */
	return rc && rc != -EPIPE ? err_from_errno(e, rc, "reading events") : 0;
}

static void teardown(struct tracer *t)
{
	progtrace_free(t->pt);
	prog_names_free(t->progs);
	if (t->backend)
		t->backend->detach(&t->bctx);
	retsplit_free(&t->rs);
	track_detach(t->track);
	loader_close(&t->ld);
	pcap_filter_free(t->pcap);
	traceable_free(&t->tr);
	tracepoint_names_free(t->tp_names, t->tps.n);
	funcset_free(&t->tps);
	funcset_free(&t->fs);
	drop_reasons_free(t->reasons);
	symbolizer_free(t->syms);
	bpf_helpers_free(&t->helpers);
	free(t->helper_list);
	kallsyms_free(t->ksyms);
	btf__free(t->btf);
}

/*
 * Ctrl-C while reading BTF or loading programs (seconds on a slow machine, or a file that
 * never comes): stop there. What failed meanwhile (a read cut short by the signal) was
 * the signal's doing, not the input's.
 */
static int stopped(int rc, struct pwru_err *e)
{
	return stop ? err_stopped(e, "interrupted before attaching; nothing was attached") : rc;
}

/* --list-funcs: discovery only; root is not needed where BTF is readable. */
static int list_funcs(struct pwru_config *cfg, struct pwru_err *e)
{
	struct tracer t = {.cfg = cfg};
	int rc;

	backend_install_libbpf_print();
	backend_quiet(1); /* probing backends without root: the summary line says so */
	rc = load_symbols(&t, e);
	if (!rc) {
		set_backend_ctx(&t);
		list_funcs_print(&t.bctx, !geteuid(), stdout, stderr);
		if (cfg->debug)
			report_dropped(&t.fs);
	}
	backend_quiet(0);
	teardown(&t);
	return rc;
}

/* --output-skb and --output-skb-shared-info call bpf_snprintf_btf(), Linux 5.10 and later. */
static int check_dumps(const struct pwru_config *cfg, const struct btf *btf, struct pwru_err *e)
{
	if ((cfg->output_skb || cfg->output_skb_shared_info) &&
	    !btf_enum_has(btf, "bpf_func_id", "BPF_FUNC_snprintf_btf"))
		return err_not_possible(e, ENOTSUP,
					"--output-skb%s needs the bpf_snprintf_btf helper (Linux "
					"5.10 and later), which this kernel lacks",
					cfg->output_skb ? "" : "-shared-info");
	return 0;
}

static int run(struct pwru_config *cfg, struct pwru_err *e)
{
	struct tracer t = {.cfg = cfg,
			   .track_opts = {.by_addr = cfg->filter_track_skb,
					  /* as in cilium/pwru: they live on the stack */
					  .by_stack = cfg->filter_track_skb_by_stackid ||
						      cfg->filter_non_skb_funcs ||
						      cfg->filter_track_bpf_helpers,
					  .size = (uint32_t)cfg->filter_track_size,
					  .non_skb_funcs = cfg->filter_non_skb_funcs}};
	int rc;

	if (geteuid())
		return err_not_possible(e, EPERM,
					"must run as root (loading BPF programs and kprobes needs "
					"CAP_BPF, CAP_PERFMON or CAP_SYS_ADMIN); try sudo pwru");
	if (netns_filter_resolve(cfg->filter_netns, cfg->filter_ifname, &t.netns, &t.ifindex, e))
		return -1;
	if (cfg->ready_file && check_ready_file(cfg->ready_file, e))
		return -1;
	if (output_setup_open(&t.out, cfg, e)) {
		output_setup_free(&t.out);
		return -1;
	}
	install_signals();
	backend_install_libbpf_print();
	raise_fd_limit();
	phases_start();
	rc = load_symbols(&t, e);
	if (!rc)
		t.syms = symbols_open(t.ksyms, cfg->vmlinux,
				      cfg->output_stack || cfg->output_caller, stderr);
	if (!rc && cfg->filter_track_bpf_helpers)
		rc = find_helpers(&t, e);
	/* the start-up benchmark (tests/bench/startup): discovery only */
	if (!rc && getenv("PWRU_BENCH_STARTUP")) {
		phases_print(stderr);
		teardown(&t);
		output_setup_free(&t.out);
		return 0;
	}
	/* after load_symbols: the filter's sk_buff offsets come from the same BTF (t.btf) */
	if (!rc)
		rc = check_dumps(cfg, t.btf, e);
	if (!rc)
		rc = filter_setup(cfg, t.btf, &t.pcap, t.out.so.metadata_kind, e);
	rc = stopped(rc, e);
	if (!rc)
		rc = pick_backend(&t, e);
	phase_done(PH_BACKEND);
	if (!rc)
		rc = trace_programs(&t, e);
	if (!rc) {
		fprintf(stderr, "pwru: backend %s\n", t.backend->name);
		rc = stopped(load_bpf(&t, e), e);
	}
	phase_done(PH_LOAD);
	if (!rc) {
		module_notes(&t);
		if (cfg->debug)
			report_dropped(&t.fs);
		rc = attach(&t, e);
	}
	phase_done(PH_ATTACH);
	if (!rc && cfg->debug)
		phases_print(stderr);
	if (!rc)
		rc = stream_events(&t, e);
	teardown(&t);
	output_setup_free(&t.out);
	return rc;
}

int main(int argc, char **argv)
{
	struct pwru_config cfg;
	struct pwru_err e = {0};

	if (flags_parse(argc, argv, &cfg, &e)) {
		flags_free(&cfg);
		return err_report(&e, stderr);
	}
	if (cfg.help)
		flags_usage(stdout);
	else if (cfg.version)
		printf("pwru %s\n", PWRU_VERSION);
	else if (cfg.check_filter)
		check_filter_main(cfg.check_filter, cfg.pcap_expr, stdout, &e);
	else if (cfg.list_funcs)
		list_funcs(&cfg, &e);
	else
		run(&cfg, &e);
	flags_free(&cfg);
	return err_report(&e, stderr);
}
