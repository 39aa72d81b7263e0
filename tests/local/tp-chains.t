#!/bin/bash
# Packets told apart on the tracepoint backend (the one a locked-down kernel leaves), with
# real pings between two network namespaces: --output-chains ends each packet at
# tp:consume_skb / tp:kfree_skb, the slab's reuse of an address starts a new chain, =path
# does not depend on the pings' spacing, --summary counts the same packets, and
# --filter-func takes the tp:NAME pwru prints.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

local_trace_start
a=pwru-tpc-a-$$ b=pwru-tpc-b-$$
ip_a=10.213.$(($$ % 250)).1 ip_b=10.213.$(($$ % 250)).2
scratch=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	ip netns del "$a" 2>/dev/null
	ip netns del "$b" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
if ! { ip netns add "$a" && ip netns add "$b" &&
	ip link add tpc-a netns "$a" type veth peer name tpc-b netns "$b" &&
	ip -n "$a" addr add "$ip_a/24" dev tpc-a && ip -n "$b" addr add "$ip_b/24" dev tpc-b &&
	ip -n "$a" link set tpc-a up && ip -n "$b" link set tpc-b up &&
	ip netns exec "$a" ping -c 1 -W 2 "$ip_b" >/dev/null; }; then
	echo "1..1"
	echo "not ok 1 - two network namespaces joined by a veth, pinging"
	exit 1
fi

# trace NAME INTERVAL ARGS...: pwru --backend tracepoint ARGS while namespace a pings b
# twice INTERVAL apart; its stdout in NAME.out, stderr NAME.err, exit status in NAME.rc.
trace() {
	local name=$1 iv=$2
	shift 2
	pwru_start "$scratch/$name.ready" "$scratch/$name.out" "$scratch/$name.err" \
		--backend tracepoint "$@" "host $ip_b"
	ip netns exec "$a" ping -c 2 -i "$iv" -W 2 "$ip_b" >/dev/null 2>&1
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	echo $? >"$scratch/$name.rc"
	pid=
}

req="$ip_a:0->$ip_b:0(icmp)" rep="$ip_b:0->$ip_a:0(icmp)"
trace chains 0.2 --output-chains --summary
out=$scratch/chains.out
n_chains=$(grep -c '^skb ' "$out")
check "--output-chains: the two pings' requests and replies are chains of their own ($n_chains)" \
	"[ \$(grep -c '^skb [^ ]* $req ' '$out') -ge 2 ] && [ \$(grep -c '^skb [^ ]* $rep ' '$out') -ge 2 ]" \
	"$(cat "$out" "$scratch/chains.err")"
check "every chain ends at a tracepoint free point: freed or dropped, none at exit or idle" \
	"[ \$(grep -c '^  end: ' '$out') = $n_chains ] && ! grep '^  end: ' '$out' | grep -Eqv 'end: (freed|dropped at tp:kfree_skb)'" \
	"$(grep '^  end: ' "$out")"
# The socket copy of the reply takes the request's address once that is consumed: it is in
# a chain of the reply's tuple, never glued to the request's.
# (the socket copy is there, in a reply's chain: else the check would judge nothing)
check "no request chain goes on past its tp:consume_skb with the reply's socket copy" \
	"awk '/^skb /{ rep = index(\$0, \" $rep \") } rep && / tp:skb_copy_datagram_iovec\$/' '$out' | grep -q . &&
	 ! awk '/^skb /{ req = index(\$0, \" $req \") } req && / tp:skb_copy_datagram_iovec\$/' '$out' | grep -q ." \
	"$(cat "$out")"
check "no chain goes on after its tp:consume_skb" \
	"! awk '/^skb /{ freed = 0 } /^ /&&freed&&!/^  end:/{ print } / tp:consume_skb\$/{ freed = 1 }' '$out' | grep -q ." \
	"$(cat "$out")"
packets=$(sed -n 's/^pwru summary: [0-9]* events\{0,1\}, [0-9]* lost, \([0-9]*\) packets\{0,1\}.*/\1/p' "$scratch/chains.err")
check "--summary counts the packets the chains show ($packets), an address reused after its free again" \
	"[ '$packets' = '$n_chains' ] && [ '$packets' -ge 4 ]" "$(cat "$scratch/chains.err")"

