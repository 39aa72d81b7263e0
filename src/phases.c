// SPDX-License-Identifier: GPL-2.0
#include "src/phases.h"
#include "src/probe/pool.h"

static const char *const names[PH_N] = {"btf",	     "kallsyms", "modules", "functions",
					"traceable", "backend",	 "load",    "attach"};
static double t0, last, took[PH_N];

void phases_start(void)
{
	t0 = last = mono_now();
}

void phase_done(enum phase p)
{
	double now = mono_now();

	took[p] += now - last;
	last = now;
}

void phases_print(FILE *f)
{
	int i;

	fprintf(f, "pwru: debug: phases (s):");
	for (i = 0; i < PH_N; i++)
		fprintf(f, " %s %.3f%s", names[i], took[i], i + 1 < PH_N ? "," : ";");
	fprintf(f, " ready at %.3f\n", last - t0);
}
