// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <regex.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "src/flags.h"
#include "src/discover/funcset.h"
#include "src/probe/backend.h"
#include "src/probe/track.h"

/*
 * F_OPTSTR: a string given only as --flag=VALUE; --flag alone means the first choice.
 * F_LIST: up to FLAG_LIST_MAX strings (struct flag_list), as comma lists or repeated flags.
 * F_CSV: a comma list kept as one string; a repeated flag adds to it.
 * The last two are pflag's string slices, so that cilium/pwru's command lines mean the same.
 */
enum flag_kind { F_BOOL, F_STRING, F_U64, F_MARK, F_OPTSTR, F_LIST, F_CSV };

struct flag {
	const char *name;
	enum flag_kind kind;
	size_t off;
	const char *arg; /* placeholder shown in --help */
	const char *help;
	/*
	 * What the value may be, for completions: words ("none current"), or one of @file,
	 * @backend, @module (comma list), @ifname, @netns. NULL: anything.
	 */
	const char *values;
};

#define OFF(field) offsetof(struct pwru_config, field)

static const struct flag flags[] = {
    {"filter-func", F_STRING, OFF(filter_func), "REGEX",
     "trace only kernel functions and tracepoints (tp:NAME) whose whole name matches REGEX (RE2, "
     "as pwru's)"},
    {"kmods", F_CSV, OFF(kmods), "MOD,...",
     "look for functions in vmlinux and only these loaded modules (default: all of them)",
     "@module"},
    {"all-kmods", F_BOOL, OFF(all_kmods), NULL,
     "look for functions in vmlinux and every loaded module with BTF (the default)"},
    {"no-kmods", F_BOOL, OFF(no_kmods), NULL, "look for functions in vmlinux only"},
    {"filter-mark", F_MARK, OFF(filter_mark), "MARK[/MASK]",
     "trace only skbs with (skb->mark & MASK) == MARK; MASK defaults to 0xffffffff"},
    {"filter-netns", F_STRING, OFF(filter_netns), "NETNS",
     "trace only skbs in this network namespace: inode:N or /proc/PID/ns/net", "@netns"},
    {"filter-ifname", F_STRING, OFF(filter_ifname), "NAME",
     "trace only skbs on this interface (looked up in --filter-netns, else ours)", "@ifname"},
    {"filter-track-skb", F_BOOL, OFF(filter_track_skb), NULL,
     "once an skb matched, follow it (and its clones) until freed, whatever it becomes"},
    {"filter-track-skb-by-stackid", F_BOOL, OFF(filter_track_skb_by_stackid), NULL,
     "also show skbs on the stack a matched skb was last seen on (new skbs built there)"},
    {"filter-non-skb-funcs", F_CSV, OFF(filter_non_skb_funcs), "FUNC,...",
     "also show these functions (no skb argument) on the call path of a followed skb"},
    {"filter-tunnel-pcap-l2", F_STRING, OFF(filter_tunnel_pcap_l2), "EXPR",
     "pcap-filter on the inner Ethernet frame of VXLAN/Geneve packets (others pass)"},
    {"filter-tunnel-pcap-l3", F_STRING, OFF(filter_tunnel_pcap_l3), "EXPR",
     "pcap-filter on the inner IP packet of VXLAN/Geneve packets (others pass)"},
    {"filter-skb-expr", F_STRING, OFF(filter_skb_expr), "EXPR",
     "trace only skbs for which EXPR holds: skb->dev->ifindex == 2 && skb->mark & 0xff"},
    {"filter-xdp-expr", F_STRING, OFF(filter_xdp_expr), "EXPR",
     "show --filter-trace-xdp's events only where EXPR holds: xdp->rxq->dev->ifindex == 2"},
    {"filter-track-size", F_U64, OFF(filter_track_size), "N",
     "skbs followed at once (default 8192); pwru says when the table is full"},
    {"filter-trace-tc", F_BOOL, OFF(filter_trace_tc), NULL,
     "also trace tc programs (cls_bpf, tcx): NAME(tc) at entry, and at exit with its verdict"},
    {"filter-trace-xdp", F_BOOL, OFF(filter_trace_xdp), NULL,
     "also trace XDP programs: NAME(xdp) at entry, and at exit with its verdict"},
    {"output-meta", F_BOOL, OFF(output_meta), NULL,
     "print NETNS MARK IFACE PROTO MTU LEN (default true; --output-meta=false)"},
    {"output-tuple", F_BOOL, OFF(output_tuple), NULL,
     "print the address/port tuple (default true; --output-tuple=false)"},
    {"output-tunnel", F_BOOL, OFF(output_tunnel), NULL,
     "print the inner tuple of VXLAN/Geneve packets (TUNNEL column; JSON tunnel_tuple)"},
    {"output-skb-metadata", F_LIST, OFF(output_skb_metadata), "EXPR",
     "print this skb field after FUNC: skb->hash, skb->dev->mtu (up to 4 times)"},
    {"output-xdp-metadata", F_LIST, OFF(output_xdp_metadata), "EXPR",
     "print this xdp_buff field after FUNC on XDP events: xdp->rxq->queue_index (up to 4)"},
    {"output-skb", F_BOOL, OFF(output_skb), NULL,
     "print the struct sk_buff under each event, as the kernel dumps it from BTF"},
    {"output-skb-shared-info", F_BOOL, OFF(output_skb_shared_info), NULL,
     "print the skb's struct skb_shared_info under each event (BTF dump)"},
    {"output-limit-lines", F_U64, OFF(output_limit_lines), "N",
     "exit after printing N events (0: no limit)"},
    {"output-tcp-flags", F_BOOL, OFF(output_tcp_flags), NULL,
     "add the TCP flags to the tuple: (tcp:SYN|ACK)"},
    {"output-skb-cb", F_BOOL, OFF(output_skb_cb), NULL,
     "print the skb control buffer as tc programs see it (__sk_buff->cb[])"},
    {"output-netns-names", F_BOOL, OFF(output_netns_names), NULL,
     "print the name of each network namespace (ip netns, /run/netns)"},
    {"netns-names-max-length", F_U64, OFF(netns_names_max_length), "N",
     "width of the NETNS NAME column, longer names cut (default 16, at least 10, at most 255)"},
    {"output-cilium", F_BOOL, OFF(output_cilium), NULL,
     "decode skb->mark as Cilium lays it out: mark=IDENTITY,identity=2(world)"},
    {"node-name", F_STRING, OFF(node_name), "NAME",
     "add \"node\": NAME to every JSON object (tells nodes apart in merged cluster logs)"},
    {"timestamp", F_STRING, OFF(timestamp), "MODE",
     "none, current (kernel ns), relative (ns since the skb's previous event), absolute",
     "none current relative absolute"},
    {"output-json", F_BOOL, OFF(output_json), NULL, "one JSON object per line (docs/json.md)"},
    {"output-file", F_STRING, OFF(output_file), "PATH",
     "write events to PATH instead of stdout, rotated by size", "@file"},
    {"output-file-max-size", F_U64, OFF(output_file_max_size), "MB",
     "rotate --output-file past this many megabytes (default 100; 0: 100, as pwru)"},
    {"output-file-max-backups", F_U64, OFF(output_file_max_backups), "N",
     "keep at most N rotated files (0: all)"},
    {"output-file-max-age", F_U64, OFF(output_file_max_age), "DAYS",
     "remove rotated files older than DAYS (0: never)"},
    {"output-file-compress", F_BOOL, OFF(output_file_compress), NULL, "gzip rotated files"},
    {"output-pcap", F_STRING, OFF(output_pcap), "FILE",
     "also write the packets seen, as pcapng (tcpdump, Wireshark); - for stdout", "@file"},
    {"output-snaplen", F_U64, OFF(output_snaplen), "N",
     "bytes of each packet kept for --output-pcap (default 128, at most 1536)"},
    {"output-chains", F_OPTSTR, OFF(output_chains), "[=path]",
     "one block per packet when its life ends; =path: its tuple and functions only, "
     "stable across runs (for diffs)",
     "path"},
    {"summary", F_BOOL, OFF(summary), NULL,
     "at exit, print events per function, drops per reason, losses (stderr)"},
    {"ringbuf-size", F_U64, OFF(ringbuf_size), "BYTES",
     "size of the kernel's event ring buffer, a power of two (default 4194304)"},
    {"backend", F_STRING, OFF(backend), "NAME", NULL /* from the backend table */, "@backend"},
    {"kernel-btf", F_STRING, OFF(kernel_btf), "FILE",
     "read kernel BTF from FILE instead of /sys/kernel/btf/vmlinux", "@file"},
    {"ready-file", F_STRING, OFF(ready_file), "PATH", "create PATH once every probe is attached",
     "@file"},
    {"list-funcs", F_BOOL, OFF(list_funcs), NULL,
     "list what would be traced (name, module, skb position, addresses, backends) and exit; "
     "takes --output-json, --output-file"},
    {"debug", F_BOOL, OFF(debug), NULL, "say why each function that is not traced was skipped"},
    {"set-percpu-buf", F_U64, OFF(set_percpu_buf), "BYTES",
     "pwru's flag, accepted so its scripts run unchanged: --output-skb's dumps have their own "
     "buffer"},
    {"filter-kprobe-batch", F_U64, OFF(kprobe_batch), "N",
     "kprobe backend: one attaching thread per N addresses (pwru's flag; default: 2 threads)"},
    {"output-stack", F_BOOL, OFF(output_stack), NULL,
     "print each event's kernel stack under its line, one function per line"},
    {"output-caller", F_BOOL, OFF(output_caller), NULL,
     "print the function that called the traced one (CALLER column)"},
    {"filter-track-bpf-helpers", F_BOOL, OFF(filter_track_bpf_helpers), NULL,
     "also trace the helpers the loaded tc/XDP/cgroup/socket BPF programs call (amd64, arm64)"},
    {"output-bpfmap", F_BOOL, OFF(output_bpfmap), NULL,
     "with --filter-track-bpf-helpers: print the map, key and value of each map lookup, "
     "update and delete under its line"},
    {"vmlinux", F_STRING, OFF(vmlinux), "FILE",
     "vmlinux with DWARF for source lines (default: the distribution's debug package)", "@file"},
    {"check-filter", F_STRING, OFF(check_filter), "PCAPFILE",
     "run the pcap-filter over PCAPFILE's packets in the kernel, print INDEX MATCH each", "@file"},
    {"help", F_BOOL, OFF(help), NULL, "show this help and exit"},
    {"version", F_BOOL, OFF(version), NULL, "print the version and exit"},
};

