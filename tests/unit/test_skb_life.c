// SPDX-License-Identifier: GPL-2.0
/*
 * Where an skb's life ends, by the names pwru shows on every backend: what --output-chains
 * and --summary tell packets at one reused address apart by.
 */
#include "tap.h"
#include "src/output/skb_life.h"
#include "src/tp_name.h"

static void test_names(void)
{
	is_str(tp_name_of("tp:kfree_skb"), "kfree_skb", "tp:NAME is tracepoint NAME");
	ok(!tp_name_of("kfree_skb") && !tp_name_of(NULL), "a function's name is no tracepoint's");
	is_str(tp_kernel_name("tp:consume_skb"), "consume_skb", "the kernel's name behind tp:NAME");
	is_str(tp_kernel_name("ip_rcv"), "ip_rcv", "a function's is its own");
}

static void test_points(void)
{
	static const struct {
		const char *func;
		enum skb_point want;
	} cases[] = {
	    {"kfree_skbmem", SKB_POINT_FINAL},
	    {"kfree_skb_reason", SKB_POINT_FREE},
	    {"sk_skb_reason_drop", SKB_POINT_FREE},
	    {"consume_skb", SKB_POINT_FREE},
	    {"napi_consume_skb", SKB_POINT_FREE},
	    {"tp:kfree_skb", SKB_POINT_FINAL},
	    {"tp:consume_skb", SKB_POINT_FINAL},
	    {"tp:net_dev_queue", SKB_POINT_NONE},
	    {"tp:skb_copy_datagram_iovec", SKB_POINT_NONE},
	    {"ip_rcv", SKB_POINT_NONE},
	    {NULL, SKB_POINT_NONE},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(skb_point_of(cases[i].func), cases[i].want, "%s is %s",
		       cases[i].func ? cases[i].func : "an unknown function",
		       cases[i].want == SKB_POINT_FINAL	 ? "the skb's end"
		       : cases[i].want == SKB_POINT_FREE ? "a free point"
							 : "no free");
}

/* The events at one address of a ping on the tracepoint backend, and on kprobes. */
static int lives(const char *const *funcs)
{
	uint8_t life = SKB_UNSEEN;
	int n = 0;

	for (; *funcs; funcs++)
		n += skb_life_next(&life, skb_point_of(*funcs));
	return n;
}

static void test_lives(void)
{
	is_int(lives((const char *const[]){"tp:net_dev_queue", "tp:netif_receive_skb",
					   "tp:consume_skb", "tp:skb_copy_datagram_iovec",
					   "tp:consume_skb", "tp:net_dev_queue", NULL}),
	       3, "tracepoints: after tp:consume_skb, another event at the address is a new skb");
	is_int(lives((const char *const[]){"tp:kfree_skb", "tp:kfree_skb", "tp:consume_skb", NULL}),
	       3, "tracepoints: each free tracepoint is one skb's (they fire once, at the free)");
	is_int(lives((const char *const[]){"ip_rcv", "kfree_skb_reason", "kfree_skbmem",
					   "kfree_skbmem", NULL}),
	       2, "kprobes: more freeing continues a life, after the slab free anything is new");
	is_int(
	    lives((const char *const[]){"ip_rcv", "consume_skb", "kfree_skbmem", "ip_rcv", NULL}),
	    2, "kprobes: a free point then the slab free are one skb's end");
}

int main(void)
{
	test_names();
	test_points();
	test_lives();
	return tap_done();
}
