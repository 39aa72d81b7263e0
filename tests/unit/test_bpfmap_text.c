// SPDX-License-Identifier: GPL-2.0
/*
 * --output-bpfmap's text: the hex dumps in cilium/pwru's layout (Go's encoding/hex Dump),
 * the map's lines for each kind of call, sizes past what the record holds, and the lines
 * under an event's line through the text sink.
 */
#include "sink_harness.h"
#include "src/output/bpfmap_text.h"
#include "src/output/sink.h"

extern const struct sink_ops sink_text, sink_json;

static void test_hexdump(void)
{
	uint8_t b[40];
	char out[1024];
	size_t i, n;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 7 + 0x2e);
	n = bpfmap_hexdump(b, 0, out, sizeof(out));
	ok(n == 0 && !*out, "no bytes, no lines");
	n = bpfmap_hexdump((const uint8_t *)"\x0a\x00\x01\x01pwru", 8, out, sizeof(out));
	is_str(out, "00000000  0a 00 01 01 70 77 72 75                           |....pwru|\n",
	       "8 bytes: the columns of the missing 8 are blank, the text column not padded");
	ok(n == strlen(out), "the length returned is the text's");
	bpfmap_hexdump(b, 16, out, sizeof(out));
	is_str(out,
	       "00000000  2e 35 3c 43 4a 51 58 5f  66 6d 74 7b 82 89 90 97  |.5<CJQX_fmt{....|\n",
	       "16 bytes: one full line, the gap after the 8th, '.' for what is not printable");
	bpfmap_hexdump(b, 17, out, sizeof(out));
	ok(!strcmp(strchr(out, '\n') + 1,
		   "00000010  9e                                                |.|\n"),
	   "17 bytes: a second line at offset 10 (hex), one byte");
	bpfmap_hexdump(b, 7, out, sizeof(out));
	is_str(out, "00000000  2e 35 3c 43 4a 51 58                              |.5<CJQX|\n",
	       "7 bytes: the 8th's gap still there");
	n = bpfmap_hexdump(b, 40, out, 30);
	ok(n == 29 && strlen(out) == 29, "cut at the buffer's end, NUL-terminated (%zu)", n);
}

static struct pwru_bpfmap sample_map(uint8_t value)
{
	struct pwru_bpfmap m = {.id = 42,
				.map_type = 1,
				.key_size = 8,
				.value_size = 8,
				.value = value,
				.name = "pwru_test_map"};

	memcpy(m.key, "\x0a\x00\x01\x01pwru", 8);
	memcpy(m.val, "seen\x02\x00\x00\x00", 8);
	return m;
}

static void test_map_text(void)
{
	struct pwru_bpfmap m = sample_map(PWRU_BPFMAP_VALUE);
	static char out[BPFMAP_TEXT_MAX];
	size_t n, lines = 0;
	const char *p;

	n = bpfmap_text(&m, out, sizeof(out));
	is_str(out,
	       "map_id: 42\nmap_name: pwru_test_map\nkey(8):\n"
	       "00000000  0a 00 01 01 70 77 72 75                           |....pwru|\n"
	       "value(8):\n"
	       "00000000  73 65 65 6e 02 00 00 00                           |seen....|\n",
	       "an update or a lookup that found: id, name, key and value dumps");
	ok(n == strlen(out), "length");
	m = sample_map(PWRU_BPFMAP_MISS);
	bpfmap_text(&m, out, sizeof(out));
	ok(strstr(out, "|....pwru|\nvalue(8): not found\n") && !strstr(out, "seen"),
	   "a lookup that found nothing says so, no dump");
	m = sample_map(PWRU_BPFMAP_NO_VALUE);
	bpfmap_text(&m, out, sizeof(out));
	ok(strstr(out, "|....pwru|\n") && !strstr(out, "value"), "a delete: its key only");
	m = sample_map(PWRU_BPFMAP_UNREAD);
	bpfmap_text(&m, out, sizeof(out));
	ok(strstr(out, "value(8): not read (per-CPU)\n") != NULL, "a per-CPU hash map's lookup");
	m = sample_map(PWRU_BPFMAP_VALUE);
	m.key_size = 300;
	m.value_size = 0xffffffff;
	memset(m.key, 0xab, sizeof(m.key));
	n = bpfmap_text(&m, out, sizeof(out));
	for (p = out; (p = strchr(p, '\n')); p++)
		lines++;
	ok(strstr(out, "key(300):\n") && strstr(out, "value(4294967295):\n") &&
	       strstr(out, "000000f0  ab ab") && !strstr(out, "00000100"),
	   "sizes past %d are printed, their dumps cut at %d bytes", PWRU_BPFMAP_DATA,
	   PWRU_BPFMAP_DATA);
	is_int(lines, 4 + 2 * 16, "two dumps of 16 lines under four lines");
	ok(n < BPFMAP_TEXT_MAX, "the longest text fits BPFMAP_TEXT_MAX (%zu)", n);
	m = sample_map(PWRU_BPFMAP_VALUE);
	memcpy(m.name, "a\nb\033cdefghijklmn", 16); /* no NUL: all 16 are the name */
	bpfmap_text(&m, out, sizeof(out));
	ok(strstr(out, "map_name: a?b?cdefghijklmn\nkey") != NULL,
	   "a name's control characters are '?', a name of 16 is whole");
	n = bpfmap_text(&m, out, 20);
	ok(n == 19 && strlen(out) == 19, "cut at a short buffer, NUL-terminated");
}

