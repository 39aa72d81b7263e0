// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "kallsyms/modpath.h"
#include "src/discover/btf_check.h"
#include "src/discover/kmod_btf.h"
#include "src/discover/kmod_ko.h"

static int push(struct kmod_btfs *kb, size_t *cap, const struct btf *btf, char *module,
		bool synthetic)
{
	if (kb->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct funcset_btf *nv = realloc(kb->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		kb->v = nv;
		*cap = ncap;
	}
	kb->v[kb->n++] = (struct funcset_btf){.btf = btf, .module = module, .synthetic = synthetic};
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

static int exists(const char *sysroot, const char *dir, const char *name);

static int add_name(char ***names, size_t *n, size_t *cap, const char *name)
{
	char **nn;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		nn = realloc(*names, *cap * sizeof(*nn));
		if (!nn)
			return -ENOMEM;
		*names = nn;
	}
	if (!((*names)[*n] = strdup(name)))
		return -ENOMEM;
	++*n;
	return 0;
}

/*
 * Entries of SYSROOT/DIR; with MARKER, only those holding that file (a loaded module has
 * /sys/module/NAME/initstate, a built-in one does not).
 */
static int scan_dir(const char *sysroot, const char *dir, const char *marker, char ***names,
		    size_t *n, size_t *cap)
{
	char path[512];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "%s%s", sysroot, dir);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", e->d_name, marker ? marker : "");
		if (!marker || exists(sysroot, dir, path))
			rc = add_name(names, n, cap, e->d_name);
	}
	closedir(d);
	return rc;
}

/*
 * Every loaded module: those with BTF, and those without (before 5.11, or built without
 * it), sorted and unique so the order (and the output) does not depend on readdir.
 */
static int list_all(const char *sysroot, char ***out, size_t *n)
{
	char **names = NULL;
	size_t i, cap = 0, u = 0;
	int rc;

	*n = 0;
	rc = scan_dir(sysroot, "/sys/kernel/btf", NULL, &names, n, &cap);
	if (!rc)
		rc = scan_dir(sysroot, "/sys/module", "initstate", &names, n, &cap);
	if (rc) {
		free_names(names, *n);
		return rc;
	}
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_str);
	for (i = 0; i < *n; i++)
		if (u && !strcmp(names[u - 1], names[i]))
			free(names[i]);
		else
			names[u++] = names[i];
	*n = u;
	*out = names;
	return 0;
}

static int exists(const char *sysroot, const char *dir, const char *name)
{
	char path[1024];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s%s/%s", sysroot, dir, name) >= (int)sizeof(path))
		return 0;
	return !stat(path, &st);
}

/* A name that is not loaded is a bad flag value, unlike a loaded module pwru cannot read. */
static int check_named(const char *sysroot, const char *name, struct pwru_err *e)
{
	if (exists(sysroot, "/sys/kernel/btf", name) || exists(sysroot, "/sys/module", name))
		return 0;
	return err_bad_input(
	    e, ENOENT,
	    "--kmods: '%s' is not a loaded module (no /sys/kernel/btf/%s); load it "
	    "first (modprobe %s) or leave it out",
	    name, name, name);
}

