// SPDX-License-Identifier: GPL-2.0
/*
 * pwru: flags -> function set -> backend choice -> BPF load -> attach -> events -> output.
 * Every stage reports its failure as one struct pwru_err (src/error.h); main prints it and
 * exits with the status of its class.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "pwru.skel.h"
#include "filters/pcap_filter.h"
#include "src/output/fmt.h"
#include "src/probe/backend.h"
#include "src/probe/loader.h"
#include "src/probe/tracepoint.h"
#include "src/probe/progtrace.h"
#include "src/probe/retsplit.h"
#include "src/probe/track.h"
#include "src/check_filter.h"
#include "src/output/drop_reason.h"
#include "src/output/outstream.h"
#include "src/output/prog_names.h"
#include "src/filter_setup.h"
#include "src/flags.h"
#include "src/discover/btf_check.h"
#include "src/list_funcs.h"
#include "src/phases.h"
#include "src/privs.h"
#include "src/netns_filter.h"
#include "src/output/setup.h"
#include "src/output/symbols.h"
#include "src/discover/bpf_helpers.h"
#include "src/discover/kbtf.h"
#include "src/probe/bpfmap.h"
#include "kallsyms/symbolizer.h"
#include "src/discover/traceable.h"
#include "src/error.h"

static volatile sig_atomic_t stop;

/*
 * The first: the trace ends, what was recorded before is written (a reader that takes
 * nothing for the stall time is given up); a second: the outputs are given up at once
 * (docs/usage.md).
 */
static void on_signal(int sig)
{
	stop = 1;
	outstream_stop();
}

/* No SA_RESTART: a signal must wake the epoll wait and any attach loop. */
static void install_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal}, hup;

	outstream_stop_arm();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a hangup (the ssh session gone) ends the trace as Ctrl-C does; nohup's ignore stays */
	if (!sigaction(SIGHUP, NULL, &hup) && hup.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
}

/*
 * pwru's messages through outstream's write loop: a reader that stops reading stderr
 * (2>&1 | less) cannot hold pwru after a stop. glibc lets stderr be assigned.
 */
static struct outstream *own_stderr(FILE **real)
{
	struct outstream *s = outstream_diag(STDERR_FILENO);

	*real = stderr;
	if (s)
		stderr = outstream_file(s);
	return s;
}

#include "src/probe/closer.h"
#include "src/tracer.h"

static void set_backend_ctx(struct tracer *t)
{
	t->bctx = (struct backend_ctx){
	    .uses = &t->uses,
	    .ks = t->ksyms,
	    .fs = &t->fs,
	    .tps = &t->tps,
	    .tr = &t->tr,
	    .stop = &stop,
	    .debug = t->cfg->debug,
	    .programs_only = tracer_programs_only(t) && tracer_traces_programs(t->cfg),
	    .batch = t->cfg->kprobe_batch == FLAGS_UNSET ? 0 : (size_t)t->cfg->kprobe_batch};
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

/* --output-bpfmap: map functions are probed even where pwru's programs call them too. */
static int map_func(const char *name, void *btf)
{
	return bpfmap_kind(btf, name) != BPFMAP_NONE;
}

/* After pwru's programs loaded (those they call are left out): the helpers to probe. */
static int list_helpers(struct tracer *t)
{
	size_t n;

	t->helper_list = bpf_helpers_list(&t->helpers, t->ld.skel->obj, t->ksyms,
					  t->cfg->output_bpfmap ? map_func : NULL,
					  t->cfg->output_bpfmap ? kbtf_get() : NULL, &n);
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
				   .alone = tracer_programs_only(t),
				   .diag = stderr};

	if (!o.tc && !o.xdp)
		return 0;
	o.vmlinux = kbtf_get();
	if (progtrace_probe(o.vmlinux, e))
		return -1;
	o.names = t->progs = prog_names_new();
	t->pt = o.names ? progtrace_new(&o) : NULL;
	if (!t->pt)
		return err_from_errno(e, -ENOMEM, "--filter-trace-tc/xdp");
	if (!o.alone)
		return 0;
	/* as cilium/pwru: the programs alone, when there are some */
	if (!progtrace_any_loaded(t->pt))
		return tracer_no_program(t, e);
	tracer_note_programs_only(t);
	return 0;
}

