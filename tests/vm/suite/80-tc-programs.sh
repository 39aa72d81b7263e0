# tc programs of the tests' own (tests/bpf/, in build/tests/bpf): what a user of Cilium
# checks in pwru's output. cilium_like.bpf.o marks b's incoming IPv4 packets with
# security identity 6 (remote-node) in Cilium's mark layout.
. tests/vm/suite/lib.sh

TC=/usr/sbin/tc
INB="nsenter --net=/run/netns/b" # keeps our mount namespace (ip netns exec remounts /sys)
OBJ=build/tests/bpf
TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

check "two netns joined by veth" netns_pair
check "cilium_like on vb's tc ingress" sh -c "$INB $TC qdisc add dev vb clsact &&
	$INB $TC filter add dev vb ingress bpf da obj $OBJ/cilium_like.bpf.o sec tc"

# --output-cilium: the mark decoded after FUNC, the raw mark kept in MARK/x.
if pwru_start mark --output-cilium --filter-func 'ip_rcv|icmp_rcv' icmp; then
	$IP netns exec a ping -c 1 -W 2 10.0.1.2 >/dev/null 2>&1
	sleep 0.5
	pwru_stop
	line=$(event_lines "$SCRATCH/mark.out" icmp_rcv "$TUPLE" | head -n 1)
	case $line in
	*" 60f00 "*" icmp_rcv mark=IDENTITY,identity=6(remote-node)")
		ok "--output-cilium: icmp_rcv in b shows mark 60f00 as IDENTITY,identity=6(remote-node)" ;;
	*)
		not_ok "--output-cilium: icmp_rcv in b shows mark 60f00 as IDENTITY,identity=6(remote-node)" "line: $line"
		show "pwru stdout" "$SCRATCH/mark.out" ;;
	esac
	line=$(grep -F '10.0.1.2:0->10.0.1.1:0(icmp) icmp_rcv' "$SCRATCH/mark.out" | head -n 1)
	case $line in
	*"(icmp) icmp_rcv") ok "the reply in a, unmarked, has nothing added" ;;
	*) not_ok "the reply in a, unmarked, has nothing added" "line: $line" ;;
	esac
else
	not_ok "pwru --output-cilium attached" "$(head -n 20 "$SCRATCH/mark.err")"
fi

if pwru_start markjson --output-cilium --output-json --filter-func icmp_rcv 'dst host 10.0.1.2'; then
	$IP netns exec a ping -c 1 -W 2 10.0.1.2 >/dev/null 2>&1
	sleep 0.5
	pwru_stop
	check "--output-json --output-cilium: cilium_identity 6, remote-node" \
		jq -e -s '[.[] | select(.type == "event" and .func == "icmp_rcv")] | length >= 1 and
			all(.mark == 397056 and .cilium_mark == "IDENTITY identity=6(remote-node)" and
			    .cilium_identity == 6 and .cilium_identity_name == "remote-node")' \
		"$SCRATCH/markjson.out"
else
	not_ok "pwru --output-cilium --output-json attached" "$(head -n 20 "$SCRATCH/markjson.err")"
fi
check_nothing_attached
