/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capstone calls pwru makes, through pointers. The dynamic pwru opens capstone with
 * dlopen() at first use (cs_dlopen.c): only --filter-track-bpf-helpers disassembles, and
 * linking it made every start load and relocate its 6.6 MB (77,000 relocations, about
 * 13 ms of a start in the 6.12 VM, docs/performance.md). The static pwru links it
 * (src/static/cs_linked.c).
 */
#ifndef PWRU_CS_CALLS_H
#define PWRU_CS_CALLS_H

#include <stddef.h>
#include <capstone/capstone.h>

struct cs_calls {
	__typeof__(cs_open) *open;
	__typeof__(cs_option) *option;
	__typeof__(cs_close) *close;
	__typeof__(cs_malloc) *malloc;
	__typeof__(cs_free) *free;
	__typeof__(cs_disasm_iter) *disasm_iter;
	__typeof__(cs_reg_name) *reg_name;
	__typeof__(cs_regs_access) *regs_access;
};

/* The library's soname: its major version, as the headers built against name it. */
#define PWRU_CS_STR(x)	#x
#define PWRU_CS_XSTR(x) PWRU_CS_STR(x)
#define PWRU_CS_SONAME	"libcapstone.so." PWRU_CS_XSTR(CS_API_MAJOR)

/*
 * The calls, or NULL with what is missing written to WHY (one line, naming the library).
 * Opens the library at the first call; later calls return the same answer.
 */
const struct cs_calls *cs_calls(char *why, size_t len);

#endif
