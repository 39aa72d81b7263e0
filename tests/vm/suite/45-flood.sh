# Ctrl-C under a flood: with a TCP stream crossing the veth and many functions
# probed, events arrive faster than pwru prints them. libbpf's ring buffer
# reader keeps consuming while producers keep producing, so pwru must notice
# SIGINT from inside its event callback, not only between polls.
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair
tcp_flood_start

if pwru_start flood --filter-func '(ip|tcp|__dev|dev|netif|__netif|veth|skb|__skb|nf)_.*' tcp; then
	# the flood under way: 20000 events written (tens of thousands a second; in blocks,
	# stdout is a file here), up to 10 s; the count that ended the wait is the one said (on
	# 5.10 one more count of the growing file took 5 s beside the flood)
	t0=$(now_ms)
	for _ in $(seq 100); do
		n=$(grep -c '^0x' "$SCRATCH/flood.out")
		[ "$n" -lt 20000 ] || break
		sleep 0.1
	done
	flood_ms=$(($(now_ms) - t0))
	# The event loop must stop at once; removing legacy kprobes afterwards takes
	# the kernel a while (one RCU grace period each), so the exit may trail.
	t0=$(now_ms)
	kill -INT "$PWRU_PID"
	wait_until grep -q '^pwru: [0-9]* events\{0,1\}, [0-9]* lost' "$SCRATCH/flood.err"
	stopped_ms=$(($(now_ms) - t0))
	pwru_wait_end 120 "$t0"
	status=$PWRU_STATUS
	exit_ms=$PWRU_STOP_MS
	if [ "$n" -gt 100 ] && [ "$stopped_ms" -lt 5000 ]; then
		ok "SIGINT under a flood ($n events in ${flood_ms} ms): the event loop stops in ${stopped_ms} ms"
	else
		not_ok "SIGINT under a flood: the event loop stops within 5 s" \
			"$n events before the signal; summary line after ${stopped_ms} ms"
		show "pwru stderr" "$SCRATCH/flood.err"
	fi
	if [ "$status" -eq 0 ]; then
		ok "and pwru exits 0 once detached (${exit_ms} ms)"
	else
		not_ok "and pwru exits 0 once detached" "status $status after ${exit_ms} ms"
	fi
else
	not_ok "pwru attached for the flood" "$(head -n 20 "$SCRATCH/flood.err")"
fi
tcp_flood_stop
check_nothing_attached "after the flood"
