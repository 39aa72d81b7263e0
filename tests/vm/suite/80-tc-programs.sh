# tc and XDP programs of the tests' own (tests/bpf/, built into build/tests/bpf): what a
# user of Cilium checks in pwru's output. cilium_like.bpf.o marks b's incoming IPv4
# packets with security identity 6 (remote-node) in Cilium's mark layout and drops UDP to
# port 4242 the way Cilium does (drop metadata in cb, a drop notification through
# bpf_skb_event_output, TC_ACT_SHOT); tc_redirect.bpf.o redirects echo requests to lo;
# xdp_drop.bpf.o drops them. The kernel keeps 15 characters of each name.
. tests/vm/suite/lib.sh

TC=/usr/sbin/tc
INB="nsenter --net=/run/netns/b" # keeps our mount namespace (ip netns exec remounts /sys)
OBJ=build/tests/bpf
need_test_bpf cilium_like.bpf.o tc_redirect.bpf.o xdp_drop.bpf.o
PING='10.0.1.1:0->10.0.1.2:0(icmp)'
PING_RE='10\.0\.1\.1:0->10\.0\.1\.2:0\(icmp\)'
CIL=test_cilium_like_identity

udp_to_b() {
	$IP netns exec a bash -c "echo x >/dev/udp/10.0.1.2/$1"
}

# --output-cilium with JSON: the decoded mark as keys of their own (kprobes, any kernel).
mark_json() {
	if pwru_start markjson --output-cilium --output-json --filter-func icmp_rcv 'dst host 10.0.1.2'; then
		$IP netns exec a ping -c 1 -W 2 10.0.1.2 >/dev/null 2>&1
		wait_lines "$SCRATCH/markjson.out" '"func":"icmp_rcv"'
		pwru_stop
		check "--output-json --output-cilium: cilium_identity 6, remote-node" \
			jq -e -s '[.[] | select(.type == "event" and .func == "icmp_rcv")] | length >= 1 and
				all(.mark == 397056 and .cilium_mark == "IDENTITY identity=6(remote-node)" and
				    .cilium_identity == 6 and .cilium_identity_name == "remote-node")' \
			"$SCRATCH/markjson.out"
	else
		not_ok "pwru --output-cilium --output-json attached" "$(head -n 20 "$SCRATCH/markjson.err")"
	fi
}

check "two netns joined by veth" netns_pair

# No tc or XDP program loaded yet: each kind asked for is said to have nothing to trace, in
# one line, and the trace goes on with the kernel functions (programs loaded later are
# picked up, below): exit 0. No 'tracing 0 tc and 0 XDP programs' line beside them.
none_loaded() {
	local k
	if ! pwru_start none --filter-trace-tc --filter-trace-xdp --filter-func icmp_rcv icmp; then
		not_ok "pwru --filter-trace-tc --filter-trace-xdp with no program loaded attached" \
			"$(head -n 20 "$SCRATCH/none.err")"
		return
	fi
	$IP netns exec a ping -c 1 -W 2 10.0.1.2 >/dev/null 2>&1
	wait_events "$SCRATCH/none.out" icmp_rcv "$PING"
	pwru_stop
	for k in tc XDP; do
		check "no $k program loaded: one line says so and what is traced" grep -qx \
			"pwru: --filter-trace-$(echo $k | tr A-Z a-z): no $k program to trace now (bpftool net shows those attached; one needs BTF): tracing the kernel functions, and $k programs as they are loaded" \
			"$SCRATCH/none.err"
	done
	check "no program loaded: no count of 0 programs" sh -c "! grep 'pwru: tracing 0 tc' '$SCRATCH/none.err'"
	check "no program loaded: the kernel functions are traced, exit 0 (status $PWRU_STATUS)" \
		sh -c "[ $PWRU_STATUS = 0 ] && grep -qF '$PING' '$SCRATCH/none.out'"
}
if kernel_runs_fexit; then
	none_loaded
