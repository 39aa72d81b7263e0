# --filter-tunnel-pcap-l2/-l3 and --output-tunnel on real tunnels between two
# netns joined by veth (underlay 10.0.1.1 <-> 10.0.1.2): a VXLAN pair (VNI 42,
# port 4789, overlay 192.168.42.0/24) and a Geneve pair (VNI 7, port 6081,
# overlay 192.168.43.0/24) whose a side adds a Geneve option to every packet
# (tc tunnel_key on an external geneve device). Two inner flows run on each, to
# .2 and to .3; the inner filters must select exactly the flow asked for, on
# the sending side (the kernel's inner headers) and on the receiving side. The
# pings are big, without DF, and the tunnel devices' MTU is the underlay's, so
# the outer packets are fragmented: fragments are new skbs without the kernel's
# inner headers, and b's udp_rcv sees them reassembled, so there the outer
# headers are parsed (and Geneve's option skipped) to find the inner packet.
. tests/vm/suite/lib.sh

FUNCS='ip_output|ip_rcv|udp_rcv'

setup_vxlan() {
	$IP -n a link add vx0 type vxlan id 42 local 10.0.1.1 remote 10.0.1.2 dstport 4789 &&
		$IP -n b link add vx0 type vxlan id 42 local 10.0.1.2 remote 10.0.1.1 dstport 4789 &&
		$IP -n a addr add 192.168.42.1/24 dev vx0 && $IP -n a link set vx0 up &&
		$IP -n b addr add 192.168.42.2/24 dev vx0 && $IP -n b addr add 192.168.42.3/24 dev vx0 &&
		$IP -n b link set vx0 up &&
		$IP -n a link set vx0 mtu 1500 && $IP -n b link set vx0 mtu 1500 &&
		lock_mtu vx0 192.168.42.0/24
}

setup_geneve() {
	$IP -n a link add gn0 type geneve external &&
		$IP -n b link add gn0 type geneve id 7 remote 10.0.1.1 &&
		$IP -n a addr add 192.168.43.1/24 dev gn0 && $IP -n a link set gn0 up &&
		$IP -n b addr add 192.168.43.2/24 dev gn0 && $IP -n b addr add 192.168.43.3/24 dev gn0 &&
		$IP -n b link set gn0 up &&
		$IP -n a link set gn0 mtu 1500 && $IP -n b link set gn0 mtu 1500 &&
		lock_mtu gn0 192.168.43.0/24 &&
		$IP netns exec a tc qdisc add dev gn0 clsact &&
		$IP netns exec a tc filter add dev gn0 egress matchall action tunnel_key set \
			src_ip 10.0.1.1 dst_ip 10.0.1.2 id 7 dst_port 6081 \
			geneve_opts 0102:01:00880022
}

# pings NET : one ping to NET.2 and one to NET.3 from a, side by side (PINGS_OK).
pings() {
	ping_pair "$1.2" "$1.3" -s 1460 -c 10 -i 0.02
}

# trace NAME NET FLAGS... : pwru (the outer UDP port in the expression) during pings to NET.
trace() {
	local name=$1 net=$2
	shift 2
	PINGS_OK=
	if pwru_start "$name" --filter-func "$FUNCS" --output-tunnel "$@"; then
		pings "$net"
		pwru_stop
	else
		not_ok "pwru $* attached" "$(head -n 5 "$SCRATCH/$name.err")"
	fi
}

# lines FILE FUNC NETNS-INODE INNER : event lines at FUNC, in that netns, whose last field
# (the TUNNEL column) is INNER.
lines() {
	awk -v fn="$2" -v ns="$3" -v inner="$4" '$11 == fn && $4 == ns && $NF == inner' "$1" | wc -l
}

netns_inode() {
	$IP netns exec "$1" readlink /proc/self/ns/net | tr -dc 0-9
}

# The overlay route's MTU locked: a tunnel learning its path MTU would have the
# inner packets fragmented from then on, instead of its outer ones.
lock_mtu() {
	$IP -n a route replace "$2" dev "$1" mtu lock 1500 &&
		$IP -n b route replace "$2" dev "$1" mtu lock 1500
}

# sockets send without DF: the tunnels fragment their outer packets instead of the inner
no_df() {
	$IP netns exec a sysctl -qw net.ipv4.ip_no_pmtu_disc=1 &&
		$IP netns exec b sysctl -qw net.ipv4.ip_no_pmtu_disc=1
}

check "two netns joined by veth" netns_pair
check "no DF on the pings" no_df
check "a VXLAN pair over it, b answering on 192.168.42.2 and .3" setup_vxlan
check "a Geneve pair, a's side adding an option to each packet" setup_geneve
A_NS=$(netns_inode a)
B_NS=$(netns_inode b)

trace vx 192.168.42 --filter-tunnel-pcap-l3 'host 192.168.42.3' 'udp port 4789'
out=$SCRATCH/vx.out
if head -n 1 "$out" | grep -q ' FUNC TUNNEL$'; then
	ok "--output-tunnel adds the TUNNEL column to the header"
else
	not_ok "--output-tunnel adds the TUNNEL column to the header" "$(head -n 1 "$out")"
fi
# inner flow NAME OUT NET: the .3 requests at a's ip_output and b's udp_rcv; the .2
# flow nowhere.
inner_flow() {
	local name=$1 out=$2 net=$3 fn ns n
	local req="$net.1:0->$net.3:0(icmp)"
	for fn in ip_output udp_rcv; do
		ns=$A_NS
		[ $fn = udp_rcv ] && ns=$B_NS
		n=$(lines "$out" $fn "$ns" "$req")
		if [ "$n" -ge 5 ]; then
			ok "$name: the .3 requests show at $fn (netns $ns) with their inner tuple ($n)"
		else
			not_ok "$name: the .3 requests show at $fn (netns $ns) with their inner tuple ($n)"
			show "pwru stdout" "$out"
		fi
	done
	if [ -n "$PINGS_OK" ] && ! grep -qF "$net.2:0" "$out"; then
		ok "$name: the .2 flow, answered, does not show"
	else
		not_ok "$name: the .2 flow, answered, does not show" "pings answered: ${PINGS_OK:-no}" \
			"$(grep -F "$net.2:0" "$out" | head -n 3)"
	fi
}

