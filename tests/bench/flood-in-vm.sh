# Run inside the VM by tests/bench/flood-vm: the same TCP flood traced by the old and the
# new pwru in turn (old, new, old, new), each for SECONDS after it is attached, events to a
# file. Prints one line per run: "RESULT binary events lost seconds".
. tests/vm/suite/lib.sh
SECONDS_EACH=${SECONDS_EACH:-8}
FUNCS='(ip|tcp|__dev|dev|netif|__netif|veth|skb|__skb)_.*'

netns_pair || exit 1
tcp_flood_start

for bin in pwru-old pwru pwru-old pwru; do
	PWRU=$bin
	if ! pwru_start run --filter-func "$FUNCS" tcp; then
		echo "# $bin did not attach: $(head -n 3 "$SCRATCH/run.err")"
		continue
	fi
	sleep "$SECONDS_EACH"
	kill -INT "$PWRU_PID"
	i=0
	while kill -0 "$PWRU_PID" 2>/dev/null && [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	wait "$PWRU_PID"
	PWRU_PID=
	set -- $(sed -n 's/^pwru: \([0-9]*\) events\{0,1\}, \([0-9]*\) lost$/\1 \2/p' "$SCRATCH/run.err")
	echo "RESULT $bin ${1:-0} ${2:-0} $SECONDS_EACH"
done
tcp_flood_stop
