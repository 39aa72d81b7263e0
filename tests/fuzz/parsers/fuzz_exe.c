// SPDX-License-Identifier: GPL-2.0
/*
 * The names a user controls in an event line: the target of /proc/PID/exe (any file name:
 * newlines, escapes, 4 KiB), the task name (prctl(PR_SET_NAME), 15 bytes of anything) and
 * the interface name (the kernel refuses only '/', ':' and spaces). Whatever they hold, the
 * text sink writes exactly one line per event, with no control character a terminal would
 * act on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "src/output/record.h"
#include "src/output/sink.h"
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

static void check_line(const char *text, size_t len, int header)
{
	const char *line = text;
	size_t i;

	if (header) /* the column header comes first */
		line = memchr(text, '\n', len) ? (char *)memchr(text, '\n', len) + 1 : text + len;
	len -= (size_t)(line - text);
	fuzz_check(len > 0 && line[len - 1] == '\n', "the event line ends the output");
	for (i = 0; i + 1 < len; i++)
		fuzz_check((unsigned char)line[i] >= 0x20 && line[i] != 0x7f,
			   "no newline or control character inside the event line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pwru_event ev = {.size = sizeof(ev), .addr = 0xffffffff81000000ULL};
	struct sink_opts so = {.meta = true, .tuple = true};
	struct pwru_record r = {.ev = &ev, .size = sizeof(ev)};
	struct output_stats st = {.events = 1};
	size_t n = size > sizeof(ev.comm) ? sizeof(ev.comm) : size, len = 0;
	struct sink s = {.ops = sink_find("text"), .opts = &so};
	char *exe = NULL, *text = NULL;

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
		r.exe = exe;
	}
	s.out = open_memstream(&text, &len);
	if (s.out && s.ops && !s.ops->open(&s)) {
		s.ops->record(&s, &r);
		s.ops->close(&s, &st);
		fclose(s.out);
		check_line(text, len, 1);
	} else if (s.out) {
		fclose(s.out);
	}
	free(text);
	free(exe);
	return 0;
}
