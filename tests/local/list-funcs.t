#!/bin/bash
# --list-funcs and --debug on this machine's kernel: what would be traced, one line each,
# with and without root; why functions found in BTF are left out.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

if [ "$(id -u)" != 0 ] || [ ! -x ./pwru ]; then
	echo "1..0 # SKIP needs root and ./pwru"
	exit 0
fi
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

./pwru --list-funcs >"$tmp/all" 2>"$tmp/all.err"
rc=$?
check "--list-funcs exits 0" '[ $rc = 0 ]' "exit $rc" "$(cat "$tmp/all.err")"
check "a header, then NAME MODULE POS ADDRS BACKENDS lines" \
	'[ "$(head -n 1 "$tmp/all")" = "FUNC MODULE POS ADDRS BACKENDS" ] &&
	 ! tail -n +2 "$tmp/all" | awk "NF != 5 || \$3 !~ /^[0-9]+\$/ { bad = 1 } END { exit !bad }"' \
	"$(head -n 3 "$tmp/all")"
check "ip_rcv: vmlinux, skb in slot 1, one address" \
	'grep -q "^ip_rcv vmlinux 1 1 " "$tmp/all"' "$(grep '^ip_rcv ' "$tmp/all")"
check "__skb_flow_dissect: the skb in slot 2" \
	'grep -q "^__skb_flow_dissect vmlinux 2 " "$tmp/all"' "$(grep '^__skb_flow_dissect ' "$tmp/all")"
check "tracepoints are listed as tp:NAME with the tracepoint backend, no address count" \
	'grep -q "^tp:kfree_skb vmlinux 1 - tracepoint\$" "$tmp/all" &&
	 grep -q "^tp:net_dev_queue vmlinux 1 - tracepoint\$" "$tmp/all"' \
	"$(grep '^tp:' "$tmp/all" | head -n 3)"
nfun=$(tail -n +2 "$tmp/all" | grep -vc '^tp:')
ntp=$(grep -c '^tp:' "$tmp/all")
check "stderr counts them and names the backends this kernel runs" \
	'grep -q "^pwru: $nfun functions, $ntp tracepoints; backends this kernel runs: " "$tmp/all.err"' \
	"$(cat "$tmp/all.err")"
if [ ! -e /sys/bus/event_source/devices/kprobe ]; then
	check "no kprobes here: only tracepoints have a backend" \
		'! tail -n +2 "$tmp/all" | grep -v "^tp:" | grep -qv " -\$"' \
		"$(tail -n +2 "$tmp/all" | grep -v '^tp:' | grep -v ' -$' | head -n 3)"
fi

./pwru --list-funcs --filter-func 'ip_rcv|kfree_skb|net_dev_queue' >"$tmp/some" 2>/dev/null
check "--filter-func narrows functions and tracepoints alike" \
	'[ "$(tail -n +2 "$tmp/some" | cut -d" " -f1 | sort | tr "\n" " ")" = "ip_rcv tp:kfree_skb tp:net_dev_queue " ]' \
	"$(cat "$tmp/some")"

# cilium/pwru's RE2 forms: a leading (?i) and (?:...) select what the plain pattern does
./pwru --list-funcs --filter-func '(?i)IP_RCV|(?:kfree)_SKB|net_dev_(?:queue)' >"$tmp/re2" 2>/dev/null
check "--filter-func '(?i)IP_RCV|(?:kfree)_SKB|...' lists what the plain pattern lists" \
	'[ -s "$tmp/some" ] && cmp -s "$tmp/some" "$tmp/re2"' "$(diff "$tmp/some" "$tmp/re2")"

setpriv --reuid=65534 --regid=65534 --clear-groups ./pwru --list-funcs --filter-func ip_rcv \
	>"$tmp/user" 2>"$tmp/user.err"
rc=$?
check "without root: exit 0, the addresses still counted by name" \
	'[ $rc = 0 ] && grep -q "^ip_rcv vmlinux 1 1 kprobe-multi,kprobe,fentry\$" "$tmp/user"' \
	"exit $rc" "$(cat "$tmp/user" "$tmp/user.err")"
