// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include "src/output/pipeline.h"

int pipeline_add(struct pipeline *p, const struct sink_ops *ops, FILE *out,
		 const struct sink_opts *opts)
{
	if (p->n == PIPELINE_MAX_SINKS)
		return -1;
	p->sinks[p->n++] = (struct sink){.ops = ops, .out = out, .diag = p->diag, .opts = opts};
	return 0;
}

int pipeline_open(struct pipeline *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		if (!p->sinks[i].ops->open(&p->sinks[i]))
			continue;
		for (j = 0; j < i; j++)
			p->sinks[j].ops->close(&p->sinks[j], &p->st);
		p->n = 0;
		return -1;
	}
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
		rc |= p->sinks[i].ops->record(&p->sinks[i], &r);
	p->st.events++;
	return rc ? -1 : 0;
}

int pipeline_tick(struct pipeline *p, uint64_t now)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < p->n; i++)
		if (p->sinks[i].ops->tick)
			rc |= p->sinks[i].ops->tick(&p->sinks[i], now);
	return rc ? -1 : 0;
}

int pipeline_flush(struct pipeline *p)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < p->n; i++)
		if (p->sinks[i].out)
			rc |= fflush(p->sinks[i].out);
	return rc ? -1 : 0;
}

void pipeline_lost(struct pipeline *p, uint64_t total)
{
	size_t i;

	fprintf(p->diag,
		"pwru: %" PRIu64 " events lost so far: the ring buffer was full "
		"(narrow the pcap-filter or --filter-func, or a larger --ringbuf-size)\n",
		total);
	for (i = 0; i < p->n; i++)
		if (p->sinks[i].ops->lost)
			p->sinks[i].ops->lost(&p->sinks[i], total);
}

int pipeline_close(struct pipeline *p, uint64_t lost)
{
	size_t i;
	int rc = 0;

	p->st.lost = lost;
	for (i = 0; i < p->n; i++)
		rc |= p->sinks[i].ops->close(&p->sinks[i], &p->st);
	p->n = 0;
	if (p->malformed)
		fprintf(p->diag, "pwru: %" PRIu64 " malformed records skipped\n", p->malformed);
	fprintf(p->diag, "pwru: %" PRIu64 " events, %" PRIu64 " lost\n", p->st.events, lost);
	return rc ? -1 : 0;
}
