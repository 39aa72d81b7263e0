# A flood through a deliberately small ring buffer (--ringbuf-size 8192): events are lost,
# (few functions, so that detaching legacy kprobes on 5.10/6.1 stays within pwru_stop's wait)
# and pwru says so while it happens (stderr, paced, and a {"type":"lost"} object in JSON), counts
# them at exit, and exits 0 on SIGINT. The JSON also carries --timestamp current.
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair
tcp_flood_start

if pwru_start small --ringbuf-size 8192 --output-json --timestamp current \
	--filter-func 'ip_rcv|ip_output|ip_finish_output2|tcp_v4_rcv|__dev_queue_xmit|veth_xmit|tcp_rcv_established' tcp; then
	# Said at once, then less and less often while the flood goes on (2 s, then 4 s after
	# that one ...): over the 3 s after the second line, no third (once a second gave five).
	said() { grep -c '^pwru: [0-9]* events lost so far' "$SCRATCH/small.err"; }
	wait_until has_lines "$SCRATCH/small.err" '^pwru: [0-9]* events lost so far' 2
	nap 3
	said_then=$(said)
	pwru_stop
	# the checks read tens of MB: not while the flood takes the VM's CPU time
	tcp_flood_stop
	lost=$(sed -n 's/^pwru: [0-9]* events\{0,1\}, \([0-9]*\) lost$/\1/p' "$SCRATCH/small.err")
	if grep -q '^pwru: [0-9]* events lost so far: the ring buffer was full' "$SCRATCH/small.err" &&
		[ "${lost:-0}" -gt 0 ]; then
		ok "losses reported while they happen and counted at exit ($lost lost)"
	else
		not_ok "losses reported while they happen and counted at exit" "$(tail -n 5 "$SCRATCH/small.err")"
	fi
	if [ "$said_then" = 2 ] && [ "$(said)" -le 3 ]; then
		ok "stderr: the running count said again 2 s after the first, then not for 4 s"
	else
		not_ok "stderr: the running count said again 2 s after the first, then not for 4 s" \
			"$said_then lines 3 s after the second: $(grep -c 'lost so far' "$SCRATCH/small.err") in all"
	fi
	# One pass of jq over the stream (slurping it took 4 to 9 s a check under TCG): the
	# last object, and the events with their time fields; no output if a line is no JSON.
	sum=$(jq -n -c 'reduce inputs as $o ({last: null, events: 0, untimed: 0};
		.last = $o | if $o.type == "event" then .events += 1 |
			.untimed += (if $o.time == $o.ts and $o.ts > 0 then 0 else 1 end) else . end)' \
		"$SCRATCH/small.out")
	# jq -e given no input at all exits 0: an empty $sum (no JSON read) must fail
	sum_is() { [ -n "$sum" ] && jq -e "$@" <<<"$sum"; }
	if grep -q '^{"type":"lost","lost":[1-9][0-9]*}$' "$SCRATCH/small.out" &&
		sum_is --argjson lost "${lost:-0}" '.last | .type == "end" and .lost == $lost and .lost_nested == 0' >/dev/null; then
		ok "JSON: loss objects in the stream, the end object's count matches stderr"
	else
		not_ok "JSON: loss objects in the stream, the end object's count matches stderr" \
			"$(grep -m2 '"lost"' "$SCRATCH/small.out")" "$(tail -c 300 "$SCRATCH/small.out")"
	fi
	check "JSON: --timestamp current puts the kernel's ns in time (the same as ts)" \
		sum_is '.events > 0 and .untimed == 0'
	if [ "$PWRU_STATUS" -eq 0 ]; then
		ok "exits 0 on SIGINT under the flood (${PWRU_STOP_MS} ms)"
	else
		not_ok "exits 0 on SIGINT under the flood" "status $PWRU_STATUS after ${PWRU_STOP_MS} ms"
	fi
else
	tcp_flood_stop
	not_ok "pwru attached with --ringbuf-size 8192" "$(head -n 20 "$SCRATCH/small.err")"
fi
check_nothing_attached "after the flood"
