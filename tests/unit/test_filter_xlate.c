// SPDX-License-Identifier: GPL-2.0
/*
 * The cBPF -> eBPF translator against libpcap's interpreter: hand-made classic programs for
 * each instruction class and edge case, loaded into the kernel (so the verifier sees them)
 * and run with BPF_PROG_TEST_RUN on crafted packets. libpcap's bpf_filter() is the oracle.
 * Needs root; skips only where the checker cannot run at all (checker_loadable()).
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "filters/pcap_compile.h"
#include "filters/pcap_filter.h"
#include "src/check_filter.h"
#include "checker_tap.h"

#define PKT_MAX 1200

struct pkt {
	unsigned char data[PKT_MAX];
	unsigned int caplen, wirelen;
};

static int open_prog(const struct bpf_insn *prog, size_t n, bool per_load,
		     struct filter_checker **c, struct pwru_err *e)
{
	struct pcap_filter_opts o = {.per_load_reads = per_load};
	struct cbpf_insn *ci = calloc(n, sizeof(*ci));
	struct pcap_filter *f;
	int ret;

	for (size_t i = 0; i < n; i++)
		ci[i] = (struct cbpf_insn){prog[i].code, prog[i].jt, prog[i].jf, prog[i].k};
	ret = pcap_filter_from_cbpf(ci, n, &o, &f, e->msg, sizeof(e->msg));
	free(ci);
	if (ret)
		return ret;
	return filter_checker_open_filter(f, DLT_EN10MB, c, e);
}

static int kernel_match(struct filter_checker *c, const struct pkt *p)
{
	int match = -1, ret = filter_checker_run(c, p->data, p->caplen, p->wirelen, &match);

	return ret ? ret : match;
}

static int pcap_match(const struct bpf_insn *prog, const struct pkt *p)
{
	return bpf_filter(prog, p->data, p->wirelen, p->caplen) != 0;
}

typedef int (*oracle_fn)(const struct bpf_insn *prog, const struct pkt *p);

static void same_as(const char *what, const struct bpf_insn *prog, size_t n, const struct pkt *pkts,
		    size_t npkts, oracle_fn oracle);

/* Runs PROG in both translation modes over PKTS; one TAP line per mode. */
static void same_as_libpcap(const char *what, const struct bpf_insn *prog, size_t n,
			    const struct pkt *pkts, size_t npkts)
{
	same_as(what, prog, n, pkts, npkts, pcap_match);
}

static void same_as(const char *what, const struct bpf_insn *prog, size_t n, const struct pkt *pkts,
		    size_t npkts, oracle_fn oracle)
{
	for (int per_load = 0; per_load < 2; per_load++) {
		struct filter_checker *c;
		struct pwru_err e = {0};
		char diff[256] = "";
		int ret = open_prog(prog, n, per_load, &c, &e), bad = 0;

		if (ret) {
			ok(0, "%s (%s): loads", what, per_load ? "per-load" : "block");
			printf("#   %s\n", e.msg);
			continue;
		}
		for (size_t i = 0; i < npkts; i++) {
			int want = oracle(prog, &pkts[i]), got = kernel_match(c, &pkts[i]);

			if (want != got && !bad++)
				snprintf(diff, sizeof(diff), "packet %zu: expected %d, kernel %d",
					 i, want, got);
		}
		ok(!bad, "%s (%s): %zu packets as expected", what, per_load ? "per-load" : "block",
		   npkts);
		if (bad)
			printf("#   %d differ; first: %s\n", bad, diff);
		filter_checker_close(c);
	}
}

static struct pkt pkt_fill(unsigned int caplen, unsigned int wirelen, unsigned int seed)
{
	struct pkt p = {.caplen = caplen, .wirelen = wirelen};

	srand(seed);
	for (unsigned int i = 0; i < PKT_MAX; i++)
		p.data[i] = (unsigned char)rand();
	return p;
}

/* Packets around the 256-byte block and the packet's end, where bounds checks live. */
static size_t pkt_set(struct pkt *out, size_t max)
{
	static const unsigned int sizes[][2] = {
	    {0, 0},	{1, 1},	    {13, 13},	{14, 60},   {60, 60},	  {64, 1500},
	    {255, 255}, {256, 256}, {257, 300}, {600, 600}, {1000, 1000}, {1100, 4000},
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && n < max; i++)
		for (unsigned int s = 0; s < 3 && n < max; s++)
			out[n++] = pkt_fill(sizes[i][0], sizes[i][1], 7 * (unsigned)i + s);
	return n;
}

