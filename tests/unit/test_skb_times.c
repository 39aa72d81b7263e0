// SPDX-License-Identifier: GPL-2.0
/*
 * --timestamp relative with late events: the review's 6.12 ping through an nft accept, where
 * nft_do_chain's and nf_hook_slow's events come at their exits with their entries' times.
 */
#include "tap.h"
#include "src/output/skb_times.h"

#define X 0xffff888000000100ULL
#define Y 0xffff888000000200ULL

static void test_hook(void)
{
	struct skb_times *t = skb_times_new(64);

	ok(t != NULL, "skb_times_new");
	is_int(skb_times_since(t, X, 1000, SKB_POINT_NONE), 0, "ip_rcv: the skb's first event");
	is_int(skb_times_since(t, Y, 1050, SKB_POINT_NONE), 0, "another skb's first event");
	is_int(skb_times_since(t, X, 1200, SKB_POINT_NONE), 200, "nft_do_chain_inet: from ip_rcv");
	is_int(skb_times_since(t, X, 1300, SKB_POINT_NONE), 100,
	       "nft_do_chain (entered 1300, sent at its exit)");
	is_int(skb_times_since(t, Y, 1310, SKB_POINT_NONE), 260, "the other skb's second event");
	is_int(
	    skb_times_since(t, X, 1100, SKB_POINT_NONE), 100,
	    "nf_hook_slow, entered at 1100, sent last: from ip_rcv, the event before it in time");
	is_int(skb_times_since(t, X, 1500, SKB_POINT_NONE), 200,
	       "icmp_rcv: from nft_do_chain, the latest before it, not from the late verdict");
	/* the next hook of the same skb: an older late verdict in the window is not the one */
	is_int(skb_times_since(t, X, 2000, SKB_POINT_NONE), 500, "ip_local_deliver");
	is_int(skb_times_since(t, X, 2050, SKB_POINT_NONE), 50, "a function inside the next hook");
	is_int(skb_times_since(t, X, 2010, SKB_POINT_NONE), 10,
	       "the next hook's verdict: from ip_local_deliver");
	skb_times_free(t);
}

static void test_window(void)
{
	struct skb_times *t = skb_times_new(4096);
	uint64_t i;

	skb_times_since(t, X, 100, SKB_POINT_NONE);
	skb_times_since(t, X, 300, SKB_POINT_NONE);
	for (i = 0; i < 2000; i++)
		skb_times_since(t, 0x1000 + i * 0x100, 400 + i, SKB_POINT_NONE);
	is_int(skb_times_since(t, X, 200, SKB_POINT_NONE), 0,
	       "a late event whose predecessor is no longer held: 0, as a first event");
	is_int(skb_times_since(t, X, 350, SKB_POINT_NONE), 50,
	       "the skb's next event: from its latest");
	skb_times_free(t);
}

/*
 * The review's 6.1 ping -6: the reply's socket copy takes the consumed request's address;
 * its time starts at 0 as the next packet's, not from the request's free.
 */
static void test_reuse(void)
{
	struct skb_times *t = skb_times_new(64);

	skb_times_since(t, X, 1000, SKB_POINT_NONE);
	is_int(skb_times_since(t, X, 1100, SKB_POINT_FREE), 100, "consume_skb: from the last");
	is_int(skb_times_since(t, X, 1200, SKB_POINT_FINAL), 100, "kfree_skbmem");
	is_int(skb_times_since(t, X, 218000, SKB_POINT_NONE), 0,
	       "the next packet at the freed address: its first event");
	is_int(skb_times_since(t, X, 218050, SKB_POINT_NONE), 50, "and its second");
	is_int(skb_times_since(t, X, 1150, SKB_POINT_NONE), 50,
	       "a late event of the freed one: from that packet's event before it");
	skb_times_free(t);
}

int main(void)
{
	test_hook();
	test_window();
	test_reuse();
	return tap_done();
}
