// SPDX-License-Identifier: GPL-2.0
/*
 * A capture file as `pwru --check-filter FILE EXPR` reads it: opened by name, header and
 * link type, every packet run through the filter in the kernel (BPF_PROG_TEST_RUN; needs
 * root and 6.2+). Truncated and corrupted files must end in one error, never a crash.
 */
#include <stdio.h>
#include <string.h>
#include "src/check_filter.h"
#include "target.h"

static FILE *null_out; /* the INDEX MATCH lines are not what is checked here */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	null_out = fopen("/dev/null", "w");
	fuzz_check(null_out != NULL, "/dev/null opens");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	struct pwru_err e = {0};

	if (!path)
		return 0;
	if (check_filter_main(path, "tcp port 80 or udp or ip6", null_out, &e)) {
		fuzz_check(e.cls == PWRU_BAD_INPUT || e.cls == PWRU_NOT_POSSIBLE,
			   "a classed error");
		fuzz_check(e.msg[0] && !strchr(e.msg, '\n'), "one line saying why");
	}
	return 0;
}