#define N(p) (sizeof(p) / sizeof((p)[0]))

static void test_loads(const struct pkt *pk, size_t np)
{
	static const unsigned int offs[] = {0, 12, 250, 252, 254, 255, 256, 597, 999, 1096, 1099};

	for (size_t i = 0; i < N(offs); i++) {
		struct bpf_insn w[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offs[i]),
				       BPF_STMT(BPF_RET | BPF_A, 0)};
		struct bpf_insn h[] = {BPF_STMT(BPF_LD | BPF_H | BPF_ABS, offs[i]),
				       BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x7fff, 0, 1),
				       BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_RET | BPF_K, 0)};
		struct bpf_insn b[] = {BPF_STMT(BPF_LD | BPF_B | BPF_ABS, offs[i]),
				       BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x81, 1, 0),
				       BPF_STMT(BPF_RET | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, 1)};
		char name[64];

		snprintf(name, sizeof(name), "ld [%u] (word, ret a)", offs[i]);
		same_as_libpcap(name, w, N(w), pk, np);
		snprintf(name, sizeof(name), "ldh [%u] > 0x7fff", offs[i]);
		same_as_libpcap(name, h, N(h), pk, np);
		snprintf(name, sizeof(name), "ldb [%u] & 0x81", offs[i]);
		same_as_libpcap(name, b, N(b), pk, np);
	}
}

static void test_indirect(const struct pkt *pk, size_t np)
{
	/* X from the packet, so the offset varies per packet; 0xffffffff checks the 64-bit sum */
	static const unsigned int xs[] = {0, 250, 596, 0xfffffffe, 0xffffffff};

	for (size_t i = 0; i < N(xs); i++) {
		struct bpf_insn p[] = {BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, xs[i]),
				       BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),
				       BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x8000, 1, 0),
				       BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_RET | BPF_K, 0)};
		char name[64];

		snprintf(name, sizeof(name), "ldh [x + 4], x = %#x", xs[i]);
		same_as_libpcap(name, p, N(p), pk, np);
	}
	struct bpf_insn msh[] = {BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
				 BPF_STMT(BPF_LD | BPF_W | BPF_IND, 14),
				 BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80000001, 0, 1),
				 BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_RET | BPF_K, 0)};
	same_as_libpcap("ldxb 4*([14]&0xf); ld [x + 14]", msh, N(msh), pk, np);
	struct bpf_insn msh_far[] = {BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 700),
				     BPF_STMT(BPF_MISC | BPF_TXA, 0),
				     BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 32, 0, 1),
				     BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_RET | BPF_K, 0)};
	same_as_libpcap("ldxb 4*([700]&0xf) past the block", msh_far, N(msh_far), pk, np);
	struct bpf_insn len[] = {BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
				 BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 299, 0, 1),
				 BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_RET | BPF_K, 0)};
	same_as_libpcap("len > 299 sees the wire length", len, N(len), pk, np);
}

/*
 * For each ALU op, the test learns the value libpcap computes for packet 0 (ret a) and then
 * checks that the kernel finds the same value there (and agrees elsewhere).
 */
static void test_alu(const struct pkt *pk, size_t np)
{
	static const struct {
		unsigned short op;
		unsigned int k;
	} ops[] = {
	    {BPF_ADD, 0x89abcdef}, {BPF_SUB, 0x80000001}, {BPF_MUL, 0x10001},	 {BPF_DIV, 7},
	    {BPF_MOD, 1000},	   {BPF_OR, 0xf0f0f0f0},  {BPF_AND, 0x0ff00ff0}, {BPF_XOR, ~0U},
	    {BPF_LSH, 5},	   {BPF_RSH, 31},	  {BPF_NEG, 0},
	};
	struct pkt p0 = pk[np - 1];

	for (size_t i = 0; i < N(ops); i++)
		for (int by_x = 0; by_x < 2 - (ops[i].op == BPF_NEG); by_x++) {
			unsigned short src = by_x ? BPF_X : BPF_K;
			struct bpf_insn val[] = {BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, ops[i].k),
						 BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 20),
						 BPF_STMT(BPF_ALU | ops[i].op | src, ops[i].k),
						 BPF_STMT(BPF_RET | BPF_A, 0)};
			unsigned int want = bpf_filter(val, p0.data, p0.wirelen, p0.caplen);
			struct bpf_insn p[] = {val[0],
					       val[1],
					       val[2],
					       BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, want, 0, 1),
					       BPF_STMT(BPF_RET | BPF_K, 1),
					       BPF_STMT(BPF_RET | BPF_K, 0)};
			char name[64];

			snprintf(name, sizeof(name), "alu op %#x %s (A == %#x on one packet)",
				 ops[i].op, by_x ? "x" : "k", want);
			same_as_libpcap(name, p, N(p), pk, np);
		}
}

