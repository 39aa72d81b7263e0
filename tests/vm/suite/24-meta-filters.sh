# The cheap in-kernel checks, each on real traffic: a ping from a to b, plus one
# on b's loopback that every filter here must keep out. And the output switches.
. tests/vm/suite/lib.sh

FUNCS='ip_output|ip_rcv|icmp_rcv'
check "two netns joined by veth" netns_pair
$IP netns exec a ping -i 0.2 -W 1 10.0.1.2 >/dev/null 2>&1 &
PING_PID=$!
$IP netns exec b ping -i 0.2 -W 1 127.0.0.1 >/dev/null 2>&1 &
PING2_PID=$!
inode_b=$(ls -Li /var/run/netns/b | awk '{ print $1 }')
# The echo replies b's loopback ping took so far: only that ping makes them in b (a's
# requests get replies, not make them). A run whose count grew had it running.
lo_replies() {
	$IP netns exec b awk '$1 == "Icmp:" { if (!n) { for (i = 2; i <= NF; i++) if ($i == "InEchoReps") n = i }
		else print $n }' /proc/net/snmp
}

# run NAME WANT-DESC AWK-COND ARGS... : every event line must satisfy AWK-COND
# (fields: $4 NETNS, $5 MARK, $6 IFACE), and there must be some: EVENTS of them, what two
# rounds of the pings (0.2 s apart) give through the filter.
run() {
	local name=$1 desc=$2 cond=$3 n bad lo0 lo1
	shift 3
	lo0=$(lo_replies)
	if ! pwru_start "$name" --filter-func "$FUNCS" "$@"; then
		not_ok "$name: pwru attached" "$(head -n 5 "$SCRATCH/$name.err")"
		return
	fi
	${TRAFFIC:-}
	wait_lines "$SCRATCH/$name.out" '^0x' "$EVENTS"
	pwru_stop
	lo1=$(lo_replies)
	n=$(grep -c '^0x' "$SCRATCH/$name.out")
	# awk's status kept: a condition it cannot run (an empty inode) would print nothing
	bad=$(awk "/^0x/ && !($cond)" "$SCRATCH/$name.out" 2>&1) || bad="awk failed: $bad"
	bad=$(printf '%s\n' "$bad" | head -n 3)
	if [ "$n" -ge 1 ] && [ -z "$bad" ] && [ "$PWRU_STATUS" -eq 0 ] &&
		[ "${lo1:-0}" -gt "${lo0:-0}" ]; then
		ok "$* : $n events, all $desc (b's loopback ping ran: $((lo1 - lo0)) replies)"
	else
		not_ok "$* : events, all $desc, b's loopback ping running" \
			"$n events, status $PWRU_STATUS; b's loopback replies ${lo0:-?} -> ${lo1:-?}; off: $bad"
		show "pwru stdout" "$SCRATCH/$name.out"
	fi
}

# The resets b sends to SYNs from a on a closed port: TCP builds them with no socket, and the
# IPv6 one has no device either before ip6_output gives it one: its namespace is its route's.
# A connect returns at the reset, so both are through ip_output/ip6_output when it does.
check "IPv6 on the pair: fd00::1 in a, fd00::2 in b" sh -c "
	$IP -n a addr add fd00::1/64 dev va nodad && $IP -n b addr add fd00::2/64 dev vb nodad"
resets() {
	$IP netns exec a bash -c 'exec 3<>/dev/tcp/10.0.1.2/81' 2>/dev/null
	$IP netns exec a bash -c 'exec 3<>/dev/tcp/fd00::2/81' 2>/dev/null
}
FUNCS="$FUNCS|ip6_output" TRAFFIC=resets EVENTS=12 run netns "in netns b ($inode_b)" "\$4 == $inode_b" \
	--filter-netns /var/run/netns/b
# reset_kept FUNC TUPLE: the netns run shows b's reset (from port 81) at FUNC, in b.
reset_kept() {
	if awk -v f="$1" -v t=" $2" -v ns="$inode_b" '/^0x/ && $NF == f && $4 == ns &&
		index($0, t) && index($0, "(tcp)") { n++ } END { exit !n }' "$SCRATCH/netns.out"; then
		ok "--filter-netns b keeps b's reset at $1, NETNS $inode_b"
	else
		not_ok "--filter-netns b keeps b's reset at $1, NETNS $inode_b"
		show "pwru stdout" "$SCRATCH/netns.out" 40
	fi
}
reset_kept ip_output '10.0.1.2:81->10.0.1.1:'
reset_kept ip6_output '[fd00::2]:81->[fd00::1]:'
# pwru's inode:N form: a namespace in use is taken as it is, nothing said of it (one nothing
# holds is refused: 30-bad-input.sh)
EVENTS=12 run inode "in netns b by inode:$inode_b" "\$4 == $inode_b" --filter-netns "inode:$inode_b"
if grep -q -- "inode:$inode_b" "$SCRATCH/inode.err"; then
	not_ok "--filter-netns inode:$inode_b (b's): nothing said of it" "$(cat "$SCRATCH/inode.err")"
else
	ok "--filter-netns inode:$inode_b (b's): nothing said of it"
fi
EVENTS=4 run ifname "on vb in netns b" "\$6 ~ /^vb:[0-9]+\$/" \
	--filter-netns /var/run/netns/b --filter-ifname vb

check "nft marks a's echo requests with 0x5" \
	$IP netns exec a $NFT add table inet pwru_mark \; \
	add chain inet pwru_mark out '{ type route hook output priority 0; }' \; \
	add rule inet pwru_mark out icmp type echo-request meta mark set 5
EVENTS=2 run mark "with mark 5" "\$5 == \"5\"" --filter-mark 0x5
# In a, the requests leave marked and the replies arrive unmarked: mark 0 keeps
# only the replies.
EVENTS=4 run unmarked "unmarked replies in a" "\$5 == \"0\" && \$NF != \"ip_output\"" --filter-mark 0 \
	--filter-netns /var/run/netns/a

if pwru_start plain --filter-func icmp_rcv --output-meta=false --output-tuple=false; then
	wait_lines "$SCRATCH/plain.out" '^0x'
	pwru_stop
	header=$(sed -n 1p "$SCRATCH/plain.out")
	line=$(grep -m1 '^0x' "$SCRATCH/plain.out")
	if [ "$(echo "$header" | awk '{ print NF }')" -eq 4 ] && echo "$header" | grep -q ' FUNC$' &&
		[ "$(echo "$line" | awk '{ print NF }')" -eq 4 ] && echo "$line" | grep -q ' icmp_rcv$'; then
		ok "--output-meta=false --output-tuple=false: SKB CPU PROCESS FUNC only"
	else
		not_ok "--output-meta=false --output-tuple=false: SKB CPU PROCESS FUNC only" \
			"header: $header" "line: $line"
	fi
else
	not_ok "pwru with the output switches attached" "$(head -n 5 "$SCRATCH/plain.err")"
fi
kill "$PING_PID" "$PING2_PID" 2>/dev/null
check_nothing_attached
