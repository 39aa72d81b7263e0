# --output-chains on real traffic: a ping and a TCP connection across the veth pair.
# Text blocks per packet (tuple, netns, iface; +ns per function; how it ended), JSON chain
# objects through jq -e, and the path form run twice on the same traffic: identical (each
# distinct path once: TCP's segment and ACK counts vary from run to run). With
# --output-stack and --output-caller each step keeps its event's CALLER and stack, in text
# and JSON.
. tests/vm/suite/lib.sh

FUNCS='ip_output|veth_xmit|ip_rcv|icmp_rcv|tcp_v4_rcv|consume_skb|kfree_skbmem'

check "two netns joined by veth" netns_pair

traffic() {
	$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null
	tcp_exchange
	sleep 1
}

chains_run() {
	local name=$1
	shift
	if pwru_start "$name" --filter-func "$FUNCS" "$@" 'icmp or tcp port 8080'; then
		traffic
		pwru_stop
		return 0
	fi
	not_ok "$name: pwru attached" "$(head -n 20 "$SCRATCH/$name.err")"
	return 1
}

if chains_run text --output-chains; then
	out=$SCRATCH/text.out
	# the echo request: one skb from ip_output in a to icmp_rcv in b, then consumed
	block=$(awk '
		/^$/ { if (b ~ /^skb 0x[0-9a-f]+ 10\.0\.1\.1:0->10\.0\.1\.2:0\(icmp\) netns [0-9]+ iface / &&
			   b ~ /\n +\+0 ns  ip_output\n/ && b ~ / ns  icmp_rcv\n/ && b ~ /\n  end: freed\n$/) {
				printf "%s", b; exit
			}
			b = ""; next }
		{ b = b $0 "\n" }' "$out")
	if [ -n "$block" ]; then
		ok "text: the echo request's block: ip_output .. icmp_rcv, +ns from the first, end: freed"
	else
		not_ok "text: the echo request's block" "$block" "$(head -n 30 "$out")"
	fi
	n=$(grep -c '^skb 0x.*(tcp) netns' "$out")
	if [ "$n" -ge 3 ]; then
		ok "text: $n TCP packets, one block each"
	else
		not_ok "text: at least 3 TCP packet blocks" "$(grep '^skb' "$out")"
	fi
	if ! grep -q '^0x' "$out"; then
		ok "text: no per-event lines"
	else
		not_ok "text: no per-event lines" "$(grep -m3 '^0x' "$out")"
	fi
fi

if chains_run json --output-chains --output-json; then
	check "json: chain objects with tuple, events in time order, an end (jq -e)" \
		jq -e -s 'map(select(.type == "chain")) | length >= 4 and all(
			(.events | length >= 1) and (.events[0].t == 0) and
			([.events[].t] == ([.events[].t] | sort)) and
			(.end | IN("freed", "dropped", "idle", "exit")) and has("tuple") and has("netns"))' \
		"$SCRATCH/json.out"
	# both present: jq orders null before any number, so a chain without ip_output would pass
	check "json: the echo request crosses ip_output then icmp_rcv" \
		jq -e -s 'map(select(.type == "chain" and .tuple.saddr == "10.0.1.1" and .tuple.proto == 1)
			| [.events[].func]) | any(index("ip_output") as $o | index("icmp_rcv") as $i |
				$o != null and $i != null and $o < $i)' "$SCRATCH/json.out"
fi

if chains_run stack --output-chains --output-stack --output-caller; then
	# The echo request's block, one line per step: FUNC CALLER FRAME1 FRAME2 NFRAMES.
	awk '
		function flush() { if (fn != "") print fn, caller, f1, f2, n; fn = "" }
		/^skb / { flush(); on = index($0, "10.0.1.1:0->10.0.1.2:0(icmp)") > 0; next }
		!on { next }
		/^ +\+[0-9]+ ns  / { flush(); fn = $3; caller = $4; f1 = f2 = "-"; n = 0; next }
		/^                     [^ ]/ { n++; if (n == 1) f1 = $1; if (n == 2) f2 = $1; next }
		/^  end: / { flush(); exit }
	' "$SCRATCH/stack.out" >"$SCRATCH/stack.steps"
	for pair in veth_xmit:dev_hard_start_xmit ip_rcv:__netif_receive_skb_one_core \
		icmp_rcv:ip_protocol_deliver_rcu; do
		fn=${pair%%:*} want=${pair#*:}
		got=$(awk -v fn="$fn" '$1 == fn { sub(/\+0x.*/, "", $2); print $2 }' "$SCRATCH/stack.steps")
		if [ "$got" = "$want" ]; then
			ok "text with stacks: the echo request's $fn step names its CALLER $want"
		else
			not_ok "text with stacks: the echo request's $fn step names its CALLER $want" \
				"got: ${got:-none}" "$(head -n 40 "$SCRATCH/stack.out")"
		fi
	done
	# under each step its stack: FUNC's frame first, then CALLER's, to the byte
	bad=$(awk '{ f1 = $3; sub(/\+0x.*/, "", f1) } f1 != $1 || $4 != $2 || $5 < 4' "$SCRATCH/stack.steps")
	steps=$(wc -l <"$SCRATCH/stack.steps")
	if [ "$steps" -ge 4 ] && [ -z "$bad" ]; then
		ok "text with stacks: under each of the $steps steps its stack, FUNC then CALLER"
	else
		not_ok "text with stacks: under each step its stack, FUNC then CALLER" \
			"fn caller frame1 frame2 frames:" "$(cat "$SCRATCH/stack.steps")"
	fi
fi

if chains_run stackjson --output-chains --output-json --output-stack --output-caller; then
	check "json with stacks: every chain event has caller and stack as JSON events do (jq -e)" \
		jq -e -s '[.[] | select(.type == "chain") | .events[]] | length >= 8 and all(
			.stack[0].func == .func and .caller_func == .stack[1].func and
			.caller.addr == .stack[1].addr and (.stack | length) >= 4)' "$SCRATCH/stackjson.out"
fi

if chains_run path1 --output-chains=path && chains_run path2 --output-chains=path; then
	if [ -s "$SCRATCH/path1.out" ] && cmp -s "$SCRATCH/path1.out" "$SCRATCH/path2.out"; then
		ok "path: two runs of the same traffic give the same output ($(wc -l <"$SCRATCH/path1.out") distinct paths)"
	else
		not_ok "path: two runs of the same traffic give the same output" \
			"$(diff "$SCRATCH/path1.out" "$SCRATCH/path2.out" | head -n 20)"
	fi
	if grep -q '^10\.0\.1\.1:0->10\.0\.1\.2:0(icmp) ip_output veth_xmit ip_rcv icmp_rcv$' "$SCRATCH/path1.out" &&
		grep -q '^10\.0\.1\.1:\*->10\.0\.1\.2:8080(tcp) ' "$SCRATCH/path1.out" &&
		! grep -q '0x[0-9a-f]\{8\}' "$SCRATCH/path1.out"; then
		ok "path: the ping's path (releases left out), the TCP client port as *, no addresses"
	else
		not_ok "path: the ping's path, the TCP client port as *, no addresses" "$(cat "$SCRATCH/path1.out")"
	fi
fi
check_nothing_attached