static int load_bpf(struct tracer *t, struct pwru_err *e)
{
	char err[512];
	int rc;

	rc = loader_open(&t->ld, t->pcap, t->backend, &t->bctx, t->pt, t->cfg->kernel_btf,
			 retsplit_first(&t->rs), err, sizeof(err));
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
		track_configure(t->ld.skel, t->ksyms, &t->track_opts);
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
		rc = track_attach(t->ld.skel, track_on(&t->track_opts) ? kbtf_get() : NULL,
				  &t->track_opts, &t->track, err, sizeof(err));
	/* the loader fails only for what this kernel or libbpf refuses */
	return rc ? err_not_possible(e, rc < 0 ? -rc : EIO, "%s", err) : 0;
}

/* After a load that found something new of the kernel's BTF: kept for the next start. */
static void keep_uses(struct tracer *t)
{
	if (t->uses_config && (t->uses_new || t->ld.core_new || t->uses.grown))
		btf_uses_write("", t->uses_config, &t->uses, &t->uses_key);
}

/*
 * Soft limits up to the hard ones, which needs no capability: one kprobe is one file
 * descriptor (the default 1024 is not enough for the fallback), and before 5.11 BPF maps
 * and programs are charged to RLIMIT_MEMLOCK (src/probe/memlock.h).
 */
static void raise_soft_limit(int resource)
{
	struct rlimit r;

	if (!getrlimit(resource, &r) && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(resource, &r);
	}
}

/* The programs alone: progtrace's "tracing N tc and M XDP programs" says what is. */
static void say_attached(const struct tracer *t, const struct attach_result *res)
{
	if (t->bctx.programs_only)
		return;
	if (t->backend->targets == TARGET_TRACEPOINTS)
		fprintf(stderr, "pwru: attached %zu tracepoint%s, skipped %zu\n", res->attached,
			plural(res->attached), res->skipped);
	else
		fprintf(stderr, "pwru: attached %zu function%s, skipped %zu\n", res->attached,
			plural(res->attached), res->skipped + t->fs.no_symbol + t->fs.ambiguous);
}

/*
 * Descriptors kept free while attaching: the kprobe and fentry backends take one or two a
 * function until the limit, and the run after them still opens some (the ring buffer's
 * epoll, output files, /proc reads, debug info). Held as /dev/null, closed after.
 */
#define FD_RESERVE 64

