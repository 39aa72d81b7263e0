# tcx programs (Linux 6.6+) under --filter-trace-tc: their results read TCX_NEXT, TCX_PASS,
# TCX_DROP. tests/bpf/tcx_verdicts.bpf.o's programs are attached through tcx links by
# build/tests/bpf/tcx-attach (the VM's iproute2 and bpftool cannot): test_tcx_next on a's
# va egress; test_tcx_next, test_tcx_drop (drops what goes to 10.0.1.3) and test_tcx_pass,
# in that order, on b's vb ingress.
. tests/vm/suite/lib.sh

OBJ=build/tests/bpf
PING='10.0.1.1:0->10.0.1.2:0(icmp)'
DROPPED='10.0.1.1:0->10.0.1.3:0(icmp)'
TOOL_PIDS=

# Decided from the kernel: its BTF names the tcx attach types from 6.6 on.
if ! grep -qa BPF_TCX_INGRESS /sys/kernel/btf/vmlinux; then
	ok "tcx programs traced # SKIP $(uname -r) has no tcx (Linux 6.6+: its BTF has no BPF_TCX_INGRESS)"
	exit 0
fi
# make builds one per architecture of the matrix (static: the VM has no libraries for it)
TOOL=$OBJ/tcx-attach
[ "$(uname -m)" = aarch64 ] && TOOL=$OBJ/tcx-attach.arm64
need_test_bpf tcx_verdicts.bpf.o "${TOOL#$OBJ/}"
if [ ! -x $TOOL ]; then
	not_ok "$TOOL is built (make test-vm builds it)"
	exit 0
fi

# tcx_attach NAME NETNS DEV ingress|egress PROG... : the links held in the background
# until stop_tools; waits up to 10 s for them.
tcx_attach() {
	local name=$1 ns=$2 pid i
	shift 2
	nsenter --net=/run/netns/"$ns" $TOOL "$SCRATCH/$name.ready" \
		$OBJ/tcx_verdicts.bpf.o "$@" 2>"$SCRATCH/$name.err" &
	pid=$!
	TOOL_PIDS="$TOOL_PIDS $pid"
	for i in $(seq 100); do
		[ -e "$SCRATCH/$name.ready" ] && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	cat "$SCRATCH/$name.err"
	return 1
}

stop_tools() {
	local pid
	for pid in $TOOL_PIDS; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	TOOL_PIDS=
}
trap 'stop_tools; cleanup' EXIT

check "two netns joined by veth" netns_pair
check "b also answers on 10.0.1.3" $IP -n b addr add 10.0.1.3/24 dev vb
check "tcx link on va egress: test_tcx_next" tcx_attach egress a va egress test_tcx_next
check "tcx links on vb ingress: test_tcx_next, test_tcx_drop, test_tcx_pass" \
	tcx_attach ingress b vb ingress test_tcx_next test_tcx_drop test_tcx_pass

if ! pwru_start tcx --filter-trace-tc \
	--filter-func 'icmp_rcv|kfree_skb_reason|sk_skb_reason_drop' icmp; then
	not_ok "pwru --filter-trace-tc attached" "$(head -n 20 "$SCRATCH/tcx.err")"
	exit 0
fi
check "stderr counts the four tcx programs" grep -q 'tracing 4 tc and 0 XDP programs' "$SCRATCH/tcx.err"
check "a ping to 10.0.1.2 passes the tcx chain" $IP netns exec a ping -c 1 -W 2 10.0.1.2
$IP netns exec a ping -c 1 -W 1 10.0.1.3 >/dev/null 2>&1
dropped_st=$?
pwru_stop
[ "$PWRU_STATUS" = 0 ] && ok "pwru exits 0 on SIGINT" || not_ok "pwru exits 0 on SIGINT" "status $PWRU_STATUS"

expect_line "the echo request enters test_tcx_pass: NAME(tc)" "$SCRATCH/tcx.out" ' test_tcx_pass\(tc\)$' "$PING"
expect_line "test_tcx_next returns TCX_NEXT" "$SCRATCH/tcx.out" ' test_tcx_next\(tc\) TCX_NEXT$' "$PING"
expect_line "test_tcx_drop lets the echo request to 10.0.1.2 go on: TCX_NEXT" "$SCRATCH/tcx.out" \
	' test_tcx_drop\(tc\) TCX_NEXT$' "$PING"
expect_line "test_tcx_pass ends the chain: TCX_PASS" "$SCRATCH/tcx.out" ' test_tcx_pass\(tc\) TCX_PASS$' "$PING"
expect_line "the echo request arrives in b: icmp_rcv" "$SCRATCH/tcx.out" ' icmp_rcv$' "$PING"
# no answer for any reason is not enough: the drop is where the scenario puts it
if [ $dropped_st = 1 ] && grep -F -- "$DROPPED" "$SCRATCH/tcx.out" | grep -qE ' test_tcx_drop\(tc\) TCX_DROP$'; then
	ok "a ping to 10.0.1.3 gets no answer: test_tcx_drop returned TCX_DROP for its request"
else
	not_ok "a ping to 10.0.1.3 gets no answer: test_tcx_drop returned TCX_DROP for its request" \
		"ping exit $dropped_st" "$(grep -F -- "$DROPPED" "$SCRATCH/tcx.out" | head -n 5)"
fi
expect_line "the kernel frees it after the tcx verdict" "$SCRATCH/tcx.out" \
	' (kfree_skb_reason|sk_skb_reason_drop)\(SKB_DROP_REASON_TC_INGRESS\)$' "$DROPPED"
if grep -F "$DROPPED" "$SCRATCH/tcx.out" | grep -qE ' (test_tcx_pass\(tc\)|icmp_rcv)'; then
	not_ok "after TCX_DROP neither test_tcx_pass nor icmp_rcv sees it"
	show "pwru stdout" "$SCRATCH/tcx.out" 40
else
	ok "after TCX_DROP neither test_tcx_pass nor icmp_rcv sees it"
fi
check_nothing_attached
stop_tools
