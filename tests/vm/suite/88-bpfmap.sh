# --output-bpfmap with --filter-track-bpf-helpers, with a tc program of the tests' own:
# maps.bpf.o on vb's ingress looks up a's address (and "pwru") in its hash map
# pwru_test_map, stores "seen" and a count, and deletes a key never there ("gone"), for
# each ICMP packet b receives. Under each map call's event pwru prints the map's id and
# name and the key and value as hex dumps: a user checks the name, the key's bytes, the
# count the lookup found (none for the first request) and the one the update stores.
# Without --filter-track-bpf-helpers the flag is refused.
. tests/vm/suite/lib.sh

TC=/usr/sbin/tc
INB="nsenter --net=/run/netns/b" # keeps our mount namespace (ip netns exec remounts /sys)
OBJ=build/tests/bpf
need_test_bpf maps.bpf.o
MAPFUNCS='__htab_map_lookup_elem htab_map_update_elem htab_map_delete_elem'
REQ='10.0.1.1:0->10.0.1.2:0(icmp)'
REPLY='10.0.1.2:0->10.0.1.1:0(icmp)'

check_bad_input "--output-bpfmap without --filter-track-bpf-helpers is refused" \
	"add --filter-track-bpf-helpers" --output-bpfmap icmp
check_nothing_attached "after the refusal"

check "two netns joined by veth" netns_pair
check "maps.bpf.o on vb's tc ingress" sh -c "$INB $TC qdisc add dev vb clsact &&
	$INB $TC filter add dev vb ingress bpf da obj $OBJ/maps.bpf.o sec tc"
map_id=$($BPFTOOL map show | awk '/ name pwru_test_map / { sub(":", "", $1); print $1 }')

