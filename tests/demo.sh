#!/bin/bash
# make demo: trace a ping between two scratch network namespaces joined by veth.
#
# The same script runs on a host and inside the test VM: where the running
# kernel has no kprobes (as on a locked-down development kernel) it boots the
# Debian 6.12 VM and runs itself there.
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
if [ ! -e /sys/bus/event_source/devices/kprobe ]; then
	if [ -n "${PWRU_DEMO_IN_VM:-}" ]; then
		echo "demo: the VM kernel $(uname -r) has no kprobes either" >&2
		exit 1
	fi
	echo "demo: this kernel ($(uname -r)) has no kprobes; running the same demo in the Debian 6.12 VM (tests/vm/run 6.12)"
	exec tests/vm/run 6.12 -- env PWRU_DEMO_IN_VM=1 tests/demo.sh
fi

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

echo "demo: $a (10.0.1.1) <-veth-> $b (10.0.1.2) on $(uname -r); tracing: pwru --filter-func '$FUNCS' icmp"
# Job control gives pwru the default SIGINT disposition, as in a terminal.
set -m
./pwru --ready-file "$scratch/ready" --filter-func "$FUNCS" icmp &
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
exit $status
