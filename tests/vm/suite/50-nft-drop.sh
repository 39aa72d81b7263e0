# A packet dropped by an nftables rule: pwru must show where it died and, on
# kernels that pass a drop reason, name it as the netfilter drop.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

check "two netns joined by veth" netns_pair
check "nft drops echo requests in b's input hook" \
	$IP netns exec b $NFT add table inet pwru_test \; \
	add chain inet pwru_test input '{ type filter hook input priority 0; policy accept; }' \; \
	add rule inet pwru_test input icmp type echo-request drop

# Kernels from 5.17 free a dropped skb through kfree_skb_reason, from 6.11
# through sk_skb_reason_drop; older ones through kfree_skb, without a reason.
if grep -qE ' (kfree_skb_reason|sk_skb_reason_drop)$' /proc/kallsyms; then
	funcs='kfree_skb_reason|sk_skb_reason_drop'
	want='(kfree_skb_reason|sk_skb_reason_drop)[(]SKB_DROP_REASON_NETFILTER_DROP[)]'
else
	funcs='kfree_skb'
	want='kfree_skb'
fi

if ! pwru_start drop --filter-func "$funcs" icmp; then
	not_ok "pwru --filter-func '$funcs' icmp attached" "$(head -n 20 "$SCRATCH/drop.err")"
	exit 0
fi
if $IP netns exec a ping -c 2 -W 1 10.0.1.2 >"$SCRATCH/ping" 2>&1; then
	not_ok "the ping is dropped" "$(cat "$SCRATCH/ping")"
else
	ok "the ping is dropped"
fi
sleep 1
pwru_stop

n=$(event_lines_re "$SCRATCH/drop.out" "$want" "$TUPLE" | wc -l)
if [ "$n" -ge 1 ]; then
	ok "the drop shows as $(event_lines_re "$SCRATCH/drop.out" "$want" "$TUPLE" | awk '{ print $NF; exit }') with the ping's tuple ($n lines)"
else
	not_ok "the drop shows as $want with the ping's tuple"
	show "pwru stdout" "$SCRATCH/drop.out"
	show "pwru stderr" "$SCRATCH/drop.err"
fi
check_nothing_attached
