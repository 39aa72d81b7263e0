# Run inside the VM by tests/bench/nfhook-vm: what hooking nf_hook_slow's entry and return
# costs each way (tests/bench/nfhook_attach.c), in one boot: pwru's own load and attach with
# and without nf_hook_slow (its fentry/fexit pair), then, with an nft accept rule at output
# in a and at input in b (two nf_hook_slow calls per datagram), each way's attach and a UDP
# flood holding it against one holding nothing.
#	RESULT pwru WITH|WITHOUT ROUND LOAD_S ATTACH_S READY_AT
#	RESULT way WAY ROUND LOAD_S ATTACH1_S ATTACH2_S DETACH_S
#	RESULT flood WAY PPS
# With PWRU_NFHOOK_AB=1 (and /usr/local/bin/pwru-a, another build), instead of the ways: the
# same flood under each build tracing nf_hook_slow and ip_rcv with a filter nothing matches,
# three rounds, and each program's ns per run in the first:
#	RESULT pwruflood A|B ROUND PPS
. tests/vm/suite/lib.sh
. tests/bench/vm-lib.sh
TOOL=/usr/local/bin/nfhook_attach
WAYS=${PWRU_NFHOOK_WAYS:-pair fentry fexit kmulti kret session fsession}
export PWRU_READY_TIMEOUT=900

netns_pair || exit 1
echo "# kernel $(uname -r); $(pwru --version 2>&1 | head -n 1)"
phase() {
	sed -n 's/^pwru: debug: phases (s): //p' "$2" | tr ',;' '\n\n' |
		sed -n "s/^ *$1 \([0-9.]*\).*/\1/p"
}
# pwru first, before nf_tables is loaded (with it pwru hooks nft_do_chain's pair too)
pwru_start cold --backend kprobe-multi icmp && stop_pwru
for round in 1 2 3; do
	[ "${PWRU_NFHOOK_AB:-}" = 1 ] && break
	for v in WITH WITHOUT; do
		re='^(ip_rcv|nf_hook_slow)$'
		[ $v = WITHOUT ] && re='^ip_rcv$'
		pwru_start prime --backend kprobe-multi --filter-func "$re" icmp && stop_pwru
		pwru_start att --backend kprobe-multi --debug --filter-func "$re" icmp || continue
		stop_pwru
		[ "$round" = 1 ] && grep -i 'nf_hook_slow\|phases' "$SCRATCH/att.err" | sed 's/^/# /'
		echo "RESULT pwru $v $round $(phase load "$SCRATCH/att.err") $(phase attach "$SCRATCH/att.err") $(phase 'ready at' "$SCRATCH/att.err")"
	done
done
for ns in a b; do
	hook=input
	[ $ns = a ] && hook=output
	$IP netns exec $ns $NFT add table inet t &&
		$IP netns exec $ns $NFT add chain inet t c "{ type filter hook $hook priority 0; }" &&
		$IP netns exec $ns $NFT add rule inet t c udp dport 9000 accept || exit 1
done
if [ "${PWRU_NFHOOK_AB:-}" = 1 ]; then
	flood >/dev/null
	for round in 1 2 3; do
		echo "RESULT flood none $(flood)"
		for v in A B; do
			bin=pwru
			[ $v = A ] && bin=/usr/local/bin/pwru-a
			PWRU=$bin pwru_start nm --backend kprobe-multi \
				--filter-func '^(ip_rcv|nf_hook_slow)$' 'udp and port 9' || continue
			echo "RESULT pwruflood $v $round $(flood)"
			[ "$round" = 1 ] && prog_stats | sed "s/^# stats:/# $v stats:/"
			stop_pwru
		done
	done
	exit 0
fi
# the ways this kernel takes (fsession: 7.0+)
ways=
for w in $WAYS; do
	$TOOL "$w" >/dev/null && ways="$ways $w"
done
for round in 1 2 3; do
	for w in $ways; do
		echo "RESULT way $w $round $($TOOL "$w" | sed -n 's/^NFHOOK [a-z]* load \([0-9.]*\) attach \([0-9.]*\) \([0-9.]*\) detach \([0-9.]*\)/\1 \2 \3 \4/p')"
	done
done
# a flood now and then runs at about 60% (any way, none too): three rounds tell them apart
flood >/dev/null
for round in 1 2 3; do
	echo "RESULT flood none $(flood)"
	for w in $ways; do
		$TOOL --hold "$w" >"$SCRATCH/hold.out" 2>&1 &
		pid=$!
		wait_until grep -q READY "$SCRATCH/hold.out"
		echo "RESULT flood $w $(flood)"
		kill -TERM $pid
		wait $pid
	done
done
