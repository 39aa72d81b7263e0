// SPDX-License-Identifier: GPL-2.0
/*
 * A module's .ko as pwru reads it on kernels without module BTF (src/discover/kmod_ko.c):
 * ELF sections, symbols and relocations, matched against this machine's vmlinux BTF. The
 * result, when there is one, is walked like a module's BTF.
 */
#include <bpf/btf.h>
#include "kallsyms/kallsyms.h"
#include "src/discover/funcset.h"
#include "src/discover/kmod_ko.h"
#include "target.h"

static struct btf *vmlinux;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	vmlinux = btf__load_vmlinux_btf();
	fuzz_check(vmlinux != NULL, "this machine's vmlinux BTF is readable");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	struct funcset_btf fb[2] = {{.btf = vmlinux}};
	struct pwru_err e = {0};
	struct kallsyms *ks;
	struct funcset fs;
	struct btf *mod;

	if (!path || !(mod = kmod_ko_btf(vmlinux, path)))
		return 0;
	fb[1] = (struct funcset_btf){.btf = mod, .module = "fuzzed"};
	if (!kallsyms_parse("", 0, &ks)) {
		if (!funcset_build(fb + 1, 1, ks, NULL, &fs, &e))
			funcset_free(&fs);
		kallsyms_free(ks);
	}
	btf__free(mod);
	return 0;
}
