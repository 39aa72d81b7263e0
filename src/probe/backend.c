// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <bpf/libbpf.h>
#include "src/output/fmt.h"
#include "src/probe/backend.h"
#include "src/probe/memlock.h"
#include "src/probe/verdicts.h"
#include "src/discover/funcset.h"

/*
 * In order of preference: the automatic choice takes the first the kernel can run.
 * kprobes before fentry: fentry is 2-28% cheaper per hit, but per function (before 7.2) it is
 * ready 1.6-21x later and detaches in minutes; 7.2's multi link: 1.5x later, 6x slower to
 * detach, 6% cheaper (docs/performance.md).
 */
static const struct backend *const table[] = {
    &backend_kprobe_multi,
    &backend_kprobe,
    &backend_fentry,
    &backend_tracepoint,
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

const struct backend *backend_at(size_t i)
{
	return i < NTABLE ? table[i] : NULL;
}

const struct backend *backend_find(const char *name)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

const char *backend_names(const char *sep, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NTABLE && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? sep : "", table[i]->name);
	return buf;
}

size_t backend_sections(const struct hook_section **out, size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; i < NTABLE; i++)
		for (k = 0; k < table[i]->nsections && n < max; k++)
			out[n++] = &table[i]->sections[k];
	return n;
}

const struct funcset *backend_set(const struct backend *b, const struct backend_ctx *ctx)
{
	return b->targets == TARGET_TRACEPOINTS ? ctx->tps : ctx->fs;
}

/* The backends a kept pass answered for in this process; the kept passes no longer asked. */
static const struct backend *kept[NTABLE + 1];
static size_t nkept;
static bool kept_off;

/*
 * libbpf's warnings while a kept pass is trusted: a failure the pass explains is made
 * again after a real probe, and its first log would only mislead (a verifier's refusal, a
 * "raise ulimit -l" hint) above the start that then works.
 */
static FILE *held;
static char *held_text;
static size_t held_len;

void backend_release_log(bool show)
{
	if (!held)
		return;
	fclose(held);
	if (show && held_len)
		fputs(held_text, stderr);
	free(held_text);
	held = NULL;
	held_text = NULL;
	held_len = 0;
}

static void note_kept(const struct backend *b)
{
	size_t i;

	if (!held)
		held = open_memstream(&held_text, &held_len);
	for (i = 0; i < nkept; i++)
		if (kept[i] == b)
			return;
	if (nkept < sizeof(kept) / sizeof(kept[0]))
		kept[nkept++] = b;
}

/*
 * PWRU_TEST_NO_FEXIT=1, for tests only (docs/testing.md): the fentry backend answers as on
 * a kernel that refuses trampolines. Every x86 kernel of the test matrix runs them, so
 * without it what such a kernel gets (nf_hook_slow's kprobe/kretprobe pair) never runs.
 */
static bool test_refused(const struct backend *b, char *why, size_t len)
{
	const char *v = getenv("PWRU_TEST_NO_FEXIT");

	if (b != &backend_fentry || !v || strcmp(v, "1"))
		return false;
	snprintf(why, len, "taken as refused for a test (PWRU_TEST_NO_FEXIT=1)");
	return true;
}

/*
 * PWRU_TEST_NO_EXT=1, for tests only (docs/testing.md): kprobe-multi's probe asks the
 * kernel for an extension that names no function (src/probe/ext_probe.h), which it
 * refuses; a pass kept from earlier in the boot must not answer instead.
 */
static bool test_probed(const struct backend *b)
{
	const char *v = getenv("PWRU_TEST_NO_EXT");

	return b == &backend_kprobe_multi && v && !strcmp(v, "1");
}

int backend_probe(const struct backend *b, const struct backend_ctx *ctx, char *why, size_t len)
{
	int rc;

	if (test_refused(b, why, len))
		return -1;
	if (b->probe_kept && !kept_off && !test_probed(b) && verdicts_passed("", b->name)) {
		note_kept(b);
		if (ctx->debug)
			fprintf(stderr,
				"pwru: debug: backend %s usable: kept from this boot's "
				"earlier probe (/run/pwru)\n",
				b->name);
		return 0;
	}
	rc = b->probe(ctx, why, len);
	if (!rc && b->probe_kept)
		verdicts_keep("", b->name);
	if (!rc && ctx->debug)
		fprintf(stderr, "pwru: debug: backend %s usable: probed\n", b->name);
	return rc;
}

