// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "src/flags.h"
#include "src/discover/funcset.h"

static struct pwru_err e;

#define PARSE(cfg, ...)                                                                            \
	({                                                                                         \
		char *argv_[] = {"pwru", __VA_ARGS__, NULL};                                       \
		e = (struct pwru_err){0};                                                          \
		flags_parse((int)(sizeof(argv_) / sizeof(argv_[0])) - 1, argv_, cfg, &e);          \
	})

static void test_defaults_and_forms(void)
{
	struct pwru_config c;

	is_int(PARSE(&c, "--filter-func=ip_rcv"), 0, "--flag=value");
	is_str(c.filter_func, "ip_rcv", "value stored");
	ok(c.output_meta && c.output_tuple, "meta and tuple default to true");
	is_str(c.pcap_expr, "", "no positional args: empty pcap expression");
	flags_free(&c);

	is_int(PARSE(&c, "--filter-func", "ip_.*", "host", "1.2.3.4", "--output-limit-lines", "10",
		     "and", "tcp"),
	       0, "--flag value, positional args anywhere");
	is_str(c.filter_func, "ip_.*", "separate value");
	is_str(c.pcap_expr, "host 1.2.3.4 and tcp", "positional args joined with spaces");
	is_int(c.output_limit_lines, 10, "number flag");
	flags_free(&c);

	is_int(PARSE(&c, "--output-meta=false", "--output-tuple=0", "icmp"), 0, "bool =false");
	ok(!c.output_meta && !c.output_tuple, "both turned off");
	is_str(c.pcap_expr, "icmp", "bool flags do not eat the next argument");
	flags_free(&c);

	is_int(PARSE(&c, "--", "--not-a-flag"), 0, "-- ends the flags");
	is_str(c.pcap_expr, "--not-a-flag", "what follows -- is expression");
	flags_free(&c);

	is_int(PARSE(&c, "--output-chains", "path", "icmp"), 0, "--output-chains alone");
	ok(c.output_chains && !strcmp(c.output_chains, "text") && !strcmp(c.pcap_expr, "path icmp"),
	   "--output-chains takes no separate value: 'path' is the pcap-filter's");
	flags_free(&c);
	is_int(PARSE(&c, "--output-chains=path"), 0, "--output-chains=path");
	is_str(c.output_chains, "path", "=path stored");
	flags_free(&c);
	is_int(PARSE(&c, "--output-chains=text"), -1, "--output-chains=text is no form of it");
	is_str(e.msg, "--output-chains takes =path or nothing, not 'text'",
	       "said as for any other");
	flags_free(&c);

	is_int(PARSE(&c, "-h"), 0, "-h");
	ok(c.help, "-h is --help");
	flags_free(&c);
}

static void test_mark(void)
{
	uint32_t mark = 1, mask = 1;
	struct pwru_config c;

	is_int(flags_parse_mark("0xa5", &mark, &mask), 0, "hex mark");
	ok(mark == 0xa5 && mask == 0xffffffff, "mask defaults to all ones (exact match)");
	is_int(flags_parse_mark("0xa0/0xf0", &mark, &mask), 0, "mark/mask");
	ok(mark == 0xa0 && mask == 0xf0, "both parsed");
	is_int(flags_parse_mark("16/255", &mark, &mask), 0, "decimal");
	ok(mark == 16 && mask == 255, "decimal values");
	ok(flags_parse_mark("1/2/3", &mark, &mask), "three parts rejected");
	ok(flags_parse_mark("0xaf/0x0f", &mark, &mask), "mark bits outside the mask rejected");
	ok(flags_parse_mark("0x100000000", &mark, &mask), "more than 32 bits rejected");
	ok(flags_parse_mark("zz", &mark, &mask), "garbage rejected");
	is_int(PARSE(&c, "--filter-mark", "0/0xff"), 0, "mark 0 is filterable with a mask");
	ok(c.filter_mark == 0 && c.filter_mark_mask == 0xff, "stored in the config");
	flags_free(&c);
}

