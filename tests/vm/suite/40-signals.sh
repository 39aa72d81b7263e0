# The ways pwru gets stopped besides Ctrl-C: SIGTERM (a service manager, a
# timeout) must end it cleanly; SIGKILL gives it no chance to clean up, so
# everything it attached must be owned by its file descriptors and go with
# them.
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
	wait_leftovers_gone
	check_nothing_attached "after SIGKILL"
else
	not_ok "SIGKILL: pwru attached" "$(head -n 20 "$SCRATCH/kill.err")"
fi
