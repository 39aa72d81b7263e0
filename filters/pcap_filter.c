// SPDX-License-Identifier: GPL-2.0
/*
 * The filter's life cycle: compile an expression twice (L2 and L3), translate both, then
 * splice them into every program that carries the stubs of bpf/filter.bpf.h while libbpf
 * loads it. Stubs are found by the BTF names of the program's subprograms.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "filters/cbpf_xlate.h"
#include "filters/filter_marks.h"
#include "filters/pcap_compile.h"
#include "filters/pcap_filter.h"
#include "filters/pcap_hint.h"
#include "filters/skb_btf.h"
#include "filters/splice.h"

#define STUB_L2	       "filter_pcap_l2"
#define STUB_L3	       "filter_pcap_l3"
#define STUB_TUNNEL_L2 "filter_tunnel_l2"
#define STUB_TUNNEL_L3 "filter_tunnel_l3"

/*
 * Every gate of the BPF side, indexed by enum filter_gate: each one is removed from every
 * program, its calls replaced by whether its stubs got a body, so a gate can never stay
 * in place and let everything through (or nothing).
 */
static const char *const gate_names[FILTER_NGATES] = {
    [FILTER_GATE_PCAP] = "filter_pcap_gate",
    [FILTER_GATE_TUNNEL] = "filter_tunnel_gate",
    [FILTER_GATE_SKB_EXPR] = "filter_skb_expr_gate",
    [FILTER_GATE_METADATA] = "skb_metadata_gate",
    [FILTER_GATE_XDP_EXPR] = "filter_xdp_expr_gate",
    [FILTER_GATE_XDP_METADATA] = "xdp_metadata_gate",
};

#define MAX_EXTRA 6 /* tunnel l2, l3; the skb and xdp expressions and metadata */

struct pcap_filter {
	bool empty;
	struct ebpf_code l2, l3;
	bool gate_on[FILTER_NGATES]; /* but FILTER_GATE_PCAP: !empty */
	struct {
		char name[64];
		struct ebpf_code code;
	} extra[MAX_EXTRA];
	size_t nextra;
	char l3_note[256];
	char last_err[256];
	/* func_info and line_info handed to libbpf: they must outlive the load */
	struct prog_image *kept;
	size_t nkept;
};

static bool is_blank(const char *s)
{
	while (s && isspace((unsigned char)*s))
		s++;
	return !s || !*s;
}

/*
 * `ether[...]`, `link[...]` and friends compile under DLT_RAW too, but then index the IP
 * header: such expressions get no L3 filter.
 */
static bool indexes_link_layer(const char *expr)
{
	static const char *const names[] = {"ether", "link", "ppp", "slip", "fddi", "tr", "wlan"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);

		for (const char *p = strstr(expr, names[i]); p; p = strstr(p + 1, names[i])) {
			const char *q = p + n;

			if (p > expr && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
				continue;
			while (isspace((unsigned char)*q))
				q++;
			if (*q == '[')
				return true;
		}
	}
	return false;
}

/*
 * The kernel's BTF as the translator needs it: the sk_buff layout, resolved when a program
 * first needs it, and the in-place loads' cast when asked for; at most one BTF parse.
 */
struct layout_src {
	const struct btf *btf; /* the caller's, or OWN; NULL: not parsed yet */
	struct btf *own;       /* parsed from /sys/kernel/btf/vmlinux */
	struct btf *(*get)(void);
	struct skb_layout lay;
	int ret;	       /* 1 until resolved, then 0 or a negative errno */
	struct cbpf_cast cast; /* kfunc 0: packet loads read the copy */
	char err[256];
};

static const struct btf *src_btf(struct layout_src *ls)
{
	if (!ls->btf && ls->get) {
		ls->btf = ls->get();
		if (!ls->btf)
			snprintf(ls->err, sizeof(ls->err), "cannot read the kernel's BTF: %s",
				 strerror(errno));
	} else if (!ls->btf) {
		ls->own = btf__load_vmlinux_btf();
		ls->btf = ls->own;
		if (!ls->btf)
			snprintf(ls->err, sizeof(ls->err),
				 "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
				 strerror(errno));
	}
	return ls->btf;
}