static void test_errors(void)
{
	struct pwru_config c;

	is_int(PARSE(&c, "--bogus"), -1, "unknown flag");
	is_int(err_exit_status(&e), 2, "a usage error is exit status 2");
	is_str(e.msg, "unknown flag --bogus (pwru --help lists the flags)", "says which flag");
	flags_free(&c);
	is_int(PARSE(&c, "--output-bpfmap"), -1, "--output-bpfmap without helpers to trace");
	is_str(e.msg,
	       "--output-bpfmap shows the map operations of the BPF helpers traced: add "
	       "--filter-track-bpf-helpers",
	       "says which flag to add");
	is_int(err_exit_status(&e), 2, "exit 2");
	flags_free(&c);
	is_int(PARSE(&c, "--output-bpfmap", "--filter-track-bpf-helpers"), 0,
	       "--output-bpfmap with --filter-track-bpf-helpers");
	ok(c.output_bpfmap && c.filter_track_bpf_helpers, "both set");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-non-skb-funcs", "htab_map_update_elem", "--output-bpfmap"), 0,
	       "or with --filter-non-skb-funcs (map functions named), as cilium/pwru");
	flags_free(&c);
	is_int(PARSE(&c, "--set-percpu-buf", "8192", "--netns-names-max-length", "20"), 0,
	       "pwru's --set-percpu-buf and --netns-names-max-length are taken");
	is_int(c.netns_names_max_length, 20, "the NETNS NAME width");
	flags_free(&c);
	is_int(PARSE(&c, "--output-file-max-size", "0"), 0,
	       "--output-file-max-size 0 is taken, as pwru's scripts pass it");
	is_int(c.output_file_max_size, 100, "and read as pwru's rotation reads it: 100 MB");
	flags_free(&c);
	is_int(PARSE(&c, "--netns-names-max-length", "256"), -1, "a uint8 in pwru");
	is_str(e.msg, "--netns-names-max-length must be at most 255, not 256", "says the range");
	flags_free(&c);
	is_int(PARSE(&c, "-x"), -1, "unknown short flag");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-func"), -1, "missing value");
	ok(strstr(e.msg, "--filter-func needs a value") != NULL, "says what is missing");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-func", "ip_\\d"), -1, "RE2's \\d, which POSIX reads as d");
	is_str(e.msg,
	       "--filter-func 'ip_\\d' is not a valid regex: \\d is RE2 syntax (cilium/pwru's), "
	       "this is a POSIX extended regex (digits: [0-9])",
	       "says what to write instead");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-func", "ip_(?i)rcv"), -1, "RE2's (?i) after the start");
	is_str(e.msg,
	       "--filter-func 'ip_(?i)rcv' is not a valid regex: (?i) is RE2 syntax "
	       "(cilium/pwru's), this is a POSIX extended regex ((?i) only at the start, for the "
	       "whole pattern; elsewhere [Ii]p_rcv)",
	       "names RE2's group, says what to write instead");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-func", "ip_\\(?rcv"), 0, "an escaped paren, optional: POSIX's");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-func", "ip_\\.rcv|\\\\d"), 0, "escaped dot, escaped backslash");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-func", "ip_(rcv"), -1, "bad regex caught while parsing");
	ok(strstr(e.msg, "not a valid regex") != NULL, "bad regex message");
	flags_free(&c);
	is_int(PARSE(&c, "--backend", "nope"), -1, "unknown backend");
	flags_free(&c);
	is_int(PARSE(&c, "--output-meta=maybe"), -1, "bad bool");
	flags_free(&c);
	is_int(PARSE(&c, "--output-limit-lines", "-1"), -1, "negative count");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-mark", "1/2/3"), -1, "bad mark through the table");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-ifname", "eth0", "--filter-netns", "inode:4026531840"), -1,
	       "ifname cannot be looked up in a bare inode");
	flags_free(&c);
}

static void test_track(void)
{
	struct pwru_config c;

	is_int(PARSE(&c, "icmp"), 0, "no tracking flag");
	ok(!c.filter_track_skb && !c.filter_track_skb_by_stackid, "tracking is off by default");
	is_int(c.filter_track_size, 8192, "the table holds 8192 skbs by default");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-track-skb", "--filter-track-skb-by-stackid",
		     "--filter-track-size", "16"),
	       0, "tracking flags");
	ok(c.filter_track_skb && c.filter_track_skb_by_stackid, "both switches on");
	is_int(c.filter_track_size, 16, "table size");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-track-size", "0"), -1, "a table of 0 is refused");
	is_str(e.msg, "--filter-track-size must be 1 to 4194304, not 0", "says the range");
	is_int(e.cls, PWRU_BAD_INPUT, "a bad value: exit 2");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-track-size", "99999999"), -1, "a huge table is refused");
	flags_free(&c);
}

