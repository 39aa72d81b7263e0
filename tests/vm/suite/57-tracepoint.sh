# The tracepoint backend on real kernels: a ping between two namespaces shows at
# the skb tracepoints as tp:NAME with its tuple, and an nftables drop at
# tp:kfree_skb with its reason (kernels from 5.17 pass one). A tracepoint's CALLER is the
# function that fired it, where its stack starts: under the machinery that runs the
# programs (bpf_trace_run*), which is not shown.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'
# Where the kernel frees a dropped skb (and fires tp:kfree_skb) on this kernel: kfree_skb_reason
# (5.17) came with the tracepoint's reason argument; 6.11 renamed it sk_skb_reason_drop.
# (One read of kallsyms: under TCG each takes a second.)
sites=" $(grep -oE ' (kfree_skb_reason|sk_skb_reason_drop)$' /proc/kallsyms | tr -d '\n') "
case $sites in
*" sk_skb_reason_drop "*) drop_site=sk_skb_reason_drop ;;
*" kfree_skb_reason "*) drop_site=kfree_skb_reason ;;
*) drop_site= ;;
esac
check "two netns joined by veth" netns_pair
if ! pwru_start tp --backend tracepoint 'icmp and host 10.0.1.2'; then
	not_ok "pwru --backend tracepoint attached" "$(head -n 20 "$SCRATCH/tp.err")"
	exit 0
fi
check "ping while tracing" $IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2
check "nft in b drops echo requests" $IP netns exec b $NFT add table inet pt \; \
	add chain inet pt input '{ type filter hook input priority 0; policy accept; }' \; \
	add rule inet pt input icmp type echo-request drop
ping_dropped "$SCRATCH/tp.out" ' tp:kfree_skb' 1 -c 1 -W 1 10.0.1.2
pwru_stop

for tp in net_dev_queue net_dev_start_xmit net_dev_xmit netif_rx netif_receive_skb; do
	check_events "tp:$tp lines carry the ping's tuple" "$SCRATCH/tp.out" "tp:$tp" "$TUPLE"
done
if [ -n "$drop_site" ]; then
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

: "${drop_site:=kfree_skb}"

# The echo requests are dropped in b now: queued and sent in a, freed in b.
tp_traffic() {
	ping_dropped "$1" 'tp:kfree_skb' 1 -c 1 -W 1 10.0.1.2
}

if pwru_start tpcaller --backend tracepoint --output-caller 'icmp and host 10.0.1.2'; then
	tp_traffic "$SCRATCH/tpcaller.out"
	pwru_stop
	for pair in tp:net_dev_queue:__dev_queue_xmit tp:net_dev_start_xmit:dev_hard_start_xmit \
		"tp:kfree_skb:$drop_site"; do
		tp=${pair%:*} want=${pair##*:}
		got=$(awk -v tp="$tp" 'index($0, "10.0.1.1:0->10.0.1.2:0(icmp)") {
			for (i = 1; i <= NF; i++) if ($i == tp || index($i, tp "(") == 1) print $NF }' \
			"$SCRATCH/tpcaller.out" | sed 's/+0x.*//' | sort -u)
		check_caller "--output-caller: $tp's CALLER is $want, which fired it" "$want" "$got" \
			"$SCRATCH/tpcaller.out"
	done
	check_no_stack "--output-caller alone prints no stack" "$SCRATCH/tpcaller.out"
else
	not_ok "pwru --backend tracepoint --output-caller attached" "$(head -n 20 "$SCRATCH/tpcaller.err")"
fi

if pwru_start tpstack --backend tracepoint --output-json --output-stack --output-caller \
	'icmp and host 10.0.1.2'; then
	tp_traffic "$SCRATCH/tpstack.out"
	pwru_stop
	check "--output-stack: each event's stack starts at its CALLER, no bpf_trace_run frame (jq -e)" \
		jq -e -s '[.[] | select(.type == "event")] | length >= 3 and all(
			.caller != null and .caller.addr == .stack[0].addr and (.stack | length) >= 4 and
			all(.stack[]; .func | startswith("bpf_trace_run") | not))' "$SCRATCH/tpstack.out"
else
	not_ok "pwru --backend tracepoint --output-stack attached" "$(head -n 20 "$SCRATCH/tpstack.err")"
fi
check_nothing_attached "after --output-caller,"

# --output-chains with tracepoints picked as pwru prints them (--filter-func 'tp:.*', no
# --backend: no function is so named, so a kprobe kernel falls back to tracepoints too):
# each dropped echo request is a chain of its own that ends at tp:kfree_skb, freed (no
# reason before 5.17) or dropped, never glued to the next one at a reused address.
if pwru_start tpchains --filter-func 'tp:.*' --output-chains 'icmp and host 10.0.1.2'; then
	ping_dropped "$SCRATCH/tpchains.out" '^  end: ' 3 -c 3 -i 0.3 -W 1 10.0.1.2
	pwru_stop
	n=$(grep -c "^skb [^ ]* $TUPLE " "$SCRATCH/tpchains.out") # BRE: (icmp) is literal
	ends=$(grep '^  end: ' "$SCRATCH/tpchains.out" | sort | uniq -c)
	# every chain has its end line, so that the check of what they say covers them all
	if grep -qx 'pwru: backend tracepoint' "$SCRATCH/tpchains.err" && [ "$n" -ge 3 ] &&
		[ "$(grep -c '^  end: ' "$SCRATCH/tpchains.out")" = "$(grep -c '^skb ' "$SCRATCH/tpchains.out")" ] &&
		! grep '^  end: ' "$SCRATCH/tpchains.out" | grep -Eqv 'end: (freed|dropped at tp:kfree_skb)'; then
		ok "--filter-func 'tp:.*' --output-chains: $n request chains, each ended at tp:kfree_skb ($(echo $ends))"
	else
		not_ok "--filter-func 'tp:.*' --output-chains: each request a chain ended at tp:kfree_skb" \
			"$(head -n 40 "$SCRATCH/tpchains.out")" "$(cat "$SCRATCH/tpchains.err")"
	fi
else
	not_ok "pwru --filter-func 'tp:.*' --output-chains attached" "$(head -n 20 "$SCRATCH/tpchains.err")"
fi
check_nothing_attached "after --output-chains,"
