// SPDX-License-Identifier: GPL-2.0
/* The table of sinks: a new output format is a new file and one line here. */
#include <string.h>
#include "src/output/sink.h"

extern const struct sink_ops sink_text, sink_json, sink_pcapng, sink_summary, sink_chains,
    sink_chains_json, sink_chains_path;

static const struct sink_ops *const sinks[] = {
    &sink_text,	  &sink_json,	     &sink_pcapng,	&sink_summary,
    &sink_chains, &sink_chains_json, &sink_chains_path,
};

const struct sink_ops *sink_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(sinks) / sizeof(sinks[0]); i++)
		if (!strcmp(sinks[i]->name, name))
			return sinks[i];
	return NULL;
}
