// SPDX-License-Identifier: GPL-2.0
/*
 * --output-pcap FILE: the packet section of each record as pcapng, readable by libpcap
 * (tcpdump, pwru --check-filter) as well as Wireshark and tshark. One Ethernet interface:
 * libpcap refuses a pcapng file whose interfaces differ in link type, so packets captured
 * from the network header (no MAC header yet, or a device that has none) get a made-up
 * Ethernet header, zero addresses and the EtherType of their IP version, and say so in
 * their comment (l2=none); pcap filters then behave alike on both kinds. Nanosecond
 * timestamps; one comment per packet naming function, skb, netns, mark, ifindex and drop
 * reason.
 */
#include <stdlib.h>
#include <string.h>
#include "src/output/fmt.h"
#include "src/output/sink.h"

#define BT_SHB 0x0A0D0D0A
#define BT_IDB 0x00000001
#define BT_EPB 0x00000006

#define LINKTYPE_ETHERNET 1
#define ETH_HLEN	  14

#define OPT_END	    0
#define OPT_COMMENT 1
#define OPT_SHB_APP 4
#define OPT_IF_NAME 2
#define OPT_TSRESOL 9

struct blk {
	uint8_t b[PWRU_RECORD_MAX + 1024];
	size_t n;
};

struct pcapng_state {
	struct blk blk;
	uint64_t skipped; /* packet sections that are neither Ethernet nor IP */
};

static void put32(struct blk *b, uint32_t v)
{
	memcpy(b->b + b->n, &v, 4);
	b->n += 4;
}

static void put_opt(struct blk *b, uint16_t code, const void *v, uint16_t len)
{
	uint32_t hdr = code | (uint32_t)len << 16;

	memcpy(b->b + b->n, &hdr, 4);
	if (len)
		memcpy(b->b + b->n + 4, v, len);
	memset(b->b + b->n + 4 + len, 0, (4 - len % 4) % 4);
	b->n += 4 + len + (4 - len % 4) % 4;
}

static void begin(struct blk *b, uint32_t type)
{
	b->n = 0;
	put32(b, type);
	put32(b, 0); /* total length, set by finish() */
}

static int finish(struct sink *o, struct blk *b)
{
	uint32_t total = (uint32_t)b->n + 4;

	memcpy(b->b + 4, &total, 4);
	put32(b, total);
	return fwrite(b->b, 1, b->n, o->out) == b->n ? 0 : -1;
}

static int write_headers(struct sink *o, struct blk *b)
{
	static const uint8_t tsresol = 9; /* 10^-9: nanoseconds */
	static const char name[] = "pwru";
	int rc;

	begin(b, BT_SHB);
	put32(b, 0x1A2B3C4D);
	put32(b, 1); /* version 1.0 */
	put32(b, 0xffffffff);
	put32(b, 0xffffffff); /* section length unknown */
	put_opt(b, OPT_SHB_APP, "pwru", 4);
	put_opt(b, OPT_END, NULL, 0);
	rc = finish(o, b);
	begin(b, BT_IDB);
	put32(b, LINKTYPE_ETHERNET); /* link type, reserved */
	/* libpcap cuts longer packets to this: a made-up header comes on top of the snap */
	put32(b, PWRU_SNAPLEN_MAX + ETH_HLEN);
	put_opt(b, OPT_IF_NAME, name, sizeof(name) - 1);
	put_opt(b, OPT_TSRESOL, &tsresol, 1);
	put_opt(b, OPT_END, NULL, 0);
	return rc | finish(o, b);
}

static int pcapng_open(struct sink *o)
{
	struct pcapng_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -1;
	o->priv = st;
	return write_headers(o, &st->blk) || fflush(o->out) ? -1 : 0;
}

/* --output-meta=false: the kernel read no netns, mark nor device, so none is made up. */
static size_t comment(const struct pwru_record *r, bool meta, bool made_up_l2, char *buf,
		      size_t len)
{
	struct fmt f = {buf, buf + len - 1};

	fmt_str(&f, "func=");
	fmt_mem(&f, r->func_text, r->func_len);
	fmt_str(&f, " skb=0x");
	fmt_hex(&f, r->ev->skb);
	if (meta) {
		fmt_str(&f, " netns=");
		fmt_u64(&f, r->ev->netns);
		fmt_str(&f, " mark=0x");
		fmt_hex(&f, r->ev->mark);
		fmt_str(&f, " if=");
		fmt_u64(&f, r->ev->ifindex);
	}
	if (r->is_drop) {
		fmt_str(&f, " reason=");
		if (r->reason)
			fmt_str(&f, r->reason);
		else
			fmt_u64(&f, r->reason_value);
	}
	if (made_up_l2)
		fmt_str(&f, " l2=none");
	return (size_t)(f.p - buf);
}

/* Zero addresses, then the EtherType of IP version V (4 or 6), big endian. */
static void put_made_up_eth(struct blk *b, uint8_t v)
{
	memset(b->b + b->n, 0, ETH_HLEN - 2);
	b->b[b->n + ETH_HLEN - 2] = v == 4 ? 0x08 : 0x86;
	b->b[b->n + ETH_HLEN - 1] = v == 4 ? 0x00 : 0xdd;
	b->n += ETH_HLEN;
}

static int pcapng_record(struct sink *o, const struct pwru_record *r)
{
	struct pcapng_state *st = o->priv;
	struct blk *b = &st->blk;
	const struct pwru_packet *p = r->pkt;
	uint8_t v = p && p->cap_len ? r->pkt_data[0] >> 4 : 0;
	uint32_t hdr, cap, orig;
	char text[512];
	size_t pad;

	if (!p || !p->cap_len)
		return 0;
	/* Without a MAC header only IP gets an EtherType we can trust (the version nibble) */
	if (p->link != PWRU_LINK_ETH && v != 4 && v != 6) {
		st->skipped++;
		return 0;
	}
	hdr = p->link == PWRU_LINK_ETH ? 0 : ETH_HLEN;
	cap = p->cap_len + hdr;
	orig = (p->orig_len < p->cap_len ? p->cap_len : p->orig_len) + hdr;
	begin(b, BT_EPB);
	put32(b, 0); /* the one interface */
	put32(b, (uint32_t)(r->wall_ns >> 32));
	put32(b, (uint32_t)r->wall_ns);
	put32(b, cap);
	put32(b, orig);
	if (hdr)
		put_made_up_eth(b, v);
	memcpy(b->b + b->n, r->pkt_data, p->cap_len);
	pad = (4 - cap % 4) % 4;
	memset(b->b + b->n + p->cap_len, 0, pad);
	b->n += p->cap_len + pad;
	put_opt(b, OPT_COMMENT, text,
		(uint16_t)comment(r, o->opts->meta, hdr != 0, text, sizeof(text)));
	put_opt(b, OPT_END, NULL, 0);
	return finish(o, b);
}

static int pcapng_close(struct sink *o, const struct output_stats *s)
{
	struct pcapng_state *st = o->priv;
	int err = fflush(o->out) ? -1 : 0;

	if (st->skipped)
		fprintf(o->diag,
			"pwru: %llu packet%s not written to the pcapng file: neither an "
			"Ethernet frame nor IP\n",
			(unsigned long long)st->skipped, plural(st->skipped));
	free(st);
	o->priv = NULL;
	return err;
}

const struct sink_ops sink_pcapng = {
    .name = "pcapng",
    .open = pcapng_open,
    .record = pcapng_record,
    .close = pcapng_close,
};
