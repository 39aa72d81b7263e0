// SPDX-License-Identifier: GPL-2.0
/* /proc/kallsyms as pwru parses it (kallsyms_parse), and the lookups every event makes. */
#include <string.h>
#include "kallsyms/kallsyms.h"
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"ip_rcv", "veth_xmit", "", "a"};
	struct kallsyms *ks;
	const struct ksym *s, *first;
	uint64_t addr, off;
	size_t i, n;

	if (kallsyms_parse((const char *)data, size, &ks))
		return 0;
	kallsyms_hidden(ks);
	n = kallsyms_count(ks);
	fuzz_check(n <= size / 4 + 1, "no more symbols than lines");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = kallsyms_lookup_name(ks, names[i], NULL, &first);

		fuzz_check(!k || (first && !strcmp(first->name, names[i])), "name lookup");
		kallsyms_lookup_name(ks, names[i], "veth", &first);
	}
	/* addresses from the input's own bytes: near its symbols as often as not */
	for (i = 0; i + sizeof(addr) <= size && i < 64 * sizeof(addr); i += sizeof(addr)) {
		memcpy(&addr, data + i, sizeof(addr));
		s = kallsyms_nearest(ks, addr, &off);
		fuzz_check(!s || (s->addr <= addr && off == addr - s->addr), "nearest below");
		if (!s)
			continue;
		s = kallsyms_lookup_addr(ks, s->addr);
		fuzz_check(s != NULL, "the nearest symbol is found at its own address");
		fuzz_check(kallsyms_lookup_name(ks, s->name, s->module, &first) > 0,
			   "and by its own name");
	}
	kallsyms_free(ks);
	return 0;
}