# at a's ip_output the kernel's inner headers say where; at b's udp_rcv, parsing does
inner_flow VXLAN "$out" 192.168.42
if grep -q -- '->10\.0\.1\.[12]:4789(udp)' "$out" &&
	! awk 'NR > 1 && $NF !~ /192\.168\.42\.3:0|:0->192\.168\.42\.1:0\(icmp\)/ && $NF != ":0->:0()"' "$out" | grep -q .; then
	ok "VXLAN: every line is outer UDP to 4789 carrying the .3 flow (no .2 flow)"
else
	not_ok "VXLAN: every line is outer UDP to 4789 carrying the .3 flow (no .2 flow)" \
		"$(awk 'NR > 1 && $NF !~ /192\.168\.42\.3/' "$out" | head -n 5)"
fi
# L2: the inner frames a sends (source MAC a's vx0), not b's answers.
MAC_A=$($IP netns exec a cat /sys/class/net/vx0/address)
trace vxl2 192.168.42 --filter-tunnel-pcap-l2 "ether src $MAC_A" 'udp port 4789'
req=$(grep -c -- ' 192\.168\.42\.1:0->192\.168\.42\.[23]:0(icmp)$' "$SCRATCH/vxl2.out")
rep=$(grep -c -- ' 192\.168\.42\.[23]:0->192\.168\.42\.1:0(icmp)$' "$SCRATCH/vxl2.out")
if [ "$req" -ge 10 ] && [ -n "$PINGS_OK" ] && [ "$rep" -eq 0 ]; then
	ok "VXLAN L2 'ether src <a's MAC>': a's inner frames show ($req lines), b's answers not"
else
	not_ok "VXLAN L2 'ether src <a's MAC>': a's inner frames show, b's answers not" \
		"requests $req, answers $rep, pings answered: ${PINGS_OK:-no}"
	show "pwru stdout" "$SCRATCH/vxl2.out"
fi

trace gn 192.168.43 --filter-tunnel-pcap-l3 'host 192.168.43.3' 'udp port 6081'
out=$SCRATCH/gn.out
# at b's udp_rcv past the Geneve option
inner_flow Geneve "$out" 192.168.43
check "pwru exits 0 on SIGINT" test "${PWRU_STATUS:-x}" = 0

trace gnjson 192.168.43 --output-json --filter-tunnel-pcap-l3 'host 192.168.43.3' 'udp port 6081'
n=$(jq -c 'select(.tunnel_tuple.daddr == "192.168.43.3" and .tunnel_tuple.proto == 1)' \
	"$SCRATCH/gnjson.out" 2>/dev/null | wc -l)
other=$(jq -c 'select(.type == "event") | select(.tunnel_tuple.saddr != "192.168.43.3" and .tunnel_tuple.daddr != "192.168.43.3")' \
	"$SCRATCH/gnjson.out" 2>/dev/null | wc -l)
if [ "$n" -ge 10 ] && [ "$other" -eq 0 ]; then
	ok "JSON: tunnel_tuple holds the inner flow asked for ($n objects), no other"
else
	not_ok "JSON: tunnel_tuple holds the inner flow asked for, no other" "$n, $other others"
	show "pwru stdout" "$SCRATCH/gnjson.out"
fi

# The tracepoint backend: the same filter at a's tp:net_dev_queue (the outer packets
# leaving va, the kernel's inner headers set) and b's tp:netif_receive_skb (parsed);
# pings of the default size, not fragmented.
if pwru_start vxtp --backend tracepoint --filter-func 'net_dev_queue|netif_receive_skb' \
	--output-tunnel --filter-tunnel-pcap-l3 'host 192.168.42.3' 'udp port 4789'; then
	ping_pair 192.168.42.2 192.168.42.3 -c 5 -i 0.02
	pwru_stop
	req='192.168.42.1:0->192.168.42.3:0(icmp)'
	q=$(lines "$SCRATCH/vxtp.out" tp:net_dev_queue "$A_NS" "$req")
	r=$(lines "$SCRATCH/vxtp.out" tp:netif_receive_skb "$B_NS" "$req")
	if [ "$q" -ge 5 ] && [ "$r" -ge 5 ] && [ -n "$PINGS_OK" ] &&
		! grep -qF '192.168.42.2:0' "$SCRATCH/vxtp.out"; then
		ok "tracepoint backend: the .3 requests at a's tp:net_dev_queue ($q) and b's tp:netif_receive_skb ($r), the .2 flow nowhere"
	else
		not_ok "tracepoint backend: the .3 requests at a's tp:net_dev_queue and b's tp:netif_receive_skb, the .2 flow nowhere" \
			"net_dev_queue $q, netif_receive_skb $r, pings answered: ${PINGS_OK:-no}"
		show "pwru stdout" "$SCRATCH/vxtp.out"
	fi
else
	not_ok "pwru --backend tracepoint with a tunnel filter attached" "$(head -n 5 "$SCRATCH/vxtp.err")"
fi

check_bad_input "an L3 tunnel filter that cannot judge IP: exit 2, one line" \
	"bad --filter-tunnel-pcap-l3 'arp'" --filter-tunnel-pcap-l3 arp icmp
check_nothing_attached
