# --output-chains on real traffic: a ping and a TCP connection across the veth pair.
# Text blocks per packet (tuple, netns, iface; +ns per function; how it ended), JSON chain
# objects through jq -e, and the path form run twice on the same traffic: identical (each
# distinct path once: TCP's segment and ACK counts vary from run to run). With
# --output-stack and --output-caller each step keeps its event's CALLER and stack, in text
# and JSON. Then every function traced (pwru's default) with a SYN an nft rule drops: one
# block per packet (the free path's functions in it, no second block of them), the drop's
# verdicts (sent at nf_hook_slow's and nft_do_chain's exits, after the free) back in their
# packet's block in time order, no packet under another's tuple, the same path file twice.
. tests/vm/suite/lib.sh

FUNCS='ip_output|veth_xmit|ip_rcv|icmp_rcv|tcp_v4_rcv|consume_skb|kfree_skbmem'

check "two netns joined by veth" netns_pair

# The path runs let the connection's last packets be freed before the stop (their chains
# end there, not at exit, in both runs); the other runs count blocks ended either way.
traffic() {
	$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null
	tcp_exchange
	[ -z "${SETTLE:-}" ] || sleep 1
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
	# the echo request: one skb from ip_output in a to icmp_rcv in b, then consumed; its
	# header's iface the first it had, va (none yet at ip_output, where the first event is)
	block=$(awk '
		/^$/ { if (b ~ /^skb 0x[0-9a-f]+ 10\.0\.1\.1:0->10\.0\.1\.2:0\(icmp\) netns [0-9]+ iface va:[0-9]+ process / &&
			   b ~ /\n +\+0 ns  ip_output\n/ && b ~ / ns  icmp_rcv\n/ && b ~ /\n  end: freed\n$/) {
				printf "%s", b; exit
			}
			b = ""; next }
		{ b = b $0 "\n" }' "$out")
	if [ -n "$block" ]; then
		ok "text: the echo request's block: iface va (its first device), ip_output .. icmp_rcv, +ns from the first, end: freed"
	else
		not_ok "text: the echo request's block: iface va, ip_output .. icmp_rcv, end: freed" "$(head -n 30 "$out")"
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

# JSON chains, their steps with CALLER and stack: one run for both checks, the plain chain
# object's keys being the same with or without the stack's.
if chains_run json --output-chains --output-json --output-stack --output-caller; then
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
	check "json with stacks: every chain event has caller and stack as JSON events do (jq -e)" \
		jq -e -s '[.[] | select(.type == "chain") | .events[]] | length >= 8 and all(
			.stack[0].func == .func and .caller_func == .stack[1].func and
			.caller.addr == .stack[1].addr and (.stack | length) >= 4)' "$SCRATCH/json.out"
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

# same_paths WHAT A B : the two runs' path files are the same, and not empty.
same_paths() {
	if [ -s "$SCRATCH/$2.out" ] && cmp -s "$SCRATCH/$2.out" "$SCRATCH/$3.out"; then
		ok "$1: two runs of the same traffic give the same file ($(wc -l <"$SCRATCH/$2.out") distinct paths)"
	else
		not_ok "$1: two runs of the same traffic give the same file" \
			"$(diff "$SCRATCH/$2.out" "$SCRATCH/$3.out" | cut -c1-300 | head -n 20)"
	fi
}

if SETTLE=1 chains_run path1 --output-chains=path && SETTLE=1 chains_run path2 --output-chains=path; then
	same_paths path path1 path2
	if grep -q '^10\.0\.1\.1:0->10\.0\.1\.2:0(icmp) ip_output veth_xmit ip_rcv icmp_rcv$' "$SCRATCH/path1.out" &&
		grep -q '^10\.0\.1\.1:\*->10\.0\.1\.2:8080(tcp) ' "$SCRATCH/path1.out" &&
		! grep -q '0x[0-9a-f]\{8\}' "$SCRATCH/path1.out"; then
		ok "path: the ping's path (releases left out), the TCP client port as *, no addresses"
	else
		not_ok "path: the ping's path, the TCP client port as *, no addresses" "$(cat "$SCRATCH/path1.out")"
	fi
fi
# Every function, as a user runs pwru: the SYN to :9999 is dropped in b's input hook, and
# the slab hands its address to the next SYN (8080's) at once.
check "nft drops SYNs to :9999 in b's input hook" \
	$IP netns exec b $NFT add table inet chains_test \; \
	add chain inet chains_test input '{ type filter hook input priority 0; policy accept; }' \; \
	add rule inet chains_test input tcp dport 9999 drop
# A ping, the SYN nft drops, then a SYN to a closed port (a RST back): paths that do not
# depend on timing, and the slab's reuse of the dropped SYN's address; with "tcp" a TCP
# exchange too, whose received data TCP frees deferred (skb_attempt_defer_free).
# One SYN to b:PORT, never its retransmit: that comes after the 1 s RTO, and whether nc gives
# up first is timing (a 6.12 CI run had the retransmit in one run of two). nc is killed once
# its socket is in SYN_SENT, which it leaves only at the RST, the SYN-ACK or the RTO.
syn_once() {
	local port i pid
	port=$(printf '%04X' "$1")
	$IP netns exec a nc 10.0.1.2 "$1" </dev/null >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 100) never; do
		$IP netns exec a grep -q ":$port 02 " /proc/net/tcp && break
		sleep 0.01
	done
	[ "$i" != never ] || diag "syn_once $1: nc's socket never showed in SYN_SENT"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
every_traffic() {
	$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null
	syn_once 9999
	$IP netns exec a sh -c 'echo x | nc -w 1 10.0.1.2 7777' >/dev/null 2>&1
	[ "$1" != tcp ] || tcp_exchange
	sleep 1
}
# Kernels on the kprobe backend attach and remove ~1500 kprobes one by one, minutes under TCG
# for the three runs below (a 6.1 suite run passed the scenario's 180 s): there the networking
# functions and every one of the free path's, whose chains these checks are about.
every_funcs=
if [ "${PWRU_VM_EXPECT_BACKEND:-}" = kprobe ]; then
	every_funcs='(ip|__ip|icmp|tcp_v4|veth|neigh|napi|skb_release|skb_free)_.*|__?netif_.*|__?dev_queue_xmit|dev_hard_start_xmit|nf_hook_slow|nft_do_chain.*|.*kfree_skb.*|consume_skb|kfree_skbmem|sk_skb_reason_drop|sock_[rweop]free|__sock_wfree|sock_edemux|tcp_wfree|skb_attempt_defer_free|tcp_rcv_.*|tcp_data_queue|tcp_ack|tcp_transmit_skb|__tcp_transmit_skb'
fi
# every_run NAME TRAFFIC [lag] ARGS...: with "lag", pwru is stopped (SIGSTOP) while the traffic
# runs and 1 s after: it reads the events from the ring seconds after the kernel wrote them.
every_run() {
	local name=$1 traffic=$2 lag=
	shift 2
	[ "$1" != lag ] || { lag=1 && shift; }
	# attaching every function takes a while under TCG
	if PWRU_READY_TIMEOUT=300 pwru_start "$name" ${every_funcs:+--filter-func "$every_funcs"} \
		"$@" 'host 10.0.1.2'; then
		diag "$name: $(grep '^pwru: attached' "$SCRATCH/$name.err")"
		[ -z "$lag" ] || kill -STOP "$PWRU_PID"
		every_traffic "$traffic"
		[ -z "$lag" ] || kill -CONT "$PWRU_PID"
		pwru_stop 60
		return 0
	fi
	not_ok "$name (every function): pwru attached" "$(head -n 20 "$SCRATCH/$name.err")"
	return 1
}
# The blocks of FILE, one a line: the header, then "| +NS FUNC..." per step, then "| end: ...".
blocks() {
	awk '/^skb 0x/ { if (b != "") print b; b = $0; next }
		/^ +\+[0-9]+ ns  / { sub(/^ +/, ""); b = b " | " $0; next }
		/^  end: / { sub(/^  /, ""); b = b " | " $0 }
		END { if (b != "") print b }' "$1"
}
# only_of ERE BLOCKS: the blocks whose every step's function matches ERE.
only_of() {
	awk -F' [|] ' -v re="$1" '{ for (i = 2; i <= NF; i++) { if ($i ~ /^end: /) continue
			f = $i; sub(/^[+][0-9]+ ns  /, "", f); sub(/[( ].*/, "", f); if (f !~ re) next }
		print }' "$2"
}
RELEASE_PATH='^(skb_release_[a-z_]+|skb_free_head|kfree_skbmem|sock_[rweop]free|sock_edemux|__sock_wfree|tcp_wfree|tcp_sock_rfree|napi_skb_cache_put)$'
RELEASES='^([a-z_]*kfree_skb[a-z_]*|[a-z_]*consume_skb|sk_skb_reason_drop|skb_release_[a-z_]+|skb_free_head|kfree_skbmem|sock_[rweop]free|sock_edemux|__sock_wfree|tcp_wfree|tcp_sock_rfree|skb_attempt_defer_free|napi_skb_cache_put)$'
# TCP frees a received segment on the CPU that built it (skb_attempt_defer_free), at that
# CPU's next softirq: on this idle VM that can be the next run's traffic, whose pwru then
# sees the free alone (napi_consume_skb .. kfree_skbmem, 6.12 and 7 CI). A ping sent from
# each CPU runs each one's softirq: the earlier runs' frees are done before this run.
flush_deferred_frees() {
	local cpu
	for cpu in $(seq 0 $(($(nproc) - 1))); do
		taskset -c "$cpu" $IP netns exec a ping -c 1 -W 1 10.0.1.2 >/dev/null
	done
}
flush_deferred_frees
# The reader behind: the chains must be the same as read in time. pwru ends a chain after
# 100 ms (freed) or 1 s (live) without events; counted by the clock while it caught up, it
# ended chains whose events were still in the ring (the verdicts, a TCP segment's recvmsg
# and free), which then made chains of their own. 16 MiB: the ring holds every event.
if every_run every tcp lag --output-chains --ringbuf-size 16777216 --summary; then
	blocks "$SCRATCH/every.out" >"$SCRATCH/every.blocks"
	# nothing in this traffic waits 1 s: a packet's chain ends freed, dropped or at exit
	bad=$(grep ' | end: idle$' "$SCRATCH/every.blocks")
	if [ -z "$bad" ]; then
		ok "every function, the reader seconds behind: no chain cut idle"
	else
		not_ok "every function, the reader seconds behind: no chain cut idle" \
			"$(echo "$bad" | head -n 5 | cut -c1-300)"
	fi
	n=$(grep -c '^skb 0x[0-9a-f]* 10\.0\.1\.1:0->10\.0\.1\.2:0(icmp) .* icmp_rcv .* kfree_skbmem | end: freed$' "$SCRATCH/every.blocks")
	all=$(grep -c '^skb 0x[0-9a-f]* 10\.0\.1\.1:0->10\.0\.1\.2:0(icmp) ' "$SCRATCH/every.blocks")
	if [ "$n" = 1 ] && [ "$all" = 1 ]; then
		ok "every function: the echo request is one block, icmp_rcv .. kfree_skbmem, end: freed"
	else
		not_ok "every function: the echo request is one block, icmp_rcv .. kfree_skbmem" \
			"$all blocks, $n whole" "$(grep -F '10.0.1.1:0->10.0.1.2:0(icmp)' "$SCRATCH/every.blocks" | cut -c1-400)"
	fi
	# a block of what follows a free point (skb_release_*, ..., kfree_skbmem) is a packet
	# counted twice
	bad=$(only_of "$RELEASE_PATH" "$SCRATCH/every.blocks")
	total=$(wc -l <"$SCRATCH/every.blocks")
	if [ "$total" -ge 3 ] && [ -z "$bad" ]; then
		ok "every function: none of the $total blocks is a free path's tail alone"
	else
		not_ok "every function: no block is a free path's tail alone ($total blocks)" "$(echo "$bad" | head -n 5 | cut -c1-300)"
	fi
	# a free's own block: the packet's chain ended before its free (6.12's recvmsg frees a
	# TCP segment its CPU made through __napi_kfree_skb after skb_attempt_defer_free), or a
	# packet deferred before this run (flush_deferred_frees above)
	bad=$(only_of "$RELEASES" "$SCRATCH/every.blocks")
	if [ -z "$bad" ]; then
		ok "every function: no block of a packet's free alone"
	else
		not_ok "every function: no block of a packet's free alone" "$(echo "$bad" | head -n 5 | cut -c1-300)"
	fi
	bad=$(awk -F' [|] ' '{ last = -1; for (i = 2; i <= NF; i++) if ($i ~ /^\+[0-9]+ ns/) {
			t = $i; sub(/^\+/, "", t); sub(/ .*/, "", t); if (t + 0 < last) { print; next } last = t + 0 } }' \
		"$SCRATCH/every.blocks")
	if [ -z "$bad" ]; then
		ok "every function: each block's steps in time order"
	else
		not_ok "every function: each block's steps in time order" "$(echo "$bad" | head -n 3 | cut -c1-600)"
	fi
	# The dropped SYN's block: the verdicts before the drop's free, the end a drop; no
	# other connection's packet in it (8080's SYN reaches tcp_v4_rcv, this one never).
	syn=$(grep -E '^skb 0x[0-9a-f]+ 10\.0\.1\.1:[0-9]+->10\.0\.1\.2:9999\(tcp\) ' "$SCRATCH/every.blocks")
	nft=' nft_do_chain inet/chains_test/input DROP( [(]-EPERM[)])? .*'
	[ -e /sys/kernel/btf/nf_tables ] && kernel_runs_fexit || nft=
	want=" nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP [(]-EPERM[)] .*$nft kfree_skbmem [|] end: (dropped at |freed)"
	if [ -n "$syn" ] && ! echo "$syn" | grep -vqE -- "$want" && ! echo "$syn" | grep -q ' tcp_v4_rcv'; then
		ok "every function: the dropped SYN's block holds its verdicts before its free, no other packet"
	else
		not_ok "every function: the dropped SYN's block holds its verdicts before its free, no other packet" \
			"want: $want" "$(echo "${syn:-no block}" | cut -c1-900)"
	fi
	bad=$(only_of '^(nf_hook_slow|nft_do_chain)$' "$SCRATCH/every.blocks")
	if [ -z "$bad" ]; then
		ok "every function: no block made of verdicts alone"
	else
		not_ok "every function: no block made of verdicts alone" "$(echo "$bad" | head -n 3 | cut -c1-400)"
	fi