#define NFLAGS (sizeof(flags) / sizeof(flags[0]))

size_t flags_doc_count(void)
{
	return NFLAGS;
}

void flags_doc_at(size_t i, struct flag_doc *d, char *buf, size_t len)
{
	const struct flag *f = &flags[i];
	char names[128];

	*d = (struct flag_doc){.name = f->name,
			       .arg = f->arg,
			       .optional_arg = f->kind == F_OPTSTR,
			       .help = f->help,
			       .values = f->values};
	if (!d->help) {
		snprintf(buf, len,
			 "attach with %s (default: the first of these the kernel can run)",
			 backend_names(", ", names, sizeof(names)));
		d->help = buf;
	}
}

/* "--name ARG", the left column of --help */
static void usage_left(size_t i, char *left, size_t len, struct flag_doc *d, char *help,
		       size_t helplen)
{
	flags_doc_at(i, d, help, helplen);
	snprintf(left, len, "--%s%s%s", d->name, d->arg && !d->optional_arg ? " " : "",
		 d->arg ? d->arg : "");
}

void flags_usage(FILE *out)
{
	char left[48], help[256];
	struct flag_doc d;
	int width = 0;
	size_t i;

	/* the widest left column sets the help column, so that every help text lines up */
	for (i = 0; i < NFLAGS; i++) {
		usage_left(i, left, sizeof(left), &d, help, sizeof(help));
		if ((int)strlen(left) > width)
			width = (int)strlen(left);
	}
	fprintf(out, "Usage: pwru [options] [pcap-filter]\n"
		     "Traces a packet through the kernel functions that take it (struct sk_buff).\n"
		     "The pcap-filter (see pcap-filter(7)) selects which packets are shown.\n\n");
	for (i = 0; i < NFLAGS; i++) {
		usage_left(i, left, sizeof(left), &d, help, sizeof(help));
		fprintf(out, "  %-*s %s\n", width, left, d.help);
	}
	fprintf(out, "\nExample: pwru --filter-func 'ip_.*' 'icmp and host 10.0.0.1'\n");
}

