// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "src/probe/core_kept.h"
#include "src/probe/held_log.h"
#include "src/probe/splice_hooks.h"

/* .BTF.ext's header (the kernel's struct btf_ext_header): where its CO-RE part's length is */
#define BTF_EXT_MAGIC	 0xeB9F
#define BTF_EXT_CORE_LEN 28
#define BTF_EXT_HDR_MIN	 32
/* what libbpf's CO-RE step writes over an instruction it cannot relocate (relo_core.c) */
#define CORE_POISON_HELPER 195896080

static const Elf64_Shdr *find_section(const unsigned char *b, size_t len, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
	const Elf64_Shdr *sh, *names;
	size_t i, want = strlen(name) + 1;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(*sh) ||
	    eh->e_shoff > len || (len - eh->e_shoff) / sizeof(*sh) < eh->e_shnum ||
	    eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	sh = (const Elf64_Shdr *)(b + eh->e_shoff);
	names = &sh[eh->e_shstrndx];
	if (names->sh_offset > len || len - names->sh_offset < names->sh_size)
		return NULL;
	for (i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_name < names->sh_size && names->sh_size - sh[i].sh_name >= want &&
		    !memcmp(b + names->sh_offset + sh[i].sh_name, name, want))
			return sh[i].sh_offset <= len && len - sh[i].sh_offset >= sh[i].sh_size
				   ? &sh[i]
				   : NULL;
	return NULL;
}

void *core_kept_strip(const void *bytes, size_t len)
{
	const Elf64_Shdr *ext = find_section(bytes, len, ".BTF.ext");
	unsigned char *copy;
	uint32_t hdr_len;
	uint16_t magic;

	if (!ext || ext->sh_size < BTF_EXT_HDR_MIN) {
		errno = ENOENT;
		return NULL;
	}
	memcpy(&magic, (const unsigned char *)bytes + ext->sh_offset, sizeof(magic));
	memcpy(&hdr_len, (const unsigned char *)bytes + ext->sh_offset + 4, sizeof(hdr_len));
	if (magic != BTF_EXT_MAGIC || hdr_len < BTF_EXT_HDR_MIN) {
		errno = ENOENT;
		return NULL;
	}
	copy = malloc(len);
	if (!copy)
		return NULL;
	memcpy(copy, bytes, len);
	memset(copy + ext->sh_offset + BTF_EXT_CORE_LEN, 0, sizeof(uint32_t));
	return copy;
}

static bool is_ld_imm64(const struct bpf_insn *i)
{
	return i->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static bool is_call(const struct bpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_CALL);
}

static long keep(struct core_kept_insn *out, long k, size_t at, const struct bpf_insn *raw,
		 const struct bpf_insn *rel)
{
	if (!memcmp(&raw[at], &rel[at], sizeof(*rel)))
		return k;
	out[k].at = (uint32_t)at;
	out[k].insn = rel[at];
	return k + 1;
}

long core_kept_diff(const struct bpf_insn *raw, size_t n, const struct bpf_insn *rel, size_t rel_n,
		    struct core_kept_insn *out)
{
	long k = 0;
	size_t i;

	if (rel_n < n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (is_call(&raw[i]))
			continue; /* a helper, subprogram or kfunc: linked at every load */
		if (!is_ld_imm64(&raw[i])) {
			k = keep(out, k, i, raw, rel);
			continue;
		}
		if (i + 1 == n)
			return -EINVAL;
		/*
		 * CO-RE leaves an ld_imm64 a constant, or poisons both halves; anything else
		 * (a map, variable or function, or a map not created) is relocated at every load.
		 */
		if ((is_ld_imm64(&rel[i]) && !rel[i].src_reg) ||
		    (is_call(&rel[i]) && rel[i].imm == CORE_POISON_HELPER)) {
			k = keep(out, k, i, raw, rel);
			k = keep(out, k, i + 1, raw, rel);
		}
		i++;
	}
	return k;
}

/* The kept results: per program, its name's length, their number, the name, the results. */
struct kept_head {
	uint32_t name_len, n;
};

struct resolve {
	struct bpf_object *obj, *shadow;
	FILE *f;
	int rc;
	bool done;
};

static int put_prog(struct resolve *r, struct bpf_program *sp)
{
	const char *name = bpf_program__name(sp);
	struct bpf_program *p = bpf_object__find_program_by_name(r->obj, name);
	size_t n = p ? bpf_program__insn_cnt(p) : 0;
	struct core_kept_insn *out = malloc((n ? n : 1) * sizeof(*out));
	struct kept_head h = {.name_len = (uint32_t)strlen(name)};
	long k;

	if (!p || !out) {
		free(out);
		return p ? -ENOMEM : -ENOENT;
	}
	k = core_kept_diff(bpf_program__insns(p), n, bpf_program__insns(sp),
			   bpf_program__insn_cnt(sp), out);
	if (k >= 0) {
		h.n = (uint32_t)k;
		fwrite(&h, sizeof(h), 1, r->f);
		fwrite(name, 1, h.name_len, r->f);
		fwrite(out, sizeof(*out), (size_t)k, r->f);
	}
	free(out);
	return k < 0 ? (int)k : 0;
}