static void test_sink_text(void)
{
	struct sink_opts so = {.meta = true, .tuple = true};
	struct pwru_event ev = sample_event();
	struct pwru_bpfmap m = sample_map(PWRU_BPFMAP_VALUE);
	struct rec recs[2];
	struct rendered r;
	const char *line2;

	rec_start(&recs[0], &ev);
	rec_section(&recs[0], PWRU_SEC_BPFMAP, &m, sizeof(m));
	rec_start(&recs[1], &ev);
	r = render_recs(&sink_text, &so, recs, 2, 0);
	line2 = r.out ? strstr(r.out, " nf_hook_slow\nmap_id: 42\n") : NULL;
	ok(line2 != NULL, "the map's lines start under the event's line");
	ok(line2 && strstr(line2, "|seen....|\n\n0x") != NULL,
	   "then an empty line, then the next event (as cilium/pwru)");
	ok(r.out && !strstr(strstr(r.out, "|seen....|\n\n0x") + 12, "map_id"),
	   "an event without the section has no map lines");
	rendered_free(&r);
	rec_start(&recs[0], &ev);
	rec_section(&recs[0], PWRU_SEC_BPFMAP, &m, sizeof(m) - 1);
	r = render_recs(&sink_text, &so, recs, 1, 0);
	ok(r.out && !strstr(r.out, "map_id"), "a section shorter than the struct is refused");
	rendered_free(&r);
}

static void test_sink_json(void)
{
	static const uint8_t kinds[3] = {PWRU_BPFMAP_VALUE, PWRU_BPFMAP_MISS, PWRU_BPFMAP_NO_VALUE};
	struct sink_opts so = {.meta = true, .tuple = true};
	struct pwru_event ev = sample_event();
	struct pwru_bpfmap m;
	struct rec recs[3];
	struct rendered r;
	const char *p, *want = "\"bpfmap\":{\"id\":42,\"name\":\"pwru_test_map\",\"key_size\":8,"
			       "\"key\":\"0a00010170777275\",\"value_size\":8,"
			       "\"value\":\"7365656e02000000\"}";
	int i;

	for (i = 0; i < 3; i++) {
		m = sample_map(kinds[i]);
		if (i == 1)
			memcpy(m.name, "sixteen_chars\"\\x", 16);
		rec_start(&recs[i], &ev);
		rec_section(&recs[i], PWRU_SEC_BPFMAP, &m, sizeof(m));
	}
	r = render_recs(&sink_json, &so, recs, 3, 0);
	p = r.out ? strstr(r.out, "\"bpfmap\":{") : NULL;
	ok(p && !strncmp(p, want, strlen(want)), "JSON: id, name, key and value as hex");
	p = p ? strstr(p + 1, "\"bpfmap\":{") : NULL;
	ok(p && strstr(p, "\"name\":\"sixteen_chars\\\"\\\\x\",") &&
	       strstr(p, "\"value_size\":8,\"value\":null}"),
	   "a name of 16, escaped; a lookup that found nothing: value null");
	p = p ? strstr(p + 1, "\"bpfmap\":{") : NULL;
	ok(p && strstr(p, "\"value_size\":8}") && !strstr(p, "\"value\":"), "a delete: no value");
	rendered_free(&r);
}

int main(void)
{
	harness_init();
	test_hexdump();
	test_map_text();
	test_sink_text();
	test_sink_json();
	harness_done();
	return tap_done();
}
