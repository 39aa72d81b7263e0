// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include "src/output/fmt.h"
#include "src/output/outstream.h"
#include "src/output/pipeline.h"

int pipeline_add(struct pipeline *p, const struct sink_ops *ops, FILE *out,
		 const struct sink_opts *opts)
{
	if (p->n == PIPELINE_MAX_SINKS)
		return -1;
	p->sinks[p->n++] = (struct sink){.ops = ops, .out = out, .diag = p->diag, .opts = opts};
	return 0;
}

int pipeline_add_stream(struct pipeline *p, const struct sink_ops *ops, struct outstream *os,
			const struct sink_opts *opts)
{
	if (pipeline_add(p, ops, outstream_file(os), opts))
		return -1;
	p->sinks[p->n - 1].stream = os;
	return 0;
}

/* The first failure is the one reported: what fails after it follows from it. */
static int failed(struct pipeline *p, const struct sink *s)
{
	int err = errno;

	if (!p->fail_err) {
		p->fail_err = s->stream && outstream_error(s->stream) ? outstream_error(s->stream)
								      : (err ? err : EIO);
		p->fail_label = s->stream ? outstream_label(s->stream) : s->ops->name;
	}
	return -1;
}

/* A sink's RC, or its stream's error: stdio counts a line it buffered as written. */
static int check(struct pipeline *p, const struct sink *s, int rc)
{
	return rc || (s->stream && outstream_error(s->stream)) ? failed(p, s) : 0;
}

int pipeline_open(struct pipeline *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		if (!check(p, &p->sinks[i], p->sinks[i].ops->open(&p->sinks[i])))
			continue;
		for (j = 0; j < i; j++)
			p->sinks[j].ops->close(&p->sinks[j], &p->st);
		p->n = 0;
		return -1;
	}
	for (i = 0; i < p->n; i++)
		if (p->sinks[i].stream)
			outstream_whole(p->sinks[i].stream);
	return 0;
}

int pipeline_record(struct pipeline *p, const void *data, size_t size)
{
	struct pwru_record r;
	size_t i;
	int rc = 0;

	/* A record the reader cannot parse is counted, never half-printed. */
	if (record_decode(data, size, &r)) {
		p->malformed++;
		return 0;
	}
	enrich_record(&p->en, &r);
	texts_fill(&p->texts, &r);
	for (i = 0; i < p->n; i++)
		rc |= check(p, &p->sinks[i], p->sinks[i].ops->record(&p->sinks[i], &r));
	if (rc)
		return -1; /* not counted: it may be half written */
	for (i = 0; i < p->n; i++)
		if (p->sinks[i].stream)
			outstream_mark(p->sinks[i].stream);
	p->st.events++;
	return 0;
}

int pipeline_tick(struct pipeline *p, uint64_t now)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < p->n; i++)
		if (p->sinks[i].ops->tick)
			rc |= check(p, &p->sinks[i], p->sinks[i].ops->tick(&p->sinks[i], now));
	return rc ? -1 : 0;
}

int pipeline_flush(struct pipeline *p)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < p->n; i++)
		if (p->sinks[i].out)
			rc |= check(p, &p->sinks[i], fflush(p->sinks[i].out) ? -1 : 0);
	return rc ? -1 : 0;
}

void pipeline_say_lost(struct pipeline *p, uint64_t total)
{
	fprintf(p->diag,
		"pwru: %" PRIu64 " event%s lost so far: the ring buffer was full "
		"(narrow the pcap-filter or --filter-func, or a larger --ringbuf-size)\n",
		total, plural(total));
}

void pipeline_lost(struct pipeline *p, uint64_t total)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->sinks[i].ops->lost)
			p->sinks[i].ops->lost(&p->sinks[i], total);
}

int pipeline_close(struct pipeline *p, uint64_t lost)
{
	uint64_t written;
	size_t i;
	int rc = 0;

	p->st.lost = lost;
	for (i = 0; i < p->n; i++) {
		struct sink *s = &p->sinks[i];

		rc |= check(p, s, s->ops->close(s, &p->st));
		/* the count below is of what got out */
		if (s->stream)
			rc |= check(p, s, fflush(s->out) ? -1 : 0);
	}
	if (p->malformed)
		fprintf(p->diag, "pwru: %" PRIu64 " malformed record%s skipped\n", p->malformed,
			plural(p->malformed));
	written = p->st.events - pipeline_unwritten(p);
	fprintf(p->diag, "pwru: %" PRIu64 " event%s, %" PRIu64 " lost\n", written, plural(written),
		lost);
	if (p->st.lost_nested)
		fprintf(p->diag,
			"pwru: %" PRIu64 " more event%s lost: pwru's programs ran nested on one "
			"CPU deeper than their per-CPU buffers (task, softirq, hard irq), not "
			"the ring buffer\n",
			p->st.lost_nested, plural(p->st.lost_nested));
	p->n = 0;
	return rc ? -1 : 0;
}

uint64_t pipeline_unwritten(const struct pipeline *p)
{
	uint64_t most = 0, u;
	size_t i;

	for (i = 0; i < p->n; i++) {
		u = p->sinks[i].stream ? outstream_unwritten(p->sinks[i].stream) : 0;
		most = u > most ? u : most;
	}
	return most;
}

int pipeline_error(const struct pipeline *p, const char **label)
{
	*label = p->fail_label;
	return p->fail_err;
}
