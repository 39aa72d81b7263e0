# Run inside the VM by tests/bench/ab-vm: two pwru builds in one boot, in alternating
# rounds: A (/usr/local/bin/pwru-a, e.g. main's) and B (the tree's pwru). Each round, for
# each build: a warm start on every skb function (PWRU_BENCH_FUNCS narrows) with its phases
# (--debug), then a UDP flood with a filter nothing matches; in the first round a second
# flood with kernel.bpf_stats_enabled gives each program's ns per run.
#	RESULT base UNTRACED_PPS FLOOR_PPS
#	RESULT ab A|B ROUND READY_AT LOAD_S ATTACH_S NOMATCH_PPS
#	RESULT abm A|B ROUND MATCH_PPS		(PWRU_AB_MATCH=1)
. tests/vm/suite/lib.sh
. tests/bench/vm-lib.sh

BACKEND=${PWRU_BENCH_BACKENDS:-kprobe-multi}
ff=()
[ -n "${PWRU_BENCH_FUNCS:-}" ] && ff=(--filter-func "$PWRU_BENCH_FUNCS")
export PWRU_READY_TIMEOUT=900

netns_pair || exit 1
# PWRU_AB_NFT=1: an nft table in the path (nft_in_b): both builds trace nft_do_chain.
if [ "${PWRU_AB_NFT:-0}" = 1 ]; then
	nft_in_b || exit 1
fi
echo "# kernel $(uname -r); A $(/usr/local/bin/pwru-a --version 2>&1 | head -n 1); B $(pwru --version 2>&1 | head -n 1)"
# The boot's first start keeps its copies (/run/pwru): every start below is warm.
targets=$SCRATCH/targets
if ! PWRU=/usr/local/bin/pwru-a PWRU_BENCH_TARGETS=$targets pwru_start cold --backend "$BACKEND" "${ff[@]}" icmp; then
	echo "# A did not start: $(head -n 3 "$SCRATCH/cold.err")"
	exit 1
fi
stop_pwru
# PWRU_AB_FLOODS=0: warm starts only (many rounds in one boot when only the start changed)
floods=${PWRU_AB_FLOODS:-1}
if [ "$floods" = 1 ]; then
	flood >/dev/null
	echo "RESULT base $(flood) $(floor_flood)"
fi

# phase NAME ERRFILE: the seconds of one phase in pwru's --debug phases line
phase() {
	sed -n 's/^pwru: debug: phases (s): //p' "$2" | tr ',;' '\n\n' |
		sed -n "s/^ *$1 \([0-9.]*\).*/\1/p"
}

for round in $(seq "${PWRU_AB_ROUNDS:-3}"); do
	for v in A B; do
		bin=pwru
		[ $v = A ] && bin=/usr/local/bin/pwru-a
		# both builds keep copies for the boot under their own identity, each replacing
		# the other's: a start of its own first, so that the timed one is warm
		PWRU=$bin pwru_start prime --backend "$BACKEND" "${ff[@]}" icmp && stop_pwru
		if ! PWRU=$bin pwru_start att --backend "$BACKEND" --debug "${ff[@]}" icmp; then
			echo "# $v did not start: $(grep -v debug "$SCRATCH/att.err" | head -n 3)"
			continue
		fi
		stop_pwru
		echo "# $v round $round: $(grep 'phases (s)' "$SCRATCH/att.err"); $(grep -E 'kernel BTF|nft' "$SCRATCH/att.err" | tr '\n' ' ')"
		ready=$(phase 'ready at' "$SCRATCH/att.err") load=$(phase load "$SCRATCH/att.err")
		attach=$(phase attach "$SCRATCH/att.err")
		pps=-
		if [ "$floods" = 1 ] && PWRU=$bin pwru_start nm --backend "$BACKEND" "${ff[@]}" 'udp and port 9'; then
			pps=$(flood)
			[ "$round" = 1 ] && prog_stats | sed "s/^# stats:/# $v stats:/"
			stop_pwru
		fi
		echo "RESULT ab $v $round ${ready:--} ${load:--} ${attach:--} $pps"
		# PWRU_AB_MATCH=1: a flood every datagram of which is shown (the text dropped:
		# the programs' side of a match), each program's ns per run in the first round
		if [ "${PWRU_AB_MATCH:-0}" = 1 ] && PWRU=$bin PWRU_OUT=/dev/null \
			pwru_start m --backend "$BACKEND" "${ff[@]}" 'udp and port 9000'; then
			pps=$(flood)
			[ "$round" = 1 ] && prog_stats | sed "s/^# stats:/# $v match stats:/"
			stop_pwru
			echo "RESULT abm $v $round $pps"
		fi
	done
done
