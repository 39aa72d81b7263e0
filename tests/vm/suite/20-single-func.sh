# One function, traced while a ping is already running: the exact-name filter
# must keep every other function out, and the running traffic must show up. Written as
# cilium/pwru's RE2 (a leading (?i), a (?:...) group): it selects what plain icmp_rcv does.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

check "two netns joined by veth" netns_pair
$IP netns exec a ping -W 1 10.0.1.2 >/dev/null 2>&1 &
PING_PID=$!

FUNC_RE='(?i)ICMP_(?:rcv)'
if pwru_start icmp --filter-func "$FUNC_RE"; then
	ok "pwru --filter-func '$FUNC_RE' attached"
else
	not_ok "pwru --filter-func '$FUNC_RE' attached" \
		"pwru exited ${PWRU_STATUS:-?} before it was ready" "$(head -n 20 "$SCRATCH/icmp.err")"
	exit 0
fi
# Two of the pings at one a second: two rounds of every function they cross.
wait_events "$SCRATCH/icmp.out" icmp_rcv "$TUPLE" 2
pwru_stop

at_least "icmp_rcv lines carry the ping's tuple $TUPLE" \
	"$(event_lines "$SCRATCH/icmp.out" icmp_rcv "$TUPLE" | wc -l)" 1 "$SCRATCH/icmp.out"

others=$(awk '/^0x/ && $NF != "icmp_rcv" { print $NF }' "$SCRATCH/icmp.out" | sort -u)
if [ -z "$others" ]; then
	ok "no function but icmp_rcv appears ('$FUNC_RE' selects it alone)"
else
	not_ok "no function but icmp_rcv appears ('$FUNC_RE' selects it alone)" "also seen: $(echo "$others" | tr "\n" " ")"
fi

if [ "$PWRU_STATUS" -eq 0 ]; then
	ok "exits 0 on SIGINT (${PWRU_STOP_MS} ms)"
else
	not_ok "exits 0 on SIGINT" "status $PWRU_STATUS"
	show "pwru stderr" "$SCRATCH/icmp.err"
fi

check_nothing_attached
