# Nodes where tracefs is not mounted: pwru reads the list of traceable functions
# through a tracefs of its own, mounted in a child's private mount namespace, so it
# attaches the same functions and leaves no mount behind, even when killed.
. tests/vm/suite/lib.sh

FUNCS='ip_.*|icmp_.*|__dev_queue_xmit'
attached() { sed -n 's/^pwru: \(attached [0-9]* functions, skipped [0-9]*\).*/\1/p' "$1"; }

if pwru_start mounted --filter-func "$FUNCS"; then
	pwru_stop
else
	not_ok "pwru attached with tracefs mounted" "$(head -n 5 "$SCRATCH/mounted.err")"
fi
with=$(attached "$SCRATCH/mounted.err")

umount /sys/kernel/tracing 2>/dev/null
umount /sys/kernel/debug 2>/dev/null
if grep -q tracefs /proc/mounts; then
	not_ok "tracefs unmounted for the test" "$(grep tracefs /proc/mounts)"
fi

if pwru_start unmounted --filter-func "$FUNCS"; then
	pwru_stop
else
	not_ok "pwru attached without tracefs" "$(head -n 5 "$SCRATCH/unmounted.err")"
fi
without=$(attached "$SCRATCH/unmounted.err")
# Without a list kprobe-multi still attaches the same functions (by trial): the list must
# have come through the private mount, or pwru says it had none.
if ! grep -qx 'pwru: backend kprobe-multi' "$SCRATCH/unmounted.err"; then
	diag "the kprobe backend does not use the list: its private read is checked on kprobe-multi kernels"
elif [ -z "$without" ]; then
	not_ok "without tracefs mounted: the list came through the private mount" \
		"pwru did not attach"
elif grep -q '^pwru: no list of traceable functions' "$SCRATCH/unmounted.err"; then
	not_ok "without tracefs mounted: the list came through the private mount" \
		"$(grep '^pwru: no list' "$SCRATCH/unmounted.err")"
else
	ok "without tracefs mounted: the list came through the private mount"
fi
if [ -n "$with" ] && [ "$with" = "$without" ]; then
	ok "without tracefs mounted: the same functions ($without)"
else
	not_ok "without tracefs mounted: the same functions" "mounted: '$with', unmounted: '$without'"
fi

if pwru_start killed --filter-func "$FUNCS"; then
	kill -KILL "$PWRU_PID"
	wait "$PWRU_PID" 2>/dev/null
	PWRU_PID=
	ok "pwru attached without tracefs, then SIGKILL"
else
	not_ok "pwru attached without tracefs, then SIGKILL" "exit ${PWRU_STATUS:-?}" \
		"$(head -n 5 "$SCRATCH/killed.err")"
fi
sleep 0.5
if grep -q tracefs /proc/mounts; then
	not_ok "no tracefs left mounted after runs and a SIGKILL" "$(grep tracefs /proc/mounts)"
else
	ok "no tracefs left mounted after runs and a SIGKILL"
fi
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
check_nothing_attached
