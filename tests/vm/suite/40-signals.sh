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
	grep -q '^pwru: [0-9]* events, [0-9]* lost$' "$SCRATCH/head.err"; then
	ok "pwru | head -n 3: pwru ends by itself when head does, exit 0, with its summary"
else
	not_ok "pwru | head -n 3: pwru ends by itself when head does, exit 0" \
		"exit status $status (124: still running after 120 s)"
	show "stdout through head" "$SCRATCH/head.out"
	show "pwru stderr" "$SCRATCH/head.err"
fi
check_nothing_attached "after the reader went away"
