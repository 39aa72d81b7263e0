// SPDX-License-Identifier: GPL-2.0
/*
 * Finding tc and XDP programs to trace, on programs loaded here: the tests' own tc and XDP
 * programs (long names the kernel cuts to 15 characters), one without BTF.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "tap.h"
#include "src/discover/bpf_progs.h"
#include "src/probe/prog_refs.h"

#define TC_OBJ	"build/tests/bpf/cilium_like.bpf.o"
#define XDP_OBJ "build/tests/bpf/xdp_drop.bpf.o"

struct found {
	uint32_t want_tc, want_xdp, want_raw;
	struct bpf_prog_target tc, xdp;
	int seen_tc, seen_xdp, seen_raw, total;
};

static int collect(void *arg, const struct bpf_prog_target *t)
{
	struct found *f = arg;

	f->total++;
	if (t->id == f->want_tc) {
		f->tc = *t;
		f->seen_tc++;
	} else if (t->id == f->want_xdp) {
		f->xdp = *t;
		f->seen_xdp++;
	} else if (t->id == f->want_raw) {
		f->seen_raw++;
	}
	close(t->fd);
	return 0;
}

static struct bpf_object *load(const char *path, int *fd, uint32_t *id, uint32_t *func_id)
{
	struct bpf_object *o = bpf_object__open_file(path, NULL);
	struct bpf_program *p;
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);

	if (!o || bpf_object__load(o)) {
		bpf_object__close(o);
		return NULL;
	}
	p = bpf_object__next_program(o, NULL);
	*fd = bpf_program__fd(p);
	bpf_obj_get_info_by_fd(*fd, &info, &len);
	*id = info.id;
	*func_id = btf__find_by_name_kind(bpf_object__btf(o), bpf_program__name(p), BTF_KIND_FUNC);
	return o;
}

/* A tc program without BTF: two instructions, return TC_ACT_OK. */
static int load_raw(void)
{
	static const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};

	return bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "raw_no_btf", "GPL", insns, 2, NULL);
}

struct ref_probe {
	uint32_t id;
	int64_t refs;
	int seen;
};

static void note_ref(void *arg, uint32_t id, int64_t refs)
{
	struct ref_probe *p = arg;

	if (id == p->id) {
		p->refs = refs;
		p->seen++;
	}
}

/* The program iterator counts what holds a program: here, our descriptors. */
static void test_refs(int fd, uint32_t id)
{
	char err[256] = "";
	struct prog_refs *r = prog_refs_open(err, sizeof(err));
	struct ref_probe p = {.id = id};
	int fd2;

	if (!r) {
		skip("program iterator: %s", err);
		return;
	}
	is_int(prog_refs_read(r, note_ref, &p), 0, "the iterator reads every program");
	ok(p.seen == 1 && p.refs == 1, "a program held by one descriptor has one reference (%lld)",
	   (long long)p.refs);
	fd2 = bpf_prog_get_fd_by_id(id);
	p.seen = 0;
	prog_refs_read(r, note_ref, &p);
	ok(fd2 >= 0 && p.refs == 2, "a second descriptor, a second reference (%lld)",
	   (long long)p.refs);
	close(fd2);
	prog_refs_close(r);
}

int main(void)
{
	struct found f = {0};
	struct bpf_progs_scan s = {.tc = true, .xdp = true};
	uint32_t tc_func = 0, xdp_func = 0, *tcx = NULL;
	int tc_fd, xdp_fd, raw_fd;
	struct bpf_object *tc, *xdp;
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);
	size_t ntcx = 0;
	char err[256] = "";

	if (geteuid()) {
		skip("loading BPF programs needs root");
		return tap_done();
	}
	tc = load(TC_OBJ, &tc_fd, &f.want_tc, &tc_func);
	xdp = load(XDP_OBJ, &xdp_fd, &f.want_xdp, &xdp_func);
	raw_fd = load_raw();
	ok(tc && xdp && raw_fd >= 0, "the tests' tc and XDP programs, and one without BTF, load");
	if (!tc || !xdp || raw_fd < 0)
		return tap_done();
	bpf_obj_get_info_by_fd(raw_fd, &info, &len);
	f.want_raw = info.id;
	s.after = f.want_tc < f.want_xdp ? f.want_tc - 1 : f.want_xdp - 1;
	is_int(bpf_progs_scan(&s, collect, &f, err, sizeof(err)), 0, "the scan runs (%s)", err);
	ok(f.seen_tc == 1 && f.tc.kind == BPF_PROG_KIND_TC, "the tc program is found, as tc");
	is_str(f.tc.name, "test_cilium_like_identity",
	       "its full name from BTF, not the kernel's 15 characters");
	is_int(f.tc.func_id, tc_func, "its attach target: the main function's BTF id");
	ok(f.seen_xdp == 1 && f.xdp.kind == BPF_PROG_KIND_XDP, "the XDP program is found, as XDP");
	is_str(f.xdp.name, "test_xdp_drop_echo_request", "its full name");
	ok(!f.seen_raw && s.no_btf >= 1, "a program without BTF is counted, not offered");
	ok(s.after >= f.want_raw, "the scan remembers where it stopped (%u)", s.after);

	memset(&f.tc, 0, sizeof(f.tc));
	f.seen_tc = f.seen_xdp = f.total = 0;
	is_int(bpf_progs_scan(&s, collect, &f, err, sizeof(err)), 0, "a second scan runs");
	ok(!f.seen_tc && !f.seen_xdp, "and offers only programs loaded since");

	s = (struct bpf_progs_scan){.tc = true, .after = f.want_tc - 1};
	f.seen_tc = f.seen_xdp = 0;
	bpf_progs_scan(&s, collect, &f, err, sizeof(err));
	ok(f.seen_tc == 1 && !f.seen_xdp, "XDP programs are left out when not wanted");
	is_int(bpf_progs_tcx(&tcx, &ntcx), 0, "tcx links are listed");
	free(tcx);

	test_refs(raw_fd, f.want_raw);
	close(raw_fd);
	bpf_object__close(tc);
	bpf_object__close(xdp);
	return tap_done();
}
