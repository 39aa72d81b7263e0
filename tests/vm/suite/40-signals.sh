# The ways pwru gets stopped besides Ctrl-C after attaching: SIGTERM (a
# service manager, a timeout) must end it cleanly; SIGKILL gives it no chance
# to clean up, so everything it attached must be owned by its file descriptors
# and go with them; Ctrl-C while still attaching; the reader of its output
# going away. All exit 0 (SIGKILL aside) and leave nothing attached.
. tests/vm/suite/lib.sh

check "two netns joined by veth" netns_pair

if pwru_start term --filter-func 'ip_rcv|icmp_rcv'; then
	t0=$(now_ms)
	kill -TERM "$PWRU_PID"
	wait "$PWRU_PID"
	status=$?
	ms=$(($(now_ms) - t0))
	PWRU_PID=
	if [ $status -eq 0 ]; then
		ok "SIGTERM: exits 0 (${ms} ms)"
	else
		not_ok "SIGTERM: exits 0" "status $status after ${ms} ms"
		show "pwru stderr" "$SCRATCH/term.err"
	fi
	check_nothing_attached "after SIGTERM"
else
	not_ok "SIGTERM: pwru attached" "$(head -n 20 "$SCRATCH/term.err")"
fi

# A hangup (the terminal or ssh session gone) ends it as SIGTERM does: the exit line is
# written, the trace's end too; under nohup (SIGHUP ignored) it goes on.
if pwru_start hup --filter-func 'ip_rcv|icmp_rcv'; then
	kill -HUP "$PWRU_PID"
	wait "$PWRU_PID"
	status=$?
	PWRU_PID=
	if [ $status -eq 0 ] && grep -qE '^pwru: [0-9]+ events?, [0-9]+ lost$' "$SCRATCH/hup.err"; then
		ok "SIGHUP: exits 0 with its exit line"
	else
		not_ok "SIGHUP: exits 0 with its exit line" "status $status"
		show "pwru stderr" "$SCRATCH/hup.err"
	fi
	check_nothing_attached "after SIGHUP"
else
	not_ok "SIGHUP: pwru attached" "$(head -n 20 "$SCRATCH/hup.err")"
fi
if (trap '' HUP && pwru_start nohup --filter-func 'ip_rcv|icmp_rcv' && kill -HUP "$PWRU_PID" &&
	sleep 0.5 && kill -0 "$PWRU_PID" && kill -INT "$PWRU_PID" && wait "$PWRU_PID"); then
	ok "SIGHUP ignored (nohup): pwru goes on, Ctrl-C ends it"
else
	not_ok "SIGHUP ignored (nohup): pwru goes on, Ctrl-C ends it"
	show "pwru stderr" "$SCRATCH/nohup.err"
fi

if pwru_start kill --filter-func 'ip_rcv|icmp_rcv'; then
	kill -KILL "$PWRU_PID"
	wait "$PWRU_PID" 2>/dev/null
	PWRU_PID=
	check_nothing_attached "after SIGKILL"
else
	not_ok "SIGKILL: pwru attached" "$(head -n 20 "$SCRATCH/kill.err")"
fi

# Ctrl-C while attaching (the kprobe backend attaches one probe, one descriptor, at
# a time: slow enough to be caught in the act, once pwru holds over 150 descriptors
# (its programs and maps take a few dozen): pwru stops, detaches what it had, says so,
# exits 0.
set -m
"$PWRU" --backend kprobe >"$SCRATCH/early.out" 2>"$SCRATCH/early.err" </dev/null &
PWRU_PID=$!
set +m
for _ in $(seq 1200); do
	[ "$(ls "/proc/$PWRU_PID/fd" 2>/dev/null | wc -l)" -gt 150 ] && break
	kill -0 "$PWRU_PID" 2>/dev/null || break
	sleep 0.1
done
kill -INT "$PWRU_PID"
wait "$PWRU_PID"
status=$?
PWRU_PID=
if [ $status -eq 0 ] && grep -qx 'pwru: interrupted while attaching; everything detached' "$SCRATCH/early.err" &&
	! grep -q '^pwru: attached' "$SCRATCH/early.err"; then
	ok "Ctrl-C while attaching: exit 0, 'interrupted while attaching; everything detached'"
else
	not_ok "Ctrl-C while attaching: exit 0, 'interrupted while attaching; everything detached'" \
		"exit status $status"
	show "pwru stderr" "$SCRATCH/early.err"
fi
# the kprobes hooked so far are many: their detach is said, in the functions they hook
det=$(grep '^pwru: detaching' "$SCRATCH/early.err")
if [ -z "$det" ] || echo "$det" | grep -qE '^pwru: detaching [1-9][0-9]* functions? \([0-9]+ kprobes?: '; then
	ok "Ctrl-C while attaching: the detaching line, if any, counts the functions hooked so far (${det:-none})"
else
	not_ok "Ctrl-C while attaching: the detaching line counts the functions hooked so far" "$det"
fi
check_nothing_attached "after Ctrl-C while attaching"

# The reader of stdout goes away (pwru | head -n 3): pwru ends by itself, exit 0.
$IP netns exec a ping -i 0.2 -W 1 10.0.1.2 >/dev/null 2>&1 &
PING_PID=$!
timeout 120 bash -c "'$PWRU' --filter-func 'ip_rcv|icmp_rcv' 2>'$SCRATCH/head.err' </dev/null |
	head -n 3 >'$SCRATCH/head.out'; exit \${PIPESTATUS[0]}"