/*
 * Only a few records are held per CPU at once (a hook nested in another, a task preempted
 * inside one), so each CPU gets an LRU list of its own (an eviction on one CPU never takes
 * a record another CPU holds; a common list hands out free records to each CPU in batches
 * of 128) of about 16, within 64..1024 in all. Every record (12 KB) is preallocated: 1,024
 * of them were 0.028 s of a 6.12 start under icount.
 */
int backend_size_pending(struct bpf_map *pending)
{
	int ncpus = libbpf_num_possible_cpus();
	__u32 n = ncpus > 0 ? 16 * (__u32)ncpus : 1024;
	int rc;

	if (n < 64)
		n = 64;
	if (n > 1024)
		n = 1024;
	if (bpf_map__max_entries(pending) >= n)
		return 0;
	rc = bpf_map__set_map_flags(pending, bpf_map__map_flags(pending) | BPF_F_NO_COMMON_LRU);
	return rc ? rc : bpf_map__set_max_entries(pending, n);
}

bool backend_drop_kept(const struct backend_ctx *ctx, char *msg, size_t len)
{
	char why[256];
	size_t i;

	for (i = 0; i < nkept; i++) {
		if (!kept[i]->probe(ctx, why, sizeof(why)))
			continue;
		snprintf(msg, len,
			 "%s's probe, kept as passed earlier in this boot, now fails (%s): removed "
			 "/run/pwru/probes, starting again",
			 kept[i]->name, why);
		verdicts_drop("");
		nkept = 0;
		kept_off = true;
		backend_release_log(false);
		return true;
	}
	nkept = 0; /* the passes hold: the failure is not theirs */
	return false;
}

/* Whether B has something to hook in what --filter-func selected. */
static int selected(const struct backend *b, const struct backend_ctx *ctx, char *why, size_t len)
{
	/* the backend's programs still carry the events of the tc and XDP programs traced */
	if (!backend_set(b, ctx)->n && !ctx->programs_only) {
		snprintf(why, len, "no %s taking an skb matches",
			 b->targets == TARGET_TRACEPOINTS ? "tracepoint" : "kernel function");
		return -1;
	}
	return 0;
}

/* The selection first: a backend with nothing to hook is not worth a probe of the kernel. */
static int usable(const struct backend *b, const struct backend_ctx *ctx, char *why, size_t len)
{
	return selected(b, ctx, why, len) || backend_probe(b, ctx, why, len) ? -1 : 0;
}

static int choose_forced(const char *name, const struct backend_ctx *ctx,
			 const struct backend **out, char *msg, size_t len)
{
	const struct backend *b = backend_find(name);
	char why[256];

	if (!b) { /* flags.c refuses unknown names; a caller bypassing it gets a line too */
		snprintf(msg, len, "--backend %s is not a backend", name);
		return -1;
	}
	/*
	 * The kernel's refusal alone when it refuses: another --filter-func would not help, and
	 * the selection is said once the kernel runs the backend.
	 */
	if (backend_probe(b, ctx, why, sizeof(why)) || selected(b, ctx, why, sizeof(why))) {
		snprintf(msg, len, "--backend %s is not usable on this kernel: %s", name, why);
		return -1;
	}
	*out = b;
	msg[0] = '\0';
	return 0;
}

/*
 * Nothing usable, but some backend the kernel runs found nothing that matches (a locked-down
 * kernel runs tracepoints, and --filter-func named only functions): say that, with why the
 * others cannot run, rather than "tracing is not possible". 1 with MSG written, else 0.
 */
static int only_unmatched(const struct backend_ctx *ctx, char *msg, size_t len)
{
	char why[256], runs[128] = "", cannot[NTABLE * 300] = "";
	size_t i, roff = 0, coff = 0;
	static const char *const nouns[] = {"", "kernel function", "tracepoint",
					    "function or tracepoint"};
	int kinds = 0; /* bit 0: a function backend runs; bit 1: the tracepoint one */

	for (i = 0; i < NTABLE; i++) {
		if (backend_probe(table[i], ctx, why, sizeof(why))) {
			coff += (size_t)snprintf(cannot + coff, sizeof(cannot) - coff, "%s%s: %s",
						 coff ? "; " : "", table[i]->name, why);
			coff = coff < sizeof(cannot) ? coff : sizeof(cannot) - 1;
			continue;
		}
		kinds |= table[i]->targets == TARGET_TRACEPOINTS ? 2 : 1;
		roff += (size_t)snprintf(runs + roff, sizeof(runs) - roff, "%s%s", roff ? ", " : "",
					 table[i]->name);
		roff = roff < sizeof(runs) ? roff : sizeof(runs) - 1;
	}
	if (!kinds || !coff)
		return 0;
	snprintf(msg, len,
		 "nothing selected can be traced: this kernel runs only the %s backend%s (%s), "
		 "and no %s taking an skb matches; pwru --list-funcs shows what can be traced",
		 runs, strchr(runs, ',') ? "s" : "", cannot, nouns[kinds]);
	return 1;
}

