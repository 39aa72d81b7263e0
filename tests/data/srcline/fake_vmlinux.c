// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in vmlinux for the source-line tests: built with DWARF at the kernel's link address,
 * with inlined functions nested two deep. The LINE: markers name the lines the tests expect.
 */
volatile int sink_value;

__attribute__((noinline)) void sink(int v)
{
	sink_value += v; /* LINE: sink_body */
}

static inline __attribute__((always_inline)) void inner(int v)
{
	sink(v * 3); /* LINE: inner_calls_sink */
}

static inline __attribute__((always_inline)) void middle(int v)
{
	inner(v + 1); /* LINE: middle_calls_inner */
}

__attribute__((noinline)) void outer(int v)
{
	middle(v); /* LINE: outer_calls_middle */
	sink(v); /* LINE: outer_calls_sink */
}

void _start(void)
{
	outer(1);
	for (;;)
		;
}
