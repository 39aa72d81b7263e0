# Cilium's own bpf_lxc datapath (../shared/cilium: compiled from Cilium's source, loaded by
# lxc-drop.sh the way Cilium attaches it to a pod's veth) denies the pod's egress: its
# policy map is empty. What pwru --filter-trace-tc shows for a denied ping and a denied UDP
# datagram: Cilium's programs by name, TC_ACT_SHOT with Cilium's reason and source line
# (DROP_POLICY (133) bpf_lxc.c:1362, from skb->cb), the drop notification Cilium sends,
# and the kernel's drop reason. The drop itself happens in the tail call
# tail_handle_ipv4_cont, which a trampoline does not see (docs/usage.md).
. tests/vm/suite/lib.sh

CILIUM=../shared/cilium
PING='10.0.1.1:0->10.0.1.2:0(icmp)'
DROP='DROP_POLICY \(133\) bpf_lxc.c:1362'

cleanup_cilium() {
	rm -rf /sys/fs/bpf/cilium_progs /sys/fs/bpf/test_cilium_* /sys/fs/bpf/cilium_call_policy \
		/sys/fs/bpf/cilium_egresscall_policy /sys/fs/bpf/CT_TAIL_CALL_BUFFER4 \
		/sys/fs/bpf/NODE_MAP /sys/fs/bpf/*rodata* 2>/dev/null
}
trap 'cleanup_cilium; cleanup' EXIT

# policy_drops: the packets Cilium's policy dropped on their way out of the pod so far, as
# its metrics map counts them, every CPU's: the raw bytes of bpftool's JSON, as Cilium's
# struct metrics_key (reason, then dir in the low 2 bits) and metrics_value (count, u64) lay
# them out: reason 133 DROP_POLICY, direction 2 egress.
policy_drops() {
	$BPFTOOL -j map dump pinned /sys/fs/bpf/test_cilium_metrics | jq '
		def num: ltrimstr("0x") | ascii_downcase | explode |
			reduce .[] as $c (0; . * 16 + $c - (if $c >= 97 then 87 else 48 end));
		[.[] | select((.key[0] | num) == 133 and (.key[1] | num) % 4 == 2) | .values[].value |
			. as $v | reduce range(0; 8) as $i (0; . + ($v[$i] | num) * pow(256; $i))] | add // 0'
}

if ! kernel_runs_fexit; then
	ok "Cilium's bpf_lxc traced # SKIP $(uname -m) $(uname -r) runs no trampolines (80-tc-programs checks the refusal)"
	exit 0
fi
if [ ! -f "$CILIUM/bpf_lxc.o" ]; then
	not_ok "the VM carries $CILIUM (bpf_lxc.o, lxc-drop.sh)"
	exit 0
fi
# lxc-drop.sh turns BPF run statistics on for its own listing (run_cnt) and leaves them on:
# set back for what runs after, as every BPF program's run costs two clock reads with them.
STATS=/proc/sys/kernel/bpf_stats_enabled
stats_were=$(cat "$STATS")
KEEP=1 bash "$CILIUM/lxc-drop.sh" >"$SCRATCH/lxc.log" 2>&1
st=$?
echo "$stats_were" >"$STATS"
check "BPF run statistics are as they were before lxc-drop.sh ($stats_were)" grep -qx "$stats_were" "$STATS"
if [ $st = 0 ]; then
	ok "Cilium's bpf_lxc on vb's tc ingress denies a's ping (lxc-drop.sh: its metrics count DROP_POLICY)"
else
	not_ok "Cilium's bpf_lxc on vb's tc ingress denies a's ping" "$(tail -n 30 "$SCRATCH/lxc.log")"
	exit 0
fi

if ! pwru_start lxc --filter-trace-tc --filter-func 'kfree_skb_reason|sk_skb_reason_drop|kfree_skb' \
	'icmp or udp'; then
	not_ok "pwru --filter-trace-tc attached" "$(head -n 20 "$SCRATCH/lxc.err")"
	exit 0
fi
n=$($BPFTOOL prog show | grep -c 'sched_cls')
if [ "$n" -ge 1 ] && grep -q "tracing $n tc and 0 XDP programs" "$SCRATCH/lxc.err"; then
	ok "every one of Cilium's $n tc programs is traced, tail calls included"
else
	not_ok "every one of Cilium's tc programs ($n) is traced, tail calls included" "$(cat "$SCRATCH/lxc.err")"
fi
# Denied by Cilium's policy, not lost to anything else: Cilium's own count of it went up.
before=$(policy_drops)
$IP netns exec a ping -c 1 -W 1 10.0.1.2 >"$SCRATCH/ping" 2>&1
st=$?
after=$(policy_drops)
if [ $st = 1 ] && [ -n "$before" ] && [ "$((after - before))" -ge 1 ]; then
	ok "the ping is denied: Cilium's metrics count it as DROP_POLICY, egress ($before -> $after)"
else
	not_ok "the ping is denied: Cilium's metrics count it as DROP_POLICY, egress" \
		"ping exit $st, DROP_POLICY egress count: ${before:-none} -> ${after:-none}" "$(cat "$SCRATCH/ping")"
fi
$IP netns exec a bash -c 'echo x >/dev/udp/10.0.1.2/5353'
# the last event the checks need: the kernel's drop of the datagram
wait_lines "$SCRATCH/lxc.out" '5353\(udp\) .*(kfree_skb_reason|sk_skb_reason_drop|kfree_skb)'
pwru_stop

for what in ping udp; do
	[ $what = ping ] && tuple=$PING || tuple='->10.0.1.2:5353(udp)'
	expect_line "$what: Cilium's cil_from_container, by its full name" "$SCRATCH/lxc.out" ' cil_from_container\(tc\)$' "$tuple"
	expect_line "$what: its exit: TC_ACT_SHOT $DROP" "$SCRATCH/lxc.out" " cil_from_container\(tc\) TC_ACT_SHOT $DROP$" "$tuple"
	expect_line "$what: Cilium's drop notification: bpf_skb_event_output $DROP" "$SCRATCH/lxc.out" \
		" bpf_skb_event_output $DROP$" "$tuple"
	expect_line "$what: the kernel frees it for the tc verdict (TC_INGRESS; kfree_skb on 5.10)" "$SCRATCH/lxc.out" \
		' ((kfree_skb_reason|sk_skb_reason_drop)\(SKB_DROP_REASON_TC_INGRESS\)|kfree_skb)$' "$tuple"
	# the order a reader follows: entry, notification, verdict, the kernel's drop
	order=$(grep -F -- "$tuple" "$SCRATCH/lxc.out" | awk '
		/ cil_from_container\(tc\)$/ { printf "entry " }
		/ bpf_skb_event_output / { printf "notification " }
		/ TC_ACT_SHOT / { printf "verdict " }
		/ (kfree_skb_reason|sk_skb_reason_drop|kfree_skb)/ { printf "kernel-drop " }')
	if [ "$order" = "entry notification verdict kernel-drop " ]; then
		ok "$what: in order: $order"
	else
		not_ok "$what: in order: entry notification verdict kernel-drop" "got: $order"
	fi
done
if grep -qE ' tail_[a-z0-9_]+\(tc\)' "$SCRATCH/lxc.out"; then
	diag "this kernel shows tail-called programs: $(grep -oE ' tail_[a-z0-9_]+\(tc\)' "$SCRATCH/lxc.out" | sort -u | tr '\n' ' ')"
fi

if pwru_start lxcjson --filter-trace-tc --output-json --output-caller \
	--filter-func 'kfree_skb_reason|sk_skb_reason_drop|kfree_skb' udp; then
	$IP netns exec a bash -c 'echo x >/dev/udp/10.0.1.2/5353'
	wait_lines "$SCRATCH/lxcjson.out" '"verdict":"TC_ACT_SHOT"'
	pwru_stop
	check "JSON: the verdict and Cilium's drop as keys of their own" \
		jq -e -s '[.[] | select(.type == "event" and .verdict == "TC_ACT_SHOT")] | length >= 1 and
			all(.func == "cil_from_container(tc) TC_ACT_SHOT DROP_POLICY (133) bpf_lxc.c:1362" and
			    .retval == 2 and .cilium_drop == "DROP_POLICY (133) bpf_lxc.c:1362" and
			    .cilium_drop_code == 133 and .cb == [1048575, 2, 133, 0, 89260546])' \
		"$SCRATCH/lxcjson.out"
	# from the stack under each: the kernel code that ran the program, and the program
	# that sent the notification, a tail call no trampoline sees
	check "JSON --output-caller: what ran cil_from_container, and the tail call __send_drop_notify" \
		jq -e -s '[.[] | select(.type == "event")] |
			([.[] | select(.func | startswith("cil_from_container(tc)"))] | length >= 2 and
			 all((.caller_func // "") | length > 0 and (test("^bpf_prog_[0-9a-f]{16}_") | not))) and
			([.[] | select(.func | startswith("bpf_skb_event_output"))] | length >= 1 and
			 all(.caller_func // "" | test("^bpf_prog_[0-9a-f]+___send_drop_notify$")))' \
		"$SCRATCH/lxcjson.out"
else
	not_ok "pwru --filter-trace-tc --output-json attached" "$(head -n 20 "$SCRATCH/lxcjson.err")"
fi
check_nothing_attached
