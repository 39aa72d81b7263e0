# A packet consumed, not dropped, through a drop-reason function. From Linux 6.8 a packet
# socket's packet_rcv lets go of what its filter rejects with kfree_skb_reason(skb,
# SKB_CONSUMED) (sk_skb_reason_drop from 6.11), before with consume_skb(). A socket for every
# protocol with a reject-all filter (build/tests/bpf/pkt-reject) sits on b's vb during a
# ping: each echo request reaches it (a reference, taken before ip_rcv gets the packet) and
# each echo reply (a clone of its own, which the free ends). pwru's default output shows that
# free right after packet_rcv, named with SKB_CONSUMED where the kernel passes it; --summary
# counts it among the events, no drop; --output-chains ends the clones' blocks freed.
. tests/vm/suite/lib.sh

OBJ=build/tests/bpf
FUNCS='packet_rcv|consume_skb|kfree_skb_reason|sk_skb_reason_drop|ip_rcv|icmp_rcv|kfree_skbmem'
REQ='10.0.1.1:0->10.0.1.2:0(icmp)'
REPLY='10.0.1.2:0->10.0.1.1:0(icmp)'

# Decided from the kernel: the change that made packet_rcv free with a reason (6.8) added
# SKB_DROP_REASON_PACKET_SOCK_ERROR for its other drops; 6.11 renamed the function.
if grep -qa SKB_DROP_REASON_PACKET_SOCK_ERROR /sys/kernel/btf/vmlinux; then
	FREE=kfree_skb_reason
	grep -q ' sk_skb_reason_drop$' /proc/kallsyms && FREE=sk_skb_reason_drop
	FREE_TEXT="$FREE(SKB_CONSUMED)"
	SUMMARY_ROW="$FREE  SKB_CONSUMED"
	diag "$(uname -r): packet_rcv frees what its filter rejects with $FREE_TEXT (BTF has SKB_DROP_REASON_PACKET_SOCK_ERROR)"
else
	FREE_TEXT=consume_skb
	SUMMARY_ROW=consume_skb
	diag "$(uname -r): packet_rcv frees what its filter rejects with consume_skb (before 6.8: BTF has no SKB_DROP_REASON_PACKET_SOCK_ERROR)"
fi

TOOL=$OBJ/pkt-reject
[ "$(uname -m)" = aarch64 ] && TOOL=$OBJ/pkt-reject.arm64
need_test_bpf "${TOOL#"$OBJ"/}"

check "two netns joined by veth" netns_pair
$IP netns exec b $TOOL "$SCRATCH/sock.ready" vb 2>"$SCRATCH/sock.err" &
PING2_PID=$!
# /proc/net/packet: protocol 0003 (ETH_P_ALL) on vb's ifindex
ifindex=$($IP netns exec b cat /sys/class/net/vb/ifindex)
if wait_until [ -e "$SCRATCH/sock.ready" ] &&
	$IP netns exec b awk -v i="$ifindex" '$4 == "0003" && $5 == i { f = 1 } END { exit !f }' \
		/proc/net/packet; then
	ok "a packet socket with a reject-all filter is open on b's vb"
else
	not_ok "a packet socket with a reject-all filter is open on b's vb" \
		"$(cat "$SCRATCH/sock.err")" "$($IP netns exec b cat /proc/net/packet)"
	exit 0
fi

# run NAME ARGS... : pwru on FUNCS during two pings from a; the replies prove b's stack had
# the requests, whatever the socket did with them.
run() {
	local name=$1 st
	shift
	if ! pwru_start "$name" --filter-func "$FUNCS" "$@" icmp; then
		not_ok "$name: pwru attached" "pwru exited ${PWRU_STATUS:-?} before it was ready" \
			"$(head -n 20 "$SCRATCH/$name.err")"
		return 1
	fi
	$IP netns exec a ping -c 2 -i 0.3 -W 2 10.0.1.2 >/dev/null
	st=$?
	pwru_stop
	check "$name: both echo requests answered, pwru exits 0" [ "$st/$PWRU_STATUS" = 0/0 ]
}

