# Functions that live in modules (here veth, loaded by creating the veth
# pair): found through the module's own BTF (5.11+) or, without it (5.10),
# through its .ko's ops tables; restricted or excluded by --kmods/--no-kmods;
# a module name that is not loaded is a clear error.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

# fails DESC ARGS... : pwru must exit non-zero with one line matching $WANT,
# attaching nothing.
fails() {
	local desc=$1 status lines
	shift
	timeout 60 "$PWRU" "$@" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err" </dev/null
	status=$?
	lines=$(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err" | grep -c .)
	if [ $status -ne 0 ] && [ $status -lt 124 ] && [ "$lines" -eq 1 ] &&
		grep -q "$WANT" "$SCRATCH/bad.err"; then
		ok "$desc: exit $status, one line: $(cat "$SCRATCH/bad.err")"
	else
		not_ok "$desc: non-zero exit, one line saying '$WANT'" "exit status $status, $lines lines:" \
			"$(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err" | head -n 10)"
	fi
	check_nothing_attached "$desc:"
}

check "two netns joined by veth" netns_pair
# veth's symbols, read once: veth stays loaded (the pair uses it), and each read of
# /proc/kallsyms takes 1.5 to 2 s under TCG.
VETH_SYMS=$SCRATCH/veth.syms
grep '	\[veth\]$' /proc/kallsyms >"$VETH_SYMS"
if [ -s "$VETH_SYMS" ]; then
	ok "veth is a module ([veth] in kallsyms)"
else
	not_ok "veth is a module ([veth] in kallsyms)"
fi
if [ -e /sys/kernel/btf/veth ]; then
	diag "veth has BTF: /sys/kernel/btf/veth"
else
	diag "veth has no BTF on $(uname -r): its callbacks are typed from veth.ko"
fi

WANT="'no_such_mod' is not a loaded module" \
	fails "--kmods no_such_mod" --kmods veth,no_such_mod --filter-func veth_xmit
# pwru's --kmods is a list flag: given twice it adds, the first module is not forgotten
WANT="'no_such_mod' is not a loaded module" \
	fails "--kmods no_such_mod --kmods veth" --kmods no_such_mod --kmods veth --filter-func veth_xmit
WANT="no kernel function taking an skb matches" \
	fails "--no-kmods --filter-func veth_xmit (veth_xmit is only in a module)" \
	--no-kmods --filter-func veth_xmit

if pwru_start kmods --kmods veth --filter-func 'veth_.*'; then
	ok "pwru --kmods veth --filter-func 'veth_.*' attached"
else
	not_ok "pwru --kmods veth --filter-func 'veth_.*' attached" \
		"pwru exited ${PWRU_STATUS:-?} before it was ready" "$(head -n 20 "$SCRATCH/kmods.err")"
	exit 0
fi
check "ping 10.0.1.1 -> 10.0.1.2 while tracing" $IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2
wait_events "$SCRATCH/kmods.out" veth_xmit '10.0.1.2:0->10.0.1.1:0(icmp)' 2
pwru_stop

attached=$(sed -n 's/^pwru: attached \([0-9]*\) functions\{0,1\}.*/\1/p' "$SCRATCH/kmods.err")
in_btf=$(grep -c . "$VETH_SYMS")
if [ "${attached:-0}" -ge 1 ]; then
	ok "veth functions attached ($attached; veth has $in_btf symbols in kallsyms)"
else
	not_ok "veth functions attached" "$(grep attached "$SCRATCH/kmods.err" || cat "$SCRATCH/kmods.err")"
fi

# Without module BTF (5.10) pwru says how many modules it typed from their .ko, once it
# goes ahead (never in front of a one-line error).
if [ ! -e /sys/kernel/btf/veth ]; then
	if grep -q '^pwru: 1 modules have no BTF (.*): only callbacks typed from the .ko of 1 of them are traced$' \
		"$SCRATCH/kmods.err"; then
		ok "says that veth has no BTF and was typed from its .ko"
	else
		not_ok "says that veth has no BTF and was typed from its .ko" "$(cat "$SCRATCH/kmods.err")"
	fi
fi

at_least "veth_xmit lines carry the ping's tuple" \
	"$(event_lines "$SCRATCH/kmods.out" veth_xmit "$TUPLE" | wc -l)" 1 "$SCRATCH/kmods.out"

# Every function printed is one of veth's own symbols, named as kallsyms has it.
seen=$(awk '/^0x/ { print $NF }' "$SCRATCH/kmods.out" | sed 's/(.*//' | sort -u)
foreign=
for fn in $seen; do
	grep -q "^[0-9a-f]* [tT] $fn	\[veth\]\$" "$VETH_SYMS" || foreign="$foreign $fn"
done
if [ -n "$seen" ] && [ -z "$foreign" ]; then
	ok "every traced function is a [veth] symbol: $(echo $seen)"
else
	not_ok "every traced function is a [veth] symbol" "not in veth:${foreign:- (no events)}"
fi

if [ "$PWRU_STATUS" -eq 0 ]; then
	ok "exits 0 on SIGINT (${PWRU_STOP_MS} ms)"
else
	not_ok "exits 0 on SIGINT" "status $PWRU_STATUS" "$(tail -n 5 "$SCRATCH/kmods.err")"
fi
check_nothing_attached
