# Run inside the VM by tests/bench/probe-vm: the probe layer's costs against the kernel's
# floor, measured in this one run.
#
# Attach: pwru --backend B on every skb function (PWRU_BENCH_FUNCS narrows), from start to
# ready and its phases (--debug), then its exit (detach); the floor makes the same
# attachments with a program doing nothing (attach_floor, from the list pwru wrote).
#	RESULT attach B FUNCS READY_S PHASE_S... EXIT_S FLOOR_ATTACH_S FLOOR_DETACH_S
# Per hit: a UDP flood from namespace a to b (nothing listens: the path ends in udp_rcv's
# drop), datagrams per second untraced, under the floor's programs, under pwru with a
# filter nothing matches, and with one everything matches (events to /dev/null).
#	RESULT hit B UNTRACED_PPS FLOOR_PPS NOMATCH_PPS MATCH_PPS READ_FLOOR_PPS
# (READ_FLOOR: the floor's programs each reading 8 bytes of their first argument, the least
# any filter does.)
# Tracking: the matching and the no-match runs again with --filter-track-skb (every
# datagram followed from its first function to its free; with no match, the lookup every
# hit pays), alternating with the plain ones, best of two each.
#	RESULT track B UNTRACED_PPS MATCH_PPS MATCH_TRACK_PPS NOMATCH_PPS NOMATCH_TRACK_PPS
. tests/vm/suite/lib.sh
. tests/bench/vm-lib.sh

FUNCS=${PWRU_BENCH_FUNCS:-}
export PWRU_READY_TIMEOUT=900

netns_pair || exit 1
# PWRU_BENCH_NFT=1: an nft table in the path (nft_in_b) before the first start
if [ "${PWRU_BENCH_NFT:-0}" = 1 ]; then
	nft_in_b || exit 1
fi
runs=$($PWRU --list-funcs 2>&1 >/dev/null | sed -n 's/.*backends this kernel runs: //p' | tr -d ,)
echo "# kernel $(uname -r); backends: $runs"
[ -n "${PWRU_BENCH_BACKENDS:-}" ] && runs=$PWRU_BENCH_BACKENDS

# no process substitution: the VM has no /dev/fd
ff=()
[ -n "$FUNCS" ] && ff=(--filter-func "$FUNCS")

best() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { print (a + 0 > b + 0 ? a : b) }'; }

# rate NAME EXPR [FLAGS...] : datagrams per second of a flood under pwru (events dropped)
rate() {
	local name=$1 expr=$2
	shift 2
	if PWRU_OUT=/dev/null pwru_start "$name" --backend "$b" "${ff[@]}" "$@" "$expr"; then
		flood
		stop_pwru >/dev/null
	fi
}

# The first flood of a boot runs slower (caches, the neighbour entry, socket memory):
# thrown away, so the untraced rate is one of a warm path like every later one.
flood >/dev/null
untraced=$(flood)
echo "# untraced: $untraced datagrams/s"
for b in $runs; do
	targets=$SCRATCH/targets.$b
	# cold: the boot's first start, which reads kallsyms and the traceable list from the
	# kernel; warm: a later one, from the copies kept in /run/pwru (docs/design.md)
	floor_times=
	for temp in cold warm; do
		[ $temp = cold ] && rm -rf /run/pwru "$targets"
		t0=$(now_ms)
		if ! PWRU_BENCH_TARGETS=$targets pwru_start att --backend "$b" --debug "${ff[@]}" icmp; then
			echo "# $b did not attach: $(grep -v debug "$SCRATCH/att.err" | head -n 3)"
			continue 2
		fi
		ready=$(( $(now_ms) - t0 ))
		n=$(sed -n 's/^pwru: attached \([0-9]*\) .*/\1/p' "$SCRATCH/att.err")
		phases=$(sed -n 's/^pwru: debug: phases (s): //p' "$SCRATCH/att.err" |
			sed 's/; ready at.*//; s/[a-z][a-z]* //g; s/,//g')
		stop_pwru
		exit_s=$EXIT_S
		grep -v '^pwru: debug: \(fentry\|kprobe\|tracepoint\|kprobe-multi\): skipped' "$SCRATCH/att.err" |
			grep -E 'phases|fentry:|attached' | sed "s/^/# $temp: /"
		if [ $temp = cold ]; then
			floor_times=$("$FLOOR" "$targets" 2>"$SCRATCH/floor.err" | sed -n 's/^FLOOR attachments [0-9]* attach \([0-9.]*\) detach \([0-9.]*\)/\1 \2/p')
			sed 's/^/# /' "$SCRATCH/floor.err"
		fi
		set -- $floor_times
		echo "RESULT attach $b $n $(awk -v ms="$ready" 'BEGIN { printf "%.2f", ms / 1000 }') $phases $exit_s ${1:--} ${2:--} $temp"
	done

	# per hit
	floor_pps=$(floor_flood)
	read_pps=$(floor_flood --read)
	nomatch=- match=-
	if pwru_start nm --backend "$b" "${ff[@]}" 'udp and port 9'; then
		nomatch=$(flood)
		[ -n "${PWRU_BENCH_STATS:-}" ] && prog_stats
		stop_pwru
	fi
	if PWRU_OUT=/dev/null pwru_start m --backend "$b" "${ff[@]}" udp; then
		match=$(flood)
		stop_pwru
		echo "# $b matching: $(grep "events, .* lost" "$SCRATCH/m.err")"
	fi
	echo "RESULT hit $b $untraced $floor_pps $nomatch $match $read_pps"
	[ "${PWRU_BENCH_TRACK:-1}" = 0 ] && continue
	m_off=$match m_on=0 n_off=$nomatch n_on=0
	for round in 1 2; do
		m_on=$(best "$m_on" "$(rate mt udp --filter-track-skb)")
		n_on=$(best "$n_on" "$(rate nt 'udp and port 9' --filter-track-skb)")
		[ $round = 2 ] && break
		m_off=$(best "$m_off" "$(rate m udp)")
		n_off=$(best "$n_off" "$(rate nm 'udp and port 9')")
	done
	echo "RESULT track $b $untraced $m_off $m_on $n_off $n_on"
done
