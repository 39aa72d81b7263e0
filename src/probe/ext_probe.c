// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest pair that shows the kernel's support: a BTF of one prototype (int (void))
 * and two functions, a target whose entry calls its global function, and an extension
 * returning 0 in that function's place.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "src/probe/ext_probe.h"

#define EXT_ATTACH ((enum bpf_attach_type)0) /* as kprobe_multi.c links its extension */

/*
 * bpf(2)'s own load, not btf__load_into_kernel(): that one logs a refusal as libbpf's
 * warning, a second and third line before pwru's one-line reason where bpf() is refused.
 */
static int btf_load_quiet(const struct btf *btf)
{
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);
	int fd;

	if (!raw)
		return -ENOMEM;
	fd = bpf_btf_load(raw, size, NULL);
	return fd < 0 ? -errno : fd;
}

static int load_btf(struct ext_probe_btf *ids)
{
	struct btf *btf = btf__new_empty();
	int id, fd;

	if (!btf)
		return -errno;
	id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	ids->proto = id < 0 ? id : btf__add_func_proto(btf, id);
	ids->entry = btf__add_func(btf, "pwru_probe", BTF_FUNC_GLOBAL, ids->proto);
	ids->shown = btf__add_func(btf, "pwru_probe_shown", BTF_FUNC_GLOBAL, ids->proto);
	/* each add fails when the one before did */
	fd = ids->shown < 0 ? ids->shown : btf_load_quiet(btf);
	btf__free(btf);
	return fd;
}

static bool test_no_ext(void)
{
	const char *v = getenv("PWRU_TEST_NO_EXT");

	return v && !strcmp(v, "1");
}

static int load_target(struct ext_probe *p, const struct ext_probe_btf *ids,
		       enum bpf_prog_type type, enum bpf_attach_type attach)
{
	const struct bpf_insn insns[] = {
	    {.code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = 1}, /* call 2 */
	    {.code = BPF_JMP | BPF_EXIT},
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0}, /* 2: r0 = 0 */
	    {.code = BPF_JMP | BPF_EXIT},
	};
	const struct bpf_func_info funcs[] = {{0, (__u32)ids->entry}, {2, (__u32)ids->shown}};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = attach, .prog_btf_fd = p->btf,
		    .func_info = funcs, .func_info_cnt = 2, .func_info_rec_size = sizeof(funcs[0]));

	p->target = bpf_prog_load(type, "pwru_probe", "GPL", insns, 4, &o);
	return p->target < 0 ? -errno : 0;
}

static int load_ext(struct ext_probe *p, const struct ext_probe_btf *ids)
{
	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	const struct bpf_func_info funcs[] = {{0, (__u32)ids->shown}};
	/* for tests: a prototype is no function to replace */
	__u32 at = (__u32)(test_no_ext() ? ids->proto : ids->shown);
	LIBBPF_OPTS(bpf_prog_load_opts, o, .attach_prog_fd = p->target, .attach_btf_id = at,
		    .prog_btf_fd = p->btf, .func_info = funcs, .func_info_cnt = 1,
		    .func_info_rec_size = sizeof(funcs[0]));
	LIBBPF_OPTS(bpf_link_create_opts, lo, .target_btf_id = at);

	p->ext = bpf_prog_load(BPF_PROG_TYPE_EXT, "pwru_probe_ext", "GPL", insns, 2, &o);
	if (p->ext < 0)
		return -errno;
	p->link = bpf_link_create(p->ext, p->target, EXT_ATTACH, &lo);
	return p->link < 0 ? -errno : 0;
}

void ext_probe_fds(const struct ext_probe *p, int fds[4])
{
	fds[0] = p->link;
	fds[1] = p->ext;
	fds[2] = p->target;
	fds[3] = p->btf;
}

enum ext_probe_result ext_probe_target(struct ext_probe *p, enum bpf_prog_type type,
				       enum bpf_attach_type attach, char *why, size_t len)
{
	int rc;

	*p = (struct ext_probe){.btf = -1, .target = -1, .ext = -1, .link = -1};
	p->btf = load_btf(&p->ids);
	if (p->btf < 0) {
		snprintf(why, len, "an extension program's BTF refused: %s", strerror(-p->btf));
		return EXT_PROBE_REFUSED;
	}
	rc = load_target(p, &p->ids, type, attach);
	if (rc) {
		snprintf(why, len, "%s", strerror(-rc));
		return EXT_PROBE_NO_TARGET;
	}
	return EXT_PROBE_OK;
}

enum ext_probe_result ext_probe_link(struct ext_probe *p, char *why, size_t len)
{
	int rc = load_ext(p, &p->ids);

	if (!rc)
		return EXT_PROBE_OK;
	snprintf(why, len, "an extension program (freplace) refused: %s", strerror(-rc));
	return EXT_PROBE_REFUSED;
}
