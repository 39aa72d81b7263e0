# --filter-track-skb on real traffic. A TCP connection from netns a to a virtual
# address, 10.0.9.9, that an nft DNAT rule in a rewrites to b's 10.0.1.2; a tc
# mirror on va clones every packet it sends to a dummy device; after the
# connection, two pings run side by side, one selected by the filter: the
# other's skbs take the addresses the first one's are freed from, at once.
# Filtered on the virtual address, the connection's packets must still show
# after the rewrite with their new tuple, in b's namespace, up to b's socket;
# the mirror's clones must show; the unselected ping must not. Without
# tracking, none of that shows.
. tests/vm/suite/lib.sh

FUNCS='__ip_local_out|ip_output|__dev_queue_xmit|dummy_xmit|ip_rcv|tcp_v4_rcv|tcp_data_queue|tcp_queue_rcv|icmp_rcv|kfree_skbmem'
PRE='->10.0.9.9:7777(tcp)'
POST='->10.0.1.2:7777(tcp)'

setup() {
	netns_pair &&
		$IP -n a link add mir0 type dummy && $IP -n a link set mir0 up &&
		$IP -n a route add 10.0.9.9/32 dev va &&
		$IP netns exec a $NFT -f - <<-'EOF' &&
			table ip nat {
				chain out {
					type nat hook output priority -100;
					ip daddr 10.0.9.9 tcp dport 7777 dnat to 10.0.1.2
				}
			}
		EOF
		$IP netns exec a tc qdisc add dev va clsact &&
		$IP netns exec a tc filter add dev va egress matchall \
			action mirred egress mirror dev mir0
}

# connect NAME : one connection through the DNAT, one line of data, read by b.
connect() {
	$IP netns exec b nc -l -p 7777 >"$SCRATCH/$1.got" &
	local nc_pid=$!
	# listening (port 7777 is 1E61) before a connects; busybox nc listens on IPv6 (tcp6)
	wait_until $IP netns exec b grep -qs ':1E61 ' /proc/net/tcp6 /proc/net/tcp
	echo "hello through the NAT" | $IP netns exec a nc -w 3 10.0.9.9 7777
	wait "$nc_pid"
}

netns_inode() {
	$IP netns exec "$1" readlink /proc/self/ns/net | tr -dc 0-9
}

check "two netns, DNAT 10.0.9.9 -> 10.0.1.2 in a, a tc mirror of va to mir0" setup
A_NS=$(netns_inode a)
B_NS=$(netns_inode b)

# mirrored: the clones tc's mirror sent to mir0 so far (its tx counter)
mirrored() {
	$IP netns exec a cat /sys/class/net/mir0/statistics/tx_packets
}

# Without tracking: only what still carries the virtual address. The controls are this
# run's: the data reached b's socket through the rewrite, the mirror sent clones.
if pwru_start plain --filter-func "$FUNCS" 'host 10.0.9.9'; then
	mirrored_before=$(mirrored)
	connect plain
	mirrored_plain=$(($(mirrored) - mirrored_before))
	pwru_stop
	n=$(grep -cF -- "$POST" "$SCRATCH/plain.out")
	if [ "$n" -eq 0 ] && grep -qF -- "$PRE" "$SCRATCH/plain.out" &&
		grep -q 'hello through the NAT' "$SCRATCH/plain.got"; then
		ok "without --filter-track-skb the packets vanish at the rewrite (no $POST line; b got the data)"
	else
		not_ok "without --filter-track-skb the packets vanish at the rewrite (no $POST line; b got the data)" \
			"$n lines after the rewrite" "b got: $(cat "$SCRATCH/plain.got")"
		show "pwru stdout" "$SCRATCH/plain.out"
	fi
else
	not_ok "pwru without tracking attached" "$(head -n 5 "$SCRATCH/plain.err")"
fi

check "b also answers on 10.0.1.3" $IP -n b addr add 10.0.1.3/24 dev vb
if pwru_start track --filter-track-skb --filter-func "$FUNCS" \
	'host 10.0.9.9 or (icmp and dst host 10.0.1.3)'; then
	ok "pwru --filter-track-skb attached"
	connect track
	ping_pair 10.0.1.2 10.0.1.3 -c 40 -i 0.05
	pwru_stop
else
	not_ok "pwru --filter-track-skb attached" "pwru exited ${PWRU_STATUS:-?}" \
		"$(head -n 20 "$SCRATCH/track.err")"
fi
out=$SCRATCH/track.out

check "b's socket got the data" grep -q 'hello through the NAT' "$SCRATCH/track.got"
if kernel_runs_fexit; then
	how='following skbs: .* hooked with fexit'
else
	how='following skbs until their slab free (tracepoint); this kernel runs no fexit programs'
fi
if grep -q "$how" "$SCRATCH/track.err"; then
	ok "stderr says how skbs are followed: $(grep -o 'following skbs.*' "$SCRATCH/track.err")"
else
	not_ok "stderr says how skbs are followed ($how)" "$(cat "$SCRATCH/track.err")"
fi

pre=$(event_lines "$out" __ip_local_out "$PRE" | awk '{print $1}' | sort -u)
echo "$pre" >"$SCRATCH/pre.skbs"
if [ -n "$pre" ]; then
	ok "the packets match before the rewrite: $PRE at __ip_local_out"
