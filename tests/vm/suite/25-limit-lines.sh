# --output-limit-lines N: pwru stops by itself after N events, with status 0,
# having printed the header and exactly N event lines, and detaches.
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair
$IP netns exec a ping -i 0.2 -W 1 10.0.1.2 >/dev/null 2>&1 &
PING_PID=$!

timeout 120 "$PWRU" --filter-func 'ip_rcv|icmp_rcv' --output-limit-lines 3 \
	>"$SCRATCH/limit.out" 2>"$SCRATCH/limit.err" </dev/null
status=$?
events=$(grep -c '^0x' "$SCRATCH/limit.out")
if [ $status -eq 0 ] && [ "$events" -eq 3 ]; then
	ok "--output-limit-lines 3 exits 0 by itself after 3 event lines"
else
	not_ok "--output-limit-lines 3 exits 0 by itself after 3 event lines" \
		"exit status $status (124: still running after 120 s), $events event lines"
	show "pwru stdout" "$SCRATCH/limit.out"
	show "pwru stderr" "$SCRATCH/limit.err"
fi
if head -n 1 "$SCRATCH/limit.out" | grep -q '^SKB                CPU PROCESS'; then
	ok "the header comes first"
else
	not_ok "the header comes first" "$(head -n 2 "$SCRATCH/limit.out")"
fi
check_nothing_attached
