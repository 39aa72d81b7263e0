// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <time.h>
#include "kallsyms/kallsyms.h"
#include "src/arch.h"
#include "kallsyms/symbolizer.h"
#include "src/output/drop_reason.h"
#include "src/output/enrich.h"
#include "src/output/netns_names.h"
#include "src/output/nft_names.h"
#include "src/output/proc_cache.h"
#include "src/output/prog_names.h"
#include "src/output/skb_life.h"
#include "src/output/skb_times.h"
#include "src/output/verdict.h"
#include "src/tp_name.h"

static const char *func_at(const struct kallsyms *ks, uint64_t addr)
{
	const struct ksym *s = ks ? kallsyms_lookup_addr(ks, addr) : NULL;
	uint64_t off = 0;

	if (s)
		return s->name;
	s = ks ? kallsyms_nearest(ks, addr, &off) : NULL;
	return s && off <= ARCH_ENTRY_SLACK ? s->name : NULL;
}

static bool is_prog_event(const struct pwru_event *ev)
{
	return ev->type == PWRU_EV_PROG_ENTRY || ev->type == PWRU_EV_PROG_EXIT;
}

static const char *verdict_name(enum prog_kind kind, int32_t ret)
{
	if (kind == PROG_XDP)
		return verdict_xdp_name((uint32_t)ret);
	return kind == PROG_TCX ? verdict_tcx_name(ret) : verdict_tc_name(ret);
}

/*
 * A program's exit: its result by name, where a redirect goes, and Cilium's drop metadata
 * when a tc program dropped (CTX_ACT_DROP) after storing it in cb the way Cilium does.
 */
static void prog_exit_note(struct pwru_record *r, enum prog_kind kind)
{
	struct func_note *nt = &r->note;

	if (r->ev->type != PWRU_EV_PROG_EXIT || !r->has_retval)
		return;
	nt->exit = true;
	nt->ret = (int32_t)r->retval;
	nt->verdict = verdict_name(kind, nt->ret);
	if (r->redirect) {
		nt->has_redirect = true;
		nt->redirect = *r->redirect;
	}
	if (kind != PROG_XDP && nt->ret == 2 && r->cb)
		nt->has_drop = cilium_drop_from_cb(r->cb, &nt->drop);
}

/* nf_hook_slow's result, with the hook and family its entry read (PWRU_NF_WORD in arg2). */
static void nf_note(struct pwru_record *r)
{
	struct func_note *nt = &r->note;

	nt->has_nf = true;
	nt->ret = (int32_t)r->retval;
	nt->nf_pf = PWRU_NF_PF(r->ev->arg2);
	nt->nf_hook = PWRU_NF_HOOK(r->ev->arg2);
}

/* What a function's arguments or result say, beyond its name. */
enum func_kind {
	FK_PLAIN,
	FK_REASON_ARG2, /* kfree_skb_reason (5.17..6.10) */
	FK_REASON_ARG3, /* sk_skb_reason_drop (6.11+) */
	FK_TP_REASON,	/* the kfree_skb tracepoint: a reason from 5.17, none before */
	FK_NF_HOOK,	/* nf_hook_slow: its result is netfilter's verdict */
};

static uint8_t func_kind(const char *name)
{
	const char *tp = tp_name_of(name);

	if (!name)
		return FK_PLAIN;
	if (tp) /* not the function of the same name: the tracepoint's arguments */
		return strcmp(tp, "kfree_skb") ? FK_PLAIN : FK_TP_REASON;
	if (!strcmp(name, "kfree_skb_reason"))
		return FK_REASON_ARG2;
	if (!strcmp(name, "sk_skb_reason_drop"))
		return FK_REASON_ARG3;
	return strcmp(name, "nf_hook_slow") ? FK_PLAIN : FK_NF_HOOK;
}

/* A kernel function's or tracepoint's name and kind, from the cache or looked up once. */
static const struct enrich_func *func_of(struct enrich *e, const struct pwru_event *ev)
{
	struct enrich_func *f = &e->funcs[(ev->addr >> 4 ^ ev->addr) % ENRICH_FUNC_SLOTS];

	if (f->used && f->addr == ev->addr && f->type == ev->type)
		return f;
	f->addr = ev->addr;
	f->type = ev->type;
	if (ev->type == PWRU_EV_TRACEPOINT)
		f->name = ev->addr < e->n_tp_names ? e->tp_names[ev->addr] : NULL;
	else
		f->name = func_at(e->ksyms, ev->addr);
	f->kind = func_kind(f->name);
	f->point = skb_point_of(f->name);
	f->used = true;
	return f;
}

/*
 * The drop reason's value is an enum: the register's upper half is not defined. Before
 * 5.17 the kfree_skb tracepoint has no reason: a value without a name there is left out.
 */
static void drop_reason(const struct enrich *e, struct pwru_record *r, uint8_t kind)
{
	r->reason_value = (uint32_t)(kind == FK_REASON_ARG2 ? r->ev->arg2 : r->ev->arg3);
	r->reason = drop_reason_name(e->reasons, r->reason_value);
	/*
	 * SKB_CONSUMED (6.2+) is the kernel's own "not a drop": consume_skb's path through
	 * kfree_skb_reason or sk_skb_reason_drop. Its name is still shown, as any reason's.
	 */
	r->is_drop = (kind != FK_TP_REASON || r->reason) &&
		     !drop_reason_consumed(e->reasons, r->reason_value);
}

