// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "tap.h"
#include "src/probe/closer.h"

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

int main(void)
{
	int p[2], q[2], many[20][2], i, left = 0;

	if (pipe(p) || pipe(q))
		return 1;
	closer_defer((int[]){p[0], -1, p[1]}, 3);
	closer_defer((int[]){q[0], q[1]}, 2);
	closer_wait();
	ok(!is_open(p[0]) && !is_open(p[1]) && !is_open(q[0]) && !is_open(q[1]),
	   "after closer_wait every descriptor handed over is closed (a -1 skipped)");
	for (i = 0; i < 20; i++)
		if (!pipe(many[i]))
			closer_defer(many[i], 2);
	closer_wait();
	for (i = 0; i < 20; i++)
		left += is_open(many[i][0]) + is_open(many[i][1]);
	is_int(left, 0, "more batches than threads: the rest are closed at once, none lost");
	return tap_done();
}
