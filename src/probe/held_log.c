// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "src/probe/held_log.h"

static FILE *held;
static char *text;
static size_t len;
static libbpf_print_fn_t prev;

static int hold(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN && held ? vfprintf(held, fmt, ap) : 0;
}

void held_log_begin(void)
{
	held = open_memstream(&text, &len);
	prev = libbpf_set_print(hold);
}

/* Through the printer the hold replaced: it may itself be holding, or quiet. */
static void pass_on(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (prev)
		prev(LIBBPF_WARN, fmt, ap);
	va_end(ap);
}

void held_log_end(bool show)
{
	libbpf_set_print(prev);
	if (held)
		fclose(held);
	held = NULL;
	if (show && text && *text)
		pass_on("%s", text);
	free(text);
	text = NULL;
	len = 0;
}
