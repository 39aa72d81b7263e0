// SPDX-License-Identifier: GPL-2.0
/*
 * Records: the decoder on hand-built and malformed records, and on real ones produced by the
 * tracing programs' fill code in the kernel (BPF_PROG_TEST_RUN), sections included.
 */
#include "sink_harness.h"
#include "bpf_records.h"
#include "src/output/events.h"
#include "src/output/texts.h"
#include "src/output/tuple_text.h"

static void test_decode_sections(void)
{
	struct pwru_event ev = sample_event();
	uint32_t cb[5] = {1, 2, 3, 4, 5};
	uint64_t stack[3] = {0xffffffff81abe9d0ULL, 0xffffffff81a07000ULL, 0}, caller = 0x1234;
	uint64_t ret = (uint64_t)-1, unknown = 7;
	uint8_t bytes[3] = {0x45, 0, 0};
	struct pwru_record r;
	struct rec rec;

	rec_start(&rec, &ev);
	ok(!record_decode(rec.b, rec.len, &r) && !r.pkt && !r.cb && !r.nstack && !r.has_caller,
	   "a record without sections decodes to none");
	rec_section(&rec, PWRU_SEC_CB, cb, sizeof(cb));
	rec_section(&rec, 99, &unknown, 3); /* a kind from a newer producer */
	rec_section(&rec, PWRU_SEC_STACK, stack, 2 * sizeof(stack[0]));
	rec_section(&rec, PWRU_SEC_CALLER, &caller, sizeof(caller));
	rec_section(&rec, PWRU_SEC_RETVAL, &ret, sizeof(ret));
	rec_packet(&rec, PWRU_LINK_RAW, bytes, 3, 84);
	ok(!record_decode(rec.b, rec.len, &r), "six sections decode");
	ok(r.cb && r.cb[4] == 5, "cb section");
	ok(r.nstack == 2 && r.stack[0] == stack[0] && r.stack[1] == stack[1], "stack section");
	ok(r.has_caller && r.caller == 0x1234, "caller section");
	ok(r.has_retval && r.retval == (uint64_t)-1, "return value section");
	ok(r.pkt && r.pkt->cap_len == 3 && r.pkt->orig_len == 84 && r.pkt_data[0] == 0x45,
	   "packet section after an unknown kind");
	ok(record_decode(rec.b, rec.len - 1, &r), "a record cut short is refused");
	((struct pwru_event *)rec.b)->size = 10;
	ok(record_decode(rec.b, rec.len, &r), "a size below the header is refused");
	((struct pwru_event *)rec.b)->size = (pwru_u16)rec.len;
	((struct pwru_section *)((uint8_t *)rec.b + rec.len - 24))->len = 200;
	ok(record_decode(rec.b, rec.len, &r), "a section running past the record is refused");
}

struct got {
	uint8_t buf[PWRU_RECORD_MAX];
	size_t size;
	int n;
};

static int take(void *ctx, void *data, size_t size)
{
	struct got *g = ctx;

	if (!g->n++ && size <= sizeof(g->buf)) {
		memcpy(g->buf, data, size);
		g->size = size;
	}
	return 0;
}

/* One real record out of the kernel: returns how many were in the ring buffer. */
static int kernel_record_ret(uint32_t snaplen, bool cb, uint32_t retval, struct got *g)
{
	struct bpf_records b;
	struct ring_buffer *rb;
	uint8_t frame[128];
	size_t len = tcp_syn_frame(frame);
	int rc = bpf_records_open(&b, snaplen, cb, 0);

	memset(g, 0, sizeof(*g));
	if (rc) {
		printf("# loading bench_events: %s\n", strerror(-rc));
		return -1;
	}
	rb = ring_buffer__new(bpf_map__fd(b.skel->maps.events), take, g, NULL);
	rc = rb ? bpf_records_run_ret(&b, frame, len, ADDR_ICMP_RCV, 1, retval) : -1;
	if (!rc)
		ring_buffer__consume(rb);
	ring_buffer__free(rb);
	bpf_records_close(&b);
	return rc ? -1 : g->n;
}

static int kernel_record(uint32_t snaplen, bool cb, struct got *g)
{
	return kernel_record_ret(snaplen, cb, 0, g);
}

