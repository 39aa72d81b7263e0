// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a command N times and prints the medians of its CPU time (user + system: what other
 * load on a shared machine does not inflate), its wall time, and its peak RSS:
 *	CPU_S WALL_S RSS_KB
 *
 *	runstat N CMD [ARGS...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0, i;
	double *cpu, *wall, *rss;

	if (n < 1) {
		fprintf(stderr, "usage: runstat N CMD [ARGS...]\n");
		return 2;
	}
	cpu = calloc((size_t)n, sizeof(double));
	wall = calloc((size_t)n, sizeof(double));
	rss = calloc((size_t)n, sizeof(double));
	for (i = 0; i < n; i++) {
		struct rusage ru;
		double t0 = now();
		int st;
		pid_t pid = fork();

		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "runstat: %s failed\n", argv[2]);
			return 1;
		}
		wall[i] = now() - t0;
		cpu[i] = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
			 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		rss[i] = (double)ru.ru_maxrss;
	}
	qsort(cpu, (size_t)n, sizeof(double), cmp);
	qsort(wall, (size_t)n, sizeof(double), cmp);
	qsort(rss, (size_t)n, sizeof(double), cmp);
	printf("%.4f %.4f %.0f\n", cpu[n / 2], wall[n / 2], rss[n / 2]);
	return 0;
}
