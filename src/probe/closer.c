// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "src/probe/closer.h"

#define MAX_BATCHES 8
#define MAX_FDS	    4

struct batch {
	int fds[MAX_FDS];
	int n;
};

static pthread_t threads[MAX_BATCHES];
static int nthreads;

static void close_all(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void *closing(void *arg)
{
	struct batch *b = arg;

	close_all(b->fds, b->n);
	free(b);
	return NULL;
}

void closer_defer(const int *fds, int n)
{
	struct batch *b = n <= MAX_FDS && nthreads < MAX_BATCHES ? malloc(sizeof(*b)) : NULL;
	int i;

	if (b) {
		for (i = 0; i < n; i++)
			b->fds[i] = fds[i];
		b->n = n;
		if (!pthread_create(&threads[nthreads], NULL, closing, b)) {
			nthreads++;
			return;
		}
		free(b);
	}
	close_all(fds, n); /* no thread to spare: now, as before */
}

void closer_wait(void)
{
	while (nthreads > 0)
		pthread_join(threads[--nthreads], NULL);
}
