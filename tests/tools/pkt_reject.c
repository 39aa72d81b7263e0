// SPDX-License-Identifier: GPL-2.0
/*
 * pkt-reject READY-FILE DEV
 *
 * Opens a packet socket for every protocol bound to DEV, with a classic BPF filter that
 * accepts nothing (ret #0), then creates READY-FILE and stays until SIGINT or SIGTERM.
 * Each packet DEV sends or receives still reaches the socket's packet_rcv, which runs the
 * filter and lets the packet go: with kfree_skb_reason(skb, SKB_CONSUMED) from Linux 6.8
 * on, consume_skb() before. tests/vm/suite/65-consumed.sh traces that free.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "hold.h"

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "pkt-reject: %s %s: %s\n", what, name, strerror(err));
	return 1;
}

/*
 * Protocol 0 at socket(): the socket is on no device's list until bind(), so no packet
 * can be queued to it before the filter is on.
 */
static int open_rejecting(unsigned int ifindex, const char *dev)
{
	struct sock_filter reject[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
	struct sock_fprog prog = {.len = 1, .filter = reject};
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_ALL),
	    .sll_ifindex = (int)ifindex,
	};
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return fail("packet socket for", dev, errno);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return fail("SO_ATTACH_FILTER on the socket for", dev, errno);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		return fail("binding the socket to", dev, errno);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int ifindex;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: pkt-reject READY-FILE DEV\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[2]);
	if (!ifindex)
		return fail("device", argv[2], errno);
	if (open_rejecting(ifindex, argv[2]))
		return 1;
	err = hold_until_signal(argv[1]);
	return err ? fail("creating", argv[1], err) : 0;
}
