// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON, pcapng and summary sinks on recorded events through the real pipeline, and
 * --output-file's rotation. The pcapng file is read back by stock tshark and by libpcap.
 */
#include <dirent.h>
#include <unistd.h>
#include <pcap/pcap.h>
#include "sink_harness.h"
#include "src/output/rotate.h"

extern const struct sink_ops sink_json, sink_pcapng, sink_summary, sink_text;

/* fexit's return value: signed, since the producer sign-extends an int result. */
static void test_json_retval(const struct sink_opts *so)
{
	struct pwru_event ev = sample_event();
	struct rec recs[2];
	uint64_t minus_one = (uint64_t)-1, one = 1;
	struct rendered r;

	rec_start(&recs[0], &ev);
	rec_section(&recs[0], PWRU_SEC_RETVAL, &minus_one, sizeof(minus_one));
	rec_start(&recs[1], &ev);
	rec_section(&recs[1], PWRU_SEC_RETVAL, &one, sizeof(one));
	r = render_recs(&sink_json, so, recs, 2, 0);
	ok(r.out && strstr(r.out, "\"retval\":-1,") && strstr(r.out, "\"retval\":1,"),
	   "json: retval -1 (an -EPERM) and 1, as signed numbers");
	rendered_free(&r);
}

static void test_json(void)
{
	struct pwru_event ev[2] = {sample_event(), sample_event()};
	struct sink_opts so = {.meta = true, .tuple = true, .tcp_flags = true, .ts = TS_CURRENT};
	struct rendered r;
	char *second;

	ev[0].ts = 123456789;
	ev[1].cpu = 0;
	ev[1].addr = ADDR_KFREE_REASON;
	ev[1].arg2 = 6;
	r = render_events(&sink_json, &so, ev, 2, 5);
	ok(!r.rc, "json: pipeline calls succeed");
	second = r.out ? strchr(r.out, '\n') : NULL;
	ok(r.out && !strncmp(r.out,
			     "{\"type\":\"event\",\"skb\":\"0xffff8bb7038b6900\",\"cpu\":3,"
			     "\"process\":\"/usr/bin/curl:227116\",\"pid\":227116,"
			     "\"comm\":\"/usr/bin/curl\",\"func\":\"nf_hook_slow\","
			     "\"func_addr\":\"0xffffffff81a00000\",\"drop_reason\":\"\","
			     "\"drop_reason_value\":0,\"time\":123456789,\"ts\":123456789,"
			     "\"netns\":4026531840,\"mark\":0,\"iface\":\"eth0:2\","
			     "\"ifname\":\"eth0\",\"ifindex\":2,\"proto\":2048,\"mtu\":1500,"
			     "\"len\":60,\"tuple\":{\"saddr\":\"10.0.2.15\",\"daddr\":\"1.0.0.1\","
			     "\"sport\":43026,\"dport\":8080,\"proto\":6,\"l3_proto\":2048,"
			     "\"flags\":\"SYN\"}}\n",
			     (size_t)(second ? second - r.out + 1 : 0)),
	   "json: pwru's keys and values, zero values kept (mark 0), raw numbers beside names");
	ok(second && strstr(second, "\"cpu\":0,") &&
	       strstr(second, "\"func\":\"kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP)\"") &&
	       strstr(second, "\"drop_reason\":\"SKB_DROP_REASON_NETFILTER_DROP\","
			      "\"drop_reason_value\":6"),
	   "json: cpu 0 present; drop reason as name and number");
	ok(r.out && strstr(r.out, "\n{\"type\":\"lost\",\"lost\":5}\n"),
	   "json: a loss is an object in the stream");
	ok(r.out && strstr(r.out, "{\"type\":\"end\",\"events\":2,\"lost\":5,\"lost_nested\":0,"
				  "\"not_seen\":0,\"not_seen_partial\":false}\n"),
	   "json: a closing object with the counts");
	rendered_free(&r);

	so.node = "worker-\"1\"";
	r = render_events(&sink_json, &so, ev, 2, 5);
	ok(r.out &&
	       strstr(r.out, "{\"type\":\"event\",\"node\":\"worker-\\\"1\\\"\",\"skb\":") ==
		   r.out &&
	       strstr(r.out, "\n{\"type\":\"lost\",\"node\":\"worker-\\\"1\\\"\",\"lost\":5}\n") &&
	       strstr(r.out, "{\"type\":\"end\",\"node\":\"worker-\\\"1\\\"\",\"events\":2,"),
	   "json: --node-name puts the node, escaped, in every object after its type");
	rendered_free(&r);
	test_json_retval(&so);
}