static void layout_src_init(struct layout_src *ls, const struct pcap_filter_opts *opts)
{
	*ls = (struct layout_src){
	    .btf = opts ? opts->btf : NULL, .get = opts ? opts->btf_get : NULL, .ret = 1};
	/* without the kfunc (5.10, 6.1) the loads read the copy */
	if (opts && opts->direct_loads && !opts->per_load_reads && opts->cast)
		ls->cast = *opts->cast;
	else if (opts && opts->direct_loads && !opts->per_load_reads && src_btf(ls))
		cbpf_cast_from_btf(ls->btf, &ls->cast);
}

static void layout_src_done(struct layout_src *ls)
{
	btf__free(ls->own);
}

static void resolve_layout(struct layout_src *ls)
{
	ls->ret = src_btf(ls) ? skb_layout_from_btf(ls->btf, &ls->lay, ls->err, sizeof(ls->err))
			      : -ENOENT;
}

static int translate(const struct cbpf_insn *prog, size_t n, bool per_load, struct layout_src *ls,
		     struct ebpf_code *out, char *err, size_t errlen)
{
	struct sock_filter *sf = calloc(n ? n : 1, sizeof(*sf));
	enum cbpf_xlate_mode mode = per_load		 ? CBPF_XLATE_PER_LOAD
				    : ls->cast.kfunc > 0 ? CBPF_XLATE_DIRECT
							 : CBPF_XLATE_BLOCK;
	const struct skb_layout *lp = NULL;
	int ret = 0;

	if (!sf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		sf[i] = (struct sock_filter){prog[i].code, prog[i].jt, prog[i].jf, prog[i].k};
	if (cbpf_needs_skb_layout(sf, n)) {
		if (ls->ret > 0)
			resolve_layout(ls);
		ret = ls->ret;
		if (ret)
			snprintf(err, errlen, "%s", ls->err);
		lp = &ls->lay;
	}
	if (!ret)
		ret = cbpf_xlate(sf, n, mode, lp, &ls->cast, out, err, errlen);
	free(sf);
	return ret;
}

static int compile_l2(struct pcap_filter *f, const char *expr, bool per_load, struct layout_src *ls,
		      char *err, size_t errlen)
{
	struct cbpf_insn *prog = NULL;
	char msg[256], hint[256];
	size_t n = 0;
	int ret;

	ret = pcap_compile_cbpf(expr, false, &prog, &n, msg, sizeof(msg));
	if (ret) {
		pcap_hint(expr, msg, hint, sizeof(hint));
		snprintf(err, errlen, "%s%s%s%s", msg, *hint ? " (" : "", hint, *hint ? ")" : "");
		return ret;
	}
	ret = translate(prog, n, per_load, ls, &f->l2, msg, sizeof(msg));
	if (ret)
		snprintf(err, errlen, "cannot run this filter in the kernel: %s", msg);
	free(prog);
	return ret;
}

/* L3 failures are not errors: the expression just has no meaning without a link header. */
static int compile_l3(struct pcap_filter *f, const char *expr, bool per_load, struct layout_src *ls,
		      char *err, size_t errlen)
{
	struct cbpf_insn *prog = NULL;
	size_t n = 0;
	int ret;

	if (indexes_link_layer(expr)) {
		snprintf(f->l3_note, sizeof(f->l3_note),
			 "the expression indexes the link-layer header");
	} else if (pcap_compile_cbpf(expr, true, &prog, &n, f->l3_note, sizeof(f->l3_note)) == 0) {
		ret = translate(prog, n, per_load, ls, &f->l3, err, errlen);
		free(prog);
		if (ret != -EINVAL)
			return ret;
		snprintf(f->l3_note, sizeof(f->l3_note), "%s", err);
	}
	return cbpf_xlate_reject_all(&f->l3);
}

int pcap_filter_compile_opts(const char *expr, const struct pcap_filter_opts *opts,
			     struct pcap_filter **out, char *err, size_t errlen)
{
	bool per_load = opts && opts->per_load_reads;
	struct pcap_filter *f = calloc(1, sizeof(*f));
	struct layout_src ls;
	int ret = 0;