static const struct flag *find_flag(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NFLAGS; i++)
		if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len))
			return &flags[i];
	return NULL;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int flags_parse_mark(const char *s, uint32_t *mark, uint32_t *mask)
{
	const char *slash = strchr(s, '/');
	char buf[64];
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (parse_u32(buf, mark))
		return -1;
	*mask = UINT32_MAX;
	if (slash && (strchr(slash + 1, '/') || parse_u32(slash + 1, mask)))
		return -1;
	/* A mark bit outside the mask could never match: say so instead of tracing nothing. */
	return (*mark & ~*mask) ? -1 : 0;
}

/* The spellings of Go's strconv.ParseBool, which pwru's flags take. */
static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
	static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False", NULL};
	const char *const *w;

	for (w = yes; *w; w++)
		if (!strcmp(v, *w))
			return *out = true, 0;
	for (w = no; *w; w++)
		if (!strcmp(v, *w))
			return *out = false, 0;
	return -1;
}

/* Each item of the comma list V. */
static int list_add(struct flag_list *l, const char *name, const char *v, struct pwru_err *e)
{
	const char *p = v;
	size_t n;

	do {
		n = strcspn(p, ",");
		if (!n)
			return err_bad_input(e, EINVAL, "--%s: an empty value in '%s'", name, v);
		if (l->n == FLAG_LIST_MAX)
			return err_bad_input(e, EINVAL, "--%s can be given at most %d times", name,
					     FLAG_LIST_MAX);
		l->v[l->n] = strndup(p, n);
		if (!l->v[l->n])
			return err_from_errno(e, -ENOMEM, "--%s", name);
		l->n++;
		p += n;
	} while (*p++);
	return 0;
}

