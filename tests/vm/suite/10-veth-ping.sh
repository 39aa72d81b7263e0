# A ping between two namespaces joined by veth, traced at the three functions
# every such packet crosses: the sender's veth_xmit, the receiver's ip_rcv and
# icmp_rcv. Checks what a user would: the header, the tuple at each function,
# the backend this kernel should get, a prompt clean exit on Ctrl-C, and that
# nothing stays attached.
. tests/vm/suite/lib.sh

FUNCS='ip_rcv|icmp_rcv|veth_xmit'
TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

check "two netns joined by veth" netns_pair

if pwru_start trace --filter-func "$FUNCS"; then
	ok "pwru --filter-func '$FUNCS' attached and touched its ready file"
else
	not_ok "pwru --filter-func '$FUNCS' attached and touched its ready file" \
		"pwru exited ${PWRU_STATUS:-?} before it was ready" "$(head -n 20 "$SCRATCH/trace.err")"
	exit 0
fi

# The after-exit check below is only worth something if it sees pwru's
# programs while they are attached.
attached_now=$(leftovers)
if [ -n "$attached_now" ]; then
	ok "while tracing, bpftool sees our programs ($(echo "$attached_now" | grep -c .) entries)"
else
	not_ok "while tracing, bpftool sees our programs" "$($BPFTOOL prog show)" "$($BPFTOOL link show)"
fi

# No tc or XDP program traced: the map pairing their entries and exits is not sized for
# them (a start creates it; 4,096 preallocated entries were 1.3-1.7 ms of it on 6.12).
entries=$(map_entries prog_shown)
if [ "$entries" = 1 ]; then
	ok "no tc/XDP program traced: their map holds one entry"
else
	not_ok "no tc/XDP program traced: their map holds one entry" "max_entries '$entries'"
fi

check "ping 10.0.1.1 -> 10.0.1.2 while tracing" \
	$IP netns exec a ping -c 3 -i 0.2 -W 3 10.0.1.2
# Events of the last reply may still be on their way: up to its icmp_rcv in a.
wait_events "$SCRATCH/trace.out" icmp_rcv '10.0.1.2:0->10.0.1.1:0(icmp)' 3
pwru_stop

if head -n 1 "$SCRATCH/trace.out" | grep -q '^SKB                CPU PROCESS'; then
	ok "stdout starts with the header line"
else
	not_ok "stdout starts with the header line" "$(head -n 3 "$SCRATCH/trace.out")"
fi

for fn in ip_rcv icmp_rcv veth_xmit; do
	at_least "$fn lines carry the ping's tuple $TUPLE" \
		"$(event_lines "$SCRATCH/trace.out" "$fn" "$TUPLE" | wc -l)" 1 "$SCRATCH/trace.out"
done

others=$(awk '/^0x/ && $NF !~ /^(ip_rcv|icmp_rcv|veth_xmit)$/ { print $NF }' "$SCRATCH/trace.out" | sort -u)
if [ -z "$others" ]; then
	ok "only the three filtered functions appear"
else
	not_ok "only the three filtered functions appear" "also seen: $(echo "$others" | tr "\n" " ")"
fi

attached=$(sed -n 's/^pwru: attached \([0-9]*\) functions\{0,1\}.*/\1/p' "$SCRATCH/trace.err")
if [ "$attached" = 3 ]; then
	ok "stderr says 3 functions attached"
else
	not_ok "stderr says 3 functions attached" "$(grep 'attached' "$SCRATCH/trace.err" || echo 'no "pwru: attached" line')"
fi

case ${PWRU_VM_EXPECT_BACKEND:-} in
kprobe-multi)
	if grep -q '^pwru: backend kprobe-multi' "$SCRATCH/trace.err"; then
		ok "backend is kprobe-multi"
	else
		not_ok "backend is kprobe-multi" "$(grep -E 'backend|kprobe' "$SCRATCH/trace.err" || cat "$SCRATCH/trace.err")"
	fi
	;;
kprobe)
	if grep -q '^pwru: kprobe-multi unavailable (.*); falling back to kprobe' "$SCRATCH/trace.err" &&
		grep -qx 'pwru: backend kprobe' "$SCRATCH/trace.err"; then
		ok "kprobe-multi unavailable, falls back to kprobe: $(grep -m1 'unavailable' "$SCRATCH/trace.err")"
	else
		not_ok "kprobe-multi unavailable, falls back to kprobe" \
			"$(grep -E 'backend|kprobe' "$SCRATCH/trace.err" || cat "$SCRATCH/trace.err")"
	fi
	;;
*)
	diag "no expected backend given; pwru said: $(grep -m1 '^pwru: backend' "$SCRATCH/trace.err")"
	;;
esac

if [ "$PWRU_STATUS" -eq 0 ] && [ "$PWRU_STOP_MS" -le 3000 ]; then
	ok "exits 0 on SIGINT within 3 s (${PWRU_STOP_MS} ms)"
else
	not_ok "exits 0 on SIGINT within 3 s" "status $PWRU_STATUS after ${PWRU_STOP_MS} ms"
	show "pwru stderr" "$SCRATCH/trace.err"
fi

check_nothing_attached
