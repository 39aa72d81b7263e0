// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "src/kmod_btf.h"

static int push(struct kmod_btfs *kb, size_t *cap, const struct btf *btf, char *module)
{
	if (kb->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct funcset_btf *nv = realloc(kb->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		kb->v = nv;
		*cap = ncap;
	}
	kb->v[kb->n++] = (struct funcset_btf){.btf = btf, .module = module};
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Every module under DIR, sorted so the order (and the output) does not depend on readdir. */
static int list_all(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	char **names = NULL, **nn;

	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux"))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				break;
			names = nn;
		}
		if (!(names[*n] = strdup(e->d_name)))
			break;
		++*n;
	}
	closedir(d);
	if (e) {
		free_names(names, *n);
		return -ENOMEM;
	}
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_str);
	*out = names;
	return 0;
}

static int exists(const char *sysroot, const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s/%s", sysroot, dir, name);
	return !stat(path, &st);
}

/* The kernel spells module names with '_'; modprobe accepts '-' too: so do we. */
static char *module_name(const char *s, size_t len)
{
	char *name = strndup(s, len), *p;

	for (p = name; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

static int check_named(const char *sysroot, const char *name, char *err, size_t errlen)
{
	if (exists(sysroot, "/sys/kernel/btf", name))
		return 0;
	if (exists(sysroot, "/sys/module", name))
		snprintf(err, errlen,
			 "--kmods: module '%s' is loaded but the kernel has no BTF for it "
			 "(needs CONFIG_DEBUG_INFO_BTF_MODULES=y)",
			 name);
	else
		snprintf(err, errlen,
			 "--kmods: '%s' is not a loaded module (no /sys/kernel/btf/%s); load it "
			 "first (modprobe %s) or leave it out",
			 name, name, name);
	return -ENOENT;
}

/* The names in LIST ("a,b"), checked; "vmlinux" is always scanned, so it is dropped. */
static int list_named(const char *list, const char *sysroot, char ***out, size_t *n, char *err,
		      size_t errlen)
{
	size_t cap = 0, len;
	char **names = NULL, **nn, *name;
	const char *p = list;
	int rc = 0;

	*n = 0;
	for (; *p && !rc; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (!len || (len == 7 && !strncmp(p, "vmlinux", 7)))
			continue;
		if (!(name = module_name(p, len)))
			rc = -ENOMEM;
		else if (!(rc = check_named(sysroot, name, err, errlen)) && *n == cap) {
			cap = cap ? cap * 2 : 8;
			nn = realloc(names, cap * sizeof(*names));
			rc = nn ? 0 : -ENOMEM;
			names = nn ? nn : names;
		}
		if (rc)
			free(name);
		else
			names[(*n)++] = name;
	}
	if (rc) {
		free_names(names, *n);
		return rc;
	}
	*out = names;
	return 0;
}

/* Takes ownership of NAMES; a name whose BTF is unreadable fails only when it was asked for. */
static int parse_modules(const struct btf *vmlinux, const char *sysroot, char **names, size_t n,
			 int strict, struct kmod_btfs *kb, size_t *cap, char *err, size_t errlen)
{
	char path[512];
	struct btf *btf;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (rc) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/sys/kernel/btf/%s", sysroot, names[i]);
		btf = btf__parse_split(path, (struct btf *)vmlinux);
		if (!btf) {
			rc = strict ? -errno : 0;
			kb->skipped++;
			if (rc) {
				char why[128];

				libbpf_strerror(rc, why, sizeof(why));
				snprintf(err, errlen,
					 "--kmods: cannot read the BTF of module %s: %s", names[i],
					 why);
			}
			free(names[i]);
			continue;
		}
		rc = push(kb, cap, btf, names[i]);
		if (rc) {
			btf__free(btf);
			free(names[i]);
		}
	}
	free(names);
	return rc;
}

int kmod_btfs_load(const struct btf *vmlinux, enum kmod_mode mode, const char *list,
		   const char *sysroot, struct kmod_btfs *kb, char *err, size_t errlen)
{
	char dir[512], **names = NULL;
	size_t n = 0, cap = 0;
	int rc;

	memset(kb, 0, sizeof(*kb));
	rc = push(kb, &cap, vmlinux, NULL);
	if (rc || mode == KMOD_NONE)
		goto out;
	snprintf(dir, sizeof(dir), "%s/sys/kernel/btf", sysroot);
	rc = mode == KMOD_LIST ? list_named(list, sysroot, &names, &n, err, errlen)
			       : list_all(dir, &names, &n);
	if (!rc)
		rc = parse_modules(vmlinux, sysroot, names, n, mode == KMOD_LIST, kb, &cap, err,
				   errlen);
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "reading module BTF: %s", strerror(ENOMEM));
	else if (rc && mode == KMOD_ALL)
		snprintf(err, errlen, "listing %s: %s", dir, strerror(-rc));
	if (rc)
		kmod_btfs_free(kb);
	return rc;
}

void kmod_btfs_free(struct kmod_btfs *kb)
{
	size_t i;

	for (i = 1; i < kb->n; i++) {
		btf__free((struct btf *)kb->v[i].btf);
		free((char *)kb->v[i].module);
	}
	free(kb->v);
	memset(kb, 0, sizeof(*kb));
}