/* libpcap shifts everything out for X >= 32; a plain eBPF shift would mask the count */
static void test_wide_shifts(const struct pkt *pk, size_t np)
{
	static const unsigned int xs[] = {31, 32, 40, 0xffffffff};

	for (size_t i = 0; i < N(xs); i++)
		for (int right = 0; right < 2; right++) {
			struct bpf_insn p[] = {
			    BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, xs[i]),
			    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 20),
			    BPF_STMT(BPF_ALU | (right ? BPF_RSH : BPF_LSH) | BPF_X, 0),
			    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
			    BPF_STMT(BPF_RET | BPF_K, 1),
			    BPF_STMT(BPF_RET | BPF_K, 0)};
			char name[64];

			snprintf(name, sizeof(name), "%s x, x = %u", right ? "rsh" : "lsh", xs[i]);
			same_as_libpcap(name, p, N(p), pk, np);
		}
}

static void test_div_by_zero(const struct pkt *pk, size_t np)
{
	for (int mod = 0; mod < 2; mod++) {
		/* X = packet byte 30 & 1: zero on about half of the packets */
		struct bpf_insn p[] = {BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 30),
				       BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 1),
				       BPF_STMT(BPF_MISC | BPF_TAX, 0),
				       BPF_STMT(BPF_LD | BPF_W | BPF_IMM, 100),
				       BPF_STMT(BPF_ALU | (mod ? BPF_MOD : BPF_DIV) | BPF_X, 0),
				       BPF_STMT(BPF_RET | BPF_K, 1)};

		same_as_libpcap(mod ? "mod by x == 0 rejects" : "div by x == 0 rejects", p, N(p),
				pk, np);
	}
	struct bpf_insn k0[] = {BPF_STMT(BPF_LD | BPF_W | BPF_IMM, 5),
				BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0),
				BPF_STMT(BPF_RET | BPF_K, 1)};
	struct filter_checker *c;
	struct pwru_err e = {0};
	int ret = open_prog(k0, N(k0), false, &c, &e);

	ok(!ret && kernel_match(c, &pk[np - 1]) == 0, "div by constant 0 loads and rejects");
	if (!ret)
		filter_checker_close(c);
}

static void test_scratch(const struct pkt *pk, size_t np)
{
	struct bpf_insn p[] = {BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
			       BPF_STMT(BPF_ST, 3),
			       BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 21),
			       BPF_STMT(BPF_STX, 15), /* X is 0 here */
			       BPF_STMT(BPF_LDX | BPF_MEM, 3),
			       BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
			       BPF_STMT(BPF_LDX | BPF_MEM, 15),
			       BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
			       BPF_STMT(BPF_ST, 9),
			       BPF_STMT(BPF_LD | BPF_MEM, 3),
			       BPF_STMT(BPF_LDX | BPF_MEM, 9),
			       BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),
			       BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 127, 0, 1),
			       BPF_STMT(BPF_RET | BPF_K, 1),
			       BPF_STMT(BPF_RET | BPF_K, 0)};
	/* libpcap 1.10 leaves M[] uninitialised; the kernel side reads unwritten slots as 0 */
	struct bpf_insn unwritten[] = {BPF_STMT(BPF_LD | BPF_MEM, 9),
				       BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
				       BPF_STMT(BPF_RET | BPF_K, 1), BPF_STMT(BPF_RET | BPF_K, 0)};
	struct filter_checker *c;
	struct pwru_err e = {0};
	int ret, all = 1;

	same_as_libpcap("scratch M[3], M[9], M[15]", p, N(p), pk, np);
	ret = open_prog(unwritten, N(unwritten), false, &c, &e);
	ok(!ret, "a program reading unwritten M[9] loads");
	if (ret)
		return;
	for (size_t i = 0; i < np; i++)
		all &= kernel_match(c, &pk[i]) == 1;
	ok(all, "unwritten M[9] reads 0 on every packet");
	filter_checker_close(c);
}

/*
 * The bug class of pwru's translation: A live across `ldx M[k]` and across a load that
 * calls a helper (X = [700] lies past the copied block). A must survive both.
 */
