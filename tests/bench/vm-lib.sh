# Sourced by the benchmarks run inside the VM (probe-in-vm.sh, ab-in-vm.sh), after
# tests/vm/suite/lib.sh: the UDP flood, stopping pwru, the programs' statistics and the
# floor's flood.
SECS=${PWRU_BENCH_SECS:-5}
FLOOR=${PWRU_BENCH_FLOOR:-/usr/local/bin/attach_floor}
FLOOD=${PWRU_BENCH_FLOOD:-/usr/local/bin/udpflood}

# nft_in_b: nf_tables loaded, with a table, a base chain and a rule in b's input (as on most
# Kubernetes nodes), before the first start: pwru then traces nft_do_chain (and the floor
# makes its links too), and every datagram of a flood runs b's chain.
nft_in_b() {
	$IP netns exec b $NFT add table inet pwru_ab \; \
		add chain inet pwru_ab input '{ type filter hook input priority 0; policy accept; }' \; \
		add rule inet pwru_ab input udp dport 9000 counter accept || return 1
	echo "# nf_tables loaded: $($IP netns exec b $NFT list chain inet pwru_ab input | grep -c counter) rule"
}

flood() { # the datagrams per second of one flood
	$IP netns exec a "$FLOOD" 10.0.1.2 9000 "$SECS" | sed -n 's/^PPS //p'
}

# stop_pwru: SIGINT, waits as long as detaching takes; sets EXIT_S to the seconds it took.
# Not in a command substitution: a subshell cannot wait for its parent's child, so the
# wait returned at once and the exit time read 0.04 s while the kernel still detached.
stop_pwru() {
	local t0=$(now_ms)
	kill -INT "$PWRU_PID"
	wait "$PWRU_PID"
	PWRU_PID=
	EXIT_S=$(echo $((($(now_ms) - t0) / 10)) | awk '{ printf "%.2f", $1 / 100 }')
}

# prog_stats: with PWRU_BENCH_STATS, each program that ran during the no-match flood
# (kernel.bpf_stats_enabled): runs, ns per run, name, then the totals per datagram.
# A flood of its own: the statistics' clock reads slow every run down.
prog_stats() {
	local pps
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	pps=$(flood)
	echo 0 >/proc/sys/kernel/bpf_stats_enabled
	$BPFTOOL -j prog show | tr '{' '\n' |
		sed -n 's/.*"name":"\([^"]*\)".*"run_time_ns":\([0-9]*\),"run_cnt":\([0-9]*\).*/\3 \2 \1/p' |
		awk -v n="$pps" -v s="$SECS" '$1 > 0 { printf "# stats: %9d runs %6.0f ns/run %s\n", $1, $2 / $1, $3; ns += $2; runs += $1 }
			END { if (n > 0) printf "# stats: %.1f runs, %.2f us of programs per datagram\n", runs / (n * s), ns / 1000 / (n * s) }'
}

# floor_flood [--read]: a flood's rate under attach_floor's programs on $targets
floor_flood() {
	"$FLOOR" --hold "$@" "$targets" >"$SCRATCH/floor.out" 2>"$SCRATCH/floor.err" &
	local fpid=$!
	for _ in $(seq 6000); do
		grep -q READY "$SCRATCH/floor.out" 2>/dev/null && break
		sleep 0.1
	done
	sed "s/^/# per hit $*: /" "$SCRATCH/floor.err" >&2
	flood
	kill -INT "$fpid"
	wait "$fpid"
}

