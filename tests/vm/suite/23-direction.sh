# `outbound` and `inbound` on traced paths: the kernel marks PACKET_OUTGOING
# only on the clones it hands to packet taps, so pwru decides by skb_iif (0
# until a device receives the skb). While a pings b across the veth pair,
# `icmp and outbound` must show the transmit path (ip_output,
# ip_finish_output2) and never the receive path (ip_rcv, icmp_rcv);
# `icmp and inbound` the opposite.
. tests/vm/suite/lib.sh

FUNCS='ip_output|ip_finish_output2|ip_rcv|icmp_rcv'
REQ='10.0.1.1:0->10.0.1.2:0(icmp)'

check "two netns joined by veth" netns_pair
$IP netns exec a ping -i 0.3 -W 1 10.0.1.2 >/dev/null 2>&1 &
PING_PID=$!

# trace NAME EXPR FUNC : pwru with EXPR during three of the pings (0.3 s apart), the
# third seen at FUNC.
trace() {
	if pwru_start "$1" --filter-func "$FUNCS" "$2"; then
		ok "pwru with the filter '$2' attached"
		wait_events "$SCRATCH/$1.out" "$3" "$REQ" 3
		pwru_stop
	else
		not_ok "pwru with the filter '$2' attached" \
			"pwru exited ${PWRU_STATUS:-?}" "$(head -n 20 "$SCRATCH/$1.err")"
	fi
}

# at FILE FUNC : event lines at FUNC, whatever their tuple.
at() {
	awk -v fn="$2" '/^0x/ { for (i = 1; i <= NF; i++) if ($i == fn) { print; next } }' "$1"
}

# expect NAME FUNC WHAT : FUNC shows the echo request (WHAT = some) or nothing at all (none).
expect() {
	local file=$SCRATCH/$1.out n
	if [ "$3" = some ]; then
		n=$(event_lines "$file" "$2" "$REQ" | wc -l)
		if [ "$n" -ge 1 ]; then
			ok "$1: the echo request $REQ shows at $2 ($n lines)"
		else
			not_ok "$1: the echo request $REQ shows at $2"
			show "pwru stdout" "$file"
			show "pwru stderr" "$SCRATCH/$1.err"
		fi
	else
		# the control is this run's: FUNC among the functions pwru said it attached
		attached=$(sed -n 's/^pwru: attached \([0-9]*\) functions\{0,1\}.*/\1/p' "$SCRATCH/$1.err")
		n=$(at "$file" "$2" | wc -l)
		if [ "$attached" = 4 ] && [ "$n" -eq 0 ]; then
			ok "$1: nothing shows at $2 (attached with the 3 others)"
		else
			not_ok "$1: nothing shows at $2, attached with the 3 others ($n lines)" \
				"$(grep '^pwru: attached' "$SCRATCH/$1.err" || echo 'no "pwru: attached" line')" \
				"$(at "$file" "$2" | head -n 5)"
		fi
	fi
}

trace outbound 'icmp and outbound' ip_finish_output2
diag "kernel $(uname -r), $(grep -m1 '^pwru: backend' "$SCRATCH/outbound.err")"
expect outbound ip_output some
expect outbound ip_finish_output2 some
expect outbound ip_rcv none
expect outbound icmp_rcv none

trace inbound 'icmp and inbound' icmp_rcv
expect inbound ip_rcv some
expect inbound icmp_rcv some
expect inbound ip_output none
expect inbound ip_finish_output2 none

check_nothing_attached