/* The function's name, its drop reason, netfilter's verdict, a program's result. */
static void func_name(struct enrich *e, struct pwru_record *r)
{
	const struct pwru_event *ev = r->ev;
	enum prog_kind kind = PROG_TC;
	const struct enrich_func *f;

	if (is_prog_event(ev)) {
		r->func = prog_names_get(e->progs, (uint32_t)ev->addr, &kind);
		if (r->func)
			prog_exit_note(r, kind);
		return;
	}
	f = func_of(e, ev);
	r->func = f->name;
	r->skb_point = f->point;
	/* skb_unref(): only a reference dropped, the packet lives on (bpf/event_fill.bpf.h) */
	if (r->skb_point == SKB_POINT_FREE && ev->users > 1)
		r->skb_point = SKB_POINT_NONE;
	if (f->kind == FK_NF_HOOK) {
		/* held to its exit: the entry read the hook and family (fentry, kprobe) */
		if (r->has_retval)
			nf_note(r);
	} else if (f->kind != FK_PLAIN) {
		drop_reason(e, r, f->kind);
	}
}

static int in_bpf(const struct sym_frame *f)
{
	return f->pos.sym && f->pos.sym->module && !strcmp(f->pos.sym->module, "bpf");
}

/*
 * A frame-pointer unwinder started at a function's entry (arm64) misses the caller: its
 * frame record is not pushed yet. The caller's return address, read at entry, fills it in.
 * Not a program's: what ran it is its stack's first frame already, when it has one.
 */
static void add_caller(struct pwru_record *r)
{
	if (is_prog_event(r->ev) || !r->caller_frame || r->nframes < 1 ||
	    r->nframes == PWRU_STACK_MAX || (r->nframes > 1 && r->frames[1]->addr == r->caller))
		return;
	memmove(&r->frames[2], &r->frames[1], (r->nframes - 1) * sizeof(r->frames[0]));
	r->frames[1] = r->caller_frame;
	r->nframes++;
}

/*
 * fentry (a trampoline) and fexit have no return-address slot to read at entry: the caller
 * is the frame under the hooked function's, when the stack starts there. A tracepoint's is
 * the function that fired it, where its stack starts (TP_SITE).
 */
