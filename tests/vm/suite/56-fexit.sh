# fexit as a capability of the probe layer: an event can carry its function's
# return value, held from the entry until the exit adds it. Checked on a known one:
# nf_hook_slow() returns 1 when the hook accepts and -EPERM when a rule drops.
# nf_hook_slow always carries it (netfilter's verdict, named in FUNC);
# PWRU_RETVAL_FUNCS, the tests' way in for other functions, names it too. With
# --output-caller the event held from the entry keeps the entry's stack: CALLER is the
# frame under the function's.
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair
refused_here fentry && exit 0
check "nft in b drops echo requests at input; a has an accepting output chain" sh -c "
	$IP netns exec b $NFT add table inet pt \\; add chain inet pt input \
		'{ type filter hook input priority 0; policy accept; }' \\; \
		add rule inet pt input icmp type echo-request drop &&
	$IP netns exec a $NFT add table inet pt \\; add chain inet pt output \
		'{ type filter hook output priority 0; policy accept; }'"
nsb=$($IP netns exec b readlink /proc/self/ns/net | tr -dc 0-9)
nsa=$($IP netns exec a readlink /proc/self/ns/net | tr -dc 0-9)

if ! PWRU_RETVAL_FUNCS=nf_hook_slow pwru_start rv --backend fentry --debug --output-json \
	--filter-func 'nf_hook_slow|ip_rcv' icmp; then
	not_ok "pwru --backend fentry with return values attached" "$(head -n 20 "$SCRATCH/rv.err")"
	exit 0
fi
ping_dropped "$SCRATCH/rv.out" 'NF_INET_LOCAL_IN/ipv4 DROP' 2 -c 2 -i 0.2 -W 1 10.0.1.2
pwru_stop
if grep -q '^pwru: fentry: one exit program per function: 1 loaded' "$SCRATCH/rv.err"; then
	ok "one exit program, for nf_hook_slow"
else
	not_ok "one exit program, for nf_hook_slow" "$(cat "$SCRATCH/rv.err")"
fi
if jq -e -s --argjson ns "$nsb" '[.[] | select(.func == "nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)" and .netns == $ns and .retval == -1 and .tuple.daddr == "10.0.1.2")] | length >= 1' "$SCRATCH/rv.out" >/dev/null; then
	ok "the dropped echo request: nf_hook_slow in b returns -1 (-EPERM)"
else
	not_ok "the dropped echo request: nf_hook_slow in b returns -1 (-EPERM)" "$(head -c 1500 "$SCRATCH/rv.out")"
fi
if jq -e -s --argjson ns "$nsa" '[.[] | select((.func // "" | startswith("nf_hook_slow NF_INET_") and endswith("/ipv4 ACCEPT")) and .netns == $ns and .retval == 1)] | length >= 1' "$SCRATCH/rv.out" >/dev/null; then
	ok "the accepted one: nf_hook_slow in a returns 1 (NF_ACCEPT)"
else
	not_ok "the accepted one: nf_hook_slow in a returns 1 (NF_ACCEPT)" "$(head -c 1500 "$SCRATCH/rv.out")"
fi
if jq -e -s '[.[] | select(.func == "ip_rcv")] | length >= 1 and all(.[]; .retval == null)' "$SCRATCH/rv.out" >/dev/null; then
	ok "functions not asked for carry no return value"
else
	not_ok "functions not asked for carry no return value" "$(grep ip_rcv "$SCRATCH/rv.out" | head -n 3)"
fi
check_nothing_attached

if pwru_start rvcaller --backend fentry --output-json --output-caller \
	--filter-func 'nf_hook_slow|ip_rcv' icmp; then
	ping_dropped "$SCRATCH/rvcaller.out" 'NF_INET_LOCAL_IN/ipv4 DROP' 1 -c 1 -W 1 10.0.1.2
	pwru_stop
	if jq -e -s --argjson ns "$nsb" '[.[] | select(.func == "nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)" and .netns == $ns)] | length >= 1 and all(.retval == -1 and .caller_func == "ip_local_deliver" and (.caller.offset > 0))' "$SCRATCH/rvcaller.out" >/dev/null; then
		ok "--output-caller: the drop at its exit (-1) names nf_hook_slow's CALLER ip_local_deliver"
	else
		not_ok "--output-caller: the drop at its exit (-1) names nf_hook_slow's CALLER ip_local_deliver" \
			"$(grep 'LOCAL_IN' "$SCRATCH/rvcaller.out" | head -c 1500)"
	fi
	if jq -e -s '[.[] | select(.func == "ip_rcv")] | length >= 1 and all(.caller_func == "__netif_receive_skb_one_core" and (has("stack") | not))' "$SCRATCH/rvcaller.out" >/dev/null; then
		ok "--output-caller: ip_rcv's CALLER is __netif_receive_skb_one_core, no stack printed"
	else
		not_ok "--output-caller: ip_rcv's CALLER is __netif_receive_skb_one_core, no stack printed" \
			"$(grep '"ip_rcv"' "$SCRATCH/rvcaller.out" | head -c 1500)"
	fi
else
	not_ok "pwru --backend fentry --output-caller attached" "$(head -n 20 "$SCRATCH/rvcaller.err")"
fi
check_nothing_attached "after --output-caller,"