fi
check "$CIL on vb's tc ingress" sh -c "$INB $TC qdisc add dev vb clsact &&
	$INB $TC filter add dev vb ingress pref 10 bpf da obj $OBJ/cilium_like.bpf.o sec tc"

# Where the kernel runs no trampolines (arm64 6.1) the flags are refused in one line.
if ! kernel_runs_fexit; then
	# bounded: were it not refused, it would trace until stopped
	timeout 120 "$PWRU" --filter-trace-tc --filter-func icmp_rcv >"$SCRATCH/refused.out" \
		2>"$SCRATCH/refused.err"
	st=$?
	if [ $st = 1 ] && [ ! -s "$SCRATCH/refused.out" ] && [ "$(grep -c '' "$SCRATCH/refused.err")" = 1 ] &&
		grep -q '^pwru: --filter-trace-tc/--filter-trace-xdp need fentry/fexit on BPF programs: ' \
			"$SCRATCH/refused.err"; then
		ok "no trampolines here: refused in one line, exit 1: $(cat "$SCRATCH/refused.err")"
	else
		not_ok "no trampolines here: refused in one line, exit 1" "status $st" "$(cat "$SCRATCH/refused.err")"
	fi
	mark_json
	check_nothing_attached
	exit 0
fi

# --filter-func matching no function: as in cilium/pwru, the tc programs are traced alone,
# and stderr says why no function is.
programs_alone() {
	local other
	if ! pwru_start alone --filter-trace-tc --filter-func no_such_function_xyz icmp; then
		not_ok "--filter-trace-tc, --filter-func matching nothing: attached" \
			"exit ${PWRU_STATUS:-?}" "$(head -n 20 "$SCRATCH/alone.err")"
		return
	fi
	$IP netns exec a ping -c 1 -W 2 10.0.1.2 >/dev/null 2>&1
	wait_lines "$SCRATCH/alone.out" " $CIL\(tc\) TC_ACT_OK"
	pwru_stop
	check "--filter-func matching nothing: stderr says the tc programs are traced alone" grep -qxE \
		"pwru: no kernel function taking an skb matches --filter-func 'no_such_function_xyz' \(.*\): tracing the tc programs alone" \
		"$SCRATCH/alone.err"
	check "and counts the tc program traced" grep -q 'tracing 1 tc and 0 XDP programs' "$SCRATCH/alone.err"
	if grep -q '^pwru: attached ' "$SCRATCH/alone.err"; then
		not_ok "and no 'attached N functions' line (the programs are what is attached)" \
			"$(cat "$SCRATCH/alone.err")"
	else
		ok "and no 'attached N functions' line (the programs are what is attached)"
	fi
	expect_line "the ping at the program's entry" "$SCRATCH/alone.out" " $CIL\(tc\)$" "$PING"
	expect_line "and its exit, TC_ACT_OK" "$SCRATCH/alone.out" " $CIL\(tc\) TC_ACT_OK( |$)" "$PING"
	other=$(grep '^0x' "$SCRATCH/alone.out" | grep -v -F '(tc)')
	if [ -z "$other" ] && [ "$PWRU_STATUS" = 0 ]; then
		ok "only the program's events, no kernel function's; exit 0 on SIGINT"
	else
		not_ok "only the program's events, no kernel function's; exit 0 on SIGINT" \
			"exit $PWRU_STATUS" "$(echo "$other" | head -n 5)"
	fi
}
programs_alone

if ! pwru_start tc --filter-trace-tc --output-cilium \
	--filter-func 'icmp_rcv|kfree_skb_reason|sk_skb_reason_drop|kfree_skb' 'icmp or udp'; then
	not_ok "pwru --filter-trace-tc attached" "$(head -n 20 "$SCRATCH/tc.err")"
	exit 0
fi
check "stderr counts the tc program traced at start" grep -q 'tracing 1 tc and 0 XDP programs' "$SCRATCH/tc.err"
# Runs tracing no tc/XDP program create this map with one entry (10-veth-ping.sh).
entries=$(map_entries prog_shown)
if [ "$entries" = 4096 ]; then
	ok "the map pairing a program's entry and exit holds 4096 packets"
