# Nodes where tracefs is not mounted: pwru reads the list of traceable functions
# through a tracefs of its own, mounted in a child's private mount namespace, so it
# attaches the same functions and leaves no mount behind, even when killed.
. tests/vm/suite/lib.sh

FUNCS='ip_.*|icmp_.*|__dev_queue_xmit'
attached() { sed -n 's/^pwru: \(attached [0-9]* functions\{0,1\}, skipped [0-9]*\).*/\1/p' "$1"; }
# "N from SOURCE": how many traceable functions the list had, and where it came from.
listed() { sed -n 's/^pwru: debug: traceable functions: //p' "$1"; }

# The list is kept in /run/pwru for the rest of the boot, until modules change. A few
# functions of a ping's path: each one costs a kprobe on the kprobe kernels.
PING_FUNCS='ip_rcv|ip_local_deliver|ip_output|icmp_rcv|icmp_echo'
rm -rf /run/pwru
spare=
for m in dummy ifb macvlan ipvlan; do
	grep -q "^$m " /proc/modules || { spare=$m; break; }
done
# kallsyms' functions too: "N symbols kept from SOURCE".
symbols_from() { sed -n 's/^pwru: debug: kallsyms: [0-9]* symbols kept from //p' "$1"; }
for run in cold warm; do
	if pwru_start $run --debug --filter-func "$PING_FUNCS|${spare:-none}_.*" icmp; then
		ping -c 2 -i 0.2 127.0.0.1 >/dev/null
		wait_events "$SCRATCH/$run.out" icmp_rcv 127.0.0.1 4
		pwru_stop
	else
		not_ok "pwru attached ($run start)" "$(head -n 5 "$SCRATCH/$run.err")"
	fi
done
if [ "$(symbols_from "$SCRATCH/cold.err")" = /proc/kallsyms ] &&
	[ "$(symbols_from "$SCRATCH/warm.err")" = "/proc/kallsyms's functions, kept in /run/pwru" ]; then
	ok "kallsyms' functions: the kernel's file first, this boot's copy next"
else
	not_ok "kallsyms' functions: the kernel's file first, this boot's copy next" \
		"cold: $(symbols_from "$SCRATCH/cold.err")" "warm: $(symbols_from "$SCRATCH/warm.err")"
fi
# The backend's probe (a test program, attached) is kept for the boot where it tests only
# what the kernel runs: kprobe-multi's and fentry's; kprobe's reads sysfs.
probed() { sed -n "s/^pwru: debug: backend $1 usable: //p" "$2"; }
backend=$(sed -n 's/^pwru: backend //p' "$SCRATCH/warm.err")
case $backend in
kprobe-multi | fentry)
	if [ "$(probed "$backend" "$SCRATCH/cold.err")" = probed ] &&
		[ "$(probed "$backend" "$SCRATCH/warm.err")" = "kept from this boot's earlier probe (/run/pwru)" ]; then
		ok "$backend's probe: run by the boot's first start, its pass kept for the next"
	else
		not_ok "$backend's probe: run by the boot's first start, its pass kept for the next" \
			"cold: $(probed "$backend" "$SCRATCH/cold.err")" "warm: $(probed "$backend" "$SCRATCH/warm.err")"
	fi
	;;
*) diag "backend ${backend:-none}: its probe is not kept" ;;
esac
same_funcs_seen "a ping shows the same functions from the copies" "$SCRATCH/cold.out" \
	"$SCRATCH/warm.out"
case $(listed "$SCRATCH/cold.err") in
[1-9]*' from /sys/kernel/tracing/available_filter_functions'*'kept in'*)
	not_ok "first start of the boot reads the list" "$(listed "$SCRATCH/cold.err")" ;;
[1-9]*' from /sys/kernel/tracing/available_filter_functions'*)
	ok "first start of the boot reads the list: $(listed "$SCRATCH/cold.err")" ;;
*) not_ok "first start of the boot reads the list" "$(listed "$SCRATCH/cold.err")" ;;
esac
cold_n=$(listed "$SCRATCH/cold.err" | cut -d' ' -f1)
if [ "$(listed "$SCRATCH/warm.err")" = "$(listed "$SCRATCH/cold.err"), kept in /run/pwru" ] &&
	[ -n "$(attached "$SCRATCH/warm.err")" ] &&
	[ "$(attached "$SCRATCH/warm.err")" = "$(attached "$SCRATCH/cold.err")" ]; then
	ok "the next start takes the kept list and attaches the same: $(attached "$SCRATCH/warm.err")"
else
	not_ok "the next start takes the kept list and attaches the same" \
		"cold: $(listed "$SCRATCH/cold.err"); $(attached "$SCRATCH/cold.err")" \
		"warm: $(listed "$SCRATCH/warm.err"); $(attached "$SCRATCH/warm.err")"
fi
# A module loaded since: its functions are in the kernel's list, so the kept one is stale.
if [ -n "$spare" ] && modprobe "$spare"; then
	if pwru_start module --debug --filter-func "$PING_FUNCS|${spare}_.*"; then
		pwru_stop
	fi
	module_n=$(listed "$SCRATCH/module.err" | cut -d' ' -f1)
	n_of() { attached "$1" | cut -d' ' -f2; }
	if listed "$SCRATCH/module.err" | grep -q 'kept in'; then
		not_ok "after modprobe $spare the list is read again" "$(listed "$SCRATCH/module.err")"
	elif [ "${module_n:-0}" -gt "${cold_n:-0}" ] &&
		[ "$(n_of "$SCRATCH/module.err")" -gt "$(n_of "$SCRATCH/cold.err")" ]; then
		ok "after modprobe $spare the list is read again, and $spare's functions are traced ($(attached "$SCRATCH/module.err"))"
	else
		not_ok "after modprobe $spare the list is read again, and $spare's functions are traced" \
			"before: $(listed "$SCRATCH/cold.err"); $(attached "$SCRATCH/cold.err")" \
			"after: $(listed "$SCRATCH/module.err"); $(attached "$SCRATCH/module.err")"
	fi
else
	diag "no module left to load (${spare:-none}): the kept list's renewal is not checked here"
fi

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

# Ended by SIGKILL: what it attached (stderr at start) is compared below, and no mount
# may outlive a pwru that had no chance to clean up.
if PWRU_NO_CACHE=1 pwru_start unmounted --filter-func "$FUNCS"; then
	wait_lines "$SCRATCH/unmounted.err" '^pwru: attached '
	kill -KILL "$PWRU_PID"
	wait "$PWRU_PID" 2>/dev/null
	PWRU_PID=
	ok "pwru attached without tracefs, then SIGKILL"
else
	not_ok "pwru attached without tracefs, then SIGKILL" "exit ${PWRU_STATUS:-?}" \
		"$(head -n 5 "$SCRATCH/unmounted.err")"
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

sleep 0.5
if grep -q tracefs /proc/mounts; then
	not_ok "no tracefs left mounted after runs and a SIGKILL" "$(grep tracefs /proc/mounts)"
else
	ok "no tracefs left mounted after runs and a SIGKILL"
fi
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
check_nothing_attached
