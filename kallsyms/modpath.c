// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms/modpath.h"

char *modpath_name(const char *s, size_t len)
{
	char *name = strndup(s, len), *p;

	for (p = name; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

/* The module name of a modules.dep path: its base name up to ".ko" (then maybe .xz etc.). */
static char *entry_name(const char *path)
{
	const char *base = strrchr(path, '/'), *ko;

	base = base ? base + 1 : path;
	ko = strstr(base, ".ko");
	if (!ko || (ko[3] && ko[3] != '.'))
		return NULL;
	return modpath_name(base, (size_t)(ko - base));
}

int modpath_find(const char *root, const char *release, const char *name, char *out, size_t len)
{
	char path[512], line[1024], *colon, *mod;
	int rc = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "%s/lib/modules/%s/modules.dep", root, release);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (rc == -ENOENT && fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		mod = entry_name(line);
		if (mod && !strcmp(mod, name))
			rc = snprintf(out, len, "%s", line) < (int)len ? 0 : -ENAMETOOLONG;
		free(mod);
	}
	fclose(f);
	return rc;
}
