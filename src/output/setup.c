// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "src/output/netns_names.h"
#include "src/output/nft_names.h"
#include "src/output/proc_cache.h"
#include "src/output/rotate.h"
#include "src/output/setup.h"
#include "src/output/skb_times.h"

#define SKB_TIMES 65536 /* skbs in flight whose previous event time is kept */

static enum ts_mode ts_mode(const char *s)
{
	if (!s || !strcmp(s, "none"))
		return TS_NONE;
	if (!strcmp(s, "current"))
		return TS_CURRENT;
	return !strcmp(s, "relative") ? TS_RELATIVE : TS_ABSOLUTE;
}

static struct outstream *keep(struct output_setup *os, struct outstream *s)
{
	if (s)
		os->streams[os->nstreams++] = s;
	return s;
}

bool output_pcap_stdout(const struct pwru_config *cfg)
{
	return cfg->output_pcap && !strcmp(cfg->output_pcap, "-");
}

/* Someone watching (terminal, or a pipe into grep) sees each event at once. */
static struct outstream *open_std(struct output_setup *os, int fd, const char *label)
{
	struct outstream *s = keep(os, outstream_fd(fd, label, 0));
	struct stat st;

	if (s && (isatty(fd) || (!fstat(fd, &st) && S_ISFIFO(st.st_mode))))
		setvbuf(outstream_file(s), NULL, _IOLBF, 0);
	return s;
}

static struct outstream *events_stream(struct output_setup *os, const struct pwru_config *cfg)
{
	struct rotate_opts ro = {.max_bytes = cfg->output_file_max_size << 20,
				 .max_backups = cfg->output_file_max_backups,
				 .max_age_days = cfg->output_file_max_age,
				 .compress = cfg->output_file_compress};
	char label[4096 + 32];

	/* stdout carries the pcapng: the events go beside pwru's messages, as tcpdump -w - */
	if (!cfg->output_file && output_pcap_stdout(cfg))
		return open_std(os, STDERR_FILENO, "stderr");
	if (!cfg->output_file)
		return open_std(os, STDOUT_FILENO, "stdout");
	snprintf(label, sizeof(label), "--output-file %s", cfg->output_file);
	return keep(os, rotate_open(cfg->output_file, &ro, label));
}

static struct outstream *pcap_stream(struct output_setup *os, const char *path)
{
	char label[4096 + 32];
	struct outstream *s;
	int fd;

	if (!strcmp(path, "-")) /* labelled so: its reader going away is a normal stop */
		return keep(os, outstream_fd(STDOUT_FILENO, "stdout", 0));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	snprintf(label, sizeof(label), "--output-pcap %s", path);
	s = keep(os, outstream_fd(fd, label, 1));
	if (!s)
		close(fd);
	return s;
}

static int add(struct output_setup *os, const char *sink, struct outstream *out)
{
	return pipeline_add_stream(&os->p, sink_find(sink), out, &os->so);
}

static int add_sinks(struct output_setup *os, const struct pwru_config *cfg, struct pwru_err *e)
{
	struct outstream *out, *pcap;

	if (output_pcap_stdout(cfg) && isatty(STDOUT_FILENO))
		return err_bad_input(e, EINVAL,
				     "--output-pcap - writes pcapng to stdout, here a terminal: "
				     "pipe it (| tshark -r -) or redirect it (> FILE)");
	out = events_stream(os, cfg);
	if (!out && !cfg->output_file)
		return err_not_possible(e, errno, "writing %s: %s",
					output_pcap_stdout(cfg) ? "stderr" : "stdout",
					strerror(errno));
	if (!out)
		return err_bad_input(e, errno, "cannot write --output-file %s: %s",
				     cfg->output_file, strerror(errno));
	if (cfg->output_chains && !strcmp(cfg->output_chains, "path"))
		add(os, "chains-path", out);
	else if (cfg->output_chains)
		add(os, cfg->output_json ? "chains-json" : "chains", out);
	else
		add(os, cfg->output_json ? "json" : "text", out);
	if (cfg->output_pcap) {
		pcap = pcap_stream(os, cfg->output_pcap);
		if (!pcap && output_pcap_stdout(cfg))
			return err_not_possible(e, errno, "writing stdout: %s", strerror(errno));
		if (!pcap)
			return err_bad_input(e, errno, "cannot write --output-pcap %s: %s",
					     cfg->output_pcap, strerror(errno));
		add(os, "pcapng", pcap);
	}
	if (cfg->summary)
		pipeline_add(&os->p, sink_find("summary"), stderr, &os->so);
	return 0;
}