else
	not_ok "the packets match before the rewrite: $PRE at __ip_local_out"
	show "pwru stdout" "$out" 30
fi

# The same skbs, rewritten, in b (past tcp_v4_rcv the skb has no device: NETNS may be 0).
same_skbs() {
	event_lines_re "$out" "$1" "$POST" | awk -v ns="$2" 'ns == "" || $4 == ns {print $1}' |
		grep -F -x -f "$SCRATCH/pre.skbs" | wc -l
}
hits=$(same_skbs tcp_v4_rcv "$B_NS")
if [ "$hits" -ge 1 ]; then
	ok "after the rewrite the same skbs show at tcp_v4_rcv in b (netns $B_NS) with $POST ($hits lines)"
else
	not_ok "after the rewrite the same skbs show at tcp_v4_rcv in b (netns $B_NS) with $POST"
	show "pwru stdout" "$out" 40
fi
hits=$(same_skbs 'tcp_data_queue|tcp_queue_rcv' '')
if [ "$hits" -ge 1 ]; then
	ok "and up to b's socket: tcp_data_queue or tcp_queue_rcv ($hits lines)"
else
	not_ok "and up to b's socket: tcp_data_queue or tcp_queue_rcv"
	show "pwru stdout" "$out" 40
fi

# Cross-netns: one skb, two NETNS values.
crossed=0
for skb in $pre; do
	if awk -v s="$skb" -v a="$A_NS" '$1 == s && $4 == a' "$out" | grep -q . &&
		awk -v s="$skb" -v b="$B_NS" '$1 == s && $4 == b' "$out" | grep -q .; then
		crossed=$((crossed + 1))
	fi
done
if [ "$crossed" -ge 1 ]; then
	ok "the NETNS column changes from a ($A_NS) to b ($B_NS) along one skb ($crossed skbs)"
else
	not_ok "the NETNS column changes from a ($A_NS) to b ($B_NS) along one skb"
fi

# The mirror's clones: other addresses, rewritten tuple, on mir0.
clones=$(event_lines "$out" dummy_xmit "$POST" | grep ' mir0:' | awk '{print $1}' |
	grep -v -F -x -f "$SCRATCH/pre.skbs" | sort -u | wc -l)
if ! kernel_runs_fexit; then
	ok "tc mirred's clones are followed to mir0 # SKIP $(uname -m) $(uname -r) runs no fexit programs"
elif [ "$clones" -ge 1 ]; then
	ok "tc mirred's clones are followed to mir0 (dummy_xmit, $clones clones)"
else
	not_ok "tc mirred's clones are followed to mir0 (dummy_xmit)"
	show "pwru stdout" "$out" 40
fi
if [ "${mirrored_plain:-0}" -ge 1 ] && ! grep -q ' dummy_xmit' "$SCRATCH/plain.out"; then
	ok "without tracking no clone shows on mir0 (the mirror sent $mirrored_plain)"
else
	not_ok "without tracking no clone shows on mir0, where the mirror sent some" \
		"sent by the mirror: ${mirrored_plain:-?}" "$(grep ' dummy_xmit' "$SCRATCH/plain.out" | head -n 3)"
fi

# Freed addresses: the other ping's skbs reuse them, and are not the selected ones.
at_least "the selected ping shows (icmp_rcv, of 40 requests)" \
	"$(event_lines "$out" icmp_rcv '10.0.1.1:0->10.0.1.3:0(icmp)' | wc -l)" 20 "$out"
other=$(grep -E '10\.0\.1\.1:0->10\.0\.1\.2:0|10\.0\.1\.2:0->10\.0\.1\.1:0' "$out")
if [ -n "$PINGS_OK" ] && [ -z "$other" ]; then
	ok "the other ping, answered, on the addresses the selected one's skbs were freed from, does not show"
else
	not_ok "the other ping, answered, on the addresses the selected one's skbs were freed from, does not show" \
		"both pings answered: ${PINGS_OK:-no}" "$(echo "$other" | head -n 5)"
fi
check "pwru --filter-track-skb exits 0 on SIGINT" test "${PWRU_STATUS:-x}" = 0

# A table of 4, and pings held 300 ms each by netem: many more are alive at once.
$IP netns exec a tc qdisc add dev va root netem delay 300ms
if pwru_start full --filter-track-skb --filter-track-size 4 --filter-func __ip_local_out \
	'icmp and dst host 10.0.1.2'; then
	$IP netns exec a ping -c 30 -i 0.02 10.0.1.2 >/dev/null 2>&1
	# The report while tracing comes at most once a second: wait for it, not a set time.
	wait_text "$SCRATCH/full.err" 'not followed so far'
	pwru_stop
fi
if grep -qE 'pwru: the tracking table is full \(--filter-track-size 4\): [0-9]+ matching skbs? not followed so far' \
	"$SCRATCH/full.err" &&
	grep -qE 'pwru: [0-9]+ matching skbs? (was|were) not followed: the tracking table \(--filter-track-size 4\) was full' \
		"$SCRATCH/full.err"; then
	ok "a full table is reported while tracing and at exit"
else
	not_ok "a full table is reported while tracing and at exit" "$(cat "$SCRATCH/full.err")"
fi
check_nothing_attached
