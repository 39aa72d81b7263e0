# The output flags on real traffic: a ping from namespace a to b and a TCP connection.
# JSON through jq -e (every key present, zero values too, the ping's tuple, netns names
# from /run/netns, relative times); text with --timestamp absolute, --output-tcp-flags,
# --output-skb-cb; --output-pcap (a pcapng file with one block per event with bytes);
# --summary; --output-file (the JSON run writes there) and its rotation under a TCP flood.
. tests/vm/suite/lib.sh

FUNCS='ip_rcv|icmp_rcv|veth_xmit|tcp_v4_rcv|ip_output'

check "two netns joined by veth" netns_pair

# One traced run: pwru NAME ARGS..., then a ping (and, with TCP=1, a TCP connection).
traced() {
	local name=$1
	shift
	if ! pwru_start "$name" --filter-func "${RUN_FUNCS:-$FUNCS}" "$@"; then
		not_ok "$name: pwru attached" "$(head -n 20 "$SCRATCH/$name.err")"
		return 1
	fi
	$IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2 >/dev/null
	if [ -n "${TCP:-}" ]; then
		tcp_exchange
	fi
	# the two replies at icmp_rcv in a (text or JSON, in OUT or stdout)
	wait_lines "${OUT:-$SCRATCH/$name.out}" "$REPLY_RE" 2
	pwru_stop
}
REPLY_RE='10\.0\.1\.2:0->10\.0\.1\.1:0\(icmp\) icmp_rcv$|"func":"icmp_rcv".*"saddr":"10\.0\.1\.2"'
REPLY_RE="$REPLY_RE"'|"saddr":"10\.0\.1\.2".*"func":"icmp_rcv"'

# --- JSON ---
# kfree_skbmem too: the slab hands a freed skb's address to the next skb at once (the next
# request, the reply's socket copy), and a packet there starts again at 0.
if RUN_FUNCS="$FUNCS|kfree_skbmem" OUT=$SCRATCH/trace.json traced json --output-json --output-file "$SCRATCH/trace.json" --timestamp relative \
	--output-netns-names --output-skb-cb icmp; then
	out=$SCRATCH/trace.json
	if [ ! -s "$SCRATCH/json.out" ] && [ -s "$out" ]; then
		ok "--output-file: the events went to the file, nothing to stdout"
	else
		not_ok "--output-file: the events went to the file, nothing to stdout" \
			"stdout: $(head -c 300 "$SCRATCH/json.out")"
	fi
	check "json: every line is one JSON object (jq -e)" jq -e -c . "$out"
	n=$(jq -c 'select(.type == "event")' "$out" | wc -l)
	if [ "$n" -ge 4 ]; then
		ok "json: $n event objects"
	else
		not_ok "json: at least 4 event objects" "$(head -c 1500 "$out")"
	fi
	check "json: every event has pwru's keys and ours, zero values kept" \
		jq -e -s '[.[] | select(.type == "event")] | all(
			has("skb") and has("cpu") and has("process") and has("func") and
			has("netns") and has("netns_name") and has("mark") and has("iface") and
			has("proto") and has("mtu") and has("len") and has("tuple") and has("cb") and
			has("time") and has("ts") and has("pid") and has("func_addr") and
			(.cb | length == 5) and (.mark | type == "number"))' "$out"
	check "json: at icmp_rcv, the request in b and the reply in a: tuple, proto, netns_name" \
		jq -e -s '[.[] | select(.type == "event" and .func == "icmp_rcv") |
			[.tuple.saddr, .tuple.daddr, .netns_name, .tuple.proto, .tuple.sport, .proto]]
			| unique == [["10.0.1.1", "10.0.1.2", "b", 1, 0, 2048],
				     ["10.0.1.2", "10.0.1.1", "a", 1, 0, 2048]]' "$out"
	check "json: the request leaves through veth_xmit in namespace a" \
		jq -e -s '[.[] | select(.func == "veth_xmit" and .tuple.saddr == "10.0.1.1")
			| .netns_name] | unique == ["a"]' "$out"
	check "json: relative time: 0 at an skb's first event, then ns since its previous" \
		jq -e -s '[.[] | select(.type == "event")] | group_by(.skb) | all(
			.[0].time == 0 and all(.[]; .time | type == "number"))' "$out"
	# each skb's events in time order: those right after a kfree_skbmem are a new packet's
	reborn=$(jq -s -c '[.[] | select(.type == "event")] | group_by(.skb) | map(sort_by(.ts) |
		. as $g | range(1; length) | select($g[. - 1].func == "kfree_skbmem") | $g[.] |
		{skb, func, time})' "$out")
	if [ "$(echo "$reborn" | jq 'length >= 1 and all(.time == 0)')" = true ]; then
		ok "json: relative time: a new packet at a freed skb's address starts at 0 ($(echo "$reborn" | jq length) seen)"
	else
		not_ok "json: relative time: a new packet at a freed skb's address starts at 0 (one or more seen)" \
			"after a kfree_skbmem: ${reborn:-jq failed}"
	fi
	# docs/json.md's "did the packet reach a function", as a pipeline asks it
	reached() {
		jq -e -n --arg f "$1" 'any(inputs | select(.type == "event" and .tuple.daddr == "10.0.1.2");
			.func | sub("[ (].*"; "") == $f)' "$out" >/dev/null
	}
	check "json: docs/json.md's check that the packet reached icmp_rcv: exit 0" reached icmp_rcv
	not_reached() {
		reached "$1"
		[ $? = 1 ]
	}
	check "json: and that it reached tcp_v4_rcv, which a ping does not: exit 1" not_reached tcp_v4_rcv
	check "json: a closing object with the counts" \
		jq -e -s '.[-1].type == "end" and (.[-1].events | type == "number")' "$out"