check "without root: stderr says the backends were not tried" \
	'grep -q "not root: backends named by what they reach, not tried here" "$tmp/user.err"' \
	"$(cat "$tmp/user.err")"

# --output-json: a JSON object a function, the text line's columns as keys (docs/json.md)
./pwru --list-funcs --output-json >"$tmp/json" 2>/dev/null
check "--output-json: one object per function and tracepoint, as many as the text lines, no header" \
	'jq -e -s "all(.[]; .type == \"func\") and length == $((nfun + ntp))" "$tmp/json" >/dev/null' \
	"$(head -n 3 "$tmp/json")"
check "--output-json: ip_rcv and tp:kfree_skb with the text's values (a tracepoint's addrs null)" \
	'jq -e -s "any(.[]; .name == \"ip_rcv\" and .module == \"vmlinux\" and .pos == 1 and .addrs == 1 and (.backends | type) == \"array\") and
		   any(.[]; .name == \"tp:kfree_skb\" and .addrs == null and .backends == [\"tracepoint\"])" "$tmp/json" >/dev/null' \
	"$(grep -E '"(ip_rcv|tp:kfree_skb)"' "$tmp/json")"
# --output-file: the list there (appended, as events), nothing on stdout
./pwru --list-funcs --output-file "$tmp/file" >"$tmp/file.out" 2>/dev/null
./pwru --list-funcs --output-json --output-file "$tmp/file" >>"$tmp/file.out" 2>/dev/null
check "--output-file: the text list, then the JSON one appended; stdout empty" \
	'[ ! -s "$tmp/file.out" ] && cat "$tmp/all" "$tmp/json" | cmp -s - "$tmp/file"' \
	"$(wc -l "$tmp/file" "$tmp/all" "$tmp/json")"

# a pcap-filter the trace refuses is refused here too, before anything is listed or written
./pwru 'hst 10.0.1.2' >/dev/null 2>"$tmp/bad-trace.err"
./pwru --list-funcs --output-file "$tmp/bad-file" 'hst 10.0.1.2' >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
check "a bad pcap-filter: exit 2, the trace's one-line error, nothing listed, no --output-file made" \
	'[ $rc = 2 ] && [ "$(grep -c "" "$tmp/bad.err")" = 1 ] &&
	 grep -q "^pwru: bad pcap-filter .hst 10.0.1.2.: " "$tmp/bad.err" &&
	 cmp -s "$tmp/bad.err" "$tmp/bad-trace.err" && [ ! -s "$tmp/bad.out" ] && [ ! -e "$tmp/bad-file" ]' \
	"exit $rc" "$(cat "$tmp/bad.err")" "the trace's: $(cat "$tmp/bad-trace.err")"
setpriv --reuid=65534 --regid=65534 --clear-groups ./pwru --list-funcs 'hst 10.0.1.2' \
	>"$tmp/bad-user.out" 2>"$tmp/bad-user.err"
rc=$?
check "a bad pcap-filter without root: exit 2, the same line" \
	'[ $rc = 2 ] && cmp -s "$tmp/bad-user.err" "$tmp/bad-trace.err" && [ ! -s "$tmp/bad-user.out" ]' \
	"exit $rc" "$(cat "$tmp/bad-user.err")"
./pwru --list-funcs --filter-func ip_rcv 'host 10.0.1.2' >"$tmp/good.out" 2>/dev/null
rc=$?
check "a good pcap-filter: listed as without one" \
	'[ $rc = 0 ] && [ "$(cut -d" " -f1 "$tmp/good.out" | tr "\n" " ")" = "FUNC ip_rcv " ]' \
	"exit $rc" "$(cat "$tmp/good.out")"

./pwru --list-funcs --debug >/dev/null 2>"$tmp/debug"
check "--debug names functions of BTF left out, with the reason" \
	'grep -q "^pwru: debug: skipped [^ ]*: not in kallsyms (inlined everywhere, or a notrace alias)\$" "$tmp/debug"' \
	"$(head -n 5 "$tmp/debug")"
tap_plan