fi
# The neighbour cache decides a path too: a packet that finds no entry (or a stale one) passes
# neigh_resolve_output and __neigh_event_send, the next one not, and which packet of a run
# that is depends on the cache's timers (a 5.10 run differed so). Fixed entries both ways.
mac_va=$($IP netns exec a cat /sys/class/net/va/address)
mac_vb=$($IP netns exec b cat /sys/class/net/vb/address)
check "a's fixed neighbour entry for b" $IP -n a neigh replace 10.0.1.2 lladdr "$mac_vb" dev va nud permanent
check "b's fixed neighbour entry for a" $IP -n b neigh replace 10.0.1.1 lladdr "$mac_va" dev vb nud permanent
if every_run every1 - --output-chains=path && every_run every2 - --output-chains=path; then
	same_paths "every function, path" every1 every2
	bad=$(grep -E ':9999[(]tcp[)] ' "$SCRATCH/every1.out" "$SCRATCH/every2.out" | grep -vE ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP ')
	if grep -qE ':9999[(]tcp[)] .* nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP ' "$SCRATCH/every1.out" && [ -z "$bad" ]; then
		ok "every function, path: the dropped SYN's one path, its verdict in it"
	else
		not_ok "every function, path: the dropped SYN's one path, its verdict in it" "$(grep -h ':9999(tcp)' "$SCRATCH/every1.out" "$SCRATCH/every2.out" | cut -c1-500)"
	fi
fi
check_nothing_attached
