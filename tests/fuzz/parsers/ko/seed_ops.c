// SPDX-License-Identifier: GPL-2.0
/*
 * Seed for make fuzz-ko and the ops-ARCH.ko fixtures of tests/unit/test_kmod_ko.c: what a
 * module's ops table looks like to kmod_ko.c, an object whose address relocations
 * (R_X86_64_64, R_AARCH64_ABS64) put two functions at offsets 0 and 8 of 48 bytes (the shape of
 * struct header_ops: create(skb, ...), parse(skb, ...)). Built into seeds/header-ops.ko with
 * gcc -O1 -c -fno-pic -mcmodel=kernel (see tests/fuzz/parsers/run).
 */
struct sk_buff;

static int seed_create(struct sk_buff *skb, void *dev, unsigned short type, const void *daddr,
		       const void *saddr, unsigned int len)
{
	return (int)len;
}

static int seed_parse(const struct sk_buff *skb, unsigned char *haddr)
{
	return haddr ? 6 : 0;
}

struct seed_header_ops {
	int (*create)(struct sk_buff *, void *, unsigned short, const void *, const void *,
		      unsigned int);
	int (*parse)(const struct sk_buff *, unsigned char *);
	void *cache, *cache_update, *validate, *parse_protocol;
};

const struct seed_header_ops seed_ops = {.create = seed_create, .parse = seed_parse};
