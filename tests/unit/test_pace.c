// SPDX-License-Identifier: GPL-2.0
/*
 * When a growing count (events lost, skbs not followed) is said again on stderr: the
 * event loop asks about once a second while it grows.
 */
#include "tap.h"
#include "src/output/pace.h"

#define S 1000000000ull

/* A count growing every second for ten minutes: the seconds it is said at. */
static void test_flood(void)
{
	struct pace p = {0};
	uint64_t t, said[32];
	int n = 0;

	for (t = 5; t <= 605; t++)
		if (pace_due(&p, t * S) && n < 32)
			said[n++] = t;
	is_int(n, 14, "ten minutes of losses: 14 lines, not 600");
	is_int(said[0], 5, "the first at once");
	is_int(said[1], 7, "then 2 s later");
	is_int(said[2], 11, "4 s");
	is_int(said[5], 67, "... 32 s");
	is_int(said[6], 127, "then once a minute");
	is_int(said[7], 187, "once a minute");
}

/* Asked between its times (the loop's check is not exactly a second apart). */
static void test_between(void)
{
	struct pace p = {0};

	ok(pace_due(&p, 100), "the first, whenever it comes");
	ok(!pace_due(&p, 100 + S), "not 1 s later");
	ok(!pace_due(&p, 99 + 2 * S), "nor just before 2 s");
	ok(pace_due(&p, 100 + 2 * S + S / 2), "2.5 s later");
	ok(!pace_due(&p, 100 + 6 * S), "4 s from the one said, not from when it was due");
	ok(pace_due(&p, 100 + 6 * S + S / 2), "at 4 s from it");
}

int main(void)
{
	test_flood();
	test_between();
	return tap_done();
}