if run events --summary; then
	# Per packet_rcv event of the ping, the next event of its skb: "TUPLE FUNC" a line.
	after=$(awk -v req="$REQ" -v reply="$REPLY" '
		$1 !~ /^0x/ { next }
		index($0, req) { t = req } index($0, reply) { t = reply }
		!index($0, req) && !index($0, reply) { next }
		$1 in rcv { print t, $NF; delete rcv[$1] }
		$NF == "packet_rcv" { rcv[$1] = 1 }' "$SCRATCH/events.out")
	n_req=$(printf '%s\n' "$after" | grep -cxF "$REQ $FREE_TEXT")
	n_reply=$(printf '%s\n' "$after" | grep -cxF "$REPLY $FREE_TEXT")
	other=$(printf '%s\n' "$after" | grep -vxF -e "$REQ $FREE_TEXT" -e "$REPLY $FREE_TEXT")
	if [ "$n_req" -ge 2 ] && [ "$n_reply" -ge 2 ] && [ -z "$other" ]; then
		ok "default output: after each echo request's and reply's packet_rcv, $FREE_TEXT ($n_req, $n_reply)"
	else
		not_ok "default output: after each echo request's and reply's packet_rcv, $FREE_TEXT" \
			"requests $n_req, replies $n_reply; other next events: ${other:-none}" \
			"pwru's output:" "$(head -n 30 "$SCRATCH/events.out" | cut -c1-200)"
	fi
	# --summary (stderr): the free among the events by function (each request's and each
	# reply's), not among the drops. A drop of the echo replies at a is the kernel's: busybox's
	# ping reads them on a raw socket, and icmp_rcv, finding no ping socket, drops the skb it
	# has (6.12: sk_skb_reason_drop(SKB_DROP_REASON_NO_SOCKET)).
	# (with no drop, "no drops seen" in the heading's place)
	events=$(sed -n -E '/^events by function:$/,/^(drops by function and reason:|no drops seen)$/p' "$SCRATCH/events.err")
	drops=$(sed -n -E '/^(drops by function and reason:|no drops seen)$/,$p' "$SCRATCH/events.err")
	n=$(printf '%s\n' "$events" | awk -v row="$SUMMARY_ROW" '{ c = $1; sub(/^ +[0-9]+  /, "") } $0 == row { print c }')
	if [ "${n:-0}" -ge 4 ] && printf '%s\n' "$drops" | grep -Eq '^(drops by function and reason:|no drops seen)$' &&
		! printf '%s\n' "$drops" | grep -Eq "^ +[0-9]+  $SUMMARY_ROW\$|SKB_CONSUMED"; then
		ok "--summary: '$SUMMARY_ROW' among the events by function ($n), not among the drops"
	else
		not_ok "--summary: '$SUMMARY_ROW' among the events by function (4 or more), not among the drops" \
			"$(grep -A 30 '^pwru summary' "$SCRATCH/events.err")"
	fi
fi

if run chains --output-chains; then
	# one block a line: header | +NS FUNC | ... | end: ...
	blocks=$(awk '/^skb 0x/ { if (b != "") print b; b = $0; next }
		/^ +\+[0-9]+ ns  / { sub(/^ +/, ""); b = b " | " $0; next }
		/^  end: / { sub(/^  /, ""); b = b " | " $0 }
		END { if (b != "") print b }' "$SCRATCH/chains.out")
	rcv_free="[|] [+][0-9]+ ns  packet_rcv [|] [+][0-9]+ ns  $(printf '%s' "$FREE_TEXT" | sed 's/[()]/[&]/g') [|]"
	# a reply's clone: its block begins at packet_rcv
	clones=$(printf '%s\n' "$blocks" | grep -F -- "$REPLY" |
		grep -cE -- "^skb 0x[0-9a-f]+ [^|]* $rcv_free( .* [|])? end: freed\$")
	requests=$(printf '%s\n' "$blocks" | grep -F -- "$REQ" |
		grep -cE -- " $rcv_free .*  ip_rcv .*  icmp_rcv .* [|] end: freed\$")
	# what the ping's socket at a drops (above) ends a block "dropped", not this free
	dropped=$(printf '%s\n' "$blocks" | grep -F -e " | end: dropped at $FREE_TEXT" -e '(SKB_CONSUMED)$')
	if [ "$clones" -ge 2 ] && [ "$requests" -ge 2 ] && [ -z "$dropped" ]; then
		ok "--output-chains: packet_rcv then $FREE_TEXT, blocks end freed (replies' clones $clones, requests $requests)"
	else
		not_ok "--output-chains: packet_rcv then $FREE_TEXT, blocks end freed" \
			"replies' clones: $clones, requests through ip_rcv: $requests; dropped there:" "${dropped:-none}"
		show "pwru's output" "$SCRATCH/chains.out" 40
	fi
fi
check_nothing_attached