/* "OLD,V": a repeated comma-list flag adds to what it had. */
/* ARG is the flag's "NAME,...". An empty V stays allowed: --kmods= is vmlinux alone. */
static int csv_add(char **str, const char *name, const char *arg, const char *v, struct pwru_err *e)
{
	int one = (int)strcspn(arg, ",");
	char *n;

	if (*v == ',' || v[strlen(v) - 1] == ',' || strstr(v, ",,"))
		return err_bad_input(e, EINVAL, "--%s wants %.*s[,%.*s...], not '%s'", name, one,
				     arg, one, arg, v);
	if (!*str)
		n = strdup(v);
	else if (asprintf(&n, "%s,%s", *str, v) < 0)
		n = NULL;
	if (!n)
		return err_from_errno(e, -ENOMEM, "--%s", name);
	free(*str);
	*str = n;
	return 0;
}

static int set_value(const struct flag *f, const char *v, struct pwru_config *cfg,
		     struct pwru_err *e)
{
	char *base = (char *)cfg + f->off, *end;
	char **str = (char **)base;

	switch (f->kind) {
	case F_BOOL:
		if (!parse_bool(v, (bool *)base))
			return 0;
		return err_bad_input(e, EINVAL, "--%s wants true or false, not '%s'", f->name, v);
	case F_OPTSTR: /* NULL: the flag alone, "text"; "=text" is no form of it */
		if (v && strcmp(v, "path"))
			return err_bad_input(e, EINVAL, "--%s takes =path or nothing, not '%s'",
					     f->name, v);
		v = v ? v : "text";
		/* fall through */
	case F_STRING:
		free(*str);
		*str = strdup(v);
		return *str ? 0 : err_from_errno(e, -ENOMEM, "--%s", f->name);
	case F_LIST:
		return list_add((struct flag_list *)base, f->name, v, e);
	case F_CSV:
		return csv_add(str, f->name, f->arg, v, e);
	case F_U64:
		errno = 0;
		*(uint64_t *)base = strtoull(v, &end, 0);
		if (*v && *v != '-' && !errno && !*end)
			return 0;
		return err_bad_input(e, EINVAL, "--%s wants a non-negative number, not '%s'",
				     f->name, v);
	case F_MARK:
		if (!flags_parse_mark(v, &cfg->filter_mark, &cfg->filter_mark_mask))
			return 0;
		return err_bad_input(
		    e, EINVAL,
		    "--%s wants MARK or MARK/MASK (hex 0x.. or decimal, MARK inside MASK), "
		    "not '%s'",
		    f->name, v);
	}
	return -1;
}