fi

# --- text flags, pcapng, summary ---
PCAP=$SCRATCH/trace.pcapng
if TCP=1 traced text --timestamp absolute --output-tcp-flags --output-skb-cb \
	--output-netns-names --netns-names-max-length 12 \
	--output-pcap "$PCAP" --output-snaplen 96 --summary 'icmp or tcp port 8080'; then
	out=$SCRATCH/text.out
	# pwru's --netns-names-max-length: "a" and "b" centred in 12 columns, after cb
	if head -n 1 "$out" | grep -q '  NETNS NAME  TUPLE FUNC$' &&
		grep -Eq '\] {6}a {7}10\.0\.1\.2:0->10\.0\.1\.1:0\(icmp\) ' "$out" &&
		grep -Eq '\] {6}b {7}10\.0\.1\.1:0->10\.0\.1\.2:0\(icmp\) ' "$out"; then
		ok "text: NETNS NAME 12 wide (--netns-names-max-length 12), a and b centred"
	else
		not_ok "text: NETNS NAME 12 wide (--netns-names-max-length 12)" "$(head -n 3 "$out")"
	fi
	if head -n 1 "$out" | grep -q '^TIME                    SKB                CPU PROCESS          NETNS      MARK/x        IFACE       PROTO  MTU   LEN   __sk_buff->cb\[\]'; then
		ok "text: TIME first, cb column after LEN"
	else
		not_ok "text: TIME first, cb column after LEN" "$(head -n 2 "$out")"
	fi
	if grep -Eq '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9:]{8}\.[0-9]{3} +0x' "$out"; then
		ok "text: absolute times as 2006-01-02T15:04:05.000"
	else
		not_ok "text: absolute times" "$(sed -n 2,3p "$out")"
	fi
	if grep -q '10.0.1.1:[0-9]*->10.0.1.2:8080(tcp:SYN) ' "$out" &&
		grep -q '(tcp:[A-Z|]*ACK[A-Z|]*) ' "$out"; then
		ok "text: TCP flags in the tuple: (tcp:SYN) on the handshake, ACK later"
	else
		not_ok "text: TCP flags in the tuple" "$(grep tcp "$out" | head -n 5)"
	fi
	if grep -q '\[0x[0-9A-F]\{8\},0x[0-9A-F]\{8\},0x[0-9A-F]\{8\},0x[0-9A-F]\{8\},0x[0-9A-F]\{8\}\]' "$out"; then
		ok "text: cb as five hex words"
	else
		not_ok "text: cb as five hex words" "$(sed -n 2p "$out")"
	fi
	events=$(grep -c '^20' "$out")
	# pcapng: section header magic, then one Enhanced Packet Block (type 6) per event with bytes
	magic=$(od -An -tx4 -N4 "$PCAP" | tr -d ' ')
	epbs=$(od -An -v -tx4 -w4 "$PCAP" | grep -c '^ 00000006$')
	if [ "$magic" = 0a0d0d0a ] && [ "$epbs" -ge 4 ]; then
		ok "pcapng: section header, $epbs packet blocks for $events events"
	else
		not_ok "pcapng: section header and packet blocks" "magic $magic, $epbs blocks"
	fi
	export_file 60-output.pcapng "$PCAP"
	if grep -q '^pwru summary: [0-9]* events\{0,1\}, [0-9]* lost, [0-9]* packets\{0,1\}' "$SCRATCH/text.err" &&
		grep -A20 '^events by function:' "$SCRATCH/text.err" | grep -Eq '^ +[0-9]+  icmp_rcv$' &&
		grep -A20 '^events by function:' "$SCRATCH/text.err" | grep -Eq '^ +[0-9]+  tcp_v4_rcv$'; then
		ok "summary: totals and events per function on stderr"
	else
		not_ok "summary: totals and events per function on stderr" "$(tail -n 12 "$SCRATCH/text.err")"
	fi
