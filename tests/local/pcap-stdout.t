#!/bin/bash
# --output-pcap - on this machine's kernel (the tracepoint backend), with real pings on the
# loopback of a scratch network namespace: the pcapng goes to stdout, as tcpdump -w - does,
# read live by tcpdump -r - and tshark -r -; the events go to stderr then (or to
# --output-file), and a reader that quits is a normal stop. Each packet's comment names
# its interface (if=N), the IFACE column's index.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

local_trace_start
if ! command -v tcpdump >/dev/null || ! command -v tshark >/dev/null; then
	echo "1..0 # SKIP needs tcpdump and tshark"
	exit 0
fi
ns=pwru-ps-$$
scratch=$(mktemp -d)
pid= reader= pinger=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	[ -n "$reader" ] && kill "$reader" 2>/dev/null
	[ -n "$pinger" ] && kill "$pinger" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
scratch_netns "$ns"

# start NAME OUT ARGS...: pwru in the background, stdout to OUT; sets pid
start() {
	local name=$1 out=$2
	shift 2
	pwru_start "$scratch/$name.ready" "$out" "$scratch/$name.err" --backend tracepoint \
		--filter-netns "/var/run/netns/$ns" "$@"
}
stop() { # SIGINT, wait; sets status
	kill -INT "$pid"
	wait "$pid"
	status=$?
	pid=
}
# waits up to DS tenths of a second for process $1 to end
ended_within() {
	local i
	for i in $(seq "$2"); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}
said() { sed -n 's/^pwru: \([0-9]*\) events\{0,1\}, [0-9]* lost$/\1/p' "$scratch/$1.err"; }
ping_twice() { ip netns exec "$ns" ping -c 2 -i 0.2 -W 1 127.0.0.1 >/dev/null 2>&1; }

# pwru --output-pcap - icmp | tcpdump -r -
rm -f ./-
mkfifo "$scratch/td.fifo"
tcpdump -nn -r - <"$scratch/td.fifo" >"$scratch/td" 2>"$scratch/td.err" &
reader=$!
if start td "$scratch/td.fifo" --output-pcap - icmp; then
	ping_twice
	stop
	ended_within "$reader" 100
	reader=
	events=$(said td)
	check "| tcpdump -r -: exit 0 on SIGINT" '[ "$status" = 0 ]' "status $status" \
		"$(tail -n 3 "$scratch/td.err")"
	check "| tcpdump -r -: tcpdump reads all $events packets, the requests and the replies" \
		'[ "${events:-0}" -ge 8 ] && [ "$(grep -c " ICMP echo " "$scratch/td")" = "$events" ] &&
		 grep -q "ICMP echo request" "$scratch/td" && grep -q "ICMP echo reply" "$scratch/td"' \
		"$(head -n 3 "$scratch/td")" "$(cat "$scratch/td.err")"
	check "| tcpdump -r -: the $events events are on stderr, beside pwru's own lines" \
		'[ "${events:-0}" -ge 8 ] && [ "$(grep -c "^0x" "$scratch/td.err")" = "$events" ]' \
		"$(head -n 8 "$scratch/td.err")"
	check "| tcpdump -r -: no file named - is written" '[ ! -e ./- ]'
else
	result 1 "--output-pcap - into tcpdump -r - attaches" "$(cat "$scratch/td.err")"
fi
[ -n "$reader" ] && kill "$reader" 2>/dev/null
reader=

# tshark -r - -c 3 quits after three packets: pwru stops by itself, exit 0, nothing said
mkfifo "$scratch/ts.fifo"
tshark -r - -c 3 <"$scratch/ts.fifo" >"$scratch/ts" 2>"$scratch/ts.err" &
reader=$!
if start ts "$scratch/ts.fifo" --output-pcap - icmp; then
	ip netns exec "$ns" ping -c 100 -i 0.2 -W 1 127.0.0.1 >/dev/null 2>&1 &
	pinger=$!
	if ended_within "$pid" 300; then
		wait "$pid"
		status=$?
	else
		status=timeout
	fi
	pid=
	kill "$pinger" 2>/dev/null
	pinger=
	check "| tshark -r - -c 3: tshark reads three ICMP packets" \
		'[ "$(grep -c ICMP "$scratch/ts")" = 3 ]' "$(cat "$scratch/ts" "$scratch/ts.err")"
	check "| tshark -r - -c 3: pwru stops when its reader goes, exit 0, no message" \
		'[ "$status" = 0 ] && ! grep -q "^pwru: writing" "$scratch/ts.err"' \
		"status $status" "$(grep -v '^0x' "$scratch/ts.err" | tail -n 4)"
else
	result 1 "--output-pcap - into tshark -r - attaches" "$(cat "$scratch/ts.err")"
fi
[ -n "$reader" ] && kill "$reader" 2>/dev/null
reader=

# with --output-file the events go there, the pcapng to stdout; if=N in each comment is
# the ifindex of the event's IFACE column (lo:1 -> 1, a bare 0 -> 0), packet by packet
if start of "$scratch/of.pcapng" --output-file "$scratch/of.txt" --output-pcap - icmp; then
	ping_twice
	stop
	tshark -r "$scratch/of.pcapng" -T fields -e frame.comment >"$scratch/of.comments" 2>/dev/null
	awk '/^0x/ { n = split($6, a, ":"); print a[n] }' "$scratch/of.txt" >"$scratch/of.if"
	sed 's/.* if=\([0-9]*\)\( .*\)\?$/\1/' "$scratch/of.comments" >"$scratch/of.commentif"
	check "--output-file: the events in it, none on stderr, tshark reads as many packets" \
		'[ "$status" = 0 ] && [ -s "$scratch/of.if" ] && ! grep -q "^0x" "$scratch/of.err" &&
		 [ "$(grep -c "" "$scratch/of.comments")" = "$(grep -c "" "$scratch/of.if")" ]' \
		"status $status" "$(head -n 3 "$scratch/of.comments")" "$(tail -n 3 "$scratch/of.err")"
	check "pcapng comment: if=N, the event's ifindex, for each packet (lo: 1, no device: 0)" \
		'cmp -s "$scratch/of.if" "$scratch/of.commentif" && grep -q "^1$" "$scratch/of.if" &&
		 grep -q "^0$" "$scratch/of.if"' \
		"$(paste "$scratch/of.if" "$scratch/of.comments" | head -n 6)"
else
	result 1 "--output-file and --output-pcap - attach" "$(cat "$scratch/of.err")"
fi
tap_plan
