// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "src/output/skb_life.h"
#include "src/tp_name.h"

#define STATE_SHIFT 62
#define TS_MASK	    ((1ull << STATE_SHIFT) - 1) /* 146 years of the monotonic clock */

static bool starts_with(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/*
 * Anywhere in the name: the free path's inner steps are named after the entry points
 * (__napi_kfree_skb, which 6.12's skb_attempt_defer_free calls when the skb is its own
 * CPU's; _kfree_skb_defer, __sk_skb_reason_drop, dev_kfree_skb_any_reason, ...).
 */
static bool is_free_point(const char *f)
{
	return strstr(f, "kfree_skb") || strstr(f, "consume_skb") ||
	       strstr(f, "sk_skb_reason_drop") || starts_with(f, "napi_skb_free_stolen_head");
}

/*
 * What a free point calls on the skb on its way to kfree_skbmem or NAPI's skb cache: with
 * every function traced they follow each free. They are also called on a packet that
 * lives on (pskb_expand_head releases the old data, skb_orphan calls the destructor),
 * where they are nothing special. tcp_sock_rfree: TCP's own receive destructor (added in
 * 2025, removed again by a later fix), sock_rfree's twin: it frees nothing itself.
 */
static bool is_release(const char *f)
{
	static const char *const names[] = {
	    "skb_release_", "skb_free_head", "skb_zcopy_clear", "skb_orphan",  "sock_rfree",
	    "sock_wfree",   "__sock_wfree",  "sock_efree",	"sock_edemux", "sock_ofree",
	    "sock_pfree",   "tcp_wfree",     "tcp_sock_rfree",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (starts_with(f, names[i]))
			return true;
	return false;
}

/*
 * A free function may be called on an skb that still has users (only the last call frees
 * it) and calls others on its way to kfree_skbmem, so after one more freeing can follow.
 * The free tracepoints (tp:kfree_skb, tp:consume_skb) fire once per skb, when it is freed
 * for good: nothing of that skb follows them, as after kfree_skbmem, or after NAPI's skb
 * cache took it (napi_skb_cache_put, which recycles it without kfree_skbmem).
 */
enum skb_point skb_point_of(const char *func)
{
	const char *tp = tp_name_of(func);

	if (!func)
		return SKB_POINT_NONE;
	if (tp)
		return is_free_point(tp) ? SKB_POINT_FINAL : SKB_POINT_NONE;
	if (!strcmp(func, "kfree_skbmem") || !strcmp(func, "napi_skb_cache_put"))
		return SKB_POINT_FINAL;
	if (is_free_point(func))
		return SKB_POINT_FREE;
	if (!strcmp(func, "skb_attempt_defer_free"))
		return SKB_POINT_DEFER;
	return is_release(func) ? SKB_POINT_RELEASE : SKB_POINT_NONE;
}

enum skb_life skb_life_state(uint64_t life)
{
	return (enum skb_life)(life >> STATE_SHIFT);
}

uint64_t skb_life_ts(uint64_t life)
{
	return life & TS_MASK;
}

static enum skb_life after(enum skb_life s, enum skb_point p, bool fresh)
{
	if (p == SKB_POINT_FINAL)
		return SKB_GONE;
	if (p == SKB_POINT_FREE || p == SKB_POINT_DEFER)
		return SKB_ENDING;
	return fresh || s != SKB_ENDING ? SKB_LIVE : SKB_ENDING;
}

bool skb_life_next(uint64_t *life, enum skb_point p, uint64_t ts)
{
	enum skb_life s = skb_life_state(*life);
	uint64_t last = *life & TS_MASK;
	bool fresh;

	ts &= TS_MASK;
	if (s != SKB_UNSEEN && ts < last) { /* late: older than the latest event */
		if (p == SKB_POINT_FINAL)
			*life = (uint64_t)SKB_GONE << STATE_SHIFT | last;
		return false;
	}
	fresh = s == SKB_UNSEEN || s == SKB_GONE || (s == SKB_ENDING && p == SKB_POINT_NONE);
	*life = (uint64_t)after(s, p, fresh) << STATE_SHIFT | ts;
	return fresh;
}
