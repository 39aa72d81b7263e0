// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "regression.h"

static int parse_hex(struct regression *r, const char *hex)
{
	size_t n = strlen(hex), i;

	if (n % 2)
		return -1;
	r->caplen = n / 2;
	r->pkt = malloc(r->caplen ? r->caplen : 1);
	if (!r->pkt)
		return -1;
	for (i = 0; i < r->caplen; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		r->pkt[i] = b;
	}
	return 0;
}

static const char *parse_field(struct regression *r, char *line, int *seen)
{
	char *val = strchr(line, ':'), *end;

	if (!val)
		return "line is not 'KEY: VALUE'";
	*val++ = '\0';
	val += strspn(val, " \t");
	end = val + strlen(val);
	while (end > val && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
		*--end = '\0';
	if (!strcmp(line, "expr") && !r->expr) {
		r->expr = strdup(val);
		*seen |= 1;
	} else if (!strcmp(line, "link")) {
		if (strcmp(val, "EN10MB") && strcmp(val, "RAW"))
			return "link is not EN10MB or RAW";
		r->link = strcmp(val, "RAW") ? LINK_L2 : LINK_L3;
		*seen |= 2;
	} else if (!strcmp(line, "wirelen")) {
		r->wirelen = strtoul(val, &end, 10);
		if (*end || end == val)
			return "wirelen is not a number";
		*seen |= 4;
	} else if (!strcmp(line, "packet") && !r->pkt) {
		if (parse_hex(r, val))
			return "packet is not hex bytes";
		*seen |= 8;
	} else {
		return "unknown or repeated key (want expr, link, wirelen, packet)";
	}
	return NULL;
}

int regression_load(const char *path, struct regression *r, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	const char *bad = NULL;
	char *line = NULL;
	size_t cap = 0;
	int seen = 0;

	memset(r, 0, sizeof(*r));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!bad && getline(&line, &cap, f) >= 0) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		bad = parse_field(r, line, &seen);
	}
	free(line);
	fclose(f);
	if (!bad && seen != 15)
		bad = "needs expr, link, wirelen and packet";
	if (!bad && r->wirelen < r->caplen)
		bad = "wirelen is smaller than the packet";
	if (bad) {
		snprintf(err, errlen, "%s: %s", path, bad);
		regression_free(r);
		return -1;
	}
	return 0;
}

/* FNV-1a over everything that defines the case, so the same case gets the same name. */
static unsigned long long case_hash(const struct regression *r)
{
	unsigned long long h = 1469598103934665603ULL;
	unsigned int i;

	for (i = 0; r->expr[i]; i++)
		h = (h ^ (unsigned char)r->expr[i]) * 1099511628211ULL;
	for (i = 0; i < r->caplen; i++)
		h = (h ^ r->pkt[i]) * 1099511628211ULL;
	return (h ^ r->wirelen ^ r->link) * 1099511628211ULL;
}

void regression_write(FILE *f, const struct regression *r, const char *note)
{
	unsigned int i;

	fprintf(f, "# %s\nexpr: %s\nlink: %s\nwirelen: %u\npacket: ", note, r->expr,
		capture_link_name(r->link), r->wirelen);
	for (i = 0; i < r->caplen; i++)
		fprintf(f, "%02x", r->pkt[i]);
	fprintf(f, "\n");
}

int regression_save(const char *dir, const struct regression *r, const char *note, char *path,
		    size_t pathlen)
{
	FILE *f;

	snprintf(path, pathlen, "%s/%016llx.txt", dir, case_hash(r));
	f = fopen(path, "w");
	if (!f)
		return -1;
	regression_write(f, r, note);
	return fclose(f) ? -1 : 0;
}

void regression_free(struct regression *r)
{
	free(r->expr);
	free(r->pkt);
	memset(r, 0, sizeof(*r));
}