/* The shadow's first prepare step: libbpf has relocated every program by then. */
static int take_results(void *arg, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
			char *err, size_t errlen)
{
	struct resolve *r = arg;
	struct bpf_program *sp;

	bpf_object__for_each_program(sp, r->shadow)
	{
		if (!r->rc && bpf_program__autoload(sp))
			r->rc = put_prog(r, sp);
	}
	r->done = true;
	snprintf(err, errlen, "stopped before the kernel");
	return -ECANCELED;
}

/* The shadow loads what OBJ loads, and creates no map: its programs go nowhere. */
static void choose_like(struct bpf_object *shadow, struct bpf_object *obj)
{
	struct bpf_program *sp, *p;
	struct bpf_map *m;

	bpf_object__for_each_program(sp, shadow)
	{
		p = bpf_object__find_program_by_name(obj, bpf_program__name(sp));
		bpf_program__set_autoload(sp, p && bpf_program__autoload(p));
	}
	bpf_object__for_each_map(m, shadow) bpf_map__set_autocreate(m, false);
}

static int load_shadow(struct resolve *r, struct splice_hooks *h)
{
	int rc;

	choose_like(r->shadow, r->obj);
	splice_hooks_divert(h, take_results, r);
	held_log_begin();
	rc = bpf_object__load(r->shadow);
	/* shown when it fails before its results are taken: libbpf's own reason, as a load
	 * without the shadow showed it */
	held_log_end(!r->done);
	splice_hooks_divert(h, NULL, NULL);
	if (r->rc)
		return r->rc;
	return r->done ? 0 : (rc ? rc : -EPROTO);
}

int core_kept_resolve(struct bpf_object *obj, const void *bytes, size_t len, const char *target,
		      struct splice_hooks *h, unsigned char **out, size_t *out_len)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = bpf_object__name(obj),
		    .btf_custom_path = target);
	struct resolve r = {.obj = obj};
	char *buf = NULL;
	size_t n = 0;
	int rc;

	r.shadow = bpf_object__open_mem(bytes, len, &opts);
	if (!r.shadow)
		return -errno;
	r.f = open_memstream(&buf, &n);
	rc = r.f ? load_shadow(&r, h) : -errno;
	bpf_object__close(r.shadow);
	if (r.f && fclose(r.f) && !rc)
		rc = -ENOMEM;
	if (rc) {
		free(buf);
		return rc;
	}
	*out = (unsigned char *)buf;
	*out_len = n;
	return 0;
}

struct kept_prog {
	const char *name;
	uint32_t name_len, n;
	const unsigned char *at;
};

/* The next program's results in KEPT from *OFF, checked against the program they name. */
static int next_prog(struct bpf_object *obj, const unsigned char *kept, size_t len, size_t *off,
		     struct kept_prog *kp, struct bpf_program **prog)
{
	struct kept_head h;
	char name[128];
	size_t i;

	if (len - *off < sizeof(h))
		return -EINVAL;
	memcpy(&h, kept + *off, sizeof(h));
	*off += sizeof(h);
	if (h.name_len >= sizeof(name) || len - *off < h.name_len ||
	    (len - *off - h.name_len) / sizeof(struct core_kept_insn) < h.n)
		return -EINVAL;
	memcpy(name, kept + *off, h.name_len);
	name[h.name_len] = 0;
	*off += h.name_len;
	*kp = (struct kept_prog){.n = h.n, .at = kept + *off};
	*off += (size_t)h.n * sizeof(struct core_kept_insn);
	*prog = bpf_object__find_program_by_name(obj, name);
	if (!*prog || !bpf_program__autoload(*prog))
		return -EINVAL;
	for (i = 0; i < h.n; i++) {
		struct core_kept_insn ki;

		memcpy(&ki, kp->at + i * sizeof(ki), sizeof(ki));
		if (ki.at >= bpf_program__insn_cnt(*prog))
			return -EINVAL;
	}
	return 0;
}

static int patch(struct bpf_program *prog, const struct kept_prog *kp)
{
	size_t n = bpf_program__insn_cnt(prog), i;
	struct bpf_insn *in = malloc((n ? n : 1) * sizeof(*in));
	int rc;

	if (!in)
		return -ENOMEM;
	memcpy(in, bpf_program__insns(prog), n * sizeof(*in));
	for (i = 0; i < kp->n; i++) {
		struct core_kept_insn ki;

		memcpy(&ki, kp->at + i * sizeof(ki), sizeof(ki));
		in[ki.at] = ki.insn;
	}
	rc = bpf_program__set_insns(prog, in, n);
	free(in);
	return rc;
}

static size_t chosen(struct bpf_object *obj)
{
	struct bpf_program *p;
	size_t n = 0;

	bpf_object__for_each_program(p, obj) n += bpf_program__autoload(p);
	return n;
}

int core_kept_apply(struct bpf_object *obj, const unsigned char *kept, size_t len)
{
	struct bpf_program *prog;
	struct kept_prog kp;
	size_t off = 0, n = 0;
	int rc = 0;

	/* first every program checked, so that a refusal leaves the object as it was */
	for (; !rc && off < len; n++)
		rc = next_prog(obj, kept, len, &off, &kp, &prog);
	if (rc || n != chosen(obj))
		return -EINVAL;
	for (off = 0; !rc && off < len;) {
		next_prog(obj, kept, len, &off, &kp, &prog);
		rc = patch(prog, &kp);
	}
	return rc;
}
