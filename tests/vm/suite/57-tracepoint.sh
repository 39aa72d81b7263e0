# The tracepoint backend on real kernels: a ping between two namespaces shows at
# the skb tracepoints as tp:NAME with its tuple, and an nftables drop at
# tp:kfree_skb with its reason (kernels from 5.17 pass one).
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'
check "two netns joined by veth" netns_pair
if ! pwru_start tp --backend tracepoint 'icmp and host 10.0.1.2'; then
	not_ok "pwru --backend tracepoint attached" "$(head -n 20 "$SCRATCH/tp.err")"
	exit 0
fi
check "ping while tracing" $IP netns exec a ping -c 2 -W 3 10.0.1.2
check "nft in b drops echo requests" $IP netns exec b $NFT add table inet pt \; \
	add chain inet pt input '{ type filter hook input priority 0; policy accept; }' \; \
	add rule inet pt input icmp type echo-request drop
$IP netns exec a ping -c 1 -W 1 10.0.1.2 >/dev/null 2>&1
sleep 1
pwru_stop

for tp in net_dev_queue net_dev_start_xmit net_dev_xmit netif_rx netif_receive_skb; do
	check_events "tp:$tp lines carry the ping's tuple" "$SCRATCH/tp.out" "tp:$tp" "$TUPLE"
done
# kfree_skb_reason (5.17) came with the tracepoint's reason argument
if grep -qE ' (kfree_skb_reason|sk_skb_reason_drop)$' /proc/kallsyms; then
	want='tp:kfree_skb[(]SKB_DROP_REASON_NETFILTER_DROP[)]'
else
	want='tp:kfree_skb'
fi
check_events "the drop shows as $want with the ping's tuple" "$SCRATCH/tp.out" "$want" "$TUPLE"
others=$(awk '/^0x/ && $NF !~ /^tp:/ { print $NF }' "$SCRATCH/tp.out" | sort -u)
if [ -z "$others" ]; then
	ok "every event is a tracepoint's"
else
	not_ok "every event is a tracepoint's" "also seen: $others"
fi
if [ "$PWRU_STATUS" -eq 0 ]; then
	ok "exits 0 on SIGINT (${PWRU_STOP_MS} ms)"
else
	not_ok "exits 0 on SIGINT" "status $PWRU_STATUS"
fi
check_nothing_attached
