// SPDX-License-Identifier: GPL-2.0
/* A stand-in module: code in .text and in .text.unlikely, as the kernel's .cold parts are. */
extern void sink(int v);

static inline __attribute__((always_inline)) void mod_inner(int v)
{
	sink(v << 2); /* LINE: mod_inner_calls_sink */
}

__attribute__((noinline)) void mod_xmit(int v)
{
	mod_inner(v); /* LINE: mod_xmit_calls_inner */
}

__attribute__((noinline, cold)) void mod_error(int v)
{
	sink(-v); /* LINE: mod_error_calls_sink */
}