# kprobe-multi opens an object with fentry's first template only where every return value
# has its skb first (nf_hook_slow's); a function with its skb third needs the whole one.
backends_here
case " $BACKENDS_HERE " in
*" kprobe-multi "*)
	if PWRU_RETVAL_FUNCS=ip_finish_output2 pwru_start rvm --backend kprobe-multi --debug \
		--output-json --filter-func 'ip_finish_output2|ip_rcv' icmp; then
		ping_dropped "$SCRATCH/rvm.out" '"ip_finish_output2"' 1 -c 1 -W 1 10.0.1.2
		pwru_stop
		expect_line "kprobe-multi, a return value with the skb third: the whole object" \
			"$SCRATCH/rvm.err" "^pwru: debug: BPF object: kprobe-multi's own, every fentry template"
		if jq -e -s '[.[] | select(.func == "ip_finish_output2")] | length >= 1 and all(.retval == 0)' "$SCRATCH/rvm.out" >/dev/null; then
			ok "kprobe-multi: ip_finish_output2 (skb third) carries its return value 0"
		else
			not_ok "kprobe-multi: ip_finish_output2 (skb third) carries its return value 0" \
				"$(grep ip_finish_output2 "$SCRATCH/rvm.out" | head -c 1500)"
		fi
	else
		not_ok "pwru --backend kprobe-multi with ip_finish_output2's return value attached" \
			"$(head -n 20 "$SCRATCH/rvm.err")"
	fi
	check_nothing_attached "after kprobe-multi's return values,"
	if pwru_start rvf --backend kprobe-multi --debug --output-json \
		--filter-func 'nf_hook_slow|ip_rcv' icmp; then
		ping_dropped "$SCRATCH/rvf.out" 'NF_INET_LOCAL_IN/ipv4 DROP' 1 -c 1 -W 1 10.0.1.2
		pwru_stop
		expect_line "kprobe-multi, nf_hook_slow's verdict alone: fentry's first template only" \
			"$SCRATCH/rvf.err" "^pwru: debug: BPF object: kprobe-multi's own, fentry's first template only"
		if jq -e -s --argjson ns "$nsb" '[.[] | select(.func == "nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)" and .netns == $ns and .retval == -1)] | length >= 1' "$SCRATCH/rvf.out" >/dev/null; then
			ok "kprobe-multi, first template only: the dropped echo request's nf_hook_slow returns -1"
		else
			not_ok "kprobe-multi, first template only: the dropped echo request's nf_hook_slow returns -1" \
				"$(head -c 1500 "$SCRATCH/rvf.out")"
		fi
	else
		not_ok "pwru --backend kprobe-multi on nf_hook_slow attached" "$(head -n 20 "$SCRATCH/rvf.err")"
	fi
	check_nothing_attached "after kprobe-multi's first-template object,"
	;;
esac
# kprobe has that small object only (session 18); with a return value whose skb is third it
# opens pwru.bpf.o, which holds every program (no object line).
case " $BACKENDS_HERE " in
*" kprobe "*)
	if pwru_start rkf --backend kprobe --debug --output-json \
		--filter-func 'nf_hook_slow|ip_rcv' icmp; then
		ping_dropped "$SCRATCH/rkf.out" 'NF_INET_LOCAL_IN/ipv4 DROP' 1 -c 1 -W 1 10.0.1.2
		pwru_stop
		expect_line "kprobe, nf_hook_slow's verdict alone: fentry's first template only" \
			"$SCRATCH/rkf.err" "^pwru: debug: BPF object: kprobe's own, fentry's first template only"
		if jq -e -s '[.[] | select(.func == "nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP (-EPERM)" and .retval == -1)] | length >= 1' "$SCRATCH/rkf.out" >/dev/null &&
			jq -e -s '[.[] | select(.func == "ip_rcv")] | length >= 1' "$SCRATCH/rkf.out" >/dev/null; then
			ok "kprobe, first template only: ip_rcv seen, the dropped echo request's nf_hook_slow returns -1"
		else
			not_ok "kprobe, first template only: ip_rcv seen, the dropped echo request's nf_hook_slow returns -1" \
				"$(head -c 1500 "$SCRATCH/rkf.out")"
		fi
	else
		not_ok "pwru --backend kprobe on nf_hook_slow and ip_rcv attached" "$(head -n 20 "$SCRATCH/rkf.err")"
	fi
	check_nothing_attached "after kprobe's first-template object,"
	if PWRU_RETVAL_FUNCS=ip_finish_output2 pwru_start rkm --backend kprobe --debug \
		--output-json --filter-func 'ip_finish_output2|ip_rcv' icmp; then
		ping_dropped "$SCRATCH/rkm.out" '"ip_finish_output2"' 1 -c 1 -W 1 10.0.1.2
		pwru_stop
		if ! grep -q '^pwru: debug: BPF object:' "$SCRATCH/rkm.err" &&
			jq -e -s '[.[] | select(.func == "ip_finish_output2")] | length >= 1 and all(.retval == 0)' "$SCRATCH/rkm.out" >/dev/null; then
			ok "kprobe, a return value with the skb third: pwru.bpf.o, ip_finish_output2 returns 0"
		else
			not_ok "kprobe, a return value with the skb third: pwru.bpf.o, ip_finish_output2 returns 0" \
				"$(grep 'BPF object' "$SCRATCH/rkm.err")" "$(grep ip_finish_output2 "$SCRATCH/rkm.out" | head -c 1500)"
		fi
	else
		not_ok "pwru --backend kprobe with ip_finish_output2's return value attached" \
			"$(head -n 20 "$SCRATCH/rkm.err")"
	fi
	check_nothing_attached "after kprobe's whole object,"
	;;
esac