static void fd_reserve(int *fds)
{
	for (int i = 0; i < FD_RESERVE; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void fd_release(const int *fds)
{
	for (int i = 0; i < FD_RESERVE; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int attach_all(struct tracer *t, struct attach_result *res, struct pwru_err *e)
{
	/* all of the functions may have gone to fentry for their return values */
	if ((t->bctx.fs->n || t->backend->targets != TARGET_FUNCS) &&
	    t->backend->attach(&t->bctx, res, e))
		return -1;
	if (retsplit_attach(&t->rs, res, e))
		return -1;
	say_attached(t, res);
	t->bctx.attached = res->attached;
	return t->pt ? progtrace_start(t->pt, t->ld.skel->obj, e) : 0;
}

static int attach(struct tracer *t, struct pwru_err *e)
{
	struct attach_result res = {0};
	int reserve[FD_RESERVE], rc;

	fd_reserve(reserve);
	rc = attach_all(t, &res, e);
	fd_release(reserve);
	return rc;
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

static void teardown(struct tracer *t)
{
	outstream_stop_disarm(); /* a kick left from a stop while writing is not the detach's */
	closer_wait(); /* the feature probes' test links first: they may still be closing */
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
	btf_uses_free(&t->uses); /* t->reasons too */
	symbolizer_free(t->syms);
	bpf_helpers_free(&t->helpers);
	free(t->helper_list);
	kallsyms_free(t->ksyms);
	kbtf_free();
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

/*
 * The stdout of a one-shot (--help, --version, --check-filter, --list-funcs) over the write
 * loop the events' stdout has: a failed write keeps its errno (>/dev/full, >&-), and a
 * reader that quits early is the normal end it is for the events.
 */
static FILE *oneshot_open(struct outstream **s, struct pwru_err *e)
{
	*s = outstream_fd(STDOUT_FILENO, "stdout", 0);
	if (!*s)
		err_not_possible(e, errno, "writing stdout: %s", strerror(errno));
	return *s ? outstream_file(*s) : NULL;
}

static int oneshot_close(struct outstream *s, struct pwru_err *e)
{
	int err;

	fflush(outstream_file(s));
	err = outstream_error(s);
	if (outstream_close(s) && !err)
		err = errno ? errno : EIO;
	return tracer_write_failed(err, "stdout", e);
}

static void one_shot(const struct pwru_config *cfg, struct pwru_err *e)
{
	struct pwru_err later;
	struct outstream *s;
	FILE *out = oneshot_open(&s, e);
	int rc = 0;

	if (!out)
		return;
	if (cfg->help)
		flags_usage(out);
	else if (cfg->version)
		fprintf(out, "pwru %s\n", PWRU_VERSION);
	else
		rc = check_filter_main(cfg->check_filter, cfg->pcap_expr, out, e);
	/* the first failure is the one said */
	oneshot_close(s, rc ? &later : e);
}

/* --list-funcs: discovery only; root is not needed where BTF is readable. */
static int list_funcs(struct pwru_config *cfg, struct pwru_err *e)
{
	struct tracer t = {.cfg = cfg};
	struct outstream *s = NULL;
	struct pwru_err later;
	FILE *out;
	int rc;

	/* the trace would refuse the expression: listing for it is no answer either */
	if (filter_check_pcap(cfg, e))
		return -1;
	out = cfg->output_file ? list_funcs_open(cfg, e) : oneshot_open(&s, e);
	if (!out)
		return -1;
	backend_install_libbpf_print();
	backend_quiet(1); /* probing backends without root: the summary line says so */
	rc = tracer_discover(&t, e);
	if (!rc) {
		set_backend_ctx(&t);
		list_funcs_print(&t.bctx, !geteuid(), cfg, out, stderr);
		if (cfg->debug)
			tracer_report_dropped(&t.fs);
	}
	backend_quiet(0);
	teardown(&t);
	/* the first failure is the one said */
	if (s)
		return oneshot_close(s, rc ? &later : e) || rc ? -1 : 0;
	return list_funcs_close(out, cfg, rc ? &later : e) || rc ? -1 : 0;
}

/* --output-skb and --output-skb-shared-info call bpf_snprintf_btf(), Linux 5.10 and later. */
static int check_dumps(const struct pwru_config *cfg, struct pwru_err *e)
{
	if ((cfg->output_skb || cfg->output_skb_shared_info) &&
	    !btf_enum_has(kbtf_get(), "bpf_func_id", "BPF_FUNC_snprintf_btf"))
		return err_not_possible(e, ENOTSUP,
					"--output-skb%s needs the bpf_snprintf_btf helper (Linux "
					"5.10 and later), which this kernel lacks",
					cfg->output_skb ? "" : "-shared-info");
	return 0;
}

/* -1 with E set, 0, or 1: a kept probe's pass failed at its use, start again (once). */
static int run(struct pwru_config *cfg, struct pwru_err *e)
{
	struct tracer t = {.cfg = cfg,
			   .track_opts = {.by_addr = cfg->filter_track_skb,
					  /* as in cilium/pwru: they live on the stack */
					  .by_stack = cfg->filter_track_skb_by_stackid ||
						      cfg->filter_non_skb_funcs ||
						      cfg->filter_track_bpf_helpers,
					  .size = (uint32_t)cfg->filter_track_size,
					  .non_skb_funcs = cfg->filter_non_skb_funcs,
					  .bpfmap = cfg->output_bpfmap}};
	const char *lacks = geteuid() ? NULL : privs_lacking();
	char msg[512];
	int rc;

	/* a bad expression is the user's to fix first, root or not: exit 2, not 1 */
	if ((geteuid() || lacks) && filter_check_pcap(cfg, e))
		return -1;
	if (geteuid())
		return err_not_possible(e, EPERM,
					"must run as root (loading BPF programs and kprobes needs "
					"root with CAP_SYS_ADMIN); try sudo pwru");
	if (lacks)
		return err_not_possible(e, EPERM,
					"runs as root without %s (left out of a container's "
					"default capabilities): BPF programs and kprobes "
					"need CAP_SYS_ADMIN, kernel addresses CAP_SYSLOG; run it "
					"privileged (docker run --privileged; Kubernetes: "
					"securityContext.privileged: true)",
					lacks);
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
	raise_soft_limit(RLIMIT_NOFILE);
	raise_soft_limit(RLIMIT_MEMLOCK);
	phases_start();
	rc = tracer_discover(&t, e);
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
	/* after tracer_discover: the filter's sk_buff offsets come from the same BTF (kbtf.h) */
	if (!rc)
		rc = check_dumps(cfg, e);
	if (!rc)
		rc = filter_setup(cfg, &t.uses.cast, &t.pcap, t.out.so.metadata.kind,
				  t.out.so.xdp_metadata.kind, e);
	rc = stopped(rc, e);
	/* before the backend's choice is said: a refusal here is one line */
	if (!rc)
		rc = trace_programs(&t, e);
	if (!rc)
		rc = pick_backend(&t, e);
	phase_done(PH_BACKEND);
	if (!rc) {
		fprintf(stderr, "pwru: backend %s\n", t.backend->name);
		rc = stopped(load_bpf(&t, e), e);
	}
	phase_done(PH_LOAD);
	if (!rc)
		keep_uses(&t);
	if (!rc) {
		tracer_module_notes(&t);
		if (cfg->debug)
			tracer_report_dropped(&t.fs);
		rc = attach(&t, e);
	}
	phase_done(PH_ATTACH);
	if (rc && !stop && backend_drop_kept(&t.bctx, msg, sizeof(msg))) {
		/* the log that suffix points to was the kept pass's doing: not shown */
		fprintf(stderr, "pwru: %s; %s\n", loader_drop_log_note(e->msg), msg);
		teardown(&t);
		output_setup_free(&t.out);
		return 1;
	}
	backend_release_log(true);
	if (!rc && cfg->debug)
		fprintf(stderr, "pwru: debug: kernel BTF: %s\n",
			kbtf_parsed() ? "parsed" : "not parsed (its uses kept in /run/pwru)");
	if (!rc && cfg->debug)
		fprintf(stderr, "pwru: debug: CO-RE results: %s\n", loader_core_source(&t.ld));
	if (!rc && cfg->debug)
		phases_print(stderr);
	if (!rc)
		rc = tracer_stream(&t, &stop, e);
	teardown(&t);
	output_setup_free(&t.out);
	return rc;
}

int main(int argc, char **argv)
{
	struct outstream *err_out = NULL;
	struct pwru_config cfg;
	struct pwru_err e = {0};
	FILE *real_stderr;
	int rc;

	/* a reader that quits (pwru | head): the write's EPIPE, a normal end, not a kill */
	signal(SIGPIPE, SIG_IGN);
	if (flags_parse(argc, argv, &cfg, &e)) {
		flags_free(&cfg);
		return err_report(&e, stderr);
	}
	if (cfg.help || cfg.version || cfg.check_filter)
		one_shot(&cfg, &e);
	else if (cfg.list_funcs)
		list_funcs(&cfg, &e);
	else {
		err_out = own_stderr(&real_stderr);
		while (run(&cfg, &e) > 0)
			e = (struct pwru_err){0};
	}
	flags_free(&cfg);
	rc = err_report(&e, stderr);
	if (err_out) {
		stderr = real_stderr;
		outstream_close(err_out);
	}
	return rc;
}
