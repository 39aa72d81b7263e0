// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "src/output/netns_names.h"

#define MAX_NAMES 1024 /* bounded whatever lives in the directory */
#define NAME_MAX_ 64

struct entry {
	uint32_t inum;
	char name[NAME_MAX_];
};

struct netns_names {
	char *dir;
	struct entry e[MAX_NAMES];
	size_t n;
	time_t scanned;
};

static void scan(struct netns_names *nn)
{
	DIR *d = opendir(nn->dir);
	struct dirent *de;
	struct stat st;
	char path[4096];

	nn->n = 0;
	nn->scanned = time(NULL);
	if (!d)
		return;
	while ((de = readdir(d)) && nn->n < MAX_NAMES) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= NAME_MAX_)
			continue;
		snprintf(path, sizeof(path), "%s/%s", nn->dir, de->d_name);
		/* stat follows the bind mount to the namespace itself: its inode is the netns's */
		if (stat(path, &st))
			continue;
		nn->e[nn->n].inum = (uint32_t)st.st_ino;
		memcpy(nn->e[nn->n].name, de->d_name, strlen(de->d_name) + 1);
		nn->n++;
	}
	closedir(d);
}

struct netns_names *netns_names_new(const char *dir)
{
	struct netns_names *nn = calloc(1, sizeof(*nn));

	if (nn && !(nn->dir = strdup(dir))) {
		free(nn);
		return NULL;
	}
	if (nn)
		scan(nn);
	return nn;
}

static const char *lookup(const struct netns_names *nn, uint32_t inum)
{
	size_t i;

	for (i = 0; i < nn->n; i++)
		if (nn->e[i].inum == inum)
			return nn->e[i].name;
	return NULL;
}

const char *netns_name(struct netns_names *nn, uint32_t inum)
{
	const char *name = lookup(nn, inum);

	if (name || !inum)
		return name ? name : "";
	if (time(NULL) != nn->scanned) {
		scan(nn);
		name = lookup(nn, inum);
	}
	return name ? name : "";
}

void netns_names_free(struct netns_names *nn)
{
	if (!nn)
		return;
	free(nn->dir);
	free(nn);
}