static void test_a_survives(const struct pkt *pk, size_t np)
{
	struct bpf_insn p[] = {
	    BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 3),
	    BPF_STMT(BPF_STX, 1),
	    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 16), /* A live from here ... */
	    BPF_STMT(BPF_LDX | BPF_MEM, 1),
	    BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 700), /* ... across a helper call ... */
	    BPF_STMT(BPF_LDX | BPF_MEM, 1),
	    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x7fff, 0, 1), /* ... to here */
	    BPF_STMT(BPF_RET | BPF_K, 1),
	    BPF_STMT(BPF_RET | BPF_K, 0)};
	same_as_libpcap("A survives ldx M[k] and a helper-calling ldx", p, N(p), pk, np);
}

static int libpcap_says(const char *expr, const struct pkt *p)
{
	pcap_t *h = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program bp;
	int m = -1;

	if (h && !pcap_compile(h, &bp, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		m = bpf_filter(bp.bf_insns, p->data, p->wirelen, p->caplen) != 0;
		pcap_freecode(&bp);
	}
	if (h)
		pcap_close(h);
	return m == 1;
}

/* The geneve program has A live across ldx M[1]; a hand-made Geneve packet must match. */
static void test_geneve(void)
{
	static const unsigned char frame[] = {/* ether */ 0,
					      1,
					      2,
					      3,
					      4,
					      5,
					      0,
					      1,
					      2,
					      3,
					      4,
					      6,
					      0x08,
					      0x00,
					      /* ipv4 */ 0x45,
					      0,
					      0,
					      86,
					      0,
					      0,
					      0x40,
					      0,
					      64,
					      17,
					      0,
					      0,
					      10,
					      0,
					      0,
					      1,
					      10,
					      0,
					      0,
					      2,
					      /* udp 6081 */ 0x30,
					      0x39,
					      0x17,
					      0xc1,
					      0,
					      66,
					      0,
					      0,
					      /* geneve, inner ethernet */ 0,
					      0,
					      0x65,
					      0x58,
					      0,
					      0,
					      0x0b,
					      0,
					      /* inner ether */ 0,
					      1,
					      2,
					      3,
					      4,
					      7,
					      0,
					      1,
					      2,
					      3,
					      4,
					      8,
					      0x08,
					      0x00,
					      /* inner ipv4 tcp */ 0x45,
					      0,
					      0,
					      40,
					      0,
					      0,
					      0x40,
					      0,
					      64,
					      6,
					      0,
					      0,
					      192,
					      168,
					      0,
					      1,
					      192,
					      168,
					      0,
					      2,
					      /* tcp 1234 -> 80 */ 0x04,
					      0xd2,
					      0,
					      80,
					      0,
					      0,
					      0,
					      0,
					      0,
					      0,
					      0,
					      0,
					      0x50,
					      2,
					      0,
					      0,
					      0,
					      0,
					      0,
					      0};
	struct pkt p = {.caplen = sizeof(frame), .wirelen = sizeof(frame)};
	struct filter_checker *c;
	struct pwru_err e = {0};
	int ret;

	memcpy(p.data, frame, sizeof(frame));
	ok(libpcap_says("geneve and tcp dst port 80", &p), "libpcap matches the geneve packet");
	ret = filter_checker_open("geneve and tcp dst port 80", DLT_EN10MB, &c, &e);
	ok(!ret, "geneve and tcp dst port 80: loads");
	if (ret)
		return;
	is_int(kernel_match(c, &p), 1, "geneve inner tcp port 80 matches (A kept across ldx M[1])");
	p.data[sizeof(frame) - 17] = 81;
	is_int(kernel_match(c, &p), 0, "geneve inner tcp port 81 does not");
	filter_checker_close(c);
}

/*
 * libpcap 1.10's interpreter cannot take backward jumps (it adds the unsigned offset), so
 * the loop's reference is computed here: X counts up from 1 while M[0] > X.
 */
static int loop_reference(const struct bpf_insn *prog, const struct pkt *p)
{
	unsigned int m0, x = 1;

	if (p->caplen <= 40)
		return 0;
	m0 = p->data[40] & 15;
	while (m0 > x)
		x++;
	return x >= 9;
}

static void test_loops(const struct pkt *pk, size_t np)
{
	struct bpf_insn p[] = {BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0),
			       BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40),
			       BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 15),
			       BPF_STMT(BPF_ST, 0),
			       /* 4: */ BPF_STMT(BPF_MISC | BPF_TXA, 0),
			       BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
			       BPF_STMT(BPF_MISC | BPF_TAX, 0),
			       BPF_STMT(BPF_LD | BPF_MEM, 0),
			       BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
			       BPF_STMT(BPF_JMP | BPF_JA, -6),
			       BPF_STMT(BPF_MISC | BPF_TXA, 0),
			       BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 9, 0, 1),
			       BPF_STMT(BPF_RET | BPF_K, 1),
			       BPF_STMT(BPF_RET | BPF_K, 0)};
	struct pkt q[16];

	for (unsigned int i = 0; i < 16; i++) {
		q[i] = pk[np - 1];
		q[i].data[40] = (unsigned char)(0xa0 | i);
	}
	same_as("backward jump loop, 1 to 15 rounds", p, N(p), q, 16, loop_reference);

	struct bpf_insn forever[] = {BPF_STMT(BPF_LD | BPF_W | BPF_IMM, 1),
				     BPF_STMT(BPF_JMP | BPF_JA, -2)};
	struct filter_checker *c;
	struct pwru_err e = {0};
	int ret = open_prog(forever, N(forever), false, &c, &e);

	ok(!ret, "an endless cBPF loop still loads (bounded at %d rounds)", 32);
	if (!ret) {
		is_int(kernel_match(c, &pk[np - 1]), 0, "and rejects the packet");
		filter_checker_close(c);
	}
	struct filter_checker *pc;

	ret = filter_checker_open("ip6 protochain 89", DLT_RAW, &pc, &e);
	ok(!ret, "'ip6 protochain 89' (backward jumps) passes the verifier");
	if (!ret)
		filter_checker_close(pc);
}

