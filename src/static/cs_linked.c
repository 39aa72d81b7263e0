// SPDX-License-Identifier: GPL-2.0
/*
 * Linked only into the static binary, in place of kallsyms/cs_dlopen.c: a static
 * executable cannot dlopen() a shared capstone, so it carries its own.
 */
#include "kallsyms/cs_calls.h"

static const struct cs_calls calls = {
    .open = cs_open,
    .option = cs_option,
    .close = cs_close,
    .malloc = cs_malloc,
    .free = cs_free,
    .disasm_iter = cs_disasm_iter,
    .reg_name = cs_reg_name,
    .regs_access = cs_regs_access,
};

const struct cs_calls *cs_calls(char *why, size_t len)
{
	return &calls;
}
