# A packet dropped by an nftables rule: pwru must show where it died and, on
# kernels that pass a drop reason, name it as the netfilter drop.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

check "two netns joined by veth" netns_pair
check "nft drops echo requests in b's input hook" \
	$IP netns exec b $NFT add table inet pwru_test \; \
	add chain inet pwru_test input '{ type filter hook input priority 0; policy accept; }' \; \
	add rule inet pwru_test input icmp type echo-request counter drop

# nft_drops: the packets the rule above dropped so far (its counter)
nft_drops() {
	$IP netns exec b $NFT list chain inet pwru_test input | sed -n 's/.* counter packets \([0-9]*\) .*/\1/p'
}

# Kernels from 5.17 free a dropped skb through kfree_skb_reason, from 6.11
# through sk_skb_reason_drop; older ones through kfree_skb, without a reason.
if grep -qE ' (kfree_skb_reason|sk_skb_reason_drop)$' /proc/kallsyms; then
	funcs='kfree_skb_reason|sk_skb_reason_drop'
	want='(kfree_skb_reason|sk_skb_reason_drop)[(]SKB_DROP_REASON_NETFILTER_DROP[)]'
else
	funcs='kfree_skb'
	want='kfree_skb'
fi

# The kernel frees the dropped packet inside nf_hook_slow; its event, sent at the exit with
# the verdict, comes after that drop.
check_drop_then_verdict() {
	local order
	order=$(grep -F -- "$TUPLE" "$1" | awk '
		/ nf_hook_slow NF_INET_LOCAL_IN/ { printf "verdict " }
		/ (kfree_skb_reason|sk_skb_reason_drop|kfree_skb)/ { printf "kernel-drop " }' | cut -d' ' -f1-2)
	if [ "$order" = "kernel-drop verdict" ]; then
		ok "the kernel's drop, then the verdict (the event is sent at nf_hook_slow's exit)"
	else
		not_ok "the kernel's drop, then the verdict" "got: $order"
		show "pwru stdout" "$1"
	fi
}

# The default backend, as a user runs pwru: nf_hook_slow's verdict comes through fentry and
# fexit where the kernel runs them, else a kprobe and a kretprobe, whatever the backend chosen
# for the rest.
if ! pwru_start drop --filter-func "nf_hook_slow|$funcs" icmp; then
	not_ok "pwru --filter-func 'nf_hook_slow|$funcs' icmp attached" "$(head -n 20 "$SCRATCH/drop.err")"
	exit 0
fi
# dropped by the rule, not lost to anything else: its counter counts both requests
before=$(nft_drops)
$IP netns exec a ping -c 2 -i 0.2 -W 1 10.0.1.2 >"$SCRATCH/ping" 2>&1
st=$?
after=$(nft_drops)
if [ $st = 1 ] && [ -n "$before" ] && [ "$((after - before))" = 2 ]; then
	ok "the ping's two requests are dropped by the nft rule (its counter: $before -> $after)"
else
	not_ok "the ping's two requests are dropped by the nft rule" "ping exit $st, the rule's counter: ${before:-none} -> ${after:-none}" \
		"$(cat "$SCRATCH/ping")"
fi
# both requests' drops, and their verdicts (sent at nf_hook_slow's exit, after the drop)
both_drops() {
	[ "$(event_lines_re "$SCRATCH/drop.out" "$want" "$TUPLE" | wc -l)" -ge 2 ] &&
		has_lines "$SCRATCH/drop.out" ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP' 2
}
wait_until both_drops
pwru_stop

n=$(event_lines_re "$SCRATCH/drop.out" "$want" "$TUPLE" | wc -l)
if [ "$n" -ge 1 ]; then
	ok "the drop shows as $(event_lines_re "$SCRATCH/drop.out" "$want" "$TUPLE" | awk '{ print $NF; exit }') with the ping's tuple ($n lines)"
else
	not_ok "the drop shows as $want with the ping's tuple"
	show "pwru stdout" "$SCRATCH/drop.out"
	show "pwru stderr" "$SCRATCH/drop.err"
fi
backend=$(sed -n 's/^pwru: backend //p' "$SCRATCH/drop.err")
# Without trampolines (arm64 6.1) a kprobe holds nf_hook_slow's event and a kretprobe sends it.
via=fentry/fexit
kernel_runs_fexit || via=kprobe/kretprobe
if [ "$backend" = fentry ]; then
	ok "the default backend is fentry: its own verdicts are checked below"
else
	# how is --debug's business: a user's stderr says what is traced, not by what means
	noise=$(grep -E '^pwru: (fentry|nf_hook_slow through|debug:)' "$SCRATCH/drop.err")
	if [ -z "$noise" ]; then
		ok "the default run's stderr says nothing of how nf_hook_slow's verdict comes ($via)"
	else
		not_ok "the default run's stderr says nothing of how nf_hook_slow's verdict comes ($via)" "$noise"
	fi
	expect_line "nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM) with the default backend ($backend, $via)" \
		"$SCRATCH/drop.out" ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP [(]-EPERM[)]$' "$TUPLE"
	check_drop_then_verdict "$SCRATCH/drop.out"
fi
# --output-chains: the verdict, sent after the free, goes back into its packet's block where
# it happened, before the drop and the slab free; one block per ping.
if pwru_start chains --output-chains --filter-func "nf_hook_slow|$funcs|kfree_skbmem" icmp; then
	ping_dropped "$SCRATCH/chains.out" '^  end: ' 2 -c 2 -i 0.2 -W 1 10.0.1.2
	pwru_stop
	blocks=$(awk '/^skb 0x/ { if (b != "") print b; b = $0; next }
		/^ +[+][0-9]+ ns  / { sub(/^ +[+][0-9]+ ns  /, ""); b = b " | " $0; next }
		/^  end: / { sub(/^  /, ""); b = b " | " $0 }
		END { if (b != "") print b }' "$SCRATCH/chains.out" | grep -F -- "$TUPLE")
	want=" [|] nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP [(]-EPERM[)] [|] (nft_do_chain [^|]* [|] )?($want) [|] kfree_skbmem [|] end: (dropped at |freed)"
	if [ "$(echo "$blocks" | grep -cE -- "$want")" -ge 2 ] && ! echo "$blocks" | grep -vqE -- "$want"; then
		ok "chains: each ping's block holds its verdict before the drop and the free"
	else
		not_ok "chains: each ping's block holds its verdict before the drop and the free" \
			"want: $want" "$(echo "${blocks:-no block}" | cut -c1-300)"
	fi
else
	not_ok "pwru --output-chains --filter-func 'nf_hook_slow|$funcs|kfree_skbmem' attached" "$(head -n 20 "$SCRATCH/chains.err")"
fi
# The nft table and base chain that dropped it: nft_do_chain's types are in nf_tables' BTF
# (5.11+; the rule above loaded the module).
if ! kernel_runs_fexit; then
	# nft_do_chain needs fexit: the user filtering nft drops is told why there is no chain
	expect_line "no fexit here: stderr says the tables and chains are not shown, and why" \
		"$SCRATCH/drop.err" '^pwru: nft tables and chains are not shown: they need fexit: .+'
elif [ -e /sys/kernel/btf/nf_tables ]; then
	# from 6.8 or so nftables frees a dropped packet itself: NF_STOLEN with the errno
	expect_line "nft_do_chain inet/pwru_test/input DROP: the table and chain that dropped it" \
		"$SCRATCH/drop.out" ' nft_do_chain inet/pwru_test/input DROP( [(]-EPERM[)])?$' "$TUPLE"
	if grep -q '^pwru: nft tables and chains are not shown' "$SCRATCH/drop.err"; then
		not_ok "and stderr does not say they are not shown" "$(cat "$SCRATCH/drop.err")"
	else
		ok "and stderr does not say they are not shown"
	fi
else
	expect_line "no nf_tables BTF here: stderr says the tables and chains are not shown" \
		"$SCRATCH/drop.err" '^pwru: nft tables and chains are not shown: nf_tables has no BTF here'
fi

# With fentry, nf_hook_slow's event carries its result: netfilter's verdict by name, at
# its hook and family, before the kernel frees the packet for it. The run names the kernel's
# BTF as a file (--kernel-btf): nft_do_chain's types are nf_tables', not in that file, so
# pwru says the chains are not shown and traces the rest (it failed to start before).
if ! kernel_runs_fexit; then
	ok "nf_hook_slow's verdict # SKIP $(uname -m) $(uname -r) runs no fexit programs${PWRU_TEST_NO_FEXIT:+ (PWRU_TEST_NO_FEXIT=1)}"
elif ! $IP netns exec b $NFT add chain inet pwru_test pre \
	'{ type filter hook prerouting priority 0; policy accept; }'; then
	not_ok "nft: a prerouting chain that accepts, in b"
elif pwru_start nf --backend fentry --kernel-btf /sys/kernel/btf/vmlinux \
	--filter-func "nf_hook_slow|$funcs" icmp; then
	ping_dropped "$SCRATCH/nf.out" ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP' 1 -c 1 -W 1 10.0.1.2
	pwru_stop
	expect_line "nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM) (--backend fentry)" \
		"$SCRATCH/nf.out" ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP [(]-EPERM[)]$' "$TUPLE"
	check_drop_then_verdict "$SCRATCH/nf.out"
	expect_line "and before it, prerouting's accept: NF_INET_PRE_ROUTING/ipv4 ACCEPT" \
		"$SCRATCH/nf.out" ' nf_hook_slow NF_INET_PRE_ROUTING/ipv4 ACCEPT$' "$TUPLE"
	expect_line "--kernel-btf with nf_tables loaded: stderr says the chains are not shown, and why" \
		"$SCRATCH/nf.err" '^pwru: nft tables and chains are not shown: the --kernel-btf file has no nf_tables types'
else
	not_ok "pwru --backend fentry --kernel-btf FILE --filter-func 'nf_hook_slow|$funcs' attached" \
		"$(head -n 20 "$SCRATCH/nf.err")"
fi
# --timestamp relative: the verdicts' events have their entries' times but come at the
# exits, after the events of what they called; each is measured from the event before it
# in time, so none of the ping's events but its first shows 0 (a negative delta made 0).
# With --output-caller nft_do_chain's event names its caller as any fentry event does.
# With --output-stack the drop's stack runs through nf_hook_slow, which pwru's fexit runs from
# a BPF trampoline (where the kernel runs them): the trampoline and nf_hook_slow's entry frame
# under it are not the kernel's path, and the trampoline's name differs between kernels.
if pwru_start rel --output-json --timestamp relative --output-caller --output-stack \
	--filter-func "ip_rcv|nf_hook_slow|$funcs" icmp; then
	ping_dropped "$SCRATCH/rel.out" '"func":"nf_hook_slow NF_INET_LOCAL_IN' 1 -c 1 -W 1 10.0.1.2
	pwru_stop
	check "relative: the ping's events after its first are all > 0 ns, verdicts too (jq -e)" \
		jq -e -s '[.[] | select(.tuple.saddr == "10.0.1.1" and .tuple.proto == 1)] |
			length >= 3 and .[0].time == 0 and (.[1:] | all(.time > 0)) and
			any(.func | startswith("nf_hook_slow NF_INET_LOCAL_IN"))' "$SCRATCH/rel.out"
	check "stacks: the drop's runs through nf_hook_slow once, no bpf_trampoline_* frame (jq -e)" \
		jq -e -s '[.[] | select(.stack) | [.stack[].func]] |
			any(index(["nf_hook_slow"])) and
			all(all(startswith("bpf_trampoline_") | not)) and
			all((map(select(. == "nf_hook_slow")) | length <= 1) and
			    (map(select(. == "nft_do_chain")) | length <= 1))' "$SCRATCH/rel.out"
	if [ -e /sys/kernel/btf/nf_tables ] && kernel_runs_fexit; then
		check "nft_do_chain's event names its caller nft_do_chain_inet (jq -e)" \
			jq -e -s '[.[] | select(.func // "" | startswith("nft_do_chain "))] | length >= 1 and
				all(.caller_func == "nft_do_chain_inet")' "$SCRATCH/rel.out"
	fi
else
	not_ok "pwru --output-json --timestamp relative attached" "$(head -n 20 "$SCRATCH/rel.err")"
fi
# nft's reject sends its reset from inside the SYN's nf_hook_slow: the reset's own
# nf_hook_slow (b's output hook) runs nested in it, in the same task. Each call holds its
# own event until its exit, keyed by its frame (the trampoline's; without trampolines the
# stack pointer at the kprobe and at the kretprobe), so the SYN's verdict shows: it was lost
# to the nested call's before.
if ! $IP netns exec b $NFT add rule inet pwru_test input tcp dport 9999 reject with tcp reset \; \
	add chain inet pwru_test out '{ type filter hook output priority 0; policy accept; }'; then
	not_ok "nft: a rule rejecting tcp port 9999 with a reset and an output chain, in b"
elif pwru_start rej --filter-func nf_hook_slow 'tcp port 9999'; then
	$IP netns exec a nc -w 1 10.0.1.2 9999 </dev/null >/dev/null 2>&1
	wait_lines "$SCRATCH/rej.out" ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP'
	pwru_stop
	expect_line "reject ($via): the reset passes b's output hook, nested in the SYN's nf_hook_slow" \
		"$SCRATCH/rej.out" ' nf_hook_slow NF_INET_LOCAL_OUT/ipv4 ACCEPT$' '10.0.1.2:9999->10.0.1.1:'
	expect_line "reject ($via): the SYN's own verdict, nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP" \
		"$SCRATCH/rej.out" ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP' '->10.0.1.2:9999(tcp)'
else
	not_ok "pwru --filter-func nf_hook_slow 'tcp port 9999' attached" "$(head -n 20 "$SCRATCH/rej.err")"
fi
check_nothing_attached
