# --output-stack and --output-caller on a ping between two namespaces: each event's
# stack starts at the traced function and its next frame is the CALLER; the
# callers are the ones the kernel's code has (dev_hard_start_xmit calls
# veth_xmit, __netif_receive_skb_one_core ip_rcv, ip_protocol_deliver_rcu
# icmp_rcv); module frames name their module. A --vmlinux that is not a vmlinux
# is one line on stderr and tracing goes on with kallsyms.
. tests/vm/suite/lib.sh
. tests/srcline-note.sh

FUNCS='ip_rcv|icmp_rcv|veth_xmit'
TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'
# a request's icmp_rcv line (FUNC follows the tuple), the last of its events
AT_ICMP_RCV='10\.0\.1\.1:0->10\.0\.1\.2:0\(icmp\) icmp_rcv( |$)'
OUT=$SCRATCH/stack.out

check "two netns joined by veth" netns_pair

if pwru_start stack --output-stack --output-caller --filter-func "$FUNCS" icmp; then
	ok "pwru --output-stack --output-caller attached"
else
	not_ok "pwru --output-stack --output-caller attached" \
		"pwru exited ${PWRU_STATUS:-?} before it was ready" "$(head -n 20 "$SCRATCH/stack.err")"
	exit 0
fi
check "ping 10.0.1.1 -> 10.0.1.2 while tracing" $IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2
wait_lines "$OUT" "$AT_ICMP_RCV" 2
pwru_stop

# Where the source lines come from, or why there are none: one line either way.
lines=$(srcline_note)
if [ "$(grep -cF "$lines" "$SCRATCH/stack.err")" = 1 ]; then
	ok "one line says '$lines...'"
else
	not_ok "one line says '$lines...'" "$(cat "$SCRATCH/stack.err")"
fi

if head -n 1 "$OUT" | grep -q ' TUPLE FUNC CALLER$'; then
	ok "the header ends with FUNC CALLER"
else
	not_ok "the header ends with FUNC CALLER" "$(head -n 1 "$OUT")"
fi

# One line per event: FUNC, CALLER, the first two frames, the frame count, and
# the frames that do not look like "name+0xOFF/0xSIZE [module]".
awk -v tuple="$TUPLE" -v OFS='\t' '
	function flush() {
		if (fn != "")
			print fn, caller, (f1 == "" ? "-" : f1), (f2 == "" ? "-" : f2), n, (bad == "" ? "-" : bad)
		fn = ""
	}
	/^0x/ {
		flush()
		if (!index($0, tuple))
			next
		for (i = 1; i <= NF; i++)
			if (index($i, "->")) { fn = $(i + 1); caller = $(i + 2); break }
		f1 = f2 = bad = ""; n = 0
		next
	}
	/^    / && fn != "" {
		n++
		line = substr($0, 5)
		if (line !~ /^[A-Za-z0-9_.$]+\+0x[0-9a-f]+(\/0x[0-9a-f]+)?( \[[A-Za-z0-9_]+\])?$/)
			bad = bad "|" line
		if (n == 1) f1 = line
		if (n == 2) f2 = line
	}
	END { flush() }
' "$OUT" >"$SCRATCH/events"

name_of() { sed 's/+0x.*//'; }

for pair in veth_xmit:dev_hard_start_xmit ip_rcv:__netif_receive_skb_one_core \
	icmp_rcv:ip_protocol_deliver_rcu; do
	fn=${pair%%:*} want=${pair#*:}
	got=$(awk -F'\t' -v fn="$fn" '$1 == fn { print $2 }' "$SCRATCH/events" | name_of | sort -u)
	if [ "$got" = "$want" ]; then
		ok "$fn is called by $want (CALLER of $(awk -F'\t' -v fn="$fn" '$1 == fn' "$SCRATCH/events" | wc -l) events)"
	else
		not_ok "$fn is called by $want" "CALLER seen: ${got:-none}"
		show "pwru stdout" "$OUT" 40
	fi
done

events=$(wc -l <"$SCRATCH/events")
# The stack's first frame is the traced function, its second the caller, to the byte.
mismatch=$(awk -F'\t' '{ f1 = $3; sub(/\+0x.*/, "", f1); c = $2; sub(/\/.*/, "", c); f2 = $4; sub(/\/.*/, "", f2)
	if (f1 != $1 || f2 != c) print }' "$SCRATCH/events")
if [ "$events" -ge 6 ] && [ -z "$mismatch" ]; then
	ok "every stack starts at FUNC, then CALLER's address ($events events)"
else
	not_ok "every stack starts at FUNC, then CALLER's address ($events events)" \
		"fn caller frame1 frame2 frames bad:" "$mismatch"
	show "pwru stdout" "$OUT" 40
fi

bad=$(awk -F'\t' '$6 != "-" || $5 < 4' "$SCRATCH/events")
if [ "$events" -ge 6 ] && [ -z "$bad" ]; then
	ok "each stack has 4 or more frames, each func+0xOFF/0xSIZE [module]"
else
	not_ok "each stack has 4 or more frames, each func+0xOFF/0xSIZE [module]" "$bad"
fi

if awk -F'\t' '$1 == "veth_xmit" { print $3 }' "$SCRATCH/events" | grep -q '^veth_xmit+0x[0-9a-f]*/0x[0-9a-f]* \[veth\]$'; then
	ok "veth_xmit's frame names its module: [veth]"
else
	not_ok "veth_xmit's frame names its module: [veth]" "$(awk -F'\t' '$1 == "veth_xmit"' "$SCRATCH/events")"
fi
check_nothing_attached "after --output-stack,"

# The same in JSON: frames as objects, caller_func as pwru names it.
if pwru_start json --output-json --output-stack --output-caller --filter-func "$FUNCS" icmp; then
	$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null 2>&1
	wait_lines "$SCRATCH/json.out" '"func": ?"icmp_rcv"'
	pwru_stop
	if jq -e -s '[.[] | select(.type == "event")] | length >= 3 and all(
		.stack[0].func == .func and .stack[0].size > 0 and
		.caller_func == .stack[1].func and .caller.addr == .stack[1].addr and
		(.stack | length) >= 4)' "$SCRATCH/json.out" >"$SCRATCH/jq.out" 2>&1; then
		ok "--output-json: stack[0] is func, caller is stack[1], frames with sizes"
	else
		not_ok "--output-json: stack[0] is func, caller is stack[1], frames with sizes" \
			"$(cat "$SCRATCH/jq.out")" "$(head -c 1500 "$SCRATCH/json.out")"
	fi
