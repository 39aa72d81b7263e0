#!/bin/bash
# The tracepoint backend on this machine's own kernel, with real traffic: a ping on the
# loopback of a scratch network namespace. On a kernel that refuses kprobes and fentry
# (a locked-down one) it is what `pwru icmp` must pick by itself, saying why in one line.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
. tests/srcline-note.sh

local_trace_start
ns=pwru-tp-$$
scratch=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
scratch_netns "$ns"

# start NAME ARGS...: pwru in the background, waits for its ready file; sets pid.
start() {
	local name=$1
	shift
	pwru_start "$scratch/$name.ready" "$scratch/$name.out" "$scratch/$name.err" \
		--filter-netns "/var/run/netns/$ns" "$@" && return 0
	kill "$pid" 2>/dev/null
	wait "$pid"
	pid=
	return 1
}

stop() { # SIGINT, wait; sets status
	kill -INT "$pid"
	wait "$pid"
	status=$?
	pid=
}

tuple='127.0.0.1:0->127.0.0.1:0(icmp)'
if start forced --backend tracepoint icmp; then
	result 0 "--backend tracepoint attaches ($(grep -m1 attached "$scratch/forced.err"))"
	ours=$(held_progs "$pid")
	check "while tracing, bpftool shows our tracepoint programs" \
		"bpftool prog show | grep -E '^($(echo $ours | tr ' ' '|')): .* name (tp_btf|raw_tp)_skb_' | grep -q ."
	ip netns exec "$ns" ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
	# Into a file, as `pwru ... > trace.txt` with `tail -f trace.txt` beside it: every
	# event is in it while pwru runs, not only once it exits (one ping's events are far
	# less than stdio's buffer). Up to 5 s for the count to hold still for a second.
	live=0 still=0
	for i in $(seq 25); do
		n_now=$(grep -c '^0x' "$scratch/forced.out")
		if [ "$n_now" -gt 0 ] && [ "$n_now" = "$live" ]; then
			still=$((still + 1))
			[ $still -ge 5 ] && break
		else
			still=0
		fi
		live=$n_now
		sleep 0.2
	done
	stop
	n_final=$(grep -c '^0x' "$scratch/forced.out")
	check "stdout a file: all $n_final events were in it before pwru stopped ($live were)" \
		'[ "$live" -gt 0 ] && [ "$live" = "$n_final" ]'
	check "exits 0 on SIGINT" '[ "$status" = 0 ]' "status $status" "$(cat "$scratch/forced.err")"
	for tp in net_dev_queue net_dev_start_xmit netif_receive_skb consume_skb; do
		check "the ping shows at tp:$tp with its tuple" \
			"grep -q ' $tuple tp:$tp\$' '$scratch/forced.out'" "$(head -n 20 "$scratch/forced.out")"
	done
	check "every event is a tracepoint event with the ping's tuple" \
		"! awk '/^0x/ && !(index(\$0, \"$tuple tp:\"))' '$scratch/forced.out' | grep -q ." \
		"$(awk '/^0x/ && !index($0, "tp:")' "$scratch/forced.out" | head -n 5)"
	left=$(left_after_exit $ours)
	check "after exit none of our programs is left" '[ -n "$ours" ] && [ -z "$left" ]' \
		"held: $ours" "still there:$left"
else
	result 1 "--backend tracepoint attaches" "$(cat "$scratch/forced.err")"
fi

# The filter applies: of two pings, the one the expression does not match prints nothing,
# while the one it matches shows (else an empty output would pass). --output-caller: one
# line says where source lines come from, or why there are none.
if start nomatch --backend tracepoint --output-caller 'icmp and host 127.0.0.2'; then
	ip netns exec "$ns" ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
	ip netns exec "$ns" ping -c 1 -W 1 127.0.0.2 >/dev/null 2>&1
	stop
	check "a pcap filter: the ping it matches shows (127.0.0.2)" \
		"grep -q '^0x.* 127\.0\.0\.1:0->127\.0\.0\.2:0(icmp) ' '$scratch/nomatch.out'" \
		"$(head -n 5 "$scratch/nomatch.out")"
	check "and the one it does not match (127.0.0.1 to itself) shows nowhere" \
		"! grep '^0x' '$scratch/nomatch.out' | grep -qv '127\.0\.0\.2:0'" \
		"$(grep -v '127\.0\.0\.2:0' "$scratch/nomatch.out" | head -n 5)"
	lines=$(srcline_note)
	check "--output-caller: one line says '$lines...'" \
		"[ \"\$(grep -cF '$lines' '$scratch/nomatch.err')\" = 1 ]" "$(cat "$scratch/nomatch.err")"
