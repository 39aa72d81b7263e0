#!/bin/sh
# pwru --check-filter FILE EXPR: output format, wire length, L3 captures, and bad input
# (exit 2, one line saying what is wrong). Needs root for BPF_PROG_TEST_RUN.
cd "$(dirname "$0")/../.." || exit 1
n=0
fail=0
t() { # t OK DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
if [ ! -x ./pwru ]; then
	echo "1..1"; echo "not ok 1 - ./pwru is missing: run make"; exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (BPF_PROG_TEST_RUN)"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hexbytes HEX...: the bytes, written with printf alone
hexbytes() {
	echo "$*" | tr -d ' ' | sed 's/../& /g' | tr ' ' '\n' | while read -r h; do
		[ -n "$h" ] && printf "\\$(printf %o "0x$h")"
	done
}
be32() { printf '%08x' "$1"; }

# mkpcap FILE LINKTYPE CAPLEN WIRELEN HEX...: a one-packet classic pcap file (big endian)
mkpcap() {
	f=$1 lt=$2 cap=$3 wire=$4
	shift 4
	{
		hexbytes a1b2c3d4 00020004 00000000 00000000 0000ffff "$(be32 "$lt")"
		hexbytes 00000000 00000000 "$(be32 "$cap")" "$(be32 "$wire")"
		hexbytes "$*" | head -c "$cap"
	} >"$f"
}

eth_ip_tcp="000102030405 000102030406 0800 4500002800004000400600000a0000070a000002 04d2005000000000000000005002000000000000"
ip_tcp="4500002800004000400600000a0000070a000002 04d2005000000000000000005002000000000000"

# a truncated Ethernet capture: 54 bytes captured out of 1000 on the wire
mkpcap "$tmp/trunc.pcap" 1 54 1000 $eth_ip_tcp
out=$(./pwru --check-filter "$tmp/trunc.pcap" "greater 500" 2>&1); rc=$?
t $(test "$rc.$out" = "0.1 1"; echo $?) "greater 500 sees the wire length (got '$out', rc $rc)"
out=$(./pwru --check-filter "$tmp/trunc.pcap" "tcp dst port 80 and src host 10.0.0.7" 2>&1)
t $(test "$out" = "1 1"; echo $?) "tcp dst port 80 and src host 10.0.0.7 matches (got '$out')"
out=$(./pwru --check-filter "$tmp/trunc.pcap" "tcp[20:4] = 0" 2>&1)
t $(test "$out" = "1 0"; echo $?) "a load past the captured bytes does not match (got '$out')"

# raw IP (LINKTYPE_RAW = 101): the L3 filter
mkpcap "$tmp/raw.pcap" 101 40 40 $ip_tcp
out=$(./pwru --check-filter "$tmp/raw.pcap" "ip src 10.0.0.7 and tcp port 80" 2>&1)
t $(test "$out" = "1 1"; echo $?) "raw IP capture runs the L3 filter (got '$out')"
out=$(./pwru --check-filter "$tmp/raw.pcap" "arp or ether host 00:01:02:03:04:05" 2>&1); rc=$?
t $(test "$rc.$out" = "0.1 0"; echo $?) "L2-only expression matches nothing at L3 (got '$out')"

# every packet of a real capture: one line each, and 'tcp' / 'not tcp' partition them
# The shared captures are part of the test set-up (../shared, next to the repository):
# without them these checks fail rather than vanish from the count.
cap=../shared/pcaps/ethernet/libpcap-geneve.pcap
if [ ! -r "$cap" ]; then
	t 1 "the shared capture $cap is readable (put the shared captures at ../shared/pcaps)"
else
	./pwru --check-filter "$cap" "tcp" >"$tmp/a" 2>&1
	./pwru --check-filter "$cap" "not tcp" >"$tmp/b" 2>&1
	t $(grep -qvE '^[0-9]+ [01]$' "$tmp/a"; test $? = 1; echo $?) "output lines are 'INDEX MATCH'"
	t $(awk '{ if ($1 != NR) bad = 1 } END { exit bad }' "$tmp/a"; echo $?) "indexes count from 1"
	t $(paste -d' ' "$tmp/a" "$tmp/b" | awk '$2 + $4 != 1 { bad = 1 } END { exit bad || NR == 0 }'; echo $?) \
		"'tcp' and 'not tcp' partition $(wc -l <"$tmp/a") packets"
fi

# bad input: exit 2 and one line on stderr
bad() { # bad DESCRIPTION PATTERN ARGS...
	desc=$1 pat=$2; shift 2
	./pwru "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	t $(test $rc = 2 && test ! -s "$tmp/out" && test "$(wc -l <"$tmp/err")" = 1 &&
		grep -q -- "$pat" "$tmp/err"; echo $?) "$desc (rc $rc: $(cat "$tmp/err"))"
}
bad "missing file" "No such file" --check-filter "$tmp/nope.pcap" tcp
echo "hello" >"$tmp/text"
bad "not a pcap file" "not a readable pcap file" --check-filter "$tmp/text" tcp
head -c 10 "$tmp/trunc.pcap" >"$tmp/short.pcap"
bad "truncated pcap header" "not a readable pcap file" --check-filter "$tmp/short.pcap" tcp
mkpcap "$tmp/wifi.pcap" 105 40 40 $ip_tcp
bad "unsupported link type" "link type IEEE802_11 is not supported" --check-filter "$tmp/wifi.pcap" tcp
bad "bad expression with a hint" "did you mean 'net 10.0.0.0/16'" --check-filter "$tmp/trunc.pcap" "host 10.0.0.0/16"
bad "unbalanced parentheses" "unbalanced parentheses" --check-filter "$tmp/trunc.pcap" "(tcp"
echo "1..$n"
exit $fail