static void test_kernel_records(void)
{
	struct pwru_record r;
	struct got g;
	char tuple[TUPLE_TEXT_MAX];

	ok(kernel_record(128, true, &g) == 1, "one test run, one record in the ring buffer");
	ok(!record_decode(g.buf, g.size, &r), "the kernel's record decodes (%zu bytes)", g.size);
	ok(r.size == g.size, "its size field is the ring buffer record's length");
	ok(r.ev && r.ev->addr == ADDR_ICMP_RCV && r.ev->arg2 == 6, "function and argument");
	tuple_text(&r.ev->tuple, tuple, sizeof(tuple));
	is_str(tuple, "10.0.1.1:40000->10.0.1.2:80(tcp)", "tuple from the packet");
	ok(r.ev->tuple.tcp_flags == 0x02, "TCP flags: SYN");
	ok(r.pkt && r.pkt->link == PWRU_LINK_ETH, "packet from the MAC header (lo is Ethernet)");
	ok(r.pkt && r.pkt->cap_len == 74 && r.pkt->orig_len == 74,
	   "whole frame captured below the snap length (cap %u, orig %u)",
	   r.pkt ? r.pkt->cap_len : 0, r.pkt ? r.pkt->orig_len : 0);
	ok(r.pkt && r.pkt_data[12] == 0x08 && r.pkt_data[14] == 0x45 && r.pkt_data[73] == 't',
	   "bytes are the frame's");
	ok(r.cb != NULL, "cb section with --output-skb-cb");
	ok(kernel_record(20, false, &g) == 1 && !record_decode(g.buf, g.size, &r), "snap 20");
	ok(r.pkt && r.pkt->cap_len == 20 && r.pkt->orig_len == 74 && !r.cb,
	   "cut at the snap length, original length kept, no cb section");
	ok(g.size == sizeof(struct pwru_event) + 8 + 8 + 20, "the record shrinks with it");
	ok(kernel_record(0, false, &g) == 1 && !record_decode(g.buf, g.size, &r) && !r.pkt &&
	       g.size == sizeof(struct pwru_event) && !r.has_retval,
	   "no snap length: no packet section, the bare event");
	ok(kernel_record_ret(64, true, 0xfffffff2, &g) == 1 && !record_decode(g.buf, g.size, &r),
	   "with a return value (emit_event_ex, as fexit will call it)");
	ok(r.has_retval && r.retval == 0xfffffff2 && r.cb && r.pkt && r.pkt->cap_len == 64,
	   "the return value section between cb and the packet, both still found");
}

/*
 * Ctrl-C with a backlog: what the kernel wrote before the stop is still printed (a
 * stop that dropped the ring's contents lost the last packets the user waited for).
 */
static void test_stop_drains(void)
{
	static struct pipeline p;
	volatile sig_atomic_t stop = 1;
	struct output_stats st = {0};
	struct bpf_records b;
	struct events *ev = NULL;
	uint8_t frame[128];
	size_t len = tcp_syn_frame(frame);

	if (bpf_records_open(&b, 64, false, 0)) {
		ok(0, "loading bench_events");
		return;
	}
	p.diag = stderr;
	ok(!bpf_records_run(&b, frame, len, ADDR_ICMP_RCV, 50) &&
	       !events_open(bpf_map__fd(b.skel->maps.events), bpf_map__fd(b.skel->maps.lost), &p,
			    -1, 0, &ev),
	   "50 records written before the reader starts");
	ok(ev && !events_run(ev, &stop), "the reader, stopped before it began, returns 0");
	if (ev)
		events_stats(ev, &st);
	ok(st.events == 50, "every record written before the stop is delivered (%llu of 50)",
	   (unsigned long long)st.events);
	events_close(ev);
	bpf_records_close(&b);
}

/* A reused pid whose new executable's path sits where the old one's was. */
static void test_texts_pid_reuse(void)
{
	static struct texts c;
	struct pwru_event ev = sample_event();
	struct pwru_record r = {.ev = &ev};
	char exe[32] = "/usr/bin/old";

	r.exe = exe;
	texts_fill(&c, &r);
	is_str(r.proc_text, "/usr/bin/old:227116", "PROCESS text from the exe");
	strcpy(exe, "/usr/bin/new");
	memcpy(ev.comm, "new", 4);
	texts_fill(&c, &r);
	is_str(r.proc_text, "/usr/bin/new:227116",
	       "same pid, same exe pointer, another comm: the text is made again");
}

int main(void)
{
	harness_init();
	test_decode_sections();
	test_kernel_records();
	test_texts_pid_reuse();
	test_stop_drains();
	harness_done();
	return tap_done();
}
