// SPDX-License-Identifier: GPL-2.0
/*
 * The per-hit benchmark's traffic: 64-byte UDP datagrams to DST:PORT, sent as fast as one
 * thread can for SECONDS (through veth each send runs the whole path on this CPU, so the
 * rate is what the traced path costs). Prints "PPS <datagrams per second>".
 *
 *	udpflood DST PORT SECONDS
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = {.sin_family = AF_INET};
	struct mmsghdr msgs[BATCH];
	struct iovec iov = {0};
	char payload[64] = "pwru udpflood";
	double t0, secs, t;
	unsigned long sent = 0;
	int fd, i, r;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: udpflood DST PORT SECONDS\n");
		return 2;
	}
	dst.sin_port = htons((unsigned short)atoi(argv[2]));
	secs = atof(argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("udpflood: socket");
		return 1;
	}
	iov.iov_base = payload;
	iov.iov_len = sizeof(payload);
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now();
	do {
		r = sendmmsg(fd, msgs, BATCH, 0);
		if (r > 0)
			sent += (unsigned long)r;
		t = now() - t0;
	} while (t < secs);
	printf("PPS %.0f\n", (double)sent / t);
	return 0;
}
