# Run in the VM by tests/vm/k8s.t with the exact arguments a Kubernetes pod gives pwru:
# pwru ARGS... while a ping goes to the filter's address (10.0.1.7), then checks that
# stdout is JSON only, every object naming node NODE, with the ping's events. TAP lines
# without numbers, as the suite's scenarios print.
. tests/vm/suite/lib.sh
node=$1
shift
$IP netns add a && $IP netns add b &&
	$IP link add va netns a type veth peer name vb netns b &&
	$IP -n a addr add 10.0.1.1/24 dev va && $IP -n b addr add 10.0.1.7/24 dev vb &&
	$IP -n a link set va up && $IP -n b link set vb up || {
	not_ok "netns pair with 10.0.1.7"
	exit 0
}
trap 'netns_cleanup; rm -rf "$SCRATCH"' EXIT
if ! pwru_start pod "$@"; then
	not_ok "pwru $* started" "$(head -n 5 "$SCRATCH/pod.err")"
	exit 0
fi
$IP netns exec a ping -c 2 -i 0.3 -W 1 10.0.1.7 >/dev/null 2>&1
pwru_stop
out=$SCRATCH/pod.out
if jq -e . "$out" >/dev/null 2>&1 && [ -s "$out" ]; then
	ok "stdout is JSON objects only ($(wc -l <"$out") lines)"
else
	not_ok "stdout is JSON objects only" "$(head -n 5 "$out")"
fi
if jq -e --arg n "$node" -s 'all(.[]; .node == $n)' "$out" >/dev/null 2>&1; then
	ok "every object names the node '$node'"
else
	not_ok "every object names the node '$node'" "$(head -n 3 "$out")"
fi
n=$(jq -r 'select(.type == "event" and .tuple.daddr == "10.0.1.7") | .func' "$out" 2>/dev/null | sort -u | tr '\n' ' ')
case $n in
*icmp_rcv*) ok "the ping to 10.0.1.7 is traced: $n" ;;
*) not_ok "the ping to 10.0.1.7 is traced" "functions: $n" "$(head -n 3 "$out")" ;;
esac
