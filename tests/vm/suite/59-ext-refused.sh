# kprobe-multi builds its events with an extension program (freplace), so its feature probe
# links one (src/probe/ext_probe.c): where the kernel refuses it, auto moves on to kprobe in
# one line saying why, and --backend kprobe-multi is refused in one line. Every kernel of
# the matrix running kprobe-multi takes extensions, so pwru is told to ask for one naming
# no function (PWRU_TEST_NO_EXT=1, a test knob), which the kernel itself refuses.
. tests/vm/suite/lib.sh

FUNCS='ip_rcv|icmp_rcv'
TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

backends_here
case " $BACKENDS_HERE " in
*" kprobe-multi "*) ;;
*)
	ok "an extension refused # SKIP this kernel runs no kprobe-multi ($BACKENDS_HERE)"
	exit 0
	;;
esac
check "two netns joined by veth" netns_pair

if PWRU_TEST_NO_EXT=1 pwru_start ext --filter-func "$FUNCS" icmp; then
	ok "PWRU_TEST_NO_EXT=1: pwru attached"
	check "ping 10.0.1.1 -> 10.0.1.2 while tracing" $IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2
	wait_events "$SCRATCH/ext.out" icmp_rcv "$TUPLE" 2
	pwru_stop
	check_events "events through kprobe" "$SCRATCH/ext.out" 'icmp_rcv' "$TUPLE"
else
	not_ok "PWRU_TEST_NO_EXT=1: pwru attached" "exit ${PWRU_STATUS:-?}" "$(head -n 20 "$SCRATCH/ext.err")"
fi
re='^pwru: kprobe-multi unavailable \(an extension program \(freplace\) refused: [^)]*, which builds its events\); falling back to kprobe$'
if grep -qE "$re" "$SCRATCH/ext.err" && grep -qx 'pwru: backend kprobe' "$SCRATCH/ext.err"; then
	ok "auto moved on to kprobe, saying why ($(grep -m1 unavailable "$SCRATCH/ext.err"))"
else
	not_ok "auto moved on to kprobe, saying why" "$(cat "$SCRATCH/ext.err")"
fi
check_nothing_attached

# forced: one line, exit 1, nothing attached
PWRU_TEST_NO_EXT=1 $PWRU --backend kprobe-multi --filter-func "$FUNCS" icmp \
	>/dev/null 2>"$SCRATCH/forced.err" </dev/null
st=$?
if [ $st -eq 1 ] && [ "$(grep -c . "$SCRATCH/forced.err")" -eq 1 ] &&
	grep -q '^pwru: --backend kprobe-multi is not usable on this kernel: an extension program (freplace) refused: ' "$SCRATCH/forced.err"; then
	ok "--backend kprobe-multi refused in one line, exit 1 ($(cat "$SCRATCH/forced.err"))"
else
	not_ok "--backend kprobe-multi refused in one line, exit 1" "status $st" "$(cat "$SCRATCH/forced.err")"
fi
check_nothing_attached "after the refusal"

# the knob's refusal was not kept for the boot: without it, kprobe-multi again
if pwru_start again --filter-func "$FUNCS" icmp; then
	pwru_stop
	if grep -qx 'pwru: backend kprobe-multi' "$SCRATCH/again.err"; then
		ok "without the knob, kprobe-multi again"
	else
		not_ok "without the knob, kprobe-multi again" "$(cat "$SCRATCH/again.err")"
	fi
else
	not_ok "pwru attached without the knob" "$(head -n 20 "$SCRATCH/again.err")"
fi
