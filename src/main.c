// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "pwru.skel.h"

int main(int argc, char **argv)
{
	fprintf(stderr, "pwru %s: not implemented yet\n", PWRU_VERSION);
	return 1;
}