/* The names in LIST ("a,b"), checked; "vmlinux" is always scanned, so it is dropped. */
static int list_named(const char *list, const char *sysroot, char ***out, size_t *n,
		      struct pwru_err *e)
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
		if (!(name = modpath_name(p, len)))
			rc = err_from_errno(e, -ENOMEM, "--kmods");
		else if (!(rc = check_named(sysroot, name, e)) && *n == cap) {
			cap = cap ? cap * 2 : 8;
			nn = realloc(names, cap * sizeof(*names));
			rc = nn ? 0 : err_from_errno(e, -ENOMEM, "--kmods");
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

/* The uncompressed .ko of module NAME, from modules.dep; 0 when found. */
static int ko_path(const char *sysroot, const char *name, char *out, size_t len)
{
	char entry[512];
	struct utsname u;
	size_t n;
	int rc;

	if (uname(&u))
		return -errno;
	rc = modpath_find(sysroot, u.release, name, entry, sizeof(entry));
	if (rc)
		return rc;
	n = strlen(entry);
	if (n < 3 || strcmp(entry + n - 3, ".ko"))
		return -ENOENT; /* compressed: not read */
	/* Paths are relative to the release's folder, or absolute. */
	if (entry[0] == '/')
		rc = snprintf(out, len, "%s%s", sysroot, entry);
	else
		rc = snprintf(out, len, "%s/lib/modules/%s/%s", sysroot, u.release, entry);
	return rc < (int)len ? 0 : -ENAMETOOLONG;
}

/* No BTF for module NAME: type its callbacks from its .ko. */
static struct btf *ko_btf(const struct btf *vmlinux, const char *sysroot, const char *name)
{
	char path[512];

	if (ko_path(sysroot, name, path, sizeof(path)))
		return NULL;
	return kmod_ko_btf(vmlinux, path);
}

/*
 * Module NAME (taken over) joins KB: its own BTF, else what its .ko gives. One whose BTF is
 * unreadable fails only when STRICT (it was asked for by name); else it is counted.
 */
static int add_module(const struct btf *vmlinux, const char *sysroot, char *name, int strict,
		      struct kmod_btfs *kb, size_t *cap, struct pwru_err *e)
{
	char path[512], why[128];
	struct btf *btf;
	int rc = 0, synthetic = !exists(sysroot, "/sys/kernel/btf", name);

	if (synthetic) {
		btf = ko_btf(vmlinux, sysroot, name);
		kb->from_ko += btf != NULL;
		kb->untyped += btf == NULL;
		if (!btf && strict)
			rc = err_not_possible(
			    e, ENOENT,
			    "--kmods: module '%s' is loaded but the kernel has no BTF for it "
			    "(needs CONFIG_DEBUG_INFO_BTF_MODULES=y, 5.11+) and its .ko has no "
			    "callback pwru can type",
			    name);
	} else {
		snprintf(path, sizeof(path), "%s/sys/kernel/btf/%s", sysroot, name);
		btf = btf__parse_split(path, (struct btf *)vmlinux);
		rc = btf ? 0 : errno;
		if (btf && !btf_layout_ok(btf, why, sizeof(why))) {
			btf__free(btf);
			btf = NULL;
			rc = EINVAL;
		} else if (!btf) {
			libbpf_strerror(rc, why, sizeof(why));
		}
		kb->skipped += btf == NULL;
		/* unreadable: fatal when asked for by name, else counted and reported */
		rc = !btf && strict
			 ? err_not_possible(e, rc, "--kmods: cannot read the BTF of module %s: %s",
					    name, why)
			 : 0;
	}
	if (btf && !push(kb, cap, btf, name, synthetic))
		return 0;
	if (btf)
		rc = err_from_errno(e, -ENOMEM, "reading module BTF");
	btf__free(btf);
	free(name);
	return rc;
}

/* Takes ownership of NAMES. */
static int parse_modules(const struct btf *vmlinux, const char *sysroot, char **names, size_t n,
			 int strict, struct kmod_btfs *kb, size_t *cap, struct pwru_err *e)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (rc)
			free(names[i]);
		else
			rc = add_module(vmlinux, sysroot, names[i], strict, kb, cap, e);
	}
	free(names);
	return rc;
}

int kmod_btfs_load(const struct btf *vmlinux, enum kmod_mode mode, const char *list,
		   const char *sysroot, struct kmod_btfs *kb, struct pwru_err *e)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc;

	memset(kb, 0, sizeof(*kb));
	if (push(kb, &cap, vmlinux, NULL, false))
		return err_from_errno(e, -ENOMEM, "reading module BTF");
	if (mode == KMOD_NONE)
		return 0;
	if (mode == KMOD_LIST)
		rc = list_named(list, sysroot, &names, &n, e);
	else if ((rc = list_all(sysroot, &names, &n)))
		rc = err_from_errno(e, rc,
				    "listing the loaded modules in %s/sys/kernel/btf and "
				    "%s/sys/module",
				    sysroot, sysroot);
	if (!rc)
		rc = parse_modules(vmlinux, sysroot, names, n, mode == KMOD_LIST, kb, &cap, e);
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