static int append_expr(struct pwru_config *cfg, const char *word)
{
	size_t old = cfg->pcap_expr ? strlen(cfg->pcap_expr) : 0;
	char *n = realloc(cfg->pcap_expr, old + strlen(word) + 2);

	if (!n)
		return -1;
	if (old)
		n[old++] = ' ';
	strcpy(n + old, word);
	cfg->pcap_expr = n;
	return 0;
}

/* One "--name[=value]" at ARGV[*I]; may consume the next argument as the value. */
static int parse_one(int argc, char **argv, int *i, struct pwru_config *cfg, struct pwru_err *e)
{
	const char *arg = argv[*i], *name = arg + 2, *eq = strchr(name, '=');
	const struct flag *f;

	if (!strcmp(arg, "-h"))
		name = "help";
	f = find_flag(name, eq ? (size_t)(eq - name) : strlen(name));
	if (!f || (arg[1] != '-' && strcmp(arg, "-h"))) {
		return err_bad_input(e, EINVAL, "unknown flag %s (pwru --help lists the flags)",
				     arg);
	}
	if (eq)
		return set_value(f, eq + 1, cfg, e);
	if (f->kind == F_BOOL) {
		bool unused;

		/* pflag's too: "--output-meta false" is the switch, then a pcap-filter word */
		if (!cfg->bool_word_flag && *i + 1 < argc && !parse_bool(argv[*i + 1], &unused)) {
			cfg->bool_word_flag = f->name;
			cfg->bool_word = argv[*i + 1];
		}
		return set_value(f, "true", cfg, e);
	}
	if (f->kind == F_OPTSTR)
		return set_value(f, NULL, cfg, e);
	if (*i + 1 >= argc) {
		return err_bad_input(e, EINVAL, "--%s needs a value (%s)", f->name, f->arg);
	}
	return set_value(f, argv[++*i], cfg, e);
}

static int check_regex(const char *re, struct pwru_err *e)
{
	regex_t r;

	if (funcset_regex_compile(re, &r, e))
		return -1;
	regfree(&r);
	return 0;
}

static bool one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(v, *set))
			return true;
	return false;
}

static int validate_output(struct pwru_config *cfg, struct pwru_err *e)
{
	static const char *const modes[] = {"none", "current", "relative", "absolute", NULL};
	uint64_t rb = cfg->ringbuf_size;

	if (cfg->timestamp && !one_of(cfg->timestamp, modes))
		return err_bad_input(
		    e, EINVAL, "--timestamp must be none, current, relative or absolute, not '%s'",
		    cfg->timestamp);
	if (cfg->output_snaplen < 1 || cfg->output_snaplen > 1536)
		return err_bad_input(e, EINVAL, "--output-snaplen must be 1 to 1536, not %llu",
				     (unsigned long long)cfg->output_snaplen);
	if (rb < 4096 || rb > (1ull << 30) || (rb & (rb - 1)))
		return err_bad_input(
		    e, EINVAL,
		    "--ringbuf-size must be a power of two from 4096 to 1073741824, not %llu",
		    (unsigned long long)rb);
	if (cfg->netns_names_max_length > 255)
		return err_bad_input(e, EINVAL,
				     "--netns-names-max-length must be at most 255, not %llu",
				     (unsigned long long)cfg->netns_names_max_length);
	/* pwru's rotation (lumberjack) reads 0 as its default: scripts pass it for that */
	if (!cfg->output_file_max_size)
		cfg->output_file_max_size = 100;
	if (cfg->output_pcap && cfg->output_file && !strcmp(cfg->output_pcap, cfg->output_file))
		return err_bad_input(e, EINVAL,
				     "--output-pcap and --output-file name the same file");
	/* the events would go to stderr, where pwru's own lines break a JSON reader's stream */
	if (cfg->output_json && !cfg->output_file && cfg->output_pcap &&
	    !strcmp(cfg->output_pcap, "-"))
		return err_bad_input(
		    e, EINVAL,
		    "--output-json with --output-pcap -: stdout is the pcapng's, and "
		    "JSON events on stderr would mix with pwru's own lines; give "
		    "them --output-file PATH");
	return 0;
}

