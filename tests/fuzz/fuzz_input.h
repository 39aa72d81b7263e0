/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decodes a fuzzer input into one test case: a link type, a pcap expression and a packet.
 * Shared by the libFuzzer target and by the differential test's seed replay, so a saved
 * input means the same case in both.
 *
 * Layout: byte 0 chooses the link type, where the expression comes from (the corpus file
 * or the grammar) and where the packet comes from (a capture packet, mutated, or raw input
 * bytes); then a length-prefixed block drives the expression; the rest drives the packet.
 * Every byte string decodes to some case: missing bytes read as zero.
 */
#ifndef PWRU_TESTS_FUZZ_INPUT_H
#define PWRU_TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include "captures.h"
#include "corpus.h"

#define FUZZ_EXPR_MAX 480
#define FUZZ_PKT_MAX  1600

struct fuzz_case {
	enum capture_link link;
	char expr[FUZZ_EXPR_MAX];
	unsigned char pkt[FUZZ_PKT_MAX];
	unsigned int caplen, wirelen;
	const struct capture_pkt *base; /* the capture packet it was mutated from, if any */
};

/*
 * Loading a filter costs a verifier run, far more than running a packet, so grammar
 * expressions come from a pool: the expression bytes pick one of POOL generator seeds
 * (SALT varies the pool between runs). POOL 0 feeds the bytes to the grammar directly.
 */
struct fuzz_opts {
	unsigned int pool, salt;
	int const_shifts; /* see expr_gen() */
};

#define FUZZ_POOL_DEFAULT 1000

void fuzz_decode(const unsigned char *data, size_t size, const struct capture_set *set,
		 const struct corpus *corpus, const struct fuzz_opts *opts, struct fuzz_case *c);

#endif
