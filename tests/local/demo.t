#!/bin/bash
# The README's first command, `make deps demo`, past its set-up: tests/demo.sh on this
# machine's kernel, as a person runs it, saying no to the VM (PWRU_DEMO_VM=0). It must
# trace the ping both ways, lose nothing, exit 0 and leave no namespace or program behind.
# Where this kernel has no kprobes the trace is its skb tracepoints and the VM is offered.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

local_trace_start
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# The demo runs in the background so that the programs its pwru holds can be read while it
# traces: those, and only those, must be gone afterwards.
PWRU_DEMO_VM=0 timeout 120 tests/demo.sh >"$out" 2>&1 &
demo=$!
held=
while kill -0 "$demo" 2>/dev/null; do
	for sh in $(pgrep -P "$demo"); do
		for p in $(pgrep -x -P "$sh" pwru); do
			held=$(printf '%s\n' $held $(held_progs "$p") | sort -un)
		done
	done
	sleep 0.05
done
wait "$demo"
status=$?
check "make demo exits 0" '[ $status = 0 ]' "exit $status" "$(tail -n 20 "$out")"

# A line per kernel function or tracepoint the packet passes: the request and the reply.
lines() { grep -cF -- "$1" "$out"; }
req=$(lines '10.0.1.1:0->10.0.1.2:0(icmp)')
rep=$(lines '10.0.1.2:0->10.0.1.1:0(icmp)')
check "the echo request is traced at 4 or more places ($req lines)" '[ "$req" -ge 4 ]' "$(head -n 30 "$out")"
check "the echo reply is traced at 4 or more places ($rep lines)" '[ "$rep" -ge 4 ]'
if [ -e /sys/bus/event_source/devices/kprobe ]; then
	check "kernel functions by name: ip_rcv on the request" \
		'grep -F -- "10.0.1.1:0->10.0.1.2:0(icmp)" "$out" | grep -q " ip_rcv$"'
else
	check "no kprobes here: the skb tracepoints, tp:netif_receive_skb on the request" \
		'grep -F -- "10.0.1.1:0->10.0.1.2:0(icmp)" "$out" | grep -q " tp:netif_receive_skb$"'
	check "and the VM is offered for the rest, declined" \
		'grep -qF "demo: to run it later: PWRU_DEMO_VM=1 make demo" "$out"'
fi
check "pwru's last line: every event printed, none lost" \
	'grep -qE "^pwru: [1-9][0-9]* events?, 0 lost$" "$out"' "$(grep '^pwru:' "$out")"
check "the demo's namespaces are gone" '! ip netns list | grep -q pwru-demo'
left=$(left_after_exit $held)
check "no program of the demo's pwru is left ($(echo $held | wc -w) held while tracing)" \
	'[ -n "$held" ] && [ -z "$left" ]' "left: $left"
tap_finish