static void caller_from_stack(struct pwru_record *r, bool tp_site)
{
	const struct ksym *s;

	/*
	 * A program's: stack_start() left out its own [bpf] frames, what ran it is first. Where
	 * the stack ends in BPF code (XDP on x86 before 7.x), the caller its trampoline's frame
	 * gave stays (bpf/entry_prog.h).
	 */
	if (is_prog_event(r->ev)) {
		if (r->nframes)
			r->caller_frame = r->frames[0];
		return;
	}
	if (r->caller_frame || !r->nframes)
		return;
	if (r->ev->type == PWRU_EV_TRACEPOINT) {
		if (tp_site)
			r->caller_frame = r->frames[0];
		return;
	}
	s = r->frames[0]->pos.sym;
	if (s && s->addr == r->ev->addr) {
		if (r->nframes > 1)
			r->caller_frame = r->frames[1];
		return;
	}
	/*
	 * A trampoline that calls the function itself (fexit attached too) may leave the
	 * function's frame out (seen on 7.2): the stack then starts in the caller.
	 */
	if (s && r->has_retval && r->ev->type == PWRU_EV_FENTRY)
		r->caller_frame = r->frames[0];
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* The code that runs a tracepoint's BPF programs, between them and the function that fired. */
static bool is_tp_machinery(const struct sym_frame *f)
{
	static const char *const pfx[] = {"bpf_trace_run", "__bpf_trace_", "__traceiter_",
					  "trace_",	   "perf_trace_",  "__probestub_"};
	size_t i;

	for (i = 0; f->pos.sym && !f->pos.sym->module && i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (has_prefix(f->pos.sym->name, pfx[i]))
			return true;
	return false;
}

/*
 * A tracepoint's stack starts under the last of its machinery's frames near the top: at the
 * function that fired it. Above sit pwru's program, resolved on 5.10 to the last symbol of a
 * module (loaded after kallsyms was read). Returns the index, or 0 when there is none.
 */
static size_t tp_site(const struct enrich *e, const struct pwru_record *r)
{
	size_t i, site = 0;

	for (i = 0; i < r->nstack && i < 6; i++)
		if (is_tp_machinery(symbolizer_lookup(e->syms, r->stack[i], i > 0)))
			site = i + 1;
	return site < r->nstack ? site : 0;
}

/*
 * Where the stack reaches the hooked function: above it sit pwru's program and, with fentry,
 * its trampoline, loaded after kallsyms was read (no symbol, or the nearest module's last
 * one). Without that function near the top, [bpf] frames and frames with no symbol are what
 * is left out.
 */
static size_t stack_start(const struct enrich *e, const struct pwru_record *r)
{
	const struct sym_frame *f;
	size_t i;

	for (i = 0; r->ev->type != PWRU_EV_TRACEPOINT && i < r->nstack && i < 4; i++) {
		f = symbolizer_lookup(e->syms, r->stack[i], i > 0);
		if (f->pos.sym && f->pos.sym->addr == r->ev->addr)
			return i;
	}
	for (i = 0; i < r->nstack; i++) {
		f = symbolizer_lookup(e->syms, r->stack[i], i > 0);
		if (!in_bpf(f) && f->pos.sym)
			break;
	}
	return i;
}

/*
 * A function with an fexit on it (pwru's on nf_hook_slow, nft_do_chain and the free functions
 * it follows skbs through; or another tool's) runs from a BPF trampoline: under its body's
 * frame the stack has the trampoline and the function again, at its entry. Neither is in the
 * kernel's own path, and the trampoline's name (its BTF id) differs between kernels: a stack
 * diffed across them would differ there. A trampoline made after pwru read kallsyms has no
 * name of its own (it takes the nearest symbol before it: on 5.10 often a dynamic
 * `ftrace_trampoline`), so it is known by what sits under it too: the body's function at its
 * very entry, where only the call into the trampoline returns. F is frame I: returns how many
 * frames from I to leave out, the trampoline and under it the entry frame where the kernel
 * leaves one (before 7.2). NEXT is frame I + 1 when it was looked up and stays, else NULL.
 */
#define ENTRY_RET_MAX 16 /* the entry's return address: after x86's 5-byte call, arm64's bl */

static size_t skip_trampoline(const struct enrich *e, const struct pwru_record *r,
			      const struct sym_frame *f, size_t i, const struct sym_frame **next)
{
	const struct sym_frame *above;
	bool named = in_bpf(f) && has_prefix(f->pos.sym->name, "bpf_trampoline_");

	*next = NULL;
	if (!r->nframes)
		return 0;
	if (i + 1 >= r->nstack)
		return named;
	/* arm64 at a function's entry: the body's frame is the caller add_caller() puts in */
	above = r->nframes == 1 && r->caller_frame ? r->caller_frame : r->frames[r->nframes - 1];
	/* 7.2's trampolines return to the caller: no entry frame under them */
	*next = symbolizer_lookup(e->syms, r->stack[i + 1], 1);
	if (!(*next)->pos.sym || (*next)->pos.sym != above->pos.sym ||
	    (!named && (*next)->addr - (*next)->pos.sym->addr > ENTRY_RET_MAX))
		return named;
	*next = NULL;
	return 2;
}

/* Every address once through the symbolizer's cache; all of a record's frames stay valid. */
static void symbolize(const struct enrich *e, struct pwru_record *r)
{
	const struct sym_frame *f, *next = NULL;
	size_t i, site = 0, skip;

	symbolizer_trim(e->syms);
	if (r->ev->type != PWRU_EV_TRACEPOINT && symbolizer_has_lines(e->syms))
		r->func_frame = symbolizer_lookup(e->syms, r->ev->addr, 0);
	if (r->has_caller)
		r->caller_frame = symbolizer_lookup(e->syms, r->caller, 1);
	if (r->ev->type == PWRU_EV_TRACEPOINT)
		site = tp_site(e, r);
	for (i = site ? site : stack_start(e, r); i < r->nstack && r->nframes < PWRU_STACK_MAX;
	     i++) {
		/* the frame a trampoline's check looked up already, when it stays */
		f = next ? next : symbolizer_lookup(e->syms, r->stack[i], i > 0);
		skip = skip_trampoline(e, r, f, i, &next);
		if (skip) {
			i += skip - 1;
			continue;
		}
		r->frames[r->nframes++] = f;
	}
	add_caller(r);
	caller_from_stack(r, site > 0);
}

void enrich_record(struct enrich *e, struct pwru_record *r)
{
	func_name(e, r);
	if (r->nft && r->has_retval && e->nft) {
		r->note.nft_chain = nft_names_get(e->nft, r->nft);
		r->note.ret = (int32_t)r->retval;
	}
	/* Cilium's drop notification, seen where its program hands it to the kernel */
	if (r->notify)
		r->note.has_drop = cilium_drop_from_notify(r->notify, r->notify_len, &r->note.drop);
	r->exe = e->procs ? proc_cache_exe(e->procs, r->ev->pid, r->ev->comm) : NULL;
	r->netns_name = e->netns ? netns_name(e->netns, r->ev->netns) : "";
	r->wall_ns = (uint64_t)((int64_t)r->ev->ts + e->wall_offset);
	if (e->times)
		r->since_prev = skb_times_since(e->times, r->ev->skb, r->ev->ts, r->skb_point);
	if (e->syms)
		symbolize(e, r);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t enrich_wall_offset(void)
{
	/* bpf_ktime_get_ns() is CLOCK_MONOTONIC */
	int64_t mono = clock_ns(CLOCK_MONOTONIC), real = clock_ns(CLOCK_REALTIME);

	return real - mono;
}
