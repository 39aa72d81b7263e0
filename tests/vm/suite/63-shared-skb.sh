# A packet socket beside pwru (tcpdump, a DHCP client) bound to a device: the kernel hands a
# received packet to the IP stack with a reference taken for the socket that comes after it.
# ip_rcv, finding it shared, works on a clone and lets the original go with consume_skb(),
# which frees nothing: the socket's packet_rcv gets the original next. With --output-chains
# the echo request's skb at b is one block from ip_rcv through that consume_skb to
# packet_rcv, not a block "freed" at ip_rcv's consume_skb and a second at the same address.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'
FUNCS='packet_rcv|consume_skb|sk_skb_reason_drop|kfree_skb_reason|ip_rcv|kfree_skbmem'

check "two netns joined by veth" netns_pair
# busybox's udhcpc: an IPv4 packet socket bound to vb; it asks for a lease all along (UDP,
# which the pcap filter leaves out) and nothing answers.
$IP netns exec b udhcpc -f -n -q -i vb -t 1000 -T 1 -s /bin/true >/dev/null 2>&1 &
PING2_PID=$!
if wait_until $IP netns exec b awk 'NR > 1 && $4 == "0800" { f = 1 } END { exit !f }' \
	/proc/net/packet; then
	ok "a packet socket for IPv4 is open in b (udhcpc)"
else
	not_ok "a packet socket for IPv4 is open in b (udhcpc)" \
		"$($IP netns exec b cat /proc/net/packet)"
	exit 0
fi

if ! pwru_start shared --output-chains --filter-func "$FUNCS" icmp; then
	not_ok "pwru --output-chains attached" \
		"pwru exited ${PWRU_STATUS:-?} before it was ready" "$(head -n 20 "$SCRATCH/shared.err")"
	exit 0
fi
$IP netns exec a ping -c 2 -i 0.3 -W 2 10.0.1.2 >/dev/null
st=$?
check "both echo requests answered (b's stack had them, packet socket or not)" [ $st = 0 ]
pwru_stop

# A block per line: header | step | step ... | end.
blocks=$(awk '/^skb 0x/ { if (b != "") print b; b = $0; next }
	/^ +\+[0-9]+ ns  / { sub(/^ +/, ""); b = b " | " $0; next }
	/^  end: / { sub(/^  /, ""); b = b " | " $0 }
	END { if (b != "") print b }' "$SCRATCH/shared.out" | grep -F -- "$TUPLE")
step() { printf '[|] \\+[0-9]+ ns  %s( |$)' "$1"; }
at_b=$(printf '%s\n' "$blocks" | grep -E "$(step ip_rcv).*$(step consume_skb).*$(step packet_rcv)" | grep -c .)
split=$(printf '%s\n' "$blocks" | grep -E "$(step ip_rcv)|$(step packet_rcv)" |
	grep -vE "$(step ip_rcv).*$(step packet_rcv)")
if [ "$at_b" -ge 2 ] && [ -z "$split" ]; then
	ok "each echo request's skb at b is one block: ip_rcv, its consume_skb, packet_rcv ($at_b)"
else
	not_ok "each echo request's skb at b is one block: ip_rcv, its consume_skb, packet_rcv" \
		"such blocks: $at_b" "blocks with only one of ip_rcv, packet_rcv:" "${split:-none}"
	show "pwru's output" "$SCRATCH/shared.out"
fi
check "exits 0 on SIGINT" [ "$PWRU_STATUS" -eq 0 ]
check_nothing_attached
