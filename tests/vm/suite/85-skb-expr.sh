# --filter-skb-expr and --output-skb-metadata on real skbs: two pings side by
# side from netns a to b, small (IP length 128) and large (1028), which an nft
# rule in a marks 0x2233 and 0x1142. At a's ip_finish_output2 (skb->dev is set
# there, not yet at ip_output's entry) each expression must
# select exactly the pings it describes: every comparison operator at the
# edge that tells it from its neighbour (< from <=, > from >=), masks, &&, ||,
# !, a signed field against -1, a bitfield, pointers followed three deep. The
# metadata shows each skb's own values in text and JSON. A wrong field: exit 2,
# one line naming the field and the struct, nothing attached.
. tests/vm/suite/lib.sh

SMALL=128
LARGE=1028

mark_pings() {
	$IP netns exec a nft -f - <<-'EOF'
		table ip t {
			chain out {
				type filter hook output priority 0;
				ip protocol icmp ip length 128 meta mark set 0x2233
				ip protocol icmp ip length 1028 meta mark set 0x1142
			}
		}
	EOF
}

check "two netns joined by veth" netns_pair
check "nft in a marks the small and the large pings" mark_pings
A_NS=$($IP netns exec a readlink /proc/self/ns/net | tr -dc 0-9)

# run NAME EXPR [FLAGS...] : pwru at ip_finish_output2 in a's netns, during both pings.
run() {
	local name=$1 expr=$2
	shift 2
	if pwru_start "$name" --filter-func "${AT:-ip_finish_output2}" --filter-netns "inode:$A_NS" \
		--filter-skb-expr "$expr" "$@" icmp; then
		$IP netns exec a ping -s 100 -c 5 -i 0.02 10.0.1.2 >/dev/null 2>&1 &
		PING_PID=$!
		$IP netns exec a ping -s 1000 -c 5 -i 0.02 10.0.1.2 >/dev/null 2>&1
		wait "$PING_PID"
		PING_PID=
		pwru_stop
	else
		not_ok "pwru --filter-skb-expr '$expr' attached" "$(head -n 5 "$SCRATCH/$name.err")"
	fi
}

# count NAME LEN : ip_finish_output2 lines with that LEN column
count() {
	awk -v len="$2" '$11 == "ip_finish_output2" && $9 == len' "$SCRATCH/$1.out" | wc -l
}

# expect DESC EXPR WHICH [FLAGS...] : WHICH (small, large, both, none) of the pings show;
# the output stays in $SCRATCH/$LAST.out for more checks (FLAGS: output flags).
n=0
expect() {
	local desc=$1 name=e$n expr=$2 which=$3 s l want_s=0 want_l=0
	shift 3
	n=$((n + 1))
	LAST=$name
	run "$name" "$expr" "$@"
	s=$(count "$name" $SMALL)
	l=$(count "$name" $LARGE)
	case $which in
	small | both) want_s=5 ;;
	esac
	case $which in
	large | both) want_l=5 ;;
	esac
	if [ "$s" -eq "$want_s" ] && [ "$l" -eq "$want_l" ] &&
		[ "$(grep -c ip_finish_output2 "$SCRATCH/$name.out")" -eq $((s + l)) ]; then
		ok "$desc: '$expr' selects $which ($s small, $l large)"
	else
		not_ok "$desc: '$expr' selects $which" "$s small (want $want_s), $l large (want $want_l)"
		show "pwru stdout" "$SCRATCH/$name.out"
	fi
}

expect "==" "skb->len == $LARGE" large
expect "!=" "skb->len != $LARGE" small
expect "< (the edge left out)" "skb->len < $LARGE" small
expect "<= (the edge kept)" "skb->len <= $SMALL" small
expect "> (the edge left out)" "skb->len > $SMALL" large
expect ">= (the edge kept)" "skb->len >= $LARGE" large
expect "a mask" "skb->mark & 0xff == 0x42" large
expect "a field alone (not zero)" "skb->mark & 0x1000" large
expect "&&, a mask in parentheses" "(skb->mark & 0xff00) == 0x1100 && skb->len == $LARGE" large
expect "!" "!(skb->mark == 0x2233)" large
expect "a signed field, a bitfield (PACKET_HOST)" \
	"skb->dev->ifindex > -1 && skb->pkt_type == 0 && skb->len == $SMALL" small
expect "three pointers" \
	"skb->dev->nd_net.net->ns.inum == $((A_NS + 1)) || skb->dev->nd_net.net->ns.inum == $A_NS && skb->len == $SMALL" small