else
	not_ok "the map pairing a program's entry and exit holds 4096 packets" "max_entries '$entries'"
fi
$IP netns exec a ping -c 1 -W 2 10.0.1.2 >/dev/null 2>&1
udp_to_b 4242

# A program loaded while tracing is picked up; one removed is let go.
$INB $TC filter add dev vb ingress pref 1 bpf da obj $OBJ/tc_redirect.bpf.o sec tc
if wait_text "$SCRATCH/tc.err" "test_tc_redirect_to_loopback(tc), program"; then
	ok "a tc program loaded after start is traced: $(grep -F 'test_tc_redirect_to_loopback(tc)' "$SCRATCH/tc.err" | head -n 1)"
else
	not_ok "a tc program loaded after start is traced" "$(cat "$SCRATCH/tc.err")"
fi
# the echo request goes to lo, no reply: not waited out
ping_dropped "$SCRATCH/tc.out" ' test_tc_redirect_to_loopback\(tc\) TC_ACT_REDIRECT ' 1 -c 1 -W 1 10.0.1.2
cil_id=$($BPFTOOL prog show | awk '/name test_cilium_like_identity/ { sub(":", "", $1); print $1 }')
$INB $TC filter del dev vb ingress pref 10
if wait_text "$SCRATCH/tc.err" "$CIL(tc), program $cil_id, is gone: detached"; then
	ok "a program removed from tc is let go: $CIL(tc), program $cil_id, is gone: detached"
else
	not_ok "a program removed from tc is let go" "$(cat "$SCRATCH/tc.err")"
fi
# freed once an RCU grace period has passed: up to 10 s
for i in $(seq 100); do
	$BPFTOOL prog show id "$cil_id" >/dev/null 2>&1 || break
	sleep 0.1
done
if $BPFTOOL prog show id "$cil_id" >/dev/null 2>&1; then
	not_ok "and the kernel frees it (pwru holds nothing of it)" "$($BPFTOOL prog show id "$cil_id")"
else
	ok "and the kernel frees it (pwru holds nothing of it)"
fi
$INB $TC filter del dev vb ingress pref 1

# the last events the checks need: the redirected ping's
wait_lines "$SCRATCH/tc.out" ' test_tc_redirect_to_loopback\(tc\) TC_ACT_REDIRECT '
pwru_stop
[ "$PWRU_STATUS" = 0 ] && ok "pwru exits 0 on SIGINT" || not_ok "pwru exits 0 on SIGINT" "status $PWRU_STATUS"

expect_line "entry: the program's full name, not the kernel's 15 characters" "$SCRATCH/tc.out" " $CIL\(tc\)$" "$PING"
expect_line "exit: TC_ACT_OK, and the identity the program set, decoded" "$SCRATCH/tc.out" \
	" $CIL\(tc\) TC_ACT_OK mark=IDENTITY,identity=6\(remote-node\)$" "$PING"
expect_line "icmp_rcv in b shows the mark as Cilium's identity 6" "$SCRATCH/tc.out" \
	" 60f00 .* icmp_rcv mark=IDENTITY,identity=6\(remote-node\)$" "$PING"
line=$(grep -F '10.0.1.2:0->10.0.1.1:0(icmp) icmp_rcv' "$SCRATCH/tc.out" | head -n 1)
case $line in
*"(icmp) icmp_rcv") ok "the reply in a, unmarked, has nothing added" ;;
*) not_ok "the reply in a, unmarked, has nothing added" "line: $line" ;;
esac
expect_line "the UDP drop: TC_ACT_SHOT with Cilium's reason and source line from cb" "$SCRATCH/tc.out" \
	" $CIL\(tc\) TC_ACT_SHOT DROP_NO_SERVICE \(158\) bpf_host.c:4242 mark=" ':4242(udp)'