/* --output-skb/xdp-metadata as shown: without blanks, one word in the text line */
static int metadata_names(char **names, struct metadata_opts *m, const struct flag_list *l)
{
	m->names = names;
	for (int i = 0; i < l->n; i++) {
		char *d = malloc(strlen(l->v[i]) + 1), *p = d;

		if (!d)
			return -1;
		for (const char *s = l->v[i]; *s; s++)
			if (!isspace((unsigned char)*s))
				*p++ = *s;
		*p = '\0';
		names[m->n++] = d;
	}
	return 0;
}

int output_setup_open(struct output_setup *os, const struct pwru_config *cfg, struct pwru_err *e)
{
	memset(os, 0, sizeof(*os));
	os->so = (struct sink_opts){.meta = cfg->output_meta,
				    .tuple = cfg->output_tuple,
				    .tcp_flags = cfg->output_tcp_flags,
				    .cb = output_cb(cfg),
				    .netns_names = cfg->output_netns_names,
				    .netns_width = (int)cfg->netns_names_max_length,
				    .progs = cfg->filter_trace_tc || cfg->filter_trace_xdp,
				    .tunnel = cfg->output_tunnel,
				    .cilium = cfg->output_cilium,
				    .ts = ts_mode(cfg->timestamp),
				    .node = cfg->node_name,
				    .caller = cfg->output_caller,
				    .stack = cfg->output_stack};
	os->p.diag = stderr;
	if (metadata_names(os->metadata, &os->so.metadata, &cfg->output_skb_metadata) ||
	    metadata_names(os->xdp_metadata, &os->so.xdp_metadata, &cfg->output_xdp_metadata))
		return err_from_errno(e, -ENOMEM, "setting up the output");
	if (add_sinks(os, cfg, e))
		return -1;
	os->p.en.procs = proc_cache_new();
	os->p.en.nft = nft_names_new();
	os->p.en.wall_offset = enrich_wall_offset();
	if (os->so.ts == TS_RELATIVE)
		os->p.en.times = skb_times_new(SKB_TIMES);
	if (os->so.netns_names)
		os->p.en.netns = netns_names_new("/run/netns");
	if (!os->p.en.procs || !os->p.en.nft || (os->so.ts == TS_RELATIVE && !os->p.en.times) ||
	    (os->so.netns_names && !os->p.en.netns))
		return err_from_errno(e, -ENOMEM, "setting up the output");
	return 0;
}

bool output_cb(const struct pwru_config *cfg)
{
	return cfg->output_skb_cb || cfg->filter_trace_tc; /* as pwru */
}

uint32_t output_snaplen(const struct pwru_config *cfg)
{
	return cfg->output_pcap ? (uint32_t)cfg->output_snaplen : 0;
}

uint32_t output_wakeup_bytes(const struct pwru_config *cfg)
{
	return (uint32_t)(cfg->ringbuf_size / 16);
}

void output_setup_free(struct output_setup *os)
{
	size_t i;

	for (i = 0; i < os->nstreams; i++)
		outstream_close(os->streams[i]);
	os->nstreams = 0;
	proc_cache_free(os->p.en.procs);
	skb_times_free(os->p.en.times);
	netns_names_free(os->p.en.netns);
	nft_names_free(os->p.en.nft);
	memset(&os->p.en, 0, sizeof(os->p.en));
	while (os->so.metadata.n)
		free(os->metadata[--os->so.metadata.n]);
	while (os->so.xdp_metadata.n)
		free(os->xdp_metadata[--os->so.xdp_metadata.n]);
}
