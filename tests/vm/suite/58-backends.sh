# Every backend of the table on this kernel: one it lacks is refused in one line
# (exit 1, nothing attached); one it has survives a SIGKILL in the middle of
# attaching with nothing of ours left in the kernel.
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair
# One --list-funcs (seconds under TCG) for both: the backends this kernel runs (stderr, as
# backends_here reads them) and what it lists for a function (stdout).
$PWRU --list-funcs --filter-func ip_rcv >"$SCRATCH/list.out" 2>"$SCRATCH/list.err" </dev/null
BACKENDS_HERE=$(sed -n 's/.*backends this kernel runs: //p' "$SCRATCH/list.err" | tr -d ,)
runs=$BACKENDS_HERE
diag "backends this kernel runs: $runs"
# --list-funcs names, for a function, the function backends among those
want=$(echo "$runs" | tr ' ' '\n' | grep -v '^tracepoint$' | tr '\n' ',' | sed 's/,$//')
line=$(grep '^ip_rcv ' "$SCRATCH/list.out")
if [ "$line" = "ip_rcv vmlinux 1 1 $want" ]; then
	ok "--list-funcs: $line"
else
	not_ok "--list-funcs: ip_rcv vmlinux 1 1 $want" "got: $line"
fi
for b in kprobe-multi kprobe fentry tracepoint; do
	if refused_here "$b"; then
		check_nothing_attached "$b refused:"
		continue
	fi
	# enough functions that attaching takes a moment; killed once something is attached
	if [ "$b" = tracepoint ]; then
		set -- --backend tracepoint
	else
		set -- --backend "$b" --filter-func 'ip_.*|udp_.*|icmp_.*'
	fi
	set -m
	$PWRU "$@" icmp >/dev/null 2>"$SCRATCH/$b.err" </dev/null &
	PWRU_PID=$!
	set +m
	seen=
	for _ in $(seq 600); do
		if leftovers | grep -q '^\(link\|perf\)'; then
			seen=1
			break
		fi
		kill -0 "$PWRU_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$PWRU_PID" 2>/dev/null
	wait "$PWRU_PID" 2>/dev/null
	PWRU_PID=
	if [ -n "$seen" ]; then
		ok "$b: killed with SIGKILL while attaching"
	else
		not_ok "$b: killed with SIGKILL while attaching" "nothing was ever attached" "$(cat "$SCRATCH/$b.err")"
	fi
	check_nothing_attached "$b after SIGKILL:"
done