expect_line "and its drop notification, where the program hands it to the kernel" "$SCRATCH/tc.out" \
	" bpf_skb_event_output DROP_NO_SERVICE \(158\) bpf_host.c:4242 mark=" ':4242(udp)'
expect_line "the cb column shows the five words raw" "$SCRATCH/tc.out" \
	'\[0x00000006,0x00000002,0x0000009E,0x00000000,0x10920102\]' ':4242(udp)'
expect_line "the kernel frees it after the tc verdict" "$SCRATCH/tc.out" \
	' (kfree_skb_reason|sk_skb_reason_drop)\(SKB_DROP_REASON_TC_INGRESS\)|kfree_skb( |$)' ':4242(udp)'
expect_line "a redirect names its target: TC_ACT_REDIRECT -> ifindex 1 ingress" "$SCRATCH/tc.out" \
	' test_tc_redirect_to_loopback\(tc\) TC_ACT_REDIRECT -> ifindex 1 ingress$' "$PING"
check_nothing_attached

# XDP, generic then veth native, loaded while tracing: the echo request dropped, in JSON;
# each event's caller the kernel function that ran the program: from its stack where the
# kernel's unwinder gets past the program (7.x, arm64), else from the trampoline's frame
# (x86 5.10-6.12), never a BPF program. Inlining differs: 5.10's veth runs it in veth_poll.
# arm64's stack names the kernel's XDP dispatcher (docs/usage.md).
xdp_caller_re() {
	case $(uname -m):$1 in
	aarch64:*) echo '^bpf_dispatcher_xdp_func$' ;;
	*:xdpgeneric) echo '^(bpf_prog_run_generic_xdp|netif_receive_generic_xdp)$' ;;
	*) echo '^(veth_xdp_rcv_skb|veth_xdp_rcv|veth_poll)$' ;;
	esac
}
if pwru_start xdp --filter-trace-xdp --output-json --output-caller --filter-func icmp_rcv icmp; then
	for mode in xdpgeneric xdpdrv; do
		$IP -n b link set dev vb $mode obj $OBJ/xdp_drop.bpf.o sec xdp
		# The id attached to vb, not a name lookup: the previous mode's program can
		# still be listed while the kernel frees it.
		id=$($IP -n b link show dev vb | awk '$1 == "prog/xdp" && $2 == "id" { print $3 }')
		wait_text "$SCRATCH/xdp.err" "test_xdp_drop_echo_request(xdp), program $id," ||
			diag "$mode: stderr never said it traces program $id"
		ping_dropped "$SCRATCH/xdp.out" '"verdict":"XDP_DROP"' 1 -c 1 -W 1 10.0.1.2 ||
			diag "$mode: no XDP_DROP event came for the ping"
		$IP -n b link set dev vb $mode off
		echo "$mode $id" >>"$SCRATCH/xdp.ids"
	done
	wait_lines "$SCRATCH/xdp.out" '"verdict":"XDP_DROP"' 2
	pwru_stop
	while read -r mode id; do
		diag "$mode: callers $(jq -r --arg addr "$(printf 0x%x "$id")" 'select(.type == "event" and .func_addr == $addr) | if (.caller_func // "") == "" then "none" else .caller_func end' "$SCRATCH/xdp.out" | sort -u | tr '\n' ' ')"
		check "$mode: the echo request at XDP program $id: NAME(xdp), then XDP_DROP, callers $(xdp_caller_re $mode) (JSON)" \
			jq -e -s --arg addr "$(printf 0x%x "$id")" --arg caller "$(xdp_caller_re $mode)" '[.[] | select(.type == "event" and .func_addr == $addr)] as $e |
				($e | map(.func) | index("test_xdp_drop_echo_request(xdp)")) != null and
				($e | all((.caller_func // "") | test($caller))) and
				($e | map(select(.verdict == "XDP_DROP" and .retval == 1 and
					.func == "test_xdp_drop_echo_request(xdp) XDP_DROP" and
					.tuple.saddr == "10.0.1.1" and .tuple.proto == 1)) | length) >= 1' \
			"$SCRATCH/xdp.out"
	done <"$SCRATCH/xdp.ids"
else
	not_ok "pwru --filter-trace-xdp attached" "$(head -n 20 "$SCRATCH/xdp.err")"
fi

# --filter-xdp-expr on vb's xdp_buff (generic XDP): one that holds shows the program's
# events with --output-xdp-metadata's values (vb's ifindex, as ip -o link has it; rx queue
# 0); one that does not shows none, while a's ip_output still shows both pings.
xdp_expr() {
	local name=$1 expr=$2
	if pwru_start "$name" --filter-trace-xdp --filter-xdp-expr "$expr" \
		--output-xdp-metadata 'xdp->rxq->dev->ifindex, xdp->rxq->queue_index' \
		--filter-func ip_output icmp; then
		# the second ping leaves a after vb's program saw the first (one CPU); both are
		# dropped, so not waited out
		ping_dropped "$SCRATCH/$name.out" "$PING_RE .*ip_output\$" 2 -c 2 -i 0.2 -W 1 10.0.1.2
		pwru_stop
	else
		not_ok "pwru --filter-xdp-expr '$expr' attached" "$(head -n 20 "$SCRATCH/$name.err")"
	fi
}
$IP -n b link set dev vb xdpgeneric obj $OBJ/xdp_drop.bpf.o sec xdp
VB=$($IP -n b -o link show dev vb | awk -F': ' '{ print $1 }')
xdp_expr xdpyes "xdp->rxq->dev->ifindex == $VB && xdp->rxq->queue_index == 0"
expect_line "--filter-xdp-expr that holds: NAME(xdp) with --output-xdp-metadata's values" \
	"$SCRATCH/xdpyes.out" \
	" test_xdp_drop_echo_request\(xdp\) xdp->rxq->dev->ifindex=$VB xdp->rxq->queue_index=0$" "$PING"
expect_line "and the exit: XDP_DROP, the same values" "$SCRATCH/xdpyes.out" \
	" test_xdp_drop_echo_request\(xdp\) XDP_DROP xdp->rxq->dev->ifindex=$VB xdp->rxq->queue_index=0$" "$PING"
expect_line "skb events carry no XDP values" "$SCRATCH/xdpyes.out" ' ip_output$' "$PING"
xdp_expr xdpno "xdp->rxq->dev->ifindex != $VB"
if grep -q '(xdp)' "$SCRATCH/xdpno.out" || ! has_events "$SCRATCH/xdpno.out" ip_output "$PING" 2; then
	not_ok "--filter-xdp-expr that does not hold: no XDP event, the ip_output ones still"
	show "pwru stdout" "$SCRATCH/xdpno.out"
else
	ok "--filter-xdp-expr that does not hold: no XDP event, the ip_output ones still"
fi
$IP -n b link set dev vb xdpgeneric off

# The pcap filter applies to programs as to functions: 'udp' leaves the ping out.
$INB $TC filter add dev vb ingress pref 10 bpf da obj $OBJ/cilium_like.bpf.o sec tc
if pwru_start filt --filter-trace-tc --filter-func icmp_rcv udp; then
	$IP netns exec a ping -c 1 -W 2 10.0.1.2 >/dev/null 2>&1
	udp_to_b 4242
	wait_lines "$SCRATCH/filt.out" " $CIL\(tc\) TC_ACT_SHOT"
	pwru_stop
	if grep -q '(icmp)' "$SCRATCH/filt.out" || ! grep -q "$CIL(tc) TC_ACT_SHOT" "$SCRATCH/filt.out"; then
		not_ok "pcap-filter 'udp': the program's UDP events, none of the ping's"
		show "pwru stdout" "$SCRATCH/filt.out"
	else
		ok "pcap-filter 'udp': the program's UDP events, none of the ping's"
	fi
else
	not_ok "pwru --filter-trace-tc udp attached" "$(head -n 20 "$SCRATCH/filt.err")"
fi
mark_json

check_nothing_attached