else
	result 1 "--backend tracepoint with a non-matching filter attaches" "$(cat "$scratch/nomatch.err")"
fi

# IPv6 fragments name their protocol, as IPv4 ones do: a 2000-byte ping over an lo of MTU
# 1280 leaves in two fragments, each queued on lo (tp:net_dev_queue) with the fragment
# header before ICMPv6.
if ip -n "$ns" link set lo mtu 1280 && start frag6 --backend tracepoint ip6; then
	ip netns exec "$ns" ping -6 -c 1 -W 1 -s 2000 ::1 >/dev/null 2>&1
	stop
	ip -n "$ns" link set lo mtu 65536
	frags=$(grep -c '^0x.* \[::1\]:0->\[::1\]:0(icmp6) tp:net_dev_queue$' "$scratch/frag6.out")
	check "IPv6 fragments: both of the ping's show as (icmp6) at tp:net_dev_queue ($frags)" \
		'[ "$frags" -ge 2 ] && ! grep -q "^0x.*:0() tp:" "$scratch/frag6.out"' \
		"$(head -n 8 "$scratch/frag6.out")"
else
	result 1 "--backend tracepoint ip6 attaches (lo at MTU 1280)" "$(cat "$scratch/frag6.err")"
fi

# --output-pcap of the ping, read back by libpcap (pwru --check-filter, as tcpdump reads it):
# every packet is there, each one an Ethernet frame that 'icmp' matches, 'tcp' none. Both
# kinds come: frames from the MAC header (lo is Ethernet), and packets with no MAC header
# yet (the reply handed to ping's socket), which get a made-up one and say l2=none.
if start pcap --backend tracepoint --output-pcap "$scratch/p.pcapng" icmp; then
	ip netns exec "$ns" ping -c 2 -i 0.2 -W 1 127.0.0.1 >/dev/null 2>&1
	stop
	events=$(grep -c '^0x' "$scratch/pcap.out")
	./pwru --check-filter "$scratch/p.pcapng" icmp >"$scratch/icmp" 2>&1
	./pwru --check-filter "$scratch/p.pcapng" tcp >"$scratch/tcp" 2>&1
	read_all=$(grep -c '' "$scratch/icmp")
	icmp=$(grep -cx '[0-9]* 1' "$scratch/icmp")
	tcp=$(grep -cx '[0-9]* 0' "$scratch/tcp")
	check "pcapng: libpcap reads all $events packets ($read_all) and 'icmp' matches each ($icmp)" \
		'[ "$events" -ge 8 ] && [ "$read_all" = "$events" ] && [ "$icmp" = "$events" ]' \
		"$(head -n 3 "$scratch/icmp")"
	check "pcapng: 'tcp' matches none of them" '[ "$tcp" = "$events" ]' "$(head -n 3 "$scratch/tcp")"
	# the made-up header's packets by their comment: libpcap's 'icmp' matched them too
	tshark -r "$scratch/p.pcapng" -T fields -e frame.number -e frame.comment 2>/dev/null |
		awk -F'\t' '/ l2=none$/ { print $1 " 1" }' >"$scratch/none"
	check "pcapng: packets without a MAC header are there (l2=none) and match 'icmp'" \
		"[ -s '$scratch/none' ] && ! grep -vxFf '$scratch/icmp' '$scratch/none' | grep -q ." \
		"$(tshark -r "$scratch/p.pcapng" -T fields -e frame.comment 2>&1 | head -n 5)"
else
	result 1 "--backend tracepoint --output-pcap attaches" "$(cat "$scratch/pcap.err")"
fi

# A chain ends on its own 100 ms after its tp:consume_skb: what that tick writes is in a
# file while pwru runs, as its events are.
if start chains --backend tracepoint --output-chains icmp; then
	ip netns exec "$ns" ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
	for i in $(seq 50); do
		grep -q '^skb ' "$scratch/chains.out" && break
		sleep 0.1
	done
	live=$(grep -c '^skb .*(icmp) netns ' "$scratch/chains.out")
	stop
	check "--output-chains into a file: the ping's chains, ended freed, were in it before pwru stopped ($live)" \
		'[ "$live" -ge 1 ]' "$(head -n 20 "$scratch/chains.out")"