/*
 * The calls the kernel skipped pwru's programs for, set by the tracer before the close: in
 * the end object, which is the last line, with the flag of a kernel counting only some.
 */
static void test_json_not_seen(void)
{
	struct sink_opts so = {.ts = TS_NONE};
	struct pipeline p = {.en = {.ksyms = harness_ks, .reasons = harness_dr}};
	char *out = NULL, *diag = NULL;
	size_t len = 0, dlen = 0;
	FILE *f = open_memstream(&out, &len);
	int rc;

	p.diag = open_memstream(&diag, &dlen);
	rc = pipeline_add(&p, &sink_json, f, &so) | pipeline_open(&p);
	p.st.not_seen = 1234;
	p.st.not_seen_partial = true;
	p.st.lost_nested = 2;
	rc |= pipeline_close(&p, 3);
	fclose(f);
	fclose(p.diag);
	ok(!rc && out &&
	       !strcmp(out, "{\"type\":\"end\",\"events\":0,\"lost\":3,\"lost_nested\":2,"
			    "\"not_seen\":1234,\"not_seen_partial\":true}\n"),
	   "json: the end object holds the losses apart, the calls not seen and whether the "
	   "count is partial");
	ok(diag && strstr(diag, "pwru: 0 events, 3 lost\n"
				"pwru: 2 more events lost: pwru's programs ran nested on one CPU "),
	   "the exit line: the ring's losses, then those to nesting on a line of their own");
	free(out);
	free(diag);
}

/* --output-skb-metadata and --output-skb in JSON: an object of values, the dumps as strings */
static void test_json_metadata(void)
{
	char *names[] = {"skb->dev->ifindex", "skb->sk"};
	struct sink_opts so = {.metadata = {names, 2, {SKB_VALUE_SIGNED, SKB_VALUE_POINTER}},
			       .xdp_metadata = {names + 1, 1, {SKB_VALUE_UNSIGNED}}};
	uint64_t v[PWRU_METADATA_N] = {(uint64_t)-1, 0xffff888001234500ULL},
		 xv[PWRU_METADATA_N] = {0xffff888001234500ULL};
	static char dump[PWRU_DUMP_LEN] = "(struct sk_buff){\n .len = (unsigned int)84,\n}";
	struct pwru_event ev = sample_event();
	struct rec rec[2];
	struct rendered r;

	rec_start(&rec[0], &ev);
	rec_section(&rec[0], PWRU_SEC_METADATA, v, sizeof(v));
	rec_section(&rec[0], PWRU_SEC_SKB_DUMP, dump, sizeof(dump));
	rec_start(&rec[1], &ev);
	rec_section(&rec[1], PWRU_SEC_XDP_METADATA, xv, sizeof(xv));
	r = render_recs(&sink_json, &so, rec, 2, 0);
	ok(r.out && strstr(r.out, ",\"metadata\":{\"skb->dev->ifindex\":-1,"
				  "\"skb->sk\":\"0xffff888001234500\"}"),
	   "json: metadata values by kind, a pointer as a string");
	ok(r.out && strstr(r.out, ",\"metadata\":{\"skb->sk\":18446612682089121024}"),
	   "json: an XDP event's --output-xdp-metadata under the same key");
	ok(r.out && strstr(r.out, ",\"skb_dump\":\"(struct sk_buff){\\u000a .len = (unsigned "
				  "int)84,\\u000a}\""),
	   "json: the dump as one escaped string");
	rendered_free(&r);
}

