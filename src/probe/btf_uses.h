/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a start takes from the kernel's BTF once discovery is done: the kernel objects and
 * types the programs refer to by id, whether bpf_get_func_ip exists, the backends' test
 * function, the packet filter's cast, the drop reasons' names, and the object's CO-RE cut
 * (src/probe/core_btf.h) for the programs chosen. All are fixed for a boot, a build and
 * the flags discovery's copy is keyed on (src/discover/disc_cache.h), so they are kept
 * next to it ("btf"): a warm start that finds them parses no BTF (src/discover/kbtf.h).
 * With nf_tables loaded, nft_do_chain's id in its split BTF and the cut from that BTF
 * too: the copy's word then also names nf_tables' BTF (btf_uses_config).
 */
#ifndef PWRU_BTF_USES_H
#define PWRU_BTF_USES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bpf/ktype_ids.h"
#include "filters/cbpf_xlate.h"
#include "src/discover/boot_cache.h"
#include "src/probe/kernel_refs.h"

struct btf;
struct bpf_object;
struct drop_reasons;

struct btf_uses {
	struct kernel_refs refs; /* all 0 for a --kernel-btf file: not the running kernel's */
	bool get_func_ip;	 /* enum bpf_func_id has BPF_FUNC_get_func_ip */
	__u32 ktype_ids[PWRU_KT_N];
	int test_fn_id; /* FUNC bpf_fentry_test1, <= 0 where there is none */
	struct cbpf_cast cast;
	int cast_rc;		      /* cbpf_cast_from_btf()'s result */
	struct drop_reasons *reasons; /* owned */
	uint64_t core_progs;	      /* the programs CORE was cut for (btf_uses_progs) */
	unsigned char *core;	      /* raw BTF, or NULL: not cut yet */
	size_t core_len;
	unsigned char *core_res; /* libbpf's CO-RE results for CORE_PROGS, or NULL (core_kept.h) */
	size_t core_res_len;
	/* FUNC nft_do_chain in nf_tables' BTF; 0: not looked up, < 0: none */
	int32_t nft_id;
	bool grown; /* something looked up after the copy was read: written again */
};

/*
 * The copy's word: CONFIG (the discovery copy's) and the identity of ROOT's
 * /sys/kernel/btf/nf_tables, which a kept nft_do_chain id and cut were read from.
 */
uint64_t btf_uses_config(const char *root, uint64_t config);
/* U from BTF (USER_BTF: a --kernel-btf file), all but the cut. 0 or a negative errno. */
int btf_uses_find(const struct btf *btf, bool user_btf, struct btf_uses *u);
/* What OBJ's CO-RE cut depends on: the names of the programs to be loaded. */
uint64_t btf_uses_progs(struct bpf_object *obj);
/* Keeps the cut for PROGS from FD (the CO-RE memfd); 0 or a negative errno. */
int btf_uses_take_core(struct btf_uses *u, uint64_t progs, int fd);
/* Keeps RES (malloc'ed, LEN bytes: the CO-RE results for U's cut's programs), owned now. */
void btf_uses_take_results(struct btf_uses *u, unsigned char *res, size_t len);
/*
 * Fills U from ROOT's copy when it is this boot's under the same modules and CONFIG (the
 * discovery copy's word), and whole: true. KEY is set either way, for btf_uses_write.
 */
bool btf_uses_read(const char *root, uint64_t config, struct btf_uses *u, struct boot_key *key);
/* Keeps U for later starts; silent when it cannot. */
void btf_uses_write(const char *root, uint64_t config, const struct btf_uses *u,
		    const struct boot_key *key);
void btf_uses_free(struct btf_uses *u);

#endif
