# --filter-track-bpf-helpers with a tc program of the tests' own: helpers.bpf.o on
# vb's ingress calls bpf_skb_load_bytes, bpf_skb_change_proto and
# bpf_get_hash_recalc for every packet b receives. pwru finds them in the program's
# JITed image (x86-64: call rel32; arm64: the address built in x10, then blr x10)
# and shows each call as an event of the request that ran the program,
# its CALLER the program ([bpf]); the replies, which pass no program, show none.
# Without the flag no helper shows.
. tests/vm/suite/lib.sh

TC=/usr/sbin/tc
INB="nsenter --net=/run/netns/b" # keeps our mount namespace (ip netns exec remounts /sys)
OBJ=build/tests/bpf
need_test_bpf helpers.bpf.o
HELPERS='bpf_skb_load_bytes bpf_skb_change_proto bpf_get_hash_recalc'
REQ='10.0.1.1:0->10.0.1.2:0(icmp)'
REPLY='10.0.1.2:0->10.0.1.1:0(icmp)'

check "two netns joined by veth" netns_pair
check "helpers.bpf.o on vb's tc ingress" sh -c "$INB $TC qdisc add dev vb clsact &&
	$INB $TC filter add dev vb ingress bpf da obj $OBJ/helpers.bpf.o sec tc"

if ping_through_prog track --filter-track-bpf-helpers --output-caller; then
	out=$SCRATCH/track.out
	check_helpers_found "$SCRATCH/track.err" $HELPERS
	for h in $HELPERS; do
		lines=$(event_lines "$out" "$h" "$REQ")
		n=$(printf '%s' "$lines" | grep -c .)
		# CALLER: the program, named by its tag and name, in [bpf]
		bad=$(printf '%s\n' "$lines" | grep -vE ' bpf_prog_[0-9a-f]+_pwru_test_helpers\+0x[0-9a-f]+(/0x[0-9a-f]+)? \[bpf\]$')
		if [ "$n" -ge 3 ] && [ -z "$bad" ]; then
			ok "$h shows for each request, called by pwru_test_helpers [bpf] ($n)"
		else
			not_ok "$h shows for each request, called by pwru_test_helpers [bpf] ($n)" \
				"$(printf '%s\n' "$bad" | head -n 3)"
			show "pwru stdout" "$out" 30
			show "pwru stderr" "$SCRATCH/track.err"
		fi
	done
	# A request's events in order: the program runs inside tcf_classify, before icmp_rcv.
	order=$(awk -v tuple="$REQ" 'index($0, tuple) {
			for (i = 1; i <= NF; i++) if (index($i, "->")) { print $(i + 1); break } }' "$out" |
		awk '$1 ~ /^tcf_classify/ { s = "t"; next }
			$1 == "bpf_skb_load_bytes" && s == "t" { s = "tl"; next }
			$1 == "bpf_skb_change_proto" && s == "tl" { s = "tlc"; next }
			$1 == "bpf_get_hash_recalc" && s == "tlc" { s = "tlch"; next }
			$1 == "icmp_rcv" { if (s == "tlch") n++; s = "" }
			END { print n + 0 }')
	if [ "$order" -ge 3 ]; then
		ok "each request: tcf_classify, the three helpers in the program's order, icmp_rcv ($order)"
	else
		not_ok "each request: tcf_classify, the three helpers in the program's order, icmp_rcv ($order)"
		show "pwru stdout" "$out" 30
	fi
	# the replies must be there to say something of them: at icmp_rcv in a
	replies=$(event_lines "$out" icmp_rcv "$REPLY" | wc -l)
	other=$(grep -F -- "$REPLY" "$out" | grep -E ' bpf_(skb|get)_')
	if [ "$replies" -ge 1 ] && [ -z "$other" ]; then
		ok "the replies ($replies at icmp_rcv), which pass no program, show no helper"
	else
		not_ok "the replies ($replies at icmp_rcv), which pass no program, show no helper" \
			"$(echo "$other" | head -n 3)"
		show "pwru stdout" "$out" 30
	fi
fi

if ping_through_prog plain; then
	if event_lines "$SCRATCH/plain.out" icmp_rcv "$REQ" | grep -q . &&
		! grep -qE ' bpf_(skb_load_bytes|skb_change_proto|get_hash_recalc)( |$)' "$SCRATCH/plain.out"; then
		ok "without --filter-track-bpf-helpers the requests show, no helper does"
	else
		not_ok "without --filter-track-bpf-helpers the requests show, no helper does"
		show "pwru stdout" "$SCRATCH/plain.out" 20
	fi
fi
check "the program comes off vb" $INB $TC qdisc del dev vb clsact
check_nothing_attached