/* tshark's fields for the file at PATH, one packet per line; NULL if tshark failed. */
static char *tshark_fields(const char *path)
{
	char cmd[512], *buf = calloc(1, 8192);
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r %s -T fields -E separator=/s -e frame.interface_id "
		 "-e frame.len -e frame.cap_len -e ip.src -e ip.dst -e tcp.dstport "
		 "-e frame.comment 2>/dev/null",
		 path);
	p = popen(cmd, "r");
	if (p)
		n = fread(buf, 1, 8191, p);
	if (!p || pclose(p)) {
		printf("# tshark said: %.*s\n", (int)n, buf);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Packet N of libpcap's reading: its lengths, and whether it starts with HEAD. */
static bool is_packet(struct pcap_pkthdr *h, const uint8_t *d, uint32_t cap, uint32_t len,
		      const uint8_t *head, size_t head_len)
{
	return h->caplen == cap && h->len == len && !memcmp(d, head, head_len);
}

/*
 * libpcap (tcpdump, pwru --check-filter) reads the file: one Ethernet link type, the
 * frame as captured, the raw IPv4 and IPv6 packets behind a made-up header of zero
 * addresses and their EtherType; pcap filters see them as IP.
 */
static void check_libpcap(const char *path, const uint8_t *frame, const uint8_t *ip6)
{
	uint8_t eth4[14 + 20] = {[12] = 0x08, [13] = 0x00},
			  eth6[14 + 40] = {[12] = 0x86, [13] = 0xdd};
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(path, err);
	struct bpf_program prog = {0};
	struct pcap_pkthdr *h;
	const uint8_t *d;
	int n = 0, good = 0, ret = 0, v6 = 0;

	ok(p != NULL, "libpcap opens the file%s%s", *err ? ": " : "", err);
	if (!p)
		return;
	memcpy(eth4 + 14, frame + 14, 20);
	memcpy(eth6 + 14, ip6, 40);
	is_int(pcap_datalink(p), DLT_EN10MB, "libpcap: the file's link type is Ethernet");
	ok(!pcap_compile(p, &prog, "ip6 and icmp6", 1, PCAP_NETMASK_UNKNOWN), "filter compiles");
	while ((ret = pcap_next_ex(p, &h, &d)) == 1) {
		n++;
		good += n == 1 && is_packet(h, d, 64, 74, frame, 64);
		good += n == 2 && is_packet(h, d, 74, 74, eth4, sizeof(eth4));
		good += n == 3 && is_packet(h, d, 62, 62, eth6, sizeof(eth6));
		v6 += pcap_offline_filter(&prog, h, d) ? n : 0;
	}
	ok(ret == PCAP_ERROR_BREAK && n == 3 && good == 3,
	   "libpcap: 3 packets, the raw ones 14 bytes longer behind a made-up header (%s)",
	   ret == PCAP_ERROR ? pcap_geterr(p) : "");
	is_int(v6, 3, "libpcap: 'ip6 and icmp6' matches the third packet alone");
	pcap_freecode(&prog);
	pcap_close(p);
}

static void test_pcapng(void)
{
	struct pwru_event ev = sample_event();
	struct sink_opts so = {.meta = true, .tuple = true};
	uint8_t frame[74] = {0x02, 0,	 0, 0,	0,  2, 0x02, 0,	   0,	 0,    0,    1,	   0x08,
			     0x00, 0x45, 0, 0,	60, 0, 1,    0x40, 0,	 64,   6,    0,	   0,
			     10,   0,	 2, 15, 1,  0, 0,    1,	   0xa8, 0x12, 0x1f, 0x90, 0,
			     0,	   0,	 1, 0,	0,  0, 0,    0x50, 0x02, 0xff, 0xff};
	uint8_t ip6[48] = {0x60, 0,    0,	 0,	      0,	8,	   58,
			   64,	 0xfd, [23] = 1, [24] = 0xfd, [39] = 2, [40] = 128};
	uint8_t arp[28] = {0, 1, 8, 0, 6, 4, 0, 1};
	char path[] = "/tmp/pwru-test-XXXXXX.pcapng", *fields;
	/* the comment, then the end of options: nothing after the skb */
	static const char meta_off[] = "func=nf_hook_slow skb=0xffff8bb7038b6900";
	struct rec recs[4];
	struct rendered r;
	FILE *f;
	int fd;

	rec_start(&recs[0], &ev);
	rec_packet(&recs[0], PWRU_LINK_ETH, frame, 64, 74); /* cut at a snap of 64 */
	ev.addr = ADDR_KFREE_REASON;
	ev.arg2 = 6;
	rec_start(&recs[1], &ev);
	rec_packet(&recs[1], PWRU_LINK_RAW, frame + 14, 60, 60);
	rec_start(&recs[2], &ev);
	rec_packet(&recs[2], PWRU_LINK_RAW, ip6, 48, 48);
	rec_start(&recs[3], &ev);
	rec_packet(&recs[3], PWRU_LINK_RAW, arp, 28, 28); /* no EtherType to give it */
	r = render_recs(&sink_pcapng, &so, recs, 4, 0);
	ok(!r.rc && r.out_len > 100, "pcapng: %zu bytes written", r.out_len);
	ok(r.diag && strstr(r.diag, "pwru: 1 packet not written to the pcapng file"),
	   "pcapng: the non-IP packet without a MAC header is counted, not written");
	fd = mkstemps(path, 7);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	ok(f && fwrite(r.out, 1, r.out_len, f) == r.out_len && !fclose(f), "written to %s", path);
	fields = tshark_fields(path);
	ok(fields != NULL, "tshark reads the file");
	is_str(
	    fields,
	    "0 74 64 10.0.2.15 1.0.0.1 8080 func=nf_hook_slow skb=0xffff8bb7038b6900 "
	    "netns=4026531840 mark=0x0 if=2\n"
	    "0 74 74 10.0.2.15 1.0.0.1 8080 func=kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP) "
	    "skb=0xffff8bb7038b6900 netns=4026531840 mark=0x0 if=2 "
	    "reason=SKB_DROP_REASON_NETFILTER_DROP l2=none\n"
	    "0 62 62    func=kfree_skb_reason(SKB_DROP_REASON_NETFILTER_DROP) "
	    "skb=0xffff8bb7038b6900 netns=4026531840 mark=0x0 if=2 "
	    "reason=SKB_DROP_REASON_NETFILTER_DROP l2=none\n",
	    "tshark: one interface; Ethernet cut at the snap length, raw IP behind a made-up "
	    "header (l2=none), comments");
	free(fields);
	check_libpcap(path, frame, ip6);
	unlink(path);
	rendered_free(&r);
	so.meta = false; /* the kernel read no netns, mark nor device: none made up */
	r = render_recs(&sink_pcapng, &so, recs, 1, 0);
	ok(!r.rc && memmem(r.out, r.out_len, meta_off, sizeof(meta_off)) &&
	       !memmem(r.out, r.out_len, "netns=", 6),
	   "pcapng, --output-meta=false: the comment has no netns, mark nor if");
	rendered_free(&r);
}

static void test_summary(void)
{
	struct pwru_event ev[4] = {sample_event(), sample_event(), sample_event(), sample_event()};
	struct sink_opts so = {0};
	struct rendered r;

	ev[1].skb++;
	ev[2].addr = ev[3].addr = ADDR_KFREE_REASON;
	ev[2].arg2 = ev[3].arg2 = 6;
	r = render_events(&sink_summary, &so, ev, 4, 3);
	ok(!r.rc, "summary: pipeline calls succeed");
	is_str(r.out,
	       "pwru summary: 4 events, 3 lost, 2 packets (skbs)\n"
	       "events by function:\n"
	       "           2  nf_hook_slow\n"
	       "drops by function and reason:\n"
	       "           2  kfree_skb_reason  SKB_DROP_REASON_NETFILTER_DROP\n",
	       "summary: totals, events per function, drops per function and reason");
	rendered_free(&r);
	r = render_events(&sink_summary, &so, ev, 1, 1);
	ok(r.out && !strncmp(r.out, "pwru summary: 1 event, 1 lost, 1 packet (skb)\n", 46),
	   "summary: one of each is said in the singular (%.46s)", r.out ? r.out : "");
	rendered_free(&r);
}

/* One address on the tracepoint backend: a ping's request, then the reply's socket copy. */
static void test_summary_lifetimes(void)
{
	static const int tps[] = {TP_NET_DEV_QUEUE, TP_CONSUME_SKB, TP_SKB_COPY_DATAGRAM_IOVEC,
				  TP_CONSUME_SKB, TP_NET_DEV_QUEUE};
	struct pwru_event ev[5];
	struct sink_opts so = {0};
	struct rendered r;
	int i;

	for (i = 0; i < 5; i++) {
		ev[i] = sample_event();
		ev[i].type = PWRU_EV_TRACEPOINT;
		ev[i].addr = (uint64_t)tps[i];
	}
	r = render_events(&sink_summary, &so, ev, 5, 0);
	ok(r.out && !strncmp(r.out, "pwru summary: 5 events, 0 lost, 3 packets (skbs)\n", 49),
	   "summary: an address seen again after tp:consume_skb is another packet (%.49s)",
	   r.out ? r.out : "");
	rendered_free(&r);
}

static int count_files(const char *dir, const char *prefix, size_t *max_size)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	char p[512];
	FILE *f;
	int n = 0;

	*max_size = 0;
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		f = fopen(p, "r");
		if (f && !fseek(f, 0, SEEK_END) && (size_t)ftell(f) > *max_size)
			*max_size = (size_t)ftell(f);
		if (f)
			fclose(f);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void test_rotation(void)
{
	char dir[] = "/tmp/pwru-rot-XXXXXX", path[64], line[100], cmd[256];
	struct rotate_opts ro = {.max_bytes = 1 << 20, .max_backups = 2};
	size_t biggest;
	int i, bad = 0;
	struct outstream *rs;
	FILE *f;

	ok(mkdtemp(dir) != NULL, "scratch dir");
	snprintf(cmd, sizeof(cmd), "touch %s/trace-notes.txt", dir);
	ok(!system(cmd), "a file of the user's beside it");
	snprintf(path, sizeof(path), "%s/trace.txt", dir);
	rs = rotate_open(path, &ro, "--output-file t");
	f = rs ? outstream_file(rs) : NULL;
	ok(f != NULL, "rotate_open");
	memset(line, 'x', sizeof(line));
	line[sizeof(line) - 1] = '\n';
	for (i = 0; f && i < 50000; i++) /* 5 MB */
		bad |= fwrite(line, 1, sizeof(line), f) != sizeof(line);
	ok(f && !bad && !outstream_close(rs), "5 MB written through it");
	is_int(count_files(dir, "trace", &biggest), 4,
	       "the current file, --output-file-max-backups 2 rotated ones, the user's file");
	/* lumberjack's names, as cilium/pwru's: the time before the extension */
	snprintf(cmd, sizeof(cmd),
		 "ls %s | grep -Ec '^trace-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}"
		 "\\.[0-9]{3}\\.txt$' | grep -qx 2 && [ -e %s/trace-notes.txt ]",
		 dir, dir);
	ok(!system(cmd), "rotated files are trace-TIME.txt; trace-notes.txt is not one of them");
	ok(biggest <= (1 << 20) && biggest % sizeof(line) == 0,
	   "each at most 1 MB and made of whole lines (%zu bytes)", biggest);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ok(!system(cmd), "cleaned up");
}

/* --output-file-compress gzips rotated files; --output-file-max-age removes old ones. */
static void test_rotation_compress_age(void)
{
	char dir[] = "/tmp/pwru-rot-XXXXXX", path[64], old[96], cmd[512], line[100];
	struct rotate_opts ro = {.max_bytes = 1 << 20, .max_age_days = 1, .compress = true};
	size_t biggest;
	int i, bad = 0;
	struct outstream *rs;
	FILE *f;

	ok(mkdtemp(dir) != NULL, "scratch dir");
	snprintf(path, sizeof(path), "%s/t.log", dir);
	/* a backup from three days ago */
	snprintf(old, sizeof(old), "%s/t-2000-01-01T00-00-00.000.log.gz", dir);
	snprintf(cmd, sizeof(cmd), "touch -d '3 days ago' %s", old);
	ok(!system(cmd), "an old backup");
	rs = rotate_open(path, &ro, "--output-file t");
	f = rs ? outstream_file(rs) : NULL;
	memset(line, 'y', sizeof(line));
	line[sizeof(line) - 1] = '\n';
	for (i = 0; f && i < 25000; i++) /* 2.5 MB: two rotations */
		bad |= fwrite(line, 1, sizeof(line), f) != sizeof(line);
	ok(f && !bad && !outstream_close(rs), "2.5 MB written");
	ok(access(old, F_OK) != 0, "the backup older than --output-file-max-age 1 is removed");
	is_int(count_files(dir, "t-", &biggest), 2, "two rotated files");
	snprintf(cmd, sizeof(cmd),
		 "cd %s && ls t-*.log.gz | wc -l | grep -qx 2 && for f in t-*.log.gz; do "
		 "n=$(gunzip -c $f | wc -c); [ $n -le %d ] && [ $((n %% %d)) -eq 0 ] || exit 1; "
		 "done && [ $(( $(cat t-*.log.gz | gunzip | wc -c) + $(wc -c < t.log) )) -eq %d ]",
		 dir, 1 << 20, (int)sizeof(line), 25000 * (int)sizeof(line));
	ok(!system(cmd), "both gzipped, whole lines of at most 1 MB each, nothing lost");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ok(!system(cmd), "cleaned up");
}

/* A copy of OUT's line K from the end (1: the last). */
static char *line_from_end(const char *out, int k)
{
	const char *end = out + strlen(out), *start = out;

	while (k--) {
		start = end - 1;
		while (start > out && start[-1] != '\n')
			start--;
		if (k)
			end = start;
	}
	return strndup(start, (size_t)(end - start));
}

/*
 * The sinks keep what repeats from one event to the next (the process, FUNC, the device
 * metadata, the tuple): an event after another that differs in one field prints as it
 * does alone.
 */
static void test_kept_pieces(void)
{
	static const char *const fields[] = {"netns", "mark", "ifindex", "ifname",
					     "mtu",   "len",  "proto",	 "pid",
					     "comm",  "func", "reason",	 "tuple"};
	const struct sink_ops *ops[] = {&sink_text, &sink_json};
	struct sink_opts so = {.meta = true, .tuple = true};
	struct pwru_event ev[2];
	size_t i, k;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		ev[0] = ev[1] = sample_event();
		switch (i) {
		case 0:
			ev[1].netns++;
			break;
		case 1:
			ev[1].mark = 0x5;
			break;
		case 2:
			ev[1].ifindex = 3;
			break;
		case 3:
			strcpy(ev[1].ifname, "eth1");
			break;
		case 4:
			ev[1].mtu = 9000;
			break;
		case 5:
			ev[1].len = 61;
			break;
		case 6:
			ev[1].protocol = 0x86dd;
			break;
		case 7:
			ev[1].pid++;
			break;
		case 8:
			strcpy(ev[1].comm, "/usr/bin/wget");
			break;
		case 9:
			ev[1].addr = ADDR_IP_RCV;
			break;
		case 10:
			ev[0].addr = ev[1].addr = ADDR_KFREE_REASON;
			ev[0].arg2 = 2;
			ev[1].arg2 = 6;
			break;
		default:
			ev[1].tuple.sport++;
			break;
		}
		for (k = 0; k < 2; k++) {
			struct rendered both = render_events(ops[k], &so, ev, 2, 0);
			struct rendered alone = render_events(ops[k], &so, &ev[1], 1, 0);
			int from_end = ops[k] == &sink_json ? 2 : 1; /* before JSON's end object */
			char *a = line_from_end(both.out, from_end),
			     *b = line_from_end(alone.out, from_end);

			is_str(
			    a, b,
			    "%s: an event that differs from the one before in %s prints as alone",
			    ops[k]->name, fields[i]);
			free(a);
			free(b);
			rendered_free(&both);
			rendered_free(&alone);
		}
	}
}

int main(void)
{
	harness_init();
	test_kept_pieces();
	test_json();
	test_json_not_seen();
	test_json_metadata();
	test_pcapng();
	test_summary();
	test_summary_lifetimes();
	test_rotation();
	test_rotation_compress_age();
	harness_done();
	return tap_done();
}