static int validate(struct pwru_config *cfg, struct pwru_err *e)
{
	if (cfg->filter_func && check_regex(cfg->filter_func, e))
		return -1;
	if ((cfg->kmods != NULL) + cfg->all_kmods + cfg->no_kmods > 1) {
		return err_bad_input(e, EINVAL,
				     "--kmods, --all-kmods and --no-kmods exclude each other: "
				     "give one");
	}
	/* the path form is text for diffs, it has no JSON: not silently text either */
	if (cfg->output_json && cfg->output_chains && !strcmp(cfg->output_chains, "path"))
		return err_bad_input(e, EINVAL,
				     "--output-chains=path is plain text: leave out --output-json "
				     "(--output-chains --output-json gives JSON chain objects)");
	if (!cfg->filter_track_size || cfg->filter_track_size > TRACK_SIZE_MAX)
		return err_bad_input(e, EINVAL, "--filter-track-size must be 1 to %u, not %llu",
				     TRACK_SIZE_MAX, (unsigned long long)cfg->filter_track_size);
	if (cfg->backend && !backend_find(cfg->backend)) {
		char names[128];

		return err_bad_input(e, EINVAL, "--backend must be one of %s, not '%s'",
				     backend_names(", ", names, sizeof(names)), cfg->backend);
	}
	if (validate_output(cfg, e))
		return -1;
	if (cfg->output_bpfmap && !cfg->filter_track_bpf_helpers && !cfg->filter_non_skb_funcs)
		return err_bad_input(e, EINVAL,
				     "--output-bpfmap shows the map operations of the BPF helpers "
				     "traced: add --filter-track-bpf-helpers");
	if (!cfg->kprobe_batch)
		return err_bad_input(e, EINVAL, "--filter-kprobe-batch must be at least 1");
	if (cfg->filter_ifname && cfg->filter_netns && !strncmp(cfg->filter_netns, "inode:", 6)) {
		return err_bad_input(
		    e, EINVAL,
		    "--filter-ifname needs --filter-netns as a path (/proc/PID/ns/net), "
		    "not inode:N");
	}
	return 0;
}

int flags_parse(int argc, char **argv, struct pwru_config *cfg, struct pwru_err *e)
{
	int i, only_args = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->output_meta = cfg->output_tuple = true;
	cfg->output_file_max_size = 100;
	cfg->output_snaplen = 128;
	cfg->ringbuf_size = 1u << 22;
	cfg->kprobe_batch = FLAGS_UNSET;
	cfg->netns_names_max_length = 16;
	cfg->set_percpu_buf = 4096;
	cfg->filter_track_size = TRACK_SIZE_DEFAULT;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_args || a[0] != '-' || !a[1]) {
			if (append_expr(cfg, a))
				goto nomem;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (parse_one(argc, argv, &i, cfg, e))
			return -1;
	}
	if (!cfg->pcap_expr && !(cfg->pcap_expr = strdup("")))
		goto nomem;
	return validate(cfg, e);
nomem:
	return err_from_errno(e, -ENOMEM, "reading the command line");
}

static void list_free(struct flag_list *l)
{
	while (l->n)
		free(l->v[--l->n]);
}

void flags_free(struct pwru_config *cfg)
{
	size_t i;

	for (i = 0; i < NFLAGS; i++)
		if (flags[i].kind == F_STRING || flags[i].kind == F_OPTSTR ||
		    flags[i].kind == F_CSV)
			free(*(char **)((char *)cfg + flags[i].off));
		else if (flags[i].kind == F_LIST)
			list_free((struct flag_list *)((char *)cfg + flags[i].off));
	free(cfg->pcap_expr);
	memset(cfg, 0, sizeof(*cfg));
}