/*
 * Linux ancillary loads read the skb's own fields. BPF_PROG_TEST_RUN runs the packet on the
 * loopback device (ifindex 1) as received: inbound, not outbound. libpcap's interpreter
 * cannot evaluate these, so the expectations are the kernel's facts.
 */
static void test_ancillary(const struct pkt *pk)
{
	static const struct {
		const char *expr;
		int want;
	} cases[] = {{"inbound", 1},
		     {"outbound", 0},
		     {"ifindex 1", 1},
		     {"ifindex 2", 0},
		     {"ifindex 1 and inbound", 1}};

	for (size_t i = 0; i < N(cases); i++) {
		struct filter_checker *c = checker_open_tap(cases[i].expr);

		if (!c)
			continue;
		is_int(kernel_match(c, pk), cases[i].want, "'%s' on a test-run packet",
		       cases[i].expr);
		filter_checker_close(c);
	}
}

/*
 * One checker, switched between link types (filter_checker_set_dlt, which the differential
 * test uses to load each expression once): a raw IPv4 packet matches 'icmp' only when run
 * as DLT_RAW, and an unsupported link type is refused and changes nothing.
 */
static void test_set_dlt(void)
{
	/* IPv4 10.0.0.1 -> 10.0.0.2, protocol 1, then an ICMP echo request's first bytes */
	static const unsigned char ip[28] = {[0] = 0x45, [3] = 28,  [8] = 64, [9] = 1, [12] = 10,
					     [15] = 1,	 [16] = 10, [19] = 2, [20] = 8};
	struct filter_checker *c = checker_open_tap("icmp");
	struct pwru_err e = {0};
	struct pkt p = {.caplen = sizeof(ip), .wirelen = sizeof(ip)};

	if (!c)
		return;
	memcpy(p.data, ip, sizeof(ip));
	is_int(kernel_match(c, &p), 0, "a raw IPv4 ICMP packet run as EN10MB: no match");
	is_int(filter_checker_set_dlt(c, DLT_RAW, &e), 0, "switched to DLT_RAW");
	is_int(kernel_match(c, &p), 1, "the same packet run as DLT_RAW: 'icmp' matches");
	ok(filter_checker_set_dlt(c, DLT_IEEE802_11, &e) && e.cls == PWRU_BAD_INPUT,
	   "DLT_IEEE802_11 refused as bad input: %s", e.msg);
	is_int(kernel_match(c, &p), 1, "after the refusal the packet still runs as DLT_RAW");
	filter_checker_close(c);
}

int main(void)
{
	static struct pkt pk[40];
	size_t np = pkt_set(pk, N(pk));

	char why[512];

	if (!checker_loadable(why, sizeof(why))) {
		printf("1..0 # SKIP %s\n", why);
		return 0;
	}
	test_loads(pk, np);
	test_indirect(pk, np);
	test_alu(pk, np);
	test_wide_shifts(pk, np);
	test_div_by_zero(pk, np);
	test_scratch(pk, np);
	test_a_survives(pk, np);
	test_geneve();
	test_loops(pk, np);
	test_ancillary(&pk[np - 1]);
	test_set_dlt();
	return tap_done();
}