	*out = NULL;
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	f->empty = is_blank(expr);
	if (!f->empty) {
		layout_src_init(&ls, opts);
		ret = compile_l2(f, expr, per_load, &ls, err, errlen);
		if (!ret)
			ret = compile_l3(f, expr, per_load, &ls, err, errlen);
		layout_src_done(&ls);
	}
	if (ret) {
		pcap_filter_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

int pcap_filter_from_cbpf(const struct cbpf_insn *prog, size_t n,
			  const struct pcap_filter_opts *opts, struct pcap_filter **out, char *err,
			  size_t errlen)
{
	bool per_load = opts && opts->per_load_reads;
	struct pcap_filter *f = calloc(1, sizeof(*f));
	struct layout_src ls;
	int ret;

	*out = NULL;
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	layout_src_init(&ls, opts);
	ret = translate(prog, n, per_load, &ls, &f->l2, err, errlen);
	if (!ret)
		ret = translate(prog, n, per_load, &ls, &f->l3, err, errlen);
	layout_src_done(&ls);
	if (ret) {
		pcap_filter_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

int pcap_filter_compile(const char *expr, struct pcap_filter **out, char *err, size_t errlen)
{
	return pcap_filter_compile_opts(expr, NULL, out, err, errlen);
}

int pcap_filter_compile_btf(const char *expr, const struct btf *btf, struct pcap_filter **out,
			    char *err, size_t errlen)
{
	struct pcap_filter_opts o = {.btf = btf};

	return pcap_filter_compile_opts(expr, &o, out, err, errlen);
}

static struct btf *prog_btf(int btf_fd)
{
	struct bpf_btf_info info = {0};
	__u32 len = sizeof(info);

	if (btf_fd <= 0 || bpf_obj_get_info_by_fd(btf_fd, &info, &len))
		return NULL;
	return btf__load_from_kernel_by_id(info.id);
}

static const char *func_name(const struct btf *btf, const void *func_info, __u32 rec, __u32 i)
{
	struct bpf_func_info fi;
	const struct btf_type *t;

	memcpy(&fi, (const char *)func_info + (size_t)i * rec, sizeof(fi));
	t = btf__type_by_id(btf, fi.type_id);
	return t ? btf__name_by_offset(btf, t->name_off) : NULL;
}

static int gate_index(const char *name)
{
	for (int g = 0; g < FILTER_NGATES; g++)
		if (!strcmp(name, gate_names[g]))
			return g;
	return -1;
}

static const struct ebpf_code *stub_body(const struct pcap_filter *f, const char *name)
{
	if (!f->empty && !strcmp(name, STUB_L2))
		return &f->l2;
	if (!f->empty && !strcmp(name, STUB_L3))
		return &f->l3;
	for (size_t k = 0; k < f->nextra; k++)
		if (!strcmp(name, f->extra[k].name))
			return &f->extra[k].code;
	return NULL;
}

/* What the bodies spliced wherever F is spliced need from the glue's markers. */
static struct filter_marks marks_of(const struct pcap_filter *f)
{
	struct filter_marks m = {0};

	if (!f->empty) {
		filter_marks_add(&m, &f->l2);
		filter_marks_add(&m, &f->l3);
	}
	for (size_t k = 0; k < f->nextra; k++)
		filter_marks_add(&m, &f->extra[k].code);
	return m;
}

int pcap_filter_mark_value(const struct pcap_filter *f, uint64_t mark, uint64_t *value)
{
	struct filter_marks m = {0}; /* no filter: nothing is needed */

	if (f)
		m = marks_of(f);
	return filter_marks_value(&m, mark, value);
}

/* One edit per stub found in the program; returns how many. */
static size_t find_stubs(const struct pcap_filter *f, const struct btf *btf,
			 const struct bpf_prog_load_opts *o, struct splice_edit *e, size_t max)
{
	size_t n = 0;

	for (__u32 i = 0; i < o->func_info_cnt && n < max; i++) {
		const char *name = func_name(btf, o->func_info, o->func_info_rec_size, i);
		const struct ebpf_code *body;
		int g;

		if (!name)
			continue;
		g = gate_index(name);
		if (g >= 0) {
			int on = g == FILTER_GATE_PCAP ? !f->empty : f->gate_on[g];

			e[n++] = (struct splice_edit){.func = i, .remove = true, .value = on};
			continue;
		}
		body = stub_body(f, name);
		if (body)
			e[n++] =
			    (struct splice_edit){.func = i, .body = body->insns, .cnt = body->cnt};
	}
	return n;
}

int pcap_filter_add_tunnel(struct pcap_filter *f, const char *l2, const char *l3,
			   const struct pcap_filter_opts *opts, char *err, size_t errlen)
{
	struct pcap_filter *t = NULL;
	int rc = 0;

	if (!is_blank(l2)) {
		rc = pcap_filter_compile_opts(l2, opts, &t, err, errlen);
		if (!rc)
			rc = pcap_filter_add_stub(f, FILTER_GATE_TUNNEL, STUB_TUNNEL_L2, &t->l2);
		pcap_filter_free(t);
		t = NULL;
	}
	if (!rc && !is_blank(l3)) {
		rc = pcap_filter_compile_opts(l3, opts, &t, err, errlen);
		if (!rc && *t->l3_note) {
			snprintf(err, errlen,
				 "it cannot judge an IP packet (%s): use --filter-tunnel-pcap-l2",
				 t->l3_note);
			rc = -EINVAL;
		}
		if (!rc)
			rc = pcap_filter_add_stub(f, FILTER_GATE_TUNNEL, STUB_TUNNEL_L3, &t->l3);
		pcap_filter_free(t);
	}
	return rc;
}

int pcap_filter_add_stub(struct pcap_filter *f, enum filter_gate gate, const char *stub,
			 struct ebpf_code *code)
{
	if (gate <= FILTER_GATE_PCAP || gate >= FILTER_NGATES || f->nextra == MAX_EXTRA ||
	    strlen(stub) >= sizeof(f->extra[0].name) || stub_body(f, stub))
		return -EINVAL;
	snprintf(f->extra[f->nextra].name, sizeof(f->extra[0].name), "%s", stub);
	f->extra[f->nextra++].code = *code;
	*code = (struct ebpf_code){0};
	f->gate_on[gate] = true;
	return 0;
}

static int keep_image(struct pcap_filter *f, const struct prog_image *img)
{
	struct prog_image *grown = realloc(f->kept, (f->nkept + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	f->kept = grown;
	f->kept[f->nkept++] = *img;
	return 0;
}

static int splice_prog(struct pcap_filter *f, struct bpf_program *prog,
		       struct bpf_prog_load_opts *o, const struct splice_edit *e, size_t n)
{
	struct prog_image in = {
	    .insns = (struct bpf_insn *)bpf_program__insns(prog),
	    .cnt = bpf_program__insn_cnt(prog),
	    .func_info = (void *)o->func_info,
	    .func_cnt = o->func_info_cnt,
	    .func_rec = o->func_info_rec_size,
	    .line_info = (void *)o->line_info,
	    .line_cnt = o->line_info ? o->line_info_cnt : 0,
	    .line_rec = o->line_info_rec_size,
	};
	struct prog_image out;
	struct filter_marks marks;
	int err = splice_apply(&in, e, n, &out);

	if (err)
		return err;
	marks = marks_of(f);
	filter_marks_apply(&marks, out.insns, out.cnt);
	err = bpf_program__set_insns(prog, out.insns, out.cnt);
	if (!err)
		err = keep_image(f, &out);
	if (err) {
		prog_image_free(&out);
		return err;
	}
	o->func_info = out.func_info;
	o->func_info_cnt = out.func_cnt;
	o->line_info = out.line_info;
	o->line_info_cnt = out.line_cnt;
	return 0;
}

int pcap_filter_splice(struct pcap_filter *f, struct bpf_program *prog,
		       struct bpf_prog_load_opts *opts)
{
	struct splice_edit edits[16];
	struct btf *btf;
	size_t n;
	int err;

	if (!f)
		return 0;
	if (!opts->func_info || !opts->func_info_cnt)
		return 0; /* no BTF: stubs cannot be found; pcap_filter_check_loaded() refuses it */
	btf = prog_btf((int)opts->prog_btf_fd);
	if (!btf) {
		snprintf(f->last_err, sizeof(f->last_err),
			 "program %s: cannot read its BTF to find the filter stubs",
			 bpf_program__name(prog));
		return -ENOENT;
	}
	n = find_stubs(f, btf, opts, edits, sizeof(edits) / sizeof(edits[0]));
	btf__free(btf);
	if (!n)
		return 0;
	err = splice_prog(f, prog, opts, edits, n);
	if (err)
		snprintf(f->last_err, sizeof(f->last_err),
			 "program %s: cannot splice the filter in: %s", bpf_program__name(prog),
			 strerror(-err));
	return err;
}

/* The names of the subprograms PROG_FD was loaded with, as one BTF and its func_info. */
static int loaded_funcs(int prog_fd, struct btf **btf, struct bpf_func_info **fi, __u32 *n)
{
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	*n = info.nr_func_info;
	if (!info.btf_id || !*n)
		return -ENODATA;
	*fi = calloc(*n, sizeof(**fi));
	if (!*fi)
		return -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.nr_func_info = *n;
	info.func_info_rec_size = sizeof(**fi);
	info.func_info = (__u64)(unsigned long)*fi;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	*btf = btf__load_from_kernel_by_id(info.btf_id);
	return *btf ? 0 : -errno;
}

int pcap_filter_check_loaded(int prog_fd, const char *name, char *err, size_t errlen)
{
	struct bpf_func_info *fi = NULL;
	struct btf *btf = NULL;
	__u32 n = 0, i;
	int ret = loaded_funcs(prog_fd, &btf, &fi, &n);

	for (i = 0; !ret && i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, fi[i].type_id);

		if (t && gate_index(btf__name_by_offset(btf, t->name_off)) >= 0)
			ret = -ENOEXEC;
	}
	if (ret == -ENOEXEC)
		snprintf(err, errlen,
			 "program %s was loaded with its pcap filter stub in place (no splice "
			 "hook for its section): it would let every packet through",
			 name);
	else if (ret)
		snprintf(
		    err, errlen,
		    "program %s: cannot read back its subprograms to check the pcap filter: %s",
		    name, strerror(-ret));
	btf__free(btf);
	free(fi);
	return ret;
}

bool pcap_filter_is_empty(const struct pcap_filter *f)
{
	return !f || f->empty;
}

const char *pcap_filter_l3_note(const struct pcap_filter *f)
{
	return f ? f->l3_note : "";
}

const char *pcap_filter_last_error(const struct pcap_filter *f)
{
	return f ? f->last_err : "";
}

void pcap_filter_free(struct pcap_filter *f)
{
	if (!f)
		return;
	ebpf_code_free(&f->l2);
	ebpf_code_free(&f->l3);
	for (size_t k = 0; k < f->nextra; k++)
		ebpf_code_free(&f->extra[k].code);
	for (size_t i = 0; i < f->nkept; i++)
		prog_image_free(&f->kept[i]);
	free(f->kept);
	free(f);
}
