// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "src/discover/funcset.h"
#include "src/discover/kmod_ko.h"

/* A relocation putting function FUNC (a symbol index) at offset OFF of an object. */
struct slot {
	size_t obj; /* symbol index of the object holding the slot */
	uint64_t off;
	const char *func;
};

/* A symbol by where it is, for the lookups each relocation makes (binary search). */
struct sym_key {
	size_t shndx;
	uint64_t value, size;
	size_t idx;
};

struct ko {
	Elf *elf;
	Elf_Data *syms;
	size_t nsyms, strndx;
	uint32_t abs64; /* the relocation storing a 64-bit address, in the .ko's architecture */
	struct sym_key *objs, *funcs; /* sorted by section, then value, then index */
	size_t nobjs, nfuncs;
	struct slot *slots;
	size_t nslots, cap;
};

static int sym_at(struct ko *k, size_t i, GElf_Sym *s)
{
	return gelf_getsym(k->syms, (int)i, s) ? 0 : -1;
}

static int cmp_key(const void *a, const void *b)
{
	const struct sym_key *x = a, *y = b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Index of the first key of V[0..N) at or after (SHNDX, VALUE); N when none. */
static size_t lower_bound(const struct sym_key *v, size_t n, size_t shndx, uint64_t value)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].shndx < shndx || (v[mid].shndx == shndx && v[mid].value < value))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Objects and functions by place, so that a module of many symbols and relocations (or a
 * crafted one) costs O((R + S) log S), not R times S.
 */
static int index_syms(struct ko *k)
{
	GElf_Sym s;
	size_t i;

	k->objs = calloc(k->nsyms ? k->nsyms : 1, sizeof(*k->objs));
	k->funcs = calloc(k->nsyms ? k->nsyms : 1, sizeof(*k->funcs));
	if (!k->objs || !k->funcs)
		return -ENOMEM;
	for (i = 1; i < k->nsyms; i++) {
		struct sym_key key;

		if (sym_at(k, i, &s))
			continue;
		key = (struct sym_key){s.st_shndx, s.st_value, s.st_size, i};
		if (GELF_ST_TYPE(s.st_info) == STT_OBJECT)
			k->objs[k->nobjs++] = key;
		else if (GELF_ST_TYPE(s.st_info) == STT_FUNC)
			k->funcs[k->nfuncs++] = key;
	}
	qsort(k->objs, k->nobjs, sizeof(*k->objs), cmp_key);
	qsort(k->funcs, k->nfuncs, sizeof(*k->funcs), cmp_key);
	return 0;
}

/* The function a relocation points at: a FUNC symbol, or a section symbol plus addend. */
static const char *target_func(struct ko *k, size_t symi, int64_t addend)
{
	GElf_Sym s, f;
	size_t i;

	if (sym_at(k, symi, &s))
		return NULL;
	if (GELF_ST_TYPE(s.st_info) == STT_FUNC && !addend)
		return elf_strptr(k->elf, k->strndx, s.st_name);
	if (GELF_ST_TYPE(s.st_info) != STT_SECTION)
		return NULL;
	i = lower_bound(k->funcs, k->nfuncs, s.st_shndx, (uint64_t)addend);
	if (i == k->nfuncs || k->funcs[i].shndx != s.st_shndx ||
	    k->funcs[i].value != (uint64_t)addend || sym_at(k, k->funcs[i].idx, &f))
		return NULL;
	return elf_strptr(k->elf, k->strndx, f.st_name);
}

/* The data object of section SHNDX covering OFF (0: none). */
static size_t object_at(struct ko *k, size_t shndx, uint64_t off)
{
	size_t i = lower_bound(k->objs, k->nobjs, shndx, off);
	const struct sym_key *o;

	/* the last object starting at or before OFF, or exactly at it */
	if (i < k->nobjs && k->objs[i].shndx == shndx && k->objs[i].value == off)
		return k->objs[i].idx;
	if (!i)
		return 0;
	o = &k->objs[i - 1];
	return o->shndx == shndx && off - o->value < o->size ? o->idx : 0;
}