else
	result 1 "--backend tracepoint --output-chains attaches" "$(cat "$scratch/chains.err")"
fi

# SIGKILL in the middle of attaching leaves nothing: the kernel owns nothing of ours
# without our file descriptors.
set -m
./pwru --backend tracepoint --filter-netns "/var/run/netns/$ns" icmp >/dev/null 2>"$scratch/kill.err" &
pid=$!
set +m
held=
for _ in $(seq 200); do
	held=$(held_progs "$pid")
	[ -n "$held" ] && break
	sleep 0.01
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
left=$(left_after_exit $held)
check "SIGKILL while attaching: no program of ours is left" '[ -n "$held" ] && [ -z "$left" ]' \
	"held: $held" "left: $left"

# Events lost to nesting: a program finding every per-CPU record buffer of its CPU taken
# (task, softirq and hard irq each hold one) counts its event in the lost map, and the exit
# says so apart from the ring's losses, in JSON's end object too. No traffic nests four
# deep on demand, so the buffers' depth counter is set to "all taken" from outside (bpftool
# writes every CPU's copy): each event the ping makes is then one lost to nesting.
if start nested --backend tracepoint --output-json icmp; then
	depth=''
	for id in $(grep -h '^map_id:' /proc/"$pid"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -un); do
		bpftool map show id "$id" 2>/dev/null | grep -q ' name scratch_depth ' && depth=$id
	done
	# SCRATCH_LEVELS (bpf/event_fill.bpf.h): 3 levels, all taken
	bpftool map update id "${depth:-0}" key 0 0 0 0 value 3 0 0 0 2>"$scratch/nested.bpftool"
	set_st=$?
	ip netns exec "$ns" ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
	stop
	k=$(sed -n "s/^pwru: \([0-9]*\) more events\{0,1\} lost: pwru's programs ran nested on one CPU deeper than their per-CPU buffers (task, softirq, hard irq), not the ring buffer\$/\1/p" "$scratch/nested.err")
	check "all buffers taken: pwru's scratch_depth map set (map ${depth:-not found})" \
		'[ "$set_st" = 0 ]' "$(cat "$scratch/nested.bpftool")"
	check "all buffers taken: the exit says how many events were lost to nesting ($k), apart from the ring's 0 lost" \
		'[ "${k:-0}" -ge 1 ] && grep -qx "pwru: 0 events, 0 lost" "$scratch/nested.err"' "$(cat "$scratch/nested.err")"
	check "all buffers taken: no event got out, and JSON's end object holds lost_nested $k, lost 0" \
		'[ "${k:-0}" -ge 1 ] && [ "$(jq -c "select(.type != \"end\")" "$scratch/nested.out" | wc -l)" = 0 ] &&
		 jq -e --argjson k "${k:-0}" "select(.type == \"end\") | .lost_nested == \$k and .lost == 0 and .events == 0" "$scratch/nested.out" >/dev/null' \
		"$(tail -n 3 "$scratch/nested.out")"
	check "all buffers taken: exits 0 on SIGINT" '[ "$status" = 0 ]' "status $status"
else
	result 1 "--backend tracepoint --output-json attaches" "$(cat "$scratch/nested.err")"
fi

if [ ! -e /sys/bus/event_source/devices/kprobe ]; then
	if start auto icmp; then
		ip netns exec "$ns" ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
		stop
		check "no kprobes here: pwru icmp picks the tracepoint backend, saying why in one line" \
			"grep -q '^pwru: kprobe-multi unavailable (.*); kprobe unavailable (.*); falling back to tracepoint\$' '$scratch/auto.err' && grep -qx 'pwru: backend tracepoint' '$scratch/auto.err'" \
			"$(cat "$scratch/auto.err")"
		check "and traces the ping" "grep -q ' $tuple tp:net_dev_queue\$' '$scratch/auto.out'" \
			"$(head -n 5 "$scratch/auto.out")"
	else
		result 1 "no kprobes here: pwru icmp starts with the tracepoint backend" "$(cat "$scratch/auto.err")"
	fi
fi
tap_plan
