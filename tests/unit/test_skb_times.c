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
	is_int(skb_times_since(t, X, 1000), 0, "ip_rcv: the skb's first event");
	is_int(skb_times_since(t, Y, 1050), 0, "another skb's first event");
	is_int(skb_times_since(t, X, 1200), 200, "nft_do_chain_inet: from ip_rcv");
	is_int(skb_times_since(t, X, 1300), 100, "nft_do_chain (entered 1300, sent at its exit)");
	is_int(skb_times_since(t, Y, 1310), 260, "the other skb's second event");
	is_int(
	    skb_times_since(t, X, 1100), 100,
	    "nf_hook_slow, entered at 1100, sent last: from ip_rcv, the event before it in time");
	is_int(skb_times_since(t, X, 1500), 200,
	       "icmp_rcv: from nft_do_chain, the latest before it, not from the late verdict");
	/* the next hook of the same skb: an older late verdict in the window is not the one */
	is_int(skb_times_since(t, X, 2000), 500, "ip_local_deliver");
	is_int(skb_times_since(t, X, 2050), 50, "a function inside the next hook");
	is_int(skb_times_since(t, X, 2010), 10, "the next hook's verdict: from ip_local_deliver");
	skb_times_free(t);
}

static void test_window(void)
{
	struct skb_times *t = skb_times_new(4096);
	uint64_t i;

	skb_times_since(t, X, 100);
	skb_times_since(t, X, 300);
	for (i = 0; i < 2000; i++)
		skb_times_since(t, 0x1000 + i * 0x100, 400 + i);
	is_int(skb_times_since(t, X, 200), 0,
	       "a late event whose predecessor is no longer held: 0, as a first event");
	is_int(skb_times_since(t, X, 350), 50, "the skb's next event: from its latest");
	skb_times_free(t);
}

int main(void)
{
	test_hook();
	test_window();
	return tap_done();
}