# --output-skb-metadata, --output-skb, --output-skb-shared-info on the run of || (both
# pings): each line carries its own skb's values, the kernel's BTF dumps under each line.
expect "||" "skb->mark == 0x2233 || skb->len == $LARGE" both \
	--output-skb-metadata 'skb->len' --output-skb-metadata 'skb->mark & 0xff00' \
	--output-skb-metadata 'skb->dev->ifindex' --output-skb --output-skb-shared-info
out=$SCRATCH/$LAST.out
ifx=$($IP netns exec a cat /sys/class/net/va/ifindex)
good=$(awk -v ifx="$ifx" '$11 == "ip_finish_output2" &&
	(($9 == 128 && $12 == "skb->len=128" && $13 == "skb->mark&0xff00=8704") ||
	 ($9 == 1028 && $12 == "skb->len=1028" && $13 == "skb->mark&0xff00=4352")) &&
	$14 == "skb->dev->ifindex=" ifx' "$out" | wc -l)
if [ "$good" -eq 10 ]; then
	ok "--output-skb-metadata: len, the masked mark and the ifindex after FUNC, per skb ($good)"
else
	not_ok "--output-skb-metadata: len, the masked mark and the ifindex after FUNC, per skb ($good)"
	show "pwru stdout" "$out"
fi
skbs=$(grep -c '^(struct sk_buff){' "$out")
shinfos=$(grep -c '^(struct skb_shared_info){' "$out")
lens=$(grep -c '^[[:space:]]*\.len = (unsigned int)1028,' "$out")
slens=$(grep -c '^[[:space:]]*\.len = (unsigned int)128,' "$out")
marks=$(grep -c '^[[:space:]]*\.mark = (__u32)4418,' "$out")
smarks=$(grep -c '^[[:space:]]*\.mark = (__u32)8755,' "$out")
if [ "$skbs" -eq 10 ] && [ "$shinfos" -eq 10 ] && [ "$lens" -eq 5 ] && [ "$slens" -eq 5 ] &&
	[ "$marks" -ge 5 ] && [ "$smarks" -ge 5 ]; then
	ok "--output-skb and --output-skb-shared-info: both dumps under each of the 10 lines, each skb's len and mark in them"
else
	not_ok "--output-skb and --output-skb-shared-info: both dumps under each of the 10 lines" \
		"sk_buff $skbs, skb_shared_info $shinfos, len 1028 $lens, len 128 $slens, mark 4418 $marks, mark 8755 $smarks"
	show "pwru stdout" "$out"
fi
# json_five DESC COND : the 5 large pings' event objects in the JSON run's output meet COND (jq).
json_five() {
	local good
	good=$(jq -c "select(.type == \"event\" and ($2))" "$SCRATCH/json.out" 2>/dev/null | wc -l)
	if [ "$good" -eq 5 ]; then
		ok "$1 ($good)"
	else
		not_ok "$1 ($good)"
		show "pwru stdout" "$SCRATCH/json.out"
	fi
}
run json "skb->len == $LARGE" --output-json --output-skb-metadata 'skb->mark' --output-skb
json_five "JSON: \"metadata\": {\"skb->mark\": 4418} on the large pings" '.metadata["skb->mark"] == 4418'
json_five "JSON: skb_dump holds the dump" '.skb_dump | startswith("(struct sk_buff){")'

# The tracepoint backend: an expression, metadata and the dump at a's tp:net_dev_queue
# (the Ethernet header pushed: LEN 1042).
AT=net_dev_queue run tp "skb->mark & 0xff == 0x42" --backend tracepoint \
	--output-skb-metadata 'skb->mark' --output-skb
good=$(awk '$11 == "tp:net_dev_queue" && $9 == 1042 && $12 == "skb->mark=4418"' "$SCRATCH/tp.out" | wc -l)
all=$(grep -c ' tp:net_dev_queue ' "$SCRATCH/tp.out")
skbs=$(grep -c '^(struct sk_buff){' "$SCRATCH/tp.out")
if [ "$good" -eq 5 ] && [ "$all" -eq 5 ] && [ "$skbs" -eq 5 ]; then
	ok "tracepoint backend: the expression selects the large pings at tp:net_dev_queue, with metadata and dump ($good)"
else
	not_ok "tracepoint backend: the expression selects the large pings at tp:net_dev_queue, with metadata and dump" \
		"$good good lines of $all, $skbs dumps"
	show "pwru stdout" "$SCRATCH/tp.out"
fi

check_bad_input "a wrong field: exit 2, one line naming the field and the struct" \
	"no field 'ifindexx' in struct net_device" \
	--filter-func ip_finish_output2 --filter-skb-expr 'skb->dev->ifindexx == 2'
check_nothing_attached
