// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include "src/probe/pool.h"

#define POOL_MAX_THREADS 64

struct pool {
	size_t n, next;
	void (*fn)(void *arg, size_t i);
	void *arg;
	volatile sig_atomic_t *stop;
	pthread_mutex_t lock;
};

static size_t take(struct pool *p)
{
	size_t i = SIZE_MAX;

	pthread_mutex_lock(&p->lock);
	if (p->next < p->n && !(p->stop && *p->stop))
		i = p->next++;
	pthread_mutex_unlock(&p->lock);
	return i;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	while ((i = take(p)) != SIZE_MAX)
		p->fn(p->arg, i);
	return NULL;
}

void pool_run(size_t n, int nthreads, void (*fn)(void *arg, size_t i), void *arg,
	      volatile sig_atomic_t *stop)
{
	struct pool p = {.n = n, .fn = fn, .arg = arg, .stop = stop};
	pthread_t t[POOL_MAX_THREADS];
	int i, started = 0;

	if (nthreads > POOL_MAX_THREADS)
		nthreads = POOL_MAX_THREADS;
	if ((size_t)nthreads > n)
		nthreads = (int)n;
	pthread_mutex_init(&p.lock, NULL);
	for (i = 0; i < nthreads - 1; i++) /* the caller is one of them */
		if (!pthread_create(&t[i], NULL, worker, &p))
			started++;
		else
			break;
	worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&p.lock);
}

int pool_threads(const char *env, int dflt)
{
	const char *v = getenv(env);
	int n = v ? atoi(v) : 0;

	return n > 0 && n <= POOL_MAX_THREADS ? n : dflt;
}