/* Parsing accepts exactly the regexes the function set later compiles: one helper for both. */
static void test_regex_shared(void)
{
	struct pwru_config c;
	char long_re[3000];
	regex_t re;
	size_t i;
	int rc;

	for (i = 0; i + 14 <= sizeof(long_re); i += 7)
		memcpy(long_re + i, "ip_rcv|", 7);
	strcpy(long_re + i, "ip_rcv");
	is_int(PARSE(&c, "--filter-func", long_re), 0, "a long regex is not refused while parsing");
	flags_free(&c);
	rc = funcset_regex_compile("ip_rcv", &re, &e);
	is_int(rc, 0, "compiles");
	if (!rc) {
		ok(!regexec(&re, "ip_rcv", 0, NULL, 0), "the whole name matches");
		ok(regexec(&re, "ip_rcv_core", 0, NULL, 0), "a longer name does not");
		regfree(&re);
	}
	rc = funcset_regex_compile("a|b", &re, &e);
	is_int(rc, 0, "alternation");
	if (!rc) {
		ok(regexec(&re, "ab", 0, NULL, 0), "anchoring wraps the whole alternation");
		regfree(&re);
	}
	is_int(PARSE(&c, "--filter-func", "ip_(rcv"), -1, "bad regex while parsing");
	flags_free(&c);
	strcpy(long_re, e.msg);
	is_int(funcset_regex_compile("ip_(rcv", &re, &e), -1, "bad regex");
	is_int(e.cls, PWRU_BAD_INPUT, "is bad input");
	is_str(e.msg, long_re, "the same message as parsing gives");
}

/* RE2, as cilium/pwru reads --filter-func: each form matches the names RE2 matches. */
static const struct {
	const char *re, *name;
	int match;
} re2_forms[] = {
    {"(?i)IP_RCV", "ip_rcv", 1},
    {"(?i)ip_rcv", "IP_rcv", 1},
    {"(?i)ip_rcv", "ip_rcv_core", 0},
    {"(?i)[A-Z]+_rcv", "ip_rcv", 1},
    {"(?i)(?-i)IP_RCV", "ip_rcv", 0},
    {"(?i:IP_rcv|ICMP_rcv)", "icmp_rcv", 1},
    {"(?:ip|ipv6)_rcv", "ipv6_rcv", 1},
    {"(?:ip|ipv6)_rcv", "ip_rcv", 1},
    {"(?:ip|ipv6)_rcv", "ip6_rcv", 0},
    {"ip_(?:rcv|output)", "ip_output", 1},
    {"(?i)(?:ip|icmp)_RCV", "icmp_rcv", 1},
    {"(?s).*_rcv", "ip_rcv", 1},
    {"ip_(?-i)rcv", "ip_rcv", 1},
    {"(?m)^ip_rcv$", "ip_rcv", 1},
    {"(?U)ip_.*", "ip_rcv", 1},
    {"(?ims)IP_.*", "ip_rcv", 1},
    {"ip_(?s:r.v)", "ip_rcv", 1},
    {"(?i)ip_(?i:RCV)", "ip_rcv", 1},
    {"(?P<fam>ip|ipv6)_rcv", "ipv6_rcv", 1},
    {"(?<fam>ip|ipv6)_rcv", "ip_rcv", 1},
    {"ip_rcv.+?", "ip_rcv", 0},
    {"ip_rcv.+?", "ip_rcv_core", 1},
    {"ip_r??cv", "ip_cv", 1},
    {"ip_rc{1}?v", "ip_rcv", 1},
    {"ip_rcv{,2}", "ip_rcv{,2}", 1},
    {"ip_rcv{,2}", "ip_rcvv", 0},
    {"ip_[\\.]rcv", "ip_.rcv", 1},
    {"ip_[\\.]rcv", "ip_\\rcv", 0},
    {"ip_[(?]rcv", "ip_?rcv", 1},
    {"ip_[[:alpha:]]cv", "ip_rcv", 1},
    {"ip_\\<rcv", "ip_rcv", 0},
    {"\\w+_rcv", "ip_rcv", 1},
};

