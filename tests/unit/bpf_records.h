/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real records without kprobes: bench_events.bpf.c (the tracing programs' own fill code in
 * a tc program) run through BPF_PROG_TEST_RUN on a packet, into its ring buffer.
 */
#ifndef PWRU_BPF_RECORDS_H
#define PWRU_BPF_RECORDS_H

#include <errno.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bench_events.skel.h"

struct bpf_records {
	struct bench_events_bpf *skel;
	int prog_fd;
};

/* Opens and loads with SNAPLEN, CB and a ring buffer of RB_SIZE bytes (0: the default). */
static inline int bpf_records_open(struct bpf_records *b, uint32_t snaplen, bool cb,
				   uint32_t rb_size)
{
	int rc;

	b->skel = bench_events_bpf__open();
	if (!b->skel)
		return -errno;
	b->skel->rodata->cfg_snaplen = snaplen;
	b->skel->rodata->cfg_output_cb = cb;
	if (rb_size)
		bpf_map__set_max_entries(b->skel->maps.events, rb_size);
	rc = bench_events_bpf__load(b->skel);
	if (rc) {
		bench_events_bpf__destroy(b->skel);
		b->skel = NULL;
		return rc;
	}
	b->prog_fd = bpf_program__fd(b->skel->progs.bench_events);
	return 0;
}

/*
 * Runs the program REPEAT times on FRAME (an Ethernet frame); ADDR goes in as the function,
 * RETVAL (when not 0) as a return value section.
 */
static inline int bpf_records_run_ret(struct bpf_records *b, const void *frame, size_t len,
				      uint64_t addr, uint32_t repeat, uint32_t retval)
{
	struct __sk_buff ctx = {.cb = {(uint32_t)addr, (uint32_t)(addr >> 32), 6, 0, retval}};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = (uint32_t)len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = repeat);

	return bpf_prog_test_run_opts(b->prog_fd, &opts);
}

static inline int bpf_records_run(struct bpf_records *b, const void *frame, size_t len,
				  uint64_t addr, uint32_t repeat)
{
	return bpf_records_run_ret(b, frame, len, addr, repeat, 0);
}

static inline void bpf_records_close(struct bpf_records *b)
{
	bench_events_bpf__destroy(b->skel);
}

/* An Ethernet frame: IPv4 TCP SYN 10.0.1.1:40000 -> 10.0.1.2:80, 20 payload bytes. */
static inline size_t tcp_syn_frame(uint8_t *f)
{
	static const uint8_t hdr[] = {
	    0x02, 0,	0,  0,	0, 2, 0x02, 0, 0,  0, 0, 1, 0x08, 0x00, /* eth */
	    0x45, 0,	0,  60, 0, 1, 0x40, 0, 64, 6, 0, 0, 10,	  0,
	    1,	  1,	10, 0,	1, 2, /* ip */
	    0x9c, 0x40, 0,  80, 0, 0, 0,    1, 0,  0, 0, 0, 0x50, 0x02,
	    0xff, 0xff, 0,  0,	0, 0, /* tcp */
	};
	size_t i;

	memcpy(f, hdr, sizeof(hdr));
	for (i = 0; i < 20; i++)
		f[sizeof(hdr) + i] = (uint8_t)('a' + i);
	return sizeof(hdr) + 20;
}

#endif