status=$?
kill "$PING_PID" 2>/dev/null
PING_PID=
if [ $status -eq 0 ] && [ "$(grep -c '^0x' "$SCRATCH/head.out")" -eq 2 ] &&
	grep -q '^pwru: [0-9]* events\{0,1\}, [0-9]* lost$' "$SCRATCH/head.err"; then
	ok "pwru | head -n 3: pwru ends by itself when head does, exit 0, with its summary"
else
	not_ok "pwru | head -n 3: pwru ends by itself when head does, exit 0" \
		"exit status $status (124: still running after 120 s)"
	show "stdout through head" "$SCRATCH/head.out"
	show "pwru stderr" "$SCRATCH/head.err"
fi
check_nothing_attached "after the reader went away"

# A reader that does not read (| less left open, a stalled ssh) under a TCP flood: pwru
# blocks writing. One signal starts the drain, which waits for the reader; a second gives
# it up, and so does a reader that takes nothing for 5 s after one SIGTERM (timeout,
# systemd): pwru says how many recorded events were not written, detaches and exits 0.
# pwru took the SIGINT sent (not pending): two sent at once would be one
int_taken() { ! grep -qE '^(ShdPnd|SigPnd):.*[2367abef]$' "/proc/$PWRU_PID/status"; }
# pwru is blocked writing to the FIFO: a thread of it sleeps in write(2), as
# /proc/PID/task/*/syscall says (its number first; "running" when it runs); wchan
# (pipe_write) is "0" on x86 before 5.16, whose get_wchan cannot walk ORC-unwound stacks.
case $(uname -m) in
aarch64) WRITE_NR=64 ;;
*) WRITE_NR=1 ;;
esac
blocked() { cat "/proc/$PWRU_PID/task/"*/syscall 2>/dev/null | grep -q "^$WRITE_NR "; }
# within SECS CMD...: up to SECS s of the clock for CMD to succeed while pwru runs
# (wait_until's 10 s is short for a loaded VM: a signal sent before pwru blocks, or on top
# of one still pending, tests something else).
within() {
	local end=$(($(now_ms) + $1 * 1000))
	while ! "${@:2}"; do
		[ "$(now_ms)" -lt $end ] && kill -0 "$PWRU_PID" 2>/dev/null || return 1
		sleep 0.1
	done
}
# stalled NAME SIG...: pwru into a FIFO held open by a reader that never reads, the first SIG
# sent once pwru blocks writing, each next once it took the one before; up to 120 s for pwru
# to end. Sets status (1: pwru did not attach) and ms (from the last signal to the exit);
# how long each wait before a signal took goes to the diagnostics (a second SIGINT later
# than pwru's 5 s wait for the reader finds it gone).
stalled() {
	local name=$1 sig t0 w
	shift
	mkfifo "$SCRATCH/$name.fifo"
	sleep 600 <>"$SCRATCH/$name.fifo" &
	HOLDER_PID=$!
	status=1
	if PWRU_OUT=$SCRATCH/$name.fifo pwru_start "$name" \
		--filter-func 'ip_rcv|tcp_v4_rcv|ip_finish_output2|__dev_queue_xmit' tcp; then
		w=$(now_ms)
		within 60 blocked || diag "$name: pwru never blocked writing ($(cat "/proc/$PWRU_PID/wchan" 2>/dev/null))"
		diag "$name: pwru blocked writing after $(($(now_ms) - w)) ms"
		for sig; do
			# the signal before taken (the first: none); the drain after a stop waits
			# for the reader in poll(2), not in write(2)
			w=$(now_ms)
			within 60 int_taken || diag "$name: SIG$sig sent with the signal before still pending"
			t0=$(now_ms)
			diag "$name: SIG$sig sent after $((t0 - w)) ms"
			kill -"$sig" "$PWRU_PID"
		done
		pwru_wait_end 120 "$t0"
		status=$PWRU_STATUS
		ms=$PWRU_STOP_MS
	fi
	kill "$HOLDER_PID" 2>/dev/null
}

# last_line_is NAME ERE DESC: pwru exited 0 and its last line on stderr matches ERE
last_line_is() {
	if [ "$status" -eq 0 ] && tail -n 1 "$SCRATCH/$1.err" | grep -qE "$2"; then
		ok "$3 after ${ms} ms"
	else
		not_ok "$3" "exit status $status (137: killed after 120 s)"
		show "pwru stderr" "$SCRATCH/$1.err"
	fi
}

tcp_flood_start
stalled stall INT INT
last_line_is stall '^pwru: stopped again while writing: [1-9][0-9]* events recorded before the stop were not written$' \
	"stalled reader, SIGINT twice: exit 0, 'stopped again while writing: N events ... not written'"
check_nothing_attached "after giving up on a stalled reader"
stalled term1 TERM
last_line_is term1 '^pwru: stdout took nothing for 5 s after the stop: [1-9][0-9]* events recorded before the stop were not written$' \
	"stalled reader, one SIGTERM: exit 0, 'stdout took nothing for 5 s after the stop: N events ... not written'"
tcp_flood_stop
check_nothing_attached "after a stalled reader and one SIGTERM"