int backend_choose(const char *name, const struct backend_ctx *ctx, const struct backend **out,
		   char *msg, size_t len)
{
	char why[256], all[NTABLE * 300] = "", reasons[NTABLE * 300] = "", names[128];
	size_t i, off = 0, roff = 0, skip = 0;

	*out = NULL;
	msg[0] = '\0';
	if (name)
		return choose_forced(name, ctx, out, msg, len);
	for (i = 0; i < NTABLE; i++) {
		if (!usable(table[i], ctx, why, sizeof(why))) {
			*out = table[i];
			break;
		}
		off += (size_t)snprintf(all + off, sizeof(all) - off, "%s%s unavailable (%s)",
					i ? "; " : "", table[i]->name, why);
		skip = off < sizeof(all) ? off : sizeof(all) - 1;
		roff += (size_t)snprintf(reasons + roff, sizeof(reasons) - roff, "%s%s: %s",
					 i ? "; " : "", table[i]->name, why);
		roff = roff < sizeof(reasons) ? roff : sizeof(reasons) - 1;
	}
	if (!*out) {
		if (!only_unmatched(ctx, msg, len))
			snprintf(
			    msg, len,
			    "this kernel can run none of %s (%s); tracing is not possible here",
			    backend_names(", ", names, sizeof(names)), reasons);
		return -1;
	}
	if (i)
		snprintf(msg, len, "%.*s; falling back to %s", (int)skip, all, (*out)->name);
	return 0;
}

struct bpf_program *backend_program(const struct backend *b, struct bpf_object *obj, int pos)
{
	return backend_program_named(b->prog_prefix, obj, pos);
}

struct bpf_program *backend_program_named(const char *prefix, struct bpf_object *obj, int pos)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%d", prefix, pos);
	return bpf_object__find_program_by_name(obj, name);
}

void backend_autoload(const char *prefix, int max_pos, const struct backend_ctx *ctx,
		      const struct funcset *set,
		      int (*use)(const struct backend_ctx *ctx, const struct func_entry *f))
{
	struct bpf_program *p;
	int used[FUNCSET_MAX_POS + 1] = {0}, pos;
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!use || use(ctx, &set->funcs[i]))
			used[set->funcs[i].pos] = 1;
	for (pos = 1; pos <= max_pos; pos++) {
		p = backend_program_named(prefix, ctx->obj, pos);
		if (p && used[pos])
			bpf_program__set_autoload(p, true);
	}
}

void backend_select_programs(const char *prefix, int max_pos, const struct backend_ctx *ctx,
			     const struct funcset *set,
			     int (*use)(const struct backend_ctx *ctx, const struct func_entry *f))
{
	struct bpf_program *p;

	/* Fewer programs: faster load, and the verifier never sees the unused family. */
	bpf_object__for_each_program(p, ctx->obj) bpf_program__set_autoload(p, false);
	backend_autoload(prefix, max_pos, ctx, set, use);
}

int backend_prepare(const struct backend *b, struct backend_ctx *ctx)
{
	if (b->prepare)
		return b->prepare(b, ctx);
	backend_select_programs(b->prog_prefix, b->max_pos, ctx, backend_set(b, ctx), NULL);
	return 0;
}

void backend_report_skips(const struct backend *b, const struct backend_ctx *ctx,
			  const uint8_t *hooked, const int *errs)
{
	const struct funcset *set = backend_set(b, ctx);
	const char *why, *pre;
	size_t i;

	for (i = 0; ctx->debug && i < set->n; i++) {
		const struct func_entry *f = &set->funcs[i];

		if (hooked[i])
			continue;
		why = b->cannot_take ? b->cannot_take(ctx, f) : NULL;
		pre = "";
		if (!why && errs && errs[i]) {
			why = err_str(-errs[i]);
			pre = "the kernel refused it: ";
		}
		fprintf(stderr, "pwru: debug: %s: skipped %s%s%s%s: %s%s\n", b->name, f->name,
			f->module ? " [" : "", f->module ? f->module : "", f->module ? "]" : "",
			pre, why ? why : "not attempted (interrupted)");
	}
}

const char *backend_out_of_reach(const struct backend *b, const struct func_entry *f)
{
	return f->pos > b->max_pos ? "the skb is past the argument registers kprobes read (fentry "
				     "reaches it)"
				   : NULL;
}