static struct {
	char *re; /* argv's type */
	const char *msg;
} re2_refused[] = {
    {"(?i:ip)_rcv", "(?i:ip) is RE2 syntax"},
    {"(?i)ip_(?-i)rcv",
     "(?-i) is RE2 syntax (cilium/pwru's), this is a POSIX extended regex ((?i) only at the start"},
    {"(?i)ip_(?-i:rcv)", "(?-i: is RE2 syntax"},
    {"ip_(?=rcv)", "unknown group at (?=rcv)"},
    {"ip_(?<=r)cv", "unknown group at (?<=r)cv"},
    {"(?P=n)", "unknown group at (?P=n)"},
    {"(?)ip", "unknown group"},
    {"(?i-)ip", "unknown group"},
    {"(?P<>ip)", "bad group name"},
    {"(?P<n ip)", "bad group name"},
    {"ip_[\\d]", "\\d is RE2 syntax"},
    {"ip_[a\\-z]", "no escapes inside [...]"},
    {"ip_\\x72cv", "\\x is RE2 syntax"},
    {"\\Aip_rcv\\z", "the start: ^"},
    {"ip_\\1", "\\1 is RE2 syntax"},
};

static void test_re2_forms(void)
{
	struct pwru_config c;
	regex_t re;
	size_t i;

	for (i = 0; i < sizeof(re2_forms) / sizeof(re2_forms[0]); i++) {
		int rc = funcset_regex_compile(re2_forms[i].re, &re, &e);

		is_int(rc, 0, "%s compiles", re2_forms[i].re);
		if (rc) {
			printf("#   %s\n", e.msg);
			continue;
		}
		is_int(!regexec(&re, re2_forms[i].name, 0, NULL, 0), re2_forms[i].match, "%s %s %s",
		       re2_forms[i].re, re2_forms[i].match ? "matches" : "does not match",
		       re2_forms[i].name);
		regfree(&re);
	}
	for (i = 0; i < sizeof(re2_refused) / sizeof(re2_refused[0]); i++) {
		is_int(PARSE(&c, "--filter-func", re2_refused[i].re), -1, "%s refused",
		       re2_refused[i].re);
		ok(strstr(e.msg, re2_refused[i].msg) && !strchr(e.msg, '\n') &&
		       e.cls == PWRU_BAD_INPUT,
		   "in one line: %s", e.msg);
		flags_free(&c);
	}
}

/* pflag's forms, so that cilium/pwru's command lines work unchanged. */
static void test_pflag_forms(void)
{
	struct pwru_config c;

	is_int(PARSE(&c, "--output-meta=False", "--output-tuple=F", "--output-json=True",
		     "--output-stack=T"),
	       0, "booleans as Go's strconv.ParseBool spells them");
	ok(!c.output_meta && !c.output_tuple && c.output_json && c.output_stack,
	   "False, F, True, T read right");
	flags_free(&c);

	is_int(PARSE(&c, "--kmods", "veth", "--kmods", "nf_tables,bridge"), 0, "--kmods twice");
	is_str(c.kmods, "veth,nf_tables,bridge", "a repeated list flag adds, as pflag's slices");
	flags_free(&c);
	is_int(PARSE(&c, "--filter-non-skb-funcs", "a", "--filter-non-skb-funcs=b"), 0,
	       "--filter-non-skb-funcs twice");
	is_str(c.filter_non_skb_funcs, "a,b", "both kept");
	flags_free(&c);

	is_int(PARSE(&c, "--output-skb-metadata", "skb->mark,skb->hash", "--output-skb-metadata",
		     "skb->len"),
	       0, "--output-skb-metadata with a comma list");
	is_int(c.output_skb_metadata.n, 3, "split at commas, as pflag's string slices");
	if (c.output_skb_metadata.n == 3) {
		is_str(c.output_skb_metadata.v[0], "skb->mark", "first");
		is_str(c.output_skb_metadata.v[1], "skb->hash", "second");
		is_str(c.output_skb_metadata.v[2], "skb->len", "third, from the second flag");
	}
	flags_free(&c);
	is_int(PARSE(&c, "--output-skb-metadata", "skb->mark,skb->hash,skb->len,skb->dev,skb->sk"),
	       -1, "five values in one flag");
	is_str(e.msg, "--output-skb-metadata can be given at most 4 times",
	       "the limit still holds");
	flags_free(&c);
	is_int(PARSE(&c, "--output-skb-metadata", "skb->mark,"), -1, "an empty value");
	is_str(e.msg, "--output-skb-metadata: an empty value in 'skb->mark,'",
	       "says which one is wrong");
	is_int(e.cls, PWRU_BAD_INPUT, "bad input");
	flags_free(&c);
}

int main(void)
{
	test_pflag_forms();
	test_defaults_and_forms();
	test_mark();
	test_errors();
	test_track();
	test_regex_shared();
	test_re2_forms();
	return tap_done();
}
