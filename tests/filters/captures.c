// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "captures.h"

#define ETH_HLEN 14

int capture_link_dlt(enum capture_link link)
{
	return link == LINK_L2 ? DLT_EN10MB : DLT_RAW;
}

const char *capture_link_name(enum capture_link link)
{
	return link == LINK_L2 ? "EN10MB" : "RAW";
}

static int add_pkt(struct capture_set *set, enum capture_link link, const char *file,
		   unsigned int index, const struct pcap_pkthdr *h, const unsigned char *data,
		   int derived)
{
	struct capture_pkt *p, *grown;
	size_t n = set->count[link];

	/* Grow by doubling: the L2 set holds thousands of packets. */
	if ((n & (n - 1)) == 0) {
		grown = realloc(set->pkts[link], (n ? 2 * n : 64) * sizeof(*grown));
		if (!grown)
			return -1;
		set->pkts[link] = grown;
	}
	p = &set->pkts[link][n];
	p->file = file;
	p->index = index;
	p->caplen = h->caplen;
	p->wirelen = h->len;
	p->derived = derived;
	p->data = malloc(h->caplen ? h->caplen : 1);
	if (!p->data)
		return -1;
	memcpy(p->data, data, h->caplen);
	set->count[link]++;
	if (h->caplen < h->len)
		set->truncated[link]++;
	return 0;
}

/* An untagged IPv4 or IPv6 frame, seen from its network header. */
static int add_derived(struct capture_set *set, const char *file, unsigned int index,
		       const struct pcap_pkthdr *h, const unsigned char *data)
{
	struct pcap_pkthdr l3 = *h;
	unsigned int type;

	if (h->caplen <= ETH_HLEN)
		return 0;
	type = data[12] << 8 | data[13];
	if (type != 0x0800 && type != 0x86dd)
		return 0;
	l3.caplen -= ETH_HLEN;
	l3.len -= ETH_HLEN;
	return add_pkt(set, LINK_L3, file, index, &l3, data + ETH_HLEN, 1);
}

static int load_file(struct capture_set *set, const char *path, const char *name,
		     enum capture_link link, int derive_l3, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const unsigned char *data;
	unsigned int index = 0;
	pcap_t *p;
	int dlt, rc;

	p = pcap_open_offline(path, perr);
	if (!p) {
		snprintf(err, errlen, "%s: %s", path, perr);
		return -1;
	}
	dlt = pcap_datalink(p);
	if ((link == LINK_L2) != (dlt == DLT_EN10MB) ||
	    (link == LINK_L3 && dlt != DLT_RAW && dlt != DLT_IPV4 && dlt != DLT_IPV6)) {
		snprintf(err, errlen, "%s: link type %s does not belong in this folder", path,
			 pcap_datalink_val_to_name(dlt));
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (add_pkt(set, link, name, index, h, data, 0) ||
		    (derive_l3 && link == LINK_L2 && add_derived(set, name, index, h, data)))
			rc = -3;
		if (rc == -3)
			break;
		index++;
	}
	if (rc != PCAP_ERROR_BREAK) {
		snprintf(err, errlen, "%s: packet %u: %s", path, index,
			 rc == -3 ? "out of memory" : pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	set->files[link]++;
	return 0;
}

static int is_capture(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".pcap");
}

/* Packets point at the name for the set's whole life. */
static int keep_name(struct capture_set *set, const char *sub, const char *base, char **name)
{
	char **grown = realloc(set->names, (set->nnames + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	set->names = grown;
	if (asprintf(name, "%s/%s", sub, base) < 0)
		return -1;
	set->names[set->nnames++] = *name;
	return 0;
}

static int load_dir(struct capture_set *set, const char *dir, const char *sub,
		    enum capture_link link, int derive_l3, char *err, size_t errlen)
{
	struct dirent **names;
	char path[4096];
	int n, i, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	n = scandir(path, &names, is_capture, alphasort);
	if (n <= 0) {
		snprintf(err, errlen, "%s: no .pcap files (%s)", path,
			 n < 0 ? "cannot read the folder" : "empty");
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *name = NULL;

		if (!rc && keep_name(set, sub, names[i]->d_name, &name))
			rc = -1;
		snprintf(path, sizeof(path), "%s/%s", dir, name ? name : "");
		if (!rc && load_file(set, path, name, link, derive_l3, err, errlen))
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int captures_load(const char *dir, int derive_l3, struct capture_set *set, char *err, size_t errlen)
{
	memset(set, 0, sizeof(*set));
	if (load_dir(set, dir, "ethernet", LINK_L2, derive_l3, err, errlen) ||
	    load_dir(set, dir, "raw-ip", LINK_L3, 0, err, errlen)) {
		captures_free(set);
		return -1;
	}
	return 0;
}

void captures_free(struct capture_set *set)
{
	size_t i;
	int l;

	for (l = 0; l < LINK_COUNT; l++) {
		for (i = 0; i < set->count[l]; i++)
			free(set->pkts[l][i].data);
		free(set->pkts[l]);
	}
	for (i = 0; i < set->nnames; i++)
		free(set->names[i]);
	free(set->names);
	memset(set, 0, sizeof(*set));
}
