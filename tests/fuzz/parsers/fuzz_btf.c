// SPDX-License-Identifier: GPL-2.0
/*
 * A BTF file as --kernel-btf hands it to pwru (raw BTF or an ELF with .BTF, parsed by
 * libbpf), then what pwru reads from it: the functions taking an skb (funcset), the drop
 * reasons, the sk_buff offsets of `inbound`/`ifindex` (filters/skb_btf.c). The same bytes
 * as a module's split BTF on top of a small base, as /sys/kernel/btf/MODULE is read.
 */
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "filters/pcap_filter.h"
#include "kallsyms/kallsyms.h"
#include "src/discover/btf_check.h"
#include "src/discover/funcset.h"
#include "src/output/drop_reason.h"
#include "tests/data/btf/crafted_btf.h"
#include "target.h"

static struct kallsyms *ks;
static struct btf *base;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char text[] = "ffffffff81000000 T icmp_rcv\n"
				   "ffffffff81000100 t ip_rcv\n"
				   "ffffffff81000200 t ip_rcv\n"
				   "ffffffffc0000000 t veth_xmit\t[veth]\n";

	kallsyms_parse(text, sizeof(text) - 1, &ks);
	base = crafted_skb_empty();
	return 0;
}

/* Everything pwru asks of a kernel BTF; none of it may crash, hang or leak. */
static void use(const struct btf *btf, const char *module)
{
	struct funcset_btf fb[2] = {{.btf = btf, .module = module}};
	struct drop_reasons *dr = NULL;
	struct pcap_filter *f = NULL;
	struct pwru_err e = {0};
	struct funcset fs;
	char err[256];
	size_t i;

	if (!drop_reasons_load(btf, &dr)) {
		for (i = 0; i < 8; i++)
			drop_reason_name(dr, i);
		drop_reasons_free(dr);
	}
	if (!funcset_build(fb, 1, ks, NULL, &fs, &e)) {
		for (i = 0; i < fs.n; i++)
			fuzz_check(fs.funcs[i].pos >= 1 && fs.funcs[i].pos <= FUNCSET_MAX_POS,
				   "skb register in 1..5");
		funcset_free(&fs);
	}
	if (!pcap_filter_compile_btf("inbound or ifindex 2", btf, &f, err, sizeof(err)))
		pcap_filter_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	struct btf *btf;
	char why[128];

	if (!path)
		return 0;
	/* what --kernel-btf FILE does, and then a module's split BTF: each checked as pwru does */
	btf = btf__parse(path, NULL);
	if (btf && btf_layout_ok(btf, why, sizeof(why)))
		use(btf, NULL);
	btf__free(btf);
	btf = btf__parse_split(path, base);
	if (btf && btf_layout_ok(btf, why, sizeof(why)))
		use(btf, "veth");
	btf__free(btf);
	return 0;
}