/*
 * Functions left out for want of a descriptor, or of locked memory before 5.11: said
 * without --debug, since the trace then silently misses part of the path, and the fix (a
 * higher limit, fewer functions) is the user's. The kprobe and fentry backends take one or
 * two descriptors per function, fentry a program.
 */
static void report_limits(const uint8_t *hooked, const int *errs, size_t n)
{
	size_t i, emfile = 0, enfile = 0, eperm = 0;
	struct rlimit r;

	for (i = 0; errs && i < n; i++) {
		emfile += !hooked[i] && errs[i] == -EMFILE;
		enfile += !hooked[i] && errs[i] == -ENFILE;
		eperm += !hooked[i] && errs[i] == -EPERM;
	}
	/* fentry's programs, one a function, charged to it before 5.11 (memlock.h) */
	if (eperm && memlock_refused(-EPERM) && !getrlimit(RLIMIT_MEMLOCK, &r))
		fprintf(stderr,
			"pwru: %zu function%s not attached: the locked-memory limit (ulimit -l, "
			"%llu KiB) is used up, this kernel (before 5.11) charges BPF programs to "
			"it: run pwru with ulimit -l unlimited, or narrow --filter-func\n",
			eperm, plural(eperm), (unsigned long long)r.rlim_cur >> 10);
	if (enfile)
		fprintf(stderr,
			"pwru: %zu function%s not attached: the system's file table is full "
			"(fs.file-max); narrow --filter-func or raise it\n",
			enfile + emfile, plural(enfile + emfile));
	else if (emfile && !getrlimit(RLIMIT_NOFILE, &r))
		fprintf(stderr,
			"pwru: %zu function%s not attached: out of file descriptors (RLIMIT_NOFILE "
			"%llu); raise it (ulimit -n) or narrow --filter-func\n",
			emfile, plural(emfile), (unsigned long long)r.rlim_cur);
}

int backend_tally(const struct backend *b, const struct backend_ctx *ctx, const uint8_t *hooked,
		  const int *errs, struct attach_result *res)
{
	const struct funcset *set = backend_set(b, ctx);
	int first_err = 0;
	size_t i;

	res->attached = res->skipped = 0;
	for (i = 0; i < set->n; i++) {
		res->attached += hooked[i] != 0;
		if (!hooked[i] && errs && errs[i] && !first_err)
			first_err = errs[i];
	}
	res->skipped = set->n - res->attached;
	backend_report_skips(b, ctx, hooked, errs);
	if (res->attached) /* else the error says it */
		report_limits(hooked, errs, set->n);
	if (*ctx->stop)
		return -EINTR;
	return res->attached ? 0 : first_err ? first_err : -ENOENT;
}

FILE *backend_bench_dump(void)
{
	static FILE *f;
	static int tried;
	const char *path;

	if (!tried) {
		tried = 1;
		path = getenv("PWRU_BENCH_TARGETS");
		if (path && *path)
			f = fopen(path, "we");
	}
	return f;
}

static int quiet;

void backend_quiet(int on)
{
	quiet = on;
}

/* libbpf's warnings stay visible (a failed load explains itself); its chatter does not. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (quiet || level != LIBBPF_WARN)
		return 0;
	return vfprintf(held ? held : stderr, fmt, ap);
}

void backend_install_libbpf_print(void)
{
	libbpf_set_print(libbpf_print);
}

static const char *none_attached_why(int rc)
{
	if (rc == -EPERM && memlock_refused(rc))
		return "the locked-memory limit (ulimit -l) is used up, this kernel (before 5.11) "
		       "charges BPF programs to it: run pwru with ulimit -l unlimited";
	return rc == -EMFILE ? "out of file descriptors (raise ulimit -n, or narrow --filter-func)"
			     : err_str(-rc);
}

int backend_attach_end(const struct backend *b, struct backend_ctx *ctx, int rc,
		       const struct attach_result *res, const char *none_why, struct pwru_err *e)
{
	if (!rc)
		return 0;
	if (rc == -EINTR)
		err_stopped(e, "interrupted while attaching; everything detached");
	else if (!res->attached)
		err_not_possible(e, -rc, "none of the %zu matching %s could be traced with %s: %s",
				 backend_set(b, ctx)->n,
				 b->targets == TARGET_TRACEPOINTS ? "tracepoints" : "functions",
				 b->name, none_why ? none_why : none_attached_why(rc));
	else
		err_from_errno(e, rc, "%s attach failed", b->name);
	b->detach(ctx);
	return -1;
}
