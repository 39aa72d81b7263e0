// SPDX-License-Identifier: GPL-2.0
/*
 * The names a user controls in an event line: the target of /proc/PID/exe (any file name:
 * newlines, escapes, 4 KiB), the task name (prctl(PR_SET_NAME), 15 bytes of anything) and
 * the interface name (the kernel refuses only '/', ':' and spaces). Whatever they hold, the
 * text and JSON sinks write exactly one line per event, with no control character a
 * terminal would act on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms/kallsyms.h"
#include "src/output/enrich.h"
#include "src/output/record.h"
#include "src/output/sink.h"
#include "src/output/texts.h"
#include "target.h"

static struct kallsyms *ks;
static struct texts texts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char text[] = "ffffffff81000000 T ip_rcv\n";

	return kallsyms_parse(text, sizeof(text) - 1, &ks);
}

/* After HEADER lines, LINES whole lines (the event, and what the sink ends with). */
static void check_lines(const char *text, size_t len, int header, int lines)
{
	const char *p = text, *end = text + len;
	int n = 0;

	for (; header && p < end; p++)
		if (*p == '\n')
			header--;
	fuzz_check(len > 0 && end[-1] == '\n', "the output ends with a whole line");
	for (; p < end; p++) {
		n += *p == '\n';
		fuzz_check(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f),
			   "no control character inside a line");
	}
	fuzz_check(n == lines, "no name adds a line");
}

/* R through the sink NAME, as the pipeline would; its output checked (check_lines). */
static void through(const char *name, const struct pwru_record *r, int header, int lines)
{
	struct sink_opts so = {.meta = true, .tuple = true};
	struct sink s = {.ops = sink_find(name), .opts = &so};
	struct output_stats st = {.events = 1};
	char *text = NULL;
	size_t len = 0;

	fuzz_check(s.ops != NULL, "the sink exists");
	s.out = open_memstream(&text, &len);
	if (s.out && !s.ops->open(&s)) {
		s.ops->record(&s, r);
		s.ops->close(&s, &st);
		fclose(s.out);
		check_lines(text, len, header, lines);
	} else if (s.out) {
		fclose(s.out);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pwru_event ev = {.size = sizeof(ev), .addr = 0xffffffff81000000ULL};
	struct enrich en = {.ksyms = ks};
	size_t n = size > sizeof(ev.comm) ? sizeof(ev.comm) : size;
	struct pwru_record r;
	char *exe = NULL;

	/* 16 bytes of task name, 16 of interface name, the rest (if any) the executable */
	memcpy(ev.comm, data, n);
	data += n, size -= n;
	n = size > sizeof(ev.ifname) ? sizeof(ev.ifname) : size;
	memcpy(ev.ifname, data, n);
	data += n, size -= n;
	ev.pid = 4242;
	ev.ifindex = 7;
	if (size && (exe = malloc(size + 1))) {
		memcpy(exe, data, size);
		exe[size] = '\0';
	}
	/* the steps of pipeline_record(), with the executable /proc would have given */
	fuzz_check(!record_decode(&ev, sizeof(ev), &r), "the record decodes");
	enrich_record(&en, &r);
	r.exe = exe;
	texts_fill(&texts, &r);
	through("text", &r, 1, 1); /* the column header, the event */
	through("json", &r, 0, 2); /* the event, the closing count */
	free(exe);
	return 0;
}
