# Ctrl-C under a flood: with a TCP stream crossing the veth and many functions
# probed, events arrive faster than pwru prints them. libbpf's ring buffer
# reader keeps consuming while producers keep producing, so pwru must notice
# SIGINT from inside its event callback, not only between polls.
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair
mkdir -p "$SCRATCH/www"
dd if=/dev/zero of="$SCRATCH/www/big" bs=1M count=16 2>/dev/null
$IP netns exec b httpd -f -p 8080 -h "$SCRATCH/www" &
SINK_PID=$!
sleep 0.5
$IP netns exec a sh -c 'while :; do wget -q -O /dev/null http://10.0.1.2:8080/big; done' &
SOURCE_PID=$!

if pwru_start flood --filter-func '(ip|tcp|__dev|dev|netif|__netif|veth|skb|__skb|nf)_.*' tcp; then
	sleep 3
	n=$(grep -c '^0x' "$SCRATCH/flood.out")
	pwru_stop
	if [ "$n" -gt 100 ] && [ "$PWRU_STATUS" -eq 0 ] && [ "$PWRU_STOP_MS" -lt 5000 ]; then
		ok "SIGINT under a flood ($n events in 3 s): exits 0 in ${PWRU_STOP_MS} ms"
	else
		not_ok "SIGINT under a flood: exits 0 within 5 s" \
			"$n events before the signal, status $PWRU_STATUS after ${PWRU_STOP_MS} ms"
		show "pwru stderr" "$SCRATCH/flood.err"
	fi
else
	not_ok "pwru attached for the flood" "$(head -n 20 "$SCRATCH/flood.err")"
fi
kill "$SOURCE_PID" "$SINK_PID" 2>/dev/null
check_nothing_attached "after the flood"
