#!/bin/bash
# make demo: trace a ping between two scratch network namespaces joined by veth.
#
# The same script runs on a host and inside the test VM. Where the running
# kernel has no kprobes (as on a locked-down development kernel) it first
# traces the ping with what that kernel allows (pwru picks its skb
# tracepoints by itself), then offers the Debian 6.12 VM for the whole list of
# kernel functions: it asks on a terminal, PWRU_DEMO_VM=1 says yes,
# PWRU_DEMO_VM=0 no.
set -u
cd "$(dirname "$0")/.." || exit 1

FUNCS=${PWRU_DEMO_FUNCS:-'ip_output|ip_finish_output2|__dev_queue_xmit|veth_xmit|__netif_receive_skb|ip_rcv|ip_local_deliver|icmp_rcv|consume_skb'}
IP=/bin/ip
[ -x $IP ] || IP=$(command -v ip)

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root (network namespaces and BPF); run it as root" >&2
	exit 1
fi
if [ ! -x ./pwru ]; then
	echo "demo: ./pwru is not built; run 'make' first" >&2
	exit 1
fi
kprobes=1
[ -e /sys/bus/event_source/devices/kprobe ] || kprobes=
if [ -z "$kprobes" ] && [ -n "${PWRU_DEMO_IN_VM:-}" ]; then
	echo "demo: the VM kernel $(uname -r) has no kprobes either" >&2
	exit 1
fi

# Once the local trace is shown: the VM, if the person wants it.
offer_vm() {
	local answer=${PWRU_DEMO_VM:-}
	echo
	echo "demo: this kernel ($(uname -r)) has no kprobes: the trace above is its skb tracepoints."
	echo "demo: every kernel function on the path is traced in the Debian 6.12 VM (tests/vm/run 6.12)."
	if [ -z "$answer" ] && [ -t 0 ]; then
		read -r -p "demo: run it there now? [y/N] " answer
	fi
	case $answer in
	y | Y | yes | 1) exec tests/vm/run 6.12 -- env PWRU_DEMO_IN_VM=1 tests/demo.sh ;;
	*) echo "demo: to run it later: PWRU_DEMO_VM=1 make demo" ;;
	esac
}

a=pwru-demo-a b=pwru-demo-b
scratch=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null && wait "$pid"
	$IP netns del "$a" 2>/dev/null
	$IP netns del "$b" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

$IP netns add $a && $IP netns add $b &&
	$IP link add veth-demo netns $a type veth peer name veth-demo netns $b &&
	$IP -n $a addr add 10.0.1.1/24 dev veth-demo &&
	$IP -n $b addr add 10.0.1.2/24 dev veth-demo &&
	$IP -n $a link set veth-demo up && $IP -n $b link set veth-demo up ||
	{
		echo "demo: could not set up the namespaces $a and $b" >&2
		exit 1
	}

args=(--filter-func "$FUNCS" icmp)
[ -n "$kprobes" ] || args=('icmp and host 10.0.1.2')
echo "demo: $a (10.0.1.1) <-veth-> $b (10.0.1.2) on $(uname -r); tracing: pwru ${args[*]}"
# Job control gives pwru the default SIGINT disposition, as in a terminal.
set -m
./pwru --ready-file "$scratch/ready" "${args[@]}" &
pid=$!
set +m
for _ in $(seq 600); do
	[ -e "$scratch/ready" ] && break
	kill -0 "$pid" 2>/dev/null || {
		wait "$pid"
		pid=
		echo "demo: pwru stopped before attaching (see its message above)" >&2
		exit 1
	}
	sleep 0.1
done
$IP netns exec $a ping -c 2 10.0.1.2 >"$scratch/ping" 2>&1 ||
	cat "$scratch/ping"
sleep 1
kill -INT "$pid"
wait "$pid"
status=$?
pid=
if [ -z "$kprobes" ] && [ $status = 0 ]; then
	cleanup
	trap - EXIT
	offer_vm
fi
exit $status