# The same traffic, pings 0.2 s and 1.3 s apart: the same file (the slab reuses the
# addresses either way; a chain must not run into the next ping's at the same address).
# Fixed neighbour entries both ways: 'host' also selects ARP, and whether a run has an ARP
# exchange follows the neighbour cache's timers (a loaded machine's run had one in path2).
ip -n "$a" neigh replace "$ip_b" lladdr "$(ip netns exec "$b" cat /sys/class/net/tpc-b/address)" \
	dev tpc-a nud permanent
ip -n "$b" neigh replace "$ip_a" lladdr "$(ip netns exec "$a" cat /sys/class/net/tpc-a/address)" \
	dev tpc-b nud permanent
trace path1 0.2 --output-chains=path
trace path2 1.3 --output-chains=path
check "--output-chains=path: pings 0.2 s or 1.3 s apart give the same file" \
	"[ -s '$scratch/path1.out' ] && cmp -s '$scratch/path1.out' '$scratch/path2.out'" \
	"$(diff "$scratch/path1.out" "$scratch/path2.out")" "$(cat "$scratch/path1.err")"
check "=path: a request's line has no socket copy (a reply's has)" \
	"grep -q '^$req tp:net_dev_queue' '$scratch/path1.out' && grep -q '^$rep tp:skb_copy_datagram_iovec' '$scratch/path1.out' &&
	 ! grep '^$req' '$scratch/path1.out' | grep -q skb_copy_datagram_iovec" \
	"$(cat "$scratch/path1.out")"

# --output-meta=false: the kernel reads no netns nor device, so chains show none (not 0)
trace nometa 0.2 --output-chains --output-meta=false
trace nometajson 0.2 --output-chains --output-json --output-meta=false
check "--output-meta=false: chain headers have the tuple and process, no netns nor iface" \
	"grep -q '^skb [^ ]* $req process ' '$scratch/nometa.out' && ! grep -Eq '^skb .* (netns|iface) ' '$scratch/nometa.out'" \
	"$(grep '^skb ' "$scratch/nometa.out" | head -n 3)"
check "--output-meta=false --output-json: chain objects without netns and iface keys" \
	"jq -e -s 'map(select(.type == \"chain\")) | length >= 4 and all(has(\"netns\") or has(\"iface\") | not)' '$scratch/nometajson.out' >/dev/null" \
	"$(grep -m 2 chain "$scratch/nometajson.out")"
check "--output-chains --output-json: the stream ends with the end object, as --output-json's" \
	"tail -n 1 '$scratch/nometajson.out' | jq -e 'select(.type == \"end\") | .events >= 4 and .lost == 0' >/dev/null" \
	"$(tail -n 2 "$scratch/nometajson.out")"

# The ping's reply reaches namespace a's ICMP layer with no socket of its own (ping's is a
# copy): the kernel drops it at tp:kfree_skb, the name pwru prints for it.
trace tpfunc 0.2 --filter-func 'tp:kfree_skb'
check "--filter-func tp:kfree_skb attaches that tracepoint alone" \
	"grep -qx 'pwru: attached 1 tracepoint, skipped 0' '$scratch/tpfunc.err'" "$(cat "$scratch/tpfunc.err")"
check "and shows the pings there, nothing else" \
	"grep -q ' tp:kfree_skb' '$scratch/tpfunc.out' && ! grep '^0x' '$scratch/tpfunc.out' | grep -qv ' tp:kfree_skb'" \
	"$(cat "$scratch/tpfunc.out")"
# Seen only where they are freed, the two replies are two chains, one step each: a free
# tracepoint fires once per skb, so a second one at the address is another packet's, even
# within the 100 ms a free point's chain waits for more freeing (pings 20 ms apart).
trace tpchains 0.02 --filter-func 'tp:kfree_skb' --output-chains
steps=$(grep -cE '^ +\+[0-9]+ ns  ' "$scratch/tpchains.out")
blocks=$(grep -c '^skb ' "$scratch/tpchains.out")
check "--filter-func tp:kfree_skb --output-chains: a chain per freed packet ($blocks), one step each" \
	"[ '$blocks' -ge 2 ] && [ '$steps' = '$blocks' ]" "$(cat "$scratch/tpchains.out")"
tap_plan