# One line per map call of TUPLE in FILE: its FUNC, then what the lines under it say,
# "name=N key(8): k=[0a 00 ..] value(8): v=[..]" (the dumps' bytes, no offset or text).
map_calls() {
	awk -v tuple="$2" '
		blk && $0 == "" { print sum; blk = 0; next }
		blk && $1 == "map_id:" { next }
		blk && $1 == "map_name:" { sum = sum " name=" $2; next }
		blk && $1 ~ /^key[(]/ { sum = sum " " $1; mode = "k"; next }
		blk && $1 ~ /^value[(]/ { sum = sum " " $0; mode = "v"; next }
		blk && $1 ~ /^[0-9a-f]+$/ { l = $0; sub(/^[0-9a-f]+  /, "", l); sub(/ *[|].*$/, "", l)
			gsub(/  +/, " ", l); sum = sum " " mode "=[" l "]"; next }
		blk { print sum " UNEXPECTED " $0; blk = 0 }
		index($0, tuple) && $NF ~ /_elem$/ { sum = $NF; blk = 1 }
	' "$1"
}

# expect CALLS DESC LINE [N] : N (1) of CALLS (map_calls' lines) are LINE.
expect() {
	local n
	n=$(printf '%s\n' "$1" | grep -cxF -- "$3")
	if [ "$n" -ge "${4:-1}" ]; then
		ok "$2 ($n)"
	else
		not_ok "$2 ($n)" "wanted: $3" "$(printf '%s\n' "$1" | head -n 12)"
	fi
}

K='key(8): k=[0a 00 01 01 70 77 72 75]'
if ping_through_prog maps --filter-track-bpf-helpers --output-bpfmap; then
	out=$SCRATCH/maps.out
	check_helpers_found "$SCRATCH/maps.err" $MAPFUNCS
	calls=$(map_calls "$out" "$REQ")
	L="__htab_map_lookup_elem name=pwru_test_map $K"
	U="htab_map_update_elem name=pwru_test_map $K value(8):"
	expect "$calls" "the first request's lookup finds nothing" "$L value(8): not found"
	expect "$calls" "the second request's lookup finds 'seen', 1" "$L value(8): v=[73 65 65 6e 01 00 00 00]"
	expect "$calls" "the third request's lookup finds 'seen', 2" "$L value(8): v=[73 65 65 6e 02 00 00 00]"
	for n in 1 2 3; do
		expect "$calls" "an update stores 'seen', $n" "$U v=[73 65 65 6e 0$n 00 00 00]"
	done
	expect "$calls" "each request's delete shows its key ('gone'), no value" \
		"htab_map_delete_elem name=pwru_test_map key(8): k=[0a 00 01 01 67 6f 6e 65]" 3
	bad=$(printf '%s\n' "$calls" | grep -v 'name=pwru_test_map ')
	if [ -n "$calls" ] && [ -z "$bad" ]; then
		ok "every map call shown is the program's (none of pwru's own maps)"
	else
		not_ok "every map call shown is the program's (none of pwru's own maps)" "$bad"
		show "pwru stdout" "$out" 40
	fi
	ids=$(grep '^map_id: ' "$out" | sort -u | tr '\n' ' ')
	if [ -n "$map_id" ] && [ "$ids" = "map_id: $map_id " ]; then
		ok "map_id is bpftool's id of pwru_test_map ($map_id)"
	else
		not_ok "map_id is bpftool's id of pwru_test_map ($map_id)" "$ids"
	fi
	# the map lines come under the call's line, ended by an empty line, as cilium/pwru
	blk=$(grep -A 6 -m 1 ' htab_map_update_elem$' "$out")
	if printf '%s\n' "$blk" | sed -n 2p | grep -qx "map_id: $map_id" &&
		printf '%s\n' "$blk" | sed -n 5p | grep -qx '00000000  0a 00 01 01 70 77 72 75                           |....pwru|' &&
		printf '%s\n' "$blk" | sed -n 7p | grep -qx '00000000  73 65 65 6e 0[123] 00 00 00                           |seen....|'; then
		ok "an update's lines read as cilium/pwru prints them"
	else
		not_ok "an update's lines read as cilium/pwru prints them" "$blk"
	fi
	# the replies must be there to say something of them: at icmp_rcv in a
	replies=$(event_lines "$out" icmp_rcv "$REPLY" | wc -l)
	other=$(map_calls "$out" "$REPLY")
	if [ "$replies" -ge 1 ] && [ -z "$other" ]; then
		ok "the replies ($replies at icmp_rcv), which pass no program, show no map call"
	else
		not_ok "the replies ($replies at icmp_rcv), which pass no program, show no map call" \
			"$(echo "$other" | head -n 3)"
		show "pwru stdout" "$out" 30
	fi
fi

# With fentry, pwru's own programs run where the probes on the map functions fire: their
# lookups in pwru's tables are not shown as the program's.
if kernel_runs_fexit &&
	ping_through_prog fentry --filter-track-bpf-helpers --backend fentry --output-bpfmap; then
	calls=$(map_calls "$SCRATCH/fentry.out" "$REQ")
	bad=$(printf '%s\n' "$calls" | grep -v 'name=pwru_test_map ')
	n=$(printf '%s\n' "$calls" | grep -c '^htab_map_update_elem name=pwru_test_map ')
	if [ "$n" -ge 3 ] && [ -z "$bad" ]; then
		ok "fentry: each request's update shows, none of pwru's own map lookups ($n)"
	else
		not_ok "fentry: each request's update shows, none of pwru's own map lookups ($n)" \
			"$(printf '%s\n' "$bad" | sort | uniq -c | head -n 5)"
		show "pwru stderr" "$SCRATCH/fentry.err"
	fi
fi

# As in cilium/pwru, a map function named in --filter-non-skb-funcs is shown the same way.
if ping_through_prog nonskb --filter-non-skb-funcs htab_map_update_elem --output-bpfmap; then
	calls=$(map_calls "$SCRATCH/nonskb.out" "$REQ")
	n=$(printf "%s\n" "$calls" | grep -cF "htab_map_update_elem name=pwru_test_map $K value(8): v=")
	if [ "$n" -ge 3 ] && ! printf '%s\n' "$calls" | grep -q '^__htab_map_lookup_elem'; then
		ok "--filter-non-skb-funcs htab_map_update_elem: each request's update, nothing else ($n)"
	else
		not_ok "--filter-non-skb-funcs htab_map_update_elem: each request's update, nothing else ($n)" \
			"$(printf '%s\n' "$calls" | head -n 5)"
	fi
fi

# JSON: the same calls as the event's "bpfmap" object.
if PTP_WAIT='"func":"icmp_rcv".*"saddr":"10\.0\.1\.1"' \
	ping_through_prog json --filter-track-bpf-helpers --output-bpfmap --output-json; then
	want='"bpfmap":{"id":'$map_id',"name":"pwru_test_map","key_size":8,"key":"0a00010170777275","value_size":8,"value":"7365656e'
	n=$(grep '"func":"htab_map_update_elem"' "$SCRATCH/json.out" | grep -cF "$want")
	# the map keeps the earlier runs' element: every lookup finds it
	found=$(grep '"func":"__htab_map_lookup_elem"' "$SCRATCH/json.out" | grep -cF "$want")
	if [ "$n" -ge 3 ] && [ "$found" -ge 3 ]; then
		ok "JSON: each update's and lookup's bpfmap object, key and value as hex ($n, $found)"
	else
		not_ok "JSON: each update's and lookup's bpfmap object, key and value as hex ($n, $found)" \
			"$(grep -m 3 bpfmap "$SCRATCH/json.out")"
	fi
fi

if ping_through_prog plain --filter-track-bpf-helpers; then
	if event_lines "$SCRATCH/plain.out" icmp_rcv "$REQ" | grep -q . &&
		! grep -q '^map_' "$SCRATCH/plain.out"; then
		ok "without --output-bpfmap the requests show, no map lines"
	else
		not_ok "without --output-bpfmap the requests show, no map lines"
		show "pwru stdout" "$SCRATCH/plain.out" 20
	fi
fi
check "the program comes off vb" $INB $TC qdisc del dev vb clsact
check_nothing_attached
