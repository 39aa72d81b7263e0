// SPDX-License-Identifier: GPL-2.0
/*
 * Where an skb's life ends, by the names pwru shows on every backend: what --output-chains
 * and --summary tell packets at one reused address apart by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	    {"__napi_kfree_skb", SKB_POINT_FREE},
	    {"_kfree_skb_defer", SKB_POINT_FREE},
	    {"__sk_skb_reason_drop", SKB_POINT_FREE},
	    {"skb_attempt_defer_free", SKB_POINT_DEFER},
	    {"skb_release_data", SKB_POINT_RELEASE},
	    {"tcp_sock_rfree", SKB_POINT_RELEASE},
	    {"napi_skb_cache_put", SKB_POINT_FINAL},
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
	uint64_t life = 0, ts = 1000;
	int n = 0;

	for (; *funcs; funcs++, ts += 10)
		n += skb_life_next(&life, skb_point_of(*funcs), ts);
	return n;
}

/* The same with each event's time: "FUNC@TS" (a late event is older than the one before). */
static int timed_lives(const char *const *evs)
{
	uint64_t life = 0;
	char name[64];
	int n = 0;

	for (; *evs; evs++) {
		const char *at = strchr(*evs, '@');

		snprintf(name, sizeof(name), "%.*s", (int)(at - *evs), *evs);
		n += skb_life_next(&life, skb_point_of(name), strtoull(at + 1, NULL, 10));
	}
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
	is_int(lives((const char *const[]){"icmp_rcv", "consume_skb", "skb_release_head_state",
					   "sock_rfree", "skb_release_data", "skb_free_head",
					   "kfree_skbmem", "ip_rcv", NULL}),
	       2, "every function: the free path's own functions end the skb with its free point");
	is_int(
	    lives((const char *const[]){"napi_gro_receive", "napi_consume_skb", "skb_release_data",
					"napi_skb_cache_put", "ip_rcv", "napi_gro_receive", NULL}),
	    2, "NAPI's skb cache takes the skb without kfree_skbmem: the next event is new");
	is_int(
	    lives((const char *const[]){"tcp_v4_rcv", "skb_attempt_defer_free", "napi_consume_skb",
					"skb_release_data", "kfree_skbmem", "ip_rcv", NULL}),
	    2, "a deferred free (TCP's recvmsg) ends the skb where its CPU frees it later");
	is_int(lives((const char *const[]){"tcp_v4_rcv", "sock_rfree", "skb_attempt_defer_free",
					   "__napi_kfree_skb", "skb_release_head_state",
					   "skb_release_data", "skb_free_head",
					   "napi_skb_cache_put", "ip_rcv", NULL}),
	       2, "6.12: a deferred free on the skb's own CPU frees it at once (__napi_kfree_skb)");
	is_int(
	    lives((const char *const[]){"tcp_v4_rcv", "tcp_data_queue", "__kfree_skb",
					"skb_release_head_state", "tcp_sock_rfree",
					"skb_release_data", "kfree_skbmem", NULL}),
	    1,
	    "6.15: a TCP segment freed with its socket's queue, its destructor one of the free's");
	is_int(lives((const char *const[]){"ip_rcv", "pskb_expand_head", "skb_release_data",
					   "skb_free_head", "ip_rcv_finish", "consume_skb", NULL}),
	       1, "a release on a live skb (pskb_expand_head's old data) is nothing special");
}

/*
 * The review's nft drop on 6.12: nf_hook_slow's and nft_do_chain's events are sent at
 * their exits with their entries' times, after the kernel freed the dropped SYN; the next
 * SYN (another connection's) takes its address at once.
 */
static void test_late(void)
{
	is_int(timed_lives((const char *const[]){
		   "ip_rcv@100", "nft_do_chain_inet@130", "sk_skb_reason_drop@150",
		   "skb_release_head_state@160", "skb_release_data@170", "kfree_skbmem@180",
		   "nft_do_chain@140", "nf_hook_slow@120", "ip_rcv@400", "tcp_v4_rcv@410",
		   "consume_skb@420", "kfree_skbmem@430", NULL}),
	       2, "verdicts sent after the free are the freed skb's, by their times");
	is_int(timed_lives((const char *const[]){"ip_rcv@100", "consume_skb@150",
						 "nf_hook_slow@120", "skb_release_data@160",
						 "kfree_skbmem@170", "ip_rcv@200", NULL}),
	       2, "a late event between the free point and the slab free continues the skb");
	is_int(timed_lives((const char *const[]){"ip_rcv@100", "kfree_skbmem@180",
						 "nf_hook_slow@179", "ip_rcv@180", NULL}),
	       2, "an event older than the slab free is the freed skb's, one as old is not");
}

int main(void)
{
	test_names();
	test_points();
	test_lives();
	test_late();
	return tap_done();
}
