// SPDX-License-Identifier: GPL-2.0
/*
 * A capture file as `pwru --check-filter FILE EXPR` reads it: opened by name, header and
 * link type, every packet run through the filter in the kernel (BPF_PROG_TEST_RUN; needs
 * root and 6.2+). Truncated and corrupted files must end in one error, never a crash.
 *
 * Loading the filter (a verifier run) costs a hundred times reading a capture: one input in
 * eight takes the whole of check_filter_main(), the others reuse a filter loaded for their
 * link type and go through check_filter_capture(), the same packet loop.
 */
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>
#include "src/check_filter.h"
#include "target.h"

#define EXPR	   "tcp port 80 or udp or ip6"
#define MAX_CACHED 8

static FILE *null_out; /* the INDEX MATCH lines are not what is checked here */
static struct {
	int dlt;
	struct filter_checker *c;
} cached[MAX_CACHED];
static int ncached;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	null_out = fopen("/dev/null", "w");
	fuzz_check(null_out != NULL, "/dev/null opens");
	return 0;
}

static void check_err(int ret, const struct pwru_err *e)
{
	if (!ret)
		return;
	fuzz_check(e->cls == PWRU_BAD_INPUT || e->cls == PWRU_NOT_POSSIBLE, "a classed error");
	fuzz_check(e->msg[0] && !strchr(e->msg, '\n'), "one line saying why");
}

/* The checker for DLT, loaded once; NULL when the link type is refused (E says why). */
static struct filter_checker *checker_for(int dlt, struct pwru_err *e)
{
	struct filter_checker *c;
	int i;

	for (i = 0; i < ncached; i++)
		if (cached[i].dlt == dlt)
			return cached[i].c;
	if (filter_checker_open(EXPR, dlt, &c, e))
		return NULL;
	if (ncached == MAX_CACHED) { /* link types the filter takes are fewer than this */
		filter_checker_close(c);
		return NULL;
	}
	cached[ncached].dlt = dlt;
	cached[ncached++].c = c;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	char errbuf[PCAP_ERRBUF_SIZE];
	struct filter_checker *c;
	struct pwru_err e = {0};
	pcap_t *p;

	if (!path)
		return 0;
	if (size % 8 == 0) {
		check_err(check_filter_main(path, EXPR, null_out, &e), &e);
		return 0;
	}
	p = pcap_open_offline(path, errbuf);
	if (!p)
		return 0;
	c = checker_for(pcap_datalink(p), &e);
	if (c)
		check_err(check_filter_capture(p, c, path, null_out, &e), &e);
	pcap_close(p);
	return 0;
}
