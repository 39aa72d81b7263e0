// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "src/output/skb_life.h"
#include "src/tp_name.h"

static bool starts_with(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/*
 * By the kernel's name, so a tracepoint counts as the function it fires in: tp:kfree_skb
 * (kfree_skb's, sk_skb_reason_drop's) and tp:consume_skb are the tracepoint backend's free
 * points; it has no slab free, so its chains end after the free point's quiet.
 */
enum skb_point skb_point_of(const char *func)
{
	const char *f = tp_kernel_name(func);

	if (!f)
		return SKB_POINT_NONE;
	if (!strcmp(f, "kfree_skbmem"))
		return SKB_POINT_FINAL;
	if (starts_with(f, "kfree_skb") || starts_with(f, "consume_skb") ||
	    starts_with(f, "__kfree_skb") || starts_with(f, "napi_consume_skb") ||
	    starts_with(f, "sk_skb_reason_drop") || starts_with(f, "__dev_kfree_skb") ||
	    starts_with(f, "dev_kfree_skb"))
		return SKB_POINT_FREE;
	return SKB_POINT_NONE;
}

bool skb_life_next(uint8_t *life, const char *func)
{
	enum skb_point p = skb_point_of(func);
	bool fresh = *life == SKB_UNSEEN || *life == SKB_GONE ||
		     (*life == SKB_ENDING && p == SKB_POINT_NONE);

	*life = p == SKB_POINT_FINAL ? SKB_GONE : p == SKB_POINT_FREE ? SKB_ENDING : SKB_LIVE;
	return fresh;
}
