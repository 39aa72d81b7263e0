// SPDX-License-Identifier: GPL-2.0
/* capstone found at first use with dlopen() (cs_calls.h says why); the dynamic pwru only. */
#include <dlfcn.h>
#include <stdio.h>
#include "kallsyms/cs_calls.h"

static struct cs_calls calls;
static char missing[256];
static int tried;

/* NAME in LIB; the first name missing is kept in missing[]. */
static void *find(void *lib, const char *name)
{
	void *p = dlsym(lib, name);

	if (!p && !*missing)
		snprintf(missing, sizeof(missing), "%s has no %s", PWRU_CS_SONAME, name);
	return p;
}

/* dlsym's documented way to a function pointer (a void * cannot be converted to one). */
#define FIND(lib, call) (*(void **)&calls.call = find(lib, "cs_" #call))

const struct cs_calls *cs_calls(char *why, size_t len)
{
	void *lib;

	if (!tried) {
		tried = 1;
		lib = dlopen(PWRU_CS_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (!lib) {
			snprintf(missing, sizeof(missing), "%s", dlerror());
		} else {
			FIND(lib, open);
			FIND(lib, option);
			FIND(lib, close);
			FIND(lib, malloc);
			FIND(lib, free);
			FIND(lib, disasm_iter);
			FIND(lib, reg_name);
			FIND(lib, regs_access);
			if (*missing)
				dlclose(lib);
		}
	}
	if (*missing) {
		snprintf(why, len, "%s", missing);
		return NULL;
	}
	return &calls;
}