static int add_slot(struct ko *k, size_t obj, uint64_t off, const char *func)
{
	if (k->nslots == k->cap) {
		size_t ncap = k->cap ? k->cap * 2 : 64;
		struct slot *ns = realloc(k->slots, ncap * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		k->slots = ns;
		k->cap = ncap;
	}
	k->slots[k->nslots++] = (struct slot){.obj = obj, .off = off, .func = func};
	return 0;
}

/* Relocations into data (not code) sections that store a function's address. */
static int read_relocs(struct ko *k, Elf_Scn *rel, const GElf_Shdr *rsh)
{
	Elf_Scn *tgt = elf_getscn(k->elf, rsh->sh_info);
	Elf_Data *d = elf_getdata(rel, NULL);
	GElf_Shdr tsh;
	GElf_Rela r;
	GElf_Sym os;
	size_t i, n, obj;
	const char *fn;

	if (!tgt || !d || !gelf_getshdr(tgt, &tsh) || !(tsh.sh_flags & SHF_ALLOC) ||
	    (tsh.sh_flags & SHF_EXECINSTR))
		return 0;
	/* counted from the data libelf read, not from what the header claims */
	n = gelf_fsize(k->elf, ELF_T_RELA, 1, EV_CURRENT);
	n = n ? d->d_size / n : 0;
	for (i = 0; i < n; i++) {
		if (!gelf_getrela(d, (int)i, &r) || GELF_R_TYPE(r.r_info) != k->abs64)
			continue;
		/* Most data relocations (__mcount_loc, ...) are in no object: check that first. */
		obj = object_at(k, rsh->sh_info, r.r_offset);
		fn = obj ? target_func(k, GELF_R_SYM(r.r_info), r.r_addend) : NULL;
		if (fn && !sym_at(k, obj, &os) && add_slot(k, obj, r.r_offset - os.st_value, fn))
			return -ENOMEM;
	}
	return 0;
}

/*
 * The module is of the kernel's architecture, which need not be the one pwru was built on
 * (a cross-built pwru's tests, a .ko copied for analysis): its ELF header says which.
 */
static int abs64_reloc(Elf *elf, uint32_t *type)
{
	GElf_Ehdr eh;

	if (!gelf_getehdr(elf, &eh))
		return -EINVAL;
	switch (eh.e_machine) {
	case EM_X86_64:
		*type = R_X86_64_64;
		return 0;
	case EM_AARCH64:
		*type = R_AARCH64_ABS64;
		return 0;
	}
	return -ENOENT;
}

static int read_ko(struct ko *k)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int err = abs64_reloc(k->elf, &k->abs64);

	if (err)
		return err;

	while ((scn = elf_nextscn(k->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			k->syms = elf_getdata(scn, NULL);
			k->nsyms = gelf_fsize(k->elf, ELF_T_SYM, 1, EV_CURRENT);
			k->nsyms = k->syms && k->nsyms ? k->syms->d_size / k->nsyms : 0;
			k->strndx = sh.sh_link;
		}
	if (!k->syms)
		return -ENOENT;
	err = index_syms(k);
	if (err)
		return err;
	while ((scn = elf_nextscn(k->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_RELA && sh.sh_entsize) {
			err = read_relocs(k, scn, &sh);
			if (err)
				return err;
		}
	return 0;
}

/* The prototype of the function pointer member at byte OFF of struct T, or 0. */
static uint32_t member_proto(const struct btf *btf, const struct btf_type *t, uint64_t off)
{
	const struct btf_member *m = btf_members(t);
	const struct btf_type *mt;
	uint32_t id;
	int i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (btf_member_bit_offset(t, (uint32_t)i) != off * 8)
			continue;
		id = m->type;
		mt = funcset_skip_mods(btf, &id);
		if (!mt || !btf_is_ptr(mt))
			return 0;
		id = mt->type;
		mt = funcset_skip_mods(btf, &id);
		return mt && btf_is_func_proto(mt) ? id : 0;
	}
	return 0;
}

/* Slots S[0..N) of one object fit struct T: a function pointer at every offset. */
static int fits(const struct btf *btf, const struct btf_type *t, const struct slot *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!member_proto(btf, t, s[i].off))
			return 0;
	return 1;
}

struct match {
	uint32_t first;	 /* first fitting struct */
	int ambiguous;	 /* candidates disagree on some slot's skb register */
	size_t nfit;	 /* fitting structs */
	uint8_t pos[64]; /* skb register per slot, from the first fit */
};

static void match_object(const struct btf *btf, uint64_t size, const struct slot *s, size_t n,
			 struct match *m)
{
	uint32_t id, cnt = btf__type_cnt(btf);
	size_t i;

	memset(m, 0, sizeof(*m));
	for (id = 1; id < cnt && !m->ambiguous; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!btf_is_struct(t) || t->size != size || !fits(btf, t, s, n))
			continue;
		for (i = 0; i < n; i++) {
			int pos = funcset_proto_skb_position(btf, member_proto(btf, t, s[i].off));

			if (!m->nfit)
				m->pos[i] = (uint8_t)pos;
			else if (m->pos[i] != pos)
				m->ambiguous = 1;
		}
		if (!m->nfit++)
			m->first = id;
	}
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * One object's slots: a lone pointer fits too many structs to be trusted, so at least two,
 * and every fitting struct must agree on where each callback's skb is.
 */
static int type_object(struct ko *k, const struct btf *vmlinux, struct btf *out,
		       const struct slot *s, size_t n)
{
	const struct btf_type *t;
	uint32_t proto[sizeof(((struct match *)0)->pos)];
	struct match m;
	GElf_Sym os;
	size_t i;
	int id;

	if (n < 2 || n > sizeof(m.pos) || sym_at(k, s[0].obj, &os))
		return 0;
	match_object(vmlinux, os.st_size, s, n, &m);
	if (!m.nfit || m.ambiguous)
		return 0;
	/*
	 * Adding a name to a split BTF makes libbpf index its base's strings, which moves the
	 * base's types in memory: no btf_type pointer may be held across btf__add_func.
	 */
	t = btf__type_by_id(vmlinux, m.first);
	for (i = 0; i < n; i++)
		proto[i] = m.pos[i] ? member_proto(vmlinux, t, s[i].off) : 0;
	for (i = 0; i < n; i++) {
		if (!proto[i])
			continue;
		id = btf__add_func(out, s[i].func, BTF_FUNC_STATIC, (int)proto[i]);
		if (id < 0)
			return id;
	}
	return 0;
}

static int type_slots(struct ko *k, const struct btf *vmlinux, struct btf *out)
{
	size_t i = 0, j;
	int err;

	if (k->nslots)
		qsort(k->slots, k->nslots, sizeof(*k->slots), cmp_slot);
	for (; i < k->nslots; i = j) {
		for (j = i + 1; j < k->nslots && k->slots[j].obj == k->slots[i].obj; j++)
			;
		err = type_object(k, vmlinux, out, k->slots + i, j - i);
		if (err)
			return err;
	}
	return 0;
}

struct btf *kmod_ko_btf(const struct btf *vmlinux, const char *ko_path)
{
	struct ko k = {0};
	struct btf *out = NULL;
	int fd, err;

	elf_version(EV_CURRENT);
	fd = open(ko_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	k.elf = elf_begin(fd, ELF_C_READ, NULL);
	err = k.elf ? read_ko(&k) : -EINVAL;
	if (!err)
		out = btf__new_empty_split((struct btf *)vmlinux);
	if (!err && !out)
		err = -ENOMEM;
	if (!err)
		err = type_slots(&k, vmlinux, out);
	if (!err && btf__type_cnt(out) == btf__type_cnt(vmlinux))
		err = -ENOENT;
	if (err) {
		btf__free(out);
		out = NULL;
	}
	free(k.slots);
	free(k.objs);
	free(k.funcs);
	elf_end(k.elf);
	close(fd);
	errno = -err;
	return out;
}