fi

# --- --output-file rotation under a TCP flood: lumberjack's names, whole JSON lines ---
mkdir -p "$SCRATCH/rot"
tcp_flood_start
if PWRU_OUT=/dev/null pwru_start rot --output-json --output-file "$SCRATCH/rot/trace.json" \
	--output-file-max-size 1 --output-file-max-backups 2 --filter-func 'ip_rcv|tcp_v4_rcv' \
	'tcp port 8080'; then
	rotated() { ls "$SCRATCH/rot" | grep -E '^trace-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}\.[0-9]{3}\.json$'; }
	# up to 60 s: the flood's pace under TCG varies (2 backups at most: the VM's /tmp is RAM)
	for _ in $(seq 600); do
		[ -n "$(rotated)" ] && break
		sleep 0.1
	done
	pwru_stop
	tcp_flood_stop
	first=$(rotated | head -n 1)
	if [ -n "$first" ] && [ -s "$SCRATCH/rot/trace.json" ] &&
		[ "$(wc -c <"$SCRATCH/rot/$first")" -le 1048576 ] &&
		jq -e -s 'length > 0 and all(.[]; type == "object")' "$SCRATCH/rot/$first" >/dev/null; then
		ok "--output-file-max-size 1: rotated to $first (as pwru names it), at most 1 MiB of whole JSON lines"
	else
		not_ok "--output-file-max-size 1: rotated to trace-TIME.json, whole JSON lines" \
			"files: $(ls -l "$SCRATCH/rot" | tr '\n' ' ')" "$(tail -n 3 "$SCRATCH/rot.err")"
	fi
else
	tcp_flood_stop
	not_ok "--output-file rotation: pwru attached" "$(head -n 5 "$SCRATCH/rot.err")"
fi

# --- bad values: one line, exit 2, nothing attached ---
for bad in "--timestamp sometimes" "--output-snaplen 0" "--ringbuf-size 1000" \
	"--output-file /nonexistent/dir/x"; do
	# shellcheck disable=SC2086
	$PWRU $bad --filter-func icmp_rcv >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err"
	st=$?
	if [ $st -eq 2 ] && [ "$(wc -l <"$SCRATCH/bad.err")" -eq 1 ]; then
		ok "$bad: exit 2, one line: $(cat "$SCRATCH/bad.err")"
	else
		not_ok "$bad: exit 2, one line" "status $st" "$(cat "$SCRATCH/bad.err")"
	fi
done
check_nothing_attached
