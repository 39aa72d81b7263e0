// SPDX-License-Identifier: GPL-2.0
/*
 * Address to functions and lines, as eu-addr2line -i does: the line table gives the innermost
 * position; each inlined instance around it gives the position in its caller (call_file,
 * call_line), up to the function the code was compiled into.
 */
#include <stdlib.h>
#include <string.h>
#include <dwarf.h>
#include "kallsyms/srcline.h"
#include "kallsyms/srcline_int.h"

/* File names as the kernel tree has them: without the build folder or a leading "./". */
static const char *tree_path(const char *file, const char *comp_dir)
{
	size_t n = comp_dir ? strlen(comp_dir) : 0;

	if (!file)
		return NULL;
	if (n && !strncmp(file, comp_dir, n) && file[n] == '/')
		file += n + 1;
	while (!strncmp(file, "./", 2))
		file += 2;
	return file;
}

static const char *call_file(Dwarf_Die *die, Dwarf_Die *cu)
{
	Dwarf_Attribute a;
	Dwarf_Files *files;
	Dwarf_Word idx;
	size_t n;

	if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &a), &idx) ||
	    dwarf_getsrcfiles(cu, &files, &n) || idx >= n)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

static unsigned int call_line(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	Dwarf_Word line = 0;

	dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &a), &line);
	return (unsigned int)line;
}

/* The DIEs around the innermost scope at PC (the CU relative address), innermost first. */
static int scope_chain(Dwfl_Module *mod, Dwarf_Die *cu, Dwarf_Addr pc, Dwarf_Die **chain)
{
	Dwarf_Die *scopes = NULL, inner;
	Dwarf_Addr bias;
	Dwarf *dw;
	int n = dwarf_getscopes(cu, pc, &scopes);

	*chain = NULL;
	if (n <= 0) {
		free(scopes);
		return 0;
	}
	/* As eu-addr2line: from the innermost DIE, the nesting of the concrete tree. */
	dw = dwfl_module_getdwarf(mod, &bias);
	if (!dw || !dwarf_offdie(dw, dwarf_dieoffset(&scopes[0]), &inner)) {
		free(scopes);
		return 0;
	}
	free(scopes);
	n = dwarf_getscopes_die(&inner, chain);
	return n > 0 ? n : 0;
}

int ksrc_lookup(struct ksrc *s, uint64_t addr, const char *module, struct ksrc_frame *frames,
		int max)
{
	struct ksrc_mod *m = module ? srcline_module(s, module) : &s->kernel;
	Dwarf_Die *cu, *chain = NULL;
	Dwarf_Addr bias = 0;
	Dwfl_Line *line;
	const char *comp_dir, *file;
	int lineno = 0, n, i, k = 0, tag;

	if (!m || !m->mod || max < 1 || !(cu = dwfl_module_addrdie(m->mod, addr, &bias)))
		return 0;
	line = dwfl_module_getsrc(m->mod, addr);
	file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
	if (!file)
		return 0;
	comp_dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &(Dwarf_Attribute){0}));
	n = scope_chain(m->mod, cu, addr - bias, &chain);
	for (i = 0; i < n && k < max; i++) {
		tag = dwarf_tag(&chain[i]);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		frames[k++] = (struct ksrc_frame){.func = dwarf_diename(&chain[i]),
						  .file = tree_path(file, comp_dir),
						  .line = (unsigned int)lineno};
		if (tag == DW_TAG_subprogram)
			break;
		file = call_file(&chain[i], cu);
		lineno = (int)call_line(&chain[i]);
	}
	free(chain);
	if (!k)
		frames[k++] = (struct ksrc_frame){.file = tree_path(file, comp_dir),
						  .line = (unsigned int)lineno};
	return k;
}
