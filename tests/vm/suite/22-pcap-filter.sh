# A pcap-filter expression, compiled and run in the kernel: of two pings
# running at once, only the one the expression selects may be printed, both where
# the skb has its Ethernet header (ip_rcv, icmp_rcv: the L2 filter) and on the
# transmit path before it is pushed (ip_output, ip_finish_output2: the L3 filter).
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair
check "b also answers on 10.0.1.3" $IP -n b addr add 10.0.1.3/24 dev vb

if pwru_start pcap --filter-func 'ip_rcv|icmp_rcv|ip_output|ip_finish_output2' 'icmp and dst host 10.0.1.3'; then
	ok "pwru with the filter 'icmp and dst host 10.0.1.3' attached"
	# three rounds of both pings (0.2 s apart), the selected one's requests up to icmp_rcv
	ping_pair 10.0.1.2 10.0.1.3 -c 3 -i 0.2 -W 2
	wait_events "$SCRATCH/pcap.out" icmp_rcv '10.0.1.1:0->10.0.1.3:0(icmp)' 3
	pwru_stop
else
	not_ok "pwru with the filter 'icmp and dst host 10.0.1.3' attached" \
		"pwru exited ${PWRU_STATUS:-?}" "$(head -n 20 "$SCRATCH/pcap.err")"
fi
# what the filter is to leave out, the ping to 10.0.1.2, went through while pwru ran
if [ -n "$PINGS_OK" ]; then
	ok "both pings, to 10.0.1.2 and 10.0.1.3, were answered"
else
	not_ok "both pings, to 10.0.1.2 and 10.0.1.3, were answered"
fi

at_least "the selected ping shows: 10.0.1.1:0->10.0.1.3:0(icmp) at icmp_rcv" \
	"$(event_lines "$SCRATCH/pcap.out" icmp_rcv '10.0.1.1:0->10.0.1.3:0(icmp)' | wc -l)" 1 \
	"$SCRATCH/pcap.out" "$SCRATCH/pcap.err"
for fn in ip_output ip_finish_output2; do
	at_least "the L3 filter matches on the transmit path: $fn" \
		"$(event_lines "$SCRATCH/pcap.out" $fn '10.0.1.1:0->10.0.1.3:0(icmp)' | wc -l)" 1 \
		"$SCRATCH/pcap.out"
done
other=$(grep '^0x' "$SCRATCH/pcap.out" | grep -v -F -- '->10.0.1.3:0(icmp)')
if [ -z "$other" ]; then
	ok "nothing else shows (not the ping to 10.0.1.2, not the replies)"
else
	not_ok "nothing else shows (not the ping to 10.0.1.2, not the replies)" "$(echo "$other" | head -n 5)"
fi
check_nothing_attached
