// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "bpf/clone.h"
#include "src/probe/clone.h"

/* libbpf's own size for a refused program's log: the reason is at its end */
#define REFUSAL_LOG_SIZE (16u << 20)

static const uint64_t magic[CLONE_NVALUES] = {
    [CLONE_FUNC_IP] = CLONE_MAGIC_FUNC_IP,
    [CLONE_NARGS] = CLONE_MAGIC_NARGS,
    [CLONE_FLAGS] = CLONE_MAGIC_FLAGS,
    [CLONE_PROG_TEXT] = CLONE_MAGIC_PROG_TEXT,
};

static int is_ld_imm64(const struct bpf_insn *i)
{
	return i->code == (BPF_LD | BPF_IMM | BPF_DW) && i->src_reg == 0;
}

static uint64_t imm64(const struct bpf_insn *i)
{
	return (uint32_t)i[0].imm | (uint64_t)(uint32_t)i[1].imm << 32;
}

static void find_markers(struct clone_tpl *t)
{
	size_t i;
	int k;

	for (k = 0; k < CLONE_NVALUES; k++)
		t->at[k] = SIZE_MAX;
	for (i = 0; i + 1 < t->img.cnt; i++) {
		if (!is_ld_imm64(&t->img.insns[i]))
			continue;
		for (k = 0; k < CLONE_NVALUES; k++)
			if (imm64(&t->img.insns[i]) == magic[k])
				t->at[k] = i;
		i++; /* the second half of the ld_imm64 */
	}
}

static void *dup_mem(const void *p, size_t n)
{
	void *d = n ? malloc(n) : NULL;

	if (d)
		memcpy(d, p, n);
	return d;
}

int clone_is_template(const struct clone_tpl *t)
{
	int k;

	for (k = 0; k < CLONE_NVALUES; k++)
		if (t->at[k] != SIZE_MAX)
			return 1;
	return 0;
}

int clone_capture(struct clone_tpl *t, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
		  const struct clone_target *stand_in)
{
	static const struct bpf_insn nop_prog[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};

	memset(t, 0, sizeof(*t));
	t->img.cnt = bpf_program__insn_cnt(prog);
	t->img.insns = dup_mem(bpf_program__insns(prog), t->img.cnt * sizeof(*t->img.insns));
	t->img.func_cnt = opts->func_info ? opts->func_info_cnt : 0;
	t->img.func_rec = opts->func_info_rec_size;
	t->img.func_info = dup_mem(opts->func_info, (size_t)t->img.func_cnt * t->img.func_rec);
	t->img.line_cnt = opts->line_info ? opts->line_info_cnt : 0;
	t->img.line_rec = opts->line_info_rec_size;
	t->img.line_info = dup_mem(opts->line_info, (size_t)t->img.line_cnt * t->img.line_rec);
	if (!t->img.insns || (t->img.func_cnt && !t->img.func_info) ||
	    (t->img.line_cnt && !t->img.line_info)) {
		clone_tpl_free(t);
		return -ENOMEM;
	}
	t->prog_btf_fd = (int)opts->prog_btf_fd;
	t->type = bpf_program__type(prog);
	t->attach = opts->expected_attach_type;
	t->prog_flags = opts->prog_flags;
	snprintf(t->name, sizeof(t->name), "%s", bpf_program__name(prog));
	find_markers(t);
	/* The stand-in has no subprograms: its BTF records would not match it. */
	opts->func_info = NULL;
	opts->func_info_cnt = 0;
	opts->line_info = NULL;
	opts->line_info_cnt = 0;
	opts->attach_btf_id = stand_in->btf_id;
	opts->attach_btf_obj_fd = stand_in->btf_obj_fd;
	return bpf_program__set_insns(prog, (struct bpf_insn *)nop_prog, 2);
}

static void set_imm64(struct bpf_insn *i, uint64_t v)
{
	i[0].imm = (int32_t)(uint32_t)v;
	i[1].imm = (int32_t)(uint32_t)(v >> 32);
}

/*
 * libbpf's mark for a CO-RE relocation it could not resolve (BPF_CORE_RELO_POISON, a call
 * to that helper number), as the verifier names it. libbpf explains it in its own log of
 * a load it makes, not of ours.
 */
#define CORE_POISON_CALL "invalid func unknown#195896080"

/* The verifier's summary lines, which follow its reason for a refusal. */
static int summary_line(const char *l)
{
	return !strncmp(l, "processed ", 10) || !strncmp(l, "verification time", 17) ||
	       !strncmp(l, "stack depth", 11);
}

/* The last line of LOG that says something (cut at its end), or NULL. */
static const char *last_reason(char *log)
{
	char *line = NULL, *l, *nl;

	for (l = log; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (*l && !summary_line(l))
			line = l;
		if (!nl)
			break;
	}
	return line;
}

/*
 * The load again with the verifier's log, which the first one goes without (as libbpf's
 * do: a log slows every load), for its reason: "Permission denied: R1 invalid mem access".
 */
static void why_refused(const struct clone_tpl *t, const struct bpf_insn *insns,
			struct bpf_prog_load_opts *o, int err, char *out, size_t len)
{
	char *log = calloc(1, REFUSAL_LOG_SIZE);
	const char *why = NULL;
	int fd;

	if (log) {
		o->log_buf = log;
		o->log_size = REFUSAL_LOG_SIZE;
		o->log_level = 1;
		fd = bpf_prog_load(t->type, t->name, "GPL", insns, t->img.cnt, o);
		if (fd >= 0)
			close(fd); /* loads now: the first refusal's errno says it all */
		else
			why = last_reason(log);
	}
	if (why && strstr(why, CORE_POISON_CALL))
		why = "a CO-RE relocation libbpf could not resolve: the kernel BTF it relocated "
		      "against does not describe this kernel's types";
	snprintf(out, len, "%s%s%s", strerror(err), why ? ": " : "", why ? why : "");
	free(log);
}

int clone_load(const struct clone_tpl *t, const struct clone_target *tg, char *log, size_t len)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = t->attach,
		    .attach_btf_id = tg->btf_id, .attach_btf_obj_fd = tg->btf_obj_fd,
		    .attach_prog_fd = tg->attach_prog_fd, .prog_btf_fd = t->prog_btf_fd,
		    .prog_flags = t->prog_flags, .func_info = t->img.func_info,
		    .func_info_cnt = t->img.func_cnt, .func_info_rec_size = t->img.func_rec,
		    .line_info = t->img.line_info, .line_info_cnt = t->img.line_cnt,
		    .line_info_rec_size = t->img.line_rec);
	struct bpf_insn *insns = dup_mem(t->img.insns, t->img.cnt * sizeof(*insns));
	int fd, k;

	if (!insns)
		return -ENOMEM;
	for (k = 0; k < CLONE_NVALUES; k++)
		if (t->at[k] != SIZE_MAX)
			set_imm64(&insns[t->at[k]], tg->values[k]);
	fd = bpf_prog_load(t->type, t->name, "GPL", insns, t->img.cnt, &o);
	if (fd < 0) {
		fd = -errno;
		if (log && len)
			why_refused(t, insns, &o, -fd, log, len);
	}
	free(insns);
	return fd;
}

void clone_tpl_free(struct clone_tpl *t)
{
	prog_image_free(&t->img);
	memset(t, 0, sizeof(*t));
}
