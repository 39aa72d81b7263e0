// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include "kallsyms/srcline.h"
#include "kallsyms/symbolizer.h"
#include "src/output/symbols.h"

static void note_line(void *arg, const char *msg)
{
	fprintf(arg, "pwru: %s; its functions are shown without source lines\n", msg);
}

struct symbolizer *symbols_open(const struct kallsyms *ks, const char *vmlinux, bool frames,
				FILE *diag)
{
	struct ksrc_opts o = {.vmlinux = vmlinux, .note = note_line, .note_arg = diag};
	struct ksrc *src = NULL;
	struct symbolizer *s;
	char err[1024];
	int rc = ksrc_open(ks, &o, &src, err, sizeof(err));

	/*
	 * Nothing installed and no stack asked for is the common case: said nowhere. Whoever
	 * asks for stacks or callers is told, once, why they come without source lines.
	 */
	if (rc && (vmlinux || frames || rc != -ENOENT))
		fprintf(diag, "pwru: %s; no source lines, symbols from kallsyms\n", err);
	else if (!rc)
		fprintf(diag, "pwru: source lines from %s\n", ksrc_vmlinux(src));
	if (!src && !frames)
		return NULL;
	s = symbolizer_new(ks, src, 0);
	if (!s)
		ksrc_free(src);
	else /* modules and BPF programs loaded after the start get their names too */
		symbolizer_enable_reload(s, NULL, NULL, 1000);
	return s;
}