else
	not_ok "pwru --output-json --output-stack --output-caller attached" "$(cat "$SCRATCH/json.err")"
fi

# Not a vmlinux: said once, then symbols from kallsyms; no stack unless asked.
if pwru_start badvml --vmlinux /etc/passwd --filter-func "$FUNCS" icmp; then
	$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null 2>&1
	wait_lines "$SCRATCH/badvml.out" "$AT_ICMP_RCV"
	pwru_stop
	msg=$(grep -c 'vmlinux /etc/passwd is not an ELF file; no source lines, symbols from kallsyms' \
		"$SCRATCH/badvml.err")
	n=$(event_lines "$SCRATCH/badvml.out" icmp_rcv "$TUPLE" | wc -l)
	if [ "$msg" = 1 ] && [ "$n" -ge 1 ] && [ "$PWRU_STATUS" = 0 ]; then
		ok "--vmlinux /etc/passwd: one line on stderr, tracing goes on ($n icmp_rcv event$([ "$n" = 1 ] || echo s), exit 0)"
	else
		not_ok "--vmlinux /etc/passwd: one line on stderr, tracing goes on" \
			"status $PWRU_STATUS, $n events" "$(cat "$SCRATCH/badvml.err")"
	fi
	if ! grep -q '^ ' "$SCRATCH/badvml.out" && ! head -n 1 "$SCRATCH/badvml.out" | grep -q CALLER; then
		ok "without --output-stack/--output-caller: no stack lines, no CALLER column"
	else
		not_ok "without --output-stack/--output-caller: no stack lines, no CALLER column" \
			"$(head -n 5 "$SCRATCH/badvml.out")"
	fi
else
	not_ok "--vmlinux /etc/passwd: pwru still starts" "$(cat "$SCRATCH/badvml.err")"
fi
# fentry runs from a trampoline, with no return-address slot to read: CALLER comes from
# the kernel's stack, the frame under the function's (and --output-caller alone prints no
# stack).
if ! refused_here fentry; then
	if pwru_start fentry --backend fentry --output-caller --filter-func 'ip_rcv|icmp_rcv' icmp; then
		$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null 2>&1
		wait_lines "$SCRATCH/fentry.out" "$AT_ICMP_RCV"
		pwru_stop
		for pair in ip_rcv:__netif_receive_skb_one_core icmp_rcv:ip_protocol_deliver_rcu; do
			fn=${pair%%:*} want=${pair#*:}
			got=$(event_lines "$SCRATCH/fentry.out" "$fn" "$TUPLE" | awk '{ print $NF }' |
				sed 's/+0x.*//' | sort -u)
			check_caller "--backend fentry: $fn is called by $want" "$want" "$got" \
				"$SCRATCH/fentry.out"
		done
		check_no_stack "--backend fentry --output-caller: no stack lines" "$SCRATCH/fentry.out"
	else
		not_ok "pwru --backend fentry --output-caller attached" "$(head -n 5 "$SCRATCH/fentry.err")"
	fi
fi
# Code loaded after pwru read kallsyms: the nft reject below loads nf_tables (when no
# scenario before did) and nft_reject_inet; __icmp_send, called from the reject, has their
# frames in its stack. Each is named after its own function and module (kallsyms read
# again on the miss), never after the last function of a module loaded before it.
LATE="nft_do_chain\\+0x[0-9a-f]+(/0x[0-9a-f]+)? \\[nf_tables\\]"
if pwru_start late --output-stack --filter-func '__icmp_send' icmp; then
	$IP netns exec b $NFT add table inet late \; \
		add chain inet late input '{ type filter hook input priority 0; policy accept; }' \; \
		add rule inet late input icmp type echo-request reject
	$IP netns exec a ping -c 1 -W 1 10.0.1.2 >/dev/null 2>&1
	wait_lines "$SCRATCH/late.out" "^    $LATE$"
	pwru_stop
	$IP netns exec b $NFT delete table inet late
	if grep -Eq "^    $LATE$" "$SCRATCH/late.out"; then
		ok "a module loaded after the start: its frame is nft_do_chain [nf_tables]"
	else
		not_ok "a module loaded after the start: its frame is nft_do_chain [nf_tables]" \
			"$(head -n 30 "$SCRATCH/late.out")"
	fi
	wrong=$(grep -E '^    .*(veth_set_channels|cleanup_module)' "$SCRATCH/late.out" | head -n 3)
	if [ -z "$wrong" ]; then
		ok "no frame named after an earlier module's last function"
	else
		not_ok "no frame named after an earlier module's last function" "$wrong"
	fi
else
	not_ok "pwru --output-stack --filter-func __icmp_send attached" "$(head -n 5 "$SCRATCH/late.err")"
fi
check_nothing_attached
