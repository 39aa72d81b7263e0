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

if ! kernel_runs_fexit; then
	ok "Cilium's bpf_lxc traced # SKIP $(uname -m) $(uname -r) runs no trampolines (80-tc-programs checks the refusal)"
	exit 0
fi
if [ ! -f "$CILIUM/bpf_lxc.o" ]; then
	not_ok "the VM carries $CILIUM (bpf_lxc.o, lxc-drop.sh)"
	exit 0
fi
if KEEP=1 bash "$CILIUM/lxc-drop.sh" >"$SCRATCH/lxc.log" 2>&1; then
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
check "every one of Cilium's $n tc programs is traced, tail calls included" \
	grep -q "tracing $n tc and 0 XDP programs" "$SCRATCH/lxc.err"
$IP netns exec a ping -c 1 -W 1 10.0.1.2 >"$SCRATCH/ping" 2>&1 &&
	not_ok "the ping is denied" "$(cat "$SCRATCH/ping")"
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

if pwru_start lxcjson --filter-trace-tc --output-json \
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
else
	not_ok "pwru --filter-trace-tc --output-json attached" "$(head -n 20 "$SCRATCH/lxcjson.err")"
fi
check_nothing_attached
