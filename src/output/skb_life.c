// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "src/output/skb_life.h"
#include "src/tp_name.h"

static bool starts_with(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool is_free_point(const char *f)
{
	return starts_with(f, "kfree_skb") || starts_with(f, "consume_skb") ||
	       starts_with(f, "__kfree_skb") || starts_with(f, "napi_consume_skb") ||
	       starts_with(f, "sk_skb_reason_drop") || starts_with(f, "__dev_kfree_skb") ||
	       starts_with(f, "dev_kfree_skb");
}

/*
 * A free function may be called on an skb that still has users (only the last call frees
 * it) and calls others on its way to kfree_skbmem, so after one more freeing can follow.
 * The free tracepoints (tp:kfree_skb, tp:consume_skb) fire once per skb, when it is freed
 * for good: nothing of that skb follows them, as after kfree_skbmem.
 */
enum skb_point skb_point_of(const char *func)
{
	const char *tp = tp_name_of(func);

	if (!func)
		return SKB_POINT_NONE;
	if (tp)
		return is_free_point(tp) ? SKB_POINT_FINAL : SKB_POINT_NONE;
	if (!strcmp(func, "kfree_skbmem"))
		return SKB_POINT_FINAL;
	return is_free_point(func) ? SKB_POINT_FREE : SKB_POINT_NONE;
}

bool skb_life_next(uint8_t *life, enum skb_point p)
{
	bool fresh = *life == SKB_UNSEEN || *life == SKB_GONE ||
		     (*life == SKB_ENDING && p == SKB_POINT_NONE);

	*life = p == SKB_POINT_FINAL ? SKB_GONE : p == SKB_POINT_FREE ? SKB_ENDING : SKB_LIVE;
	return fresh;
}
