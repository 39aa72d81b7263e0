#!/bin/bash
# The pwru command line on this machine: --help and --version. Every error message and exit
# status is walked by tests/local/exit-status.t; real tracing in the VM matrix (tests/vm/).
cd "$(dirname "$0")/../.." || exit 1
n=0 failed=0
t() { # t DESCRIPTION WANT_RC WANT_STDERR_REGEX -- CMD...
	local desc=$1 want_rc=$2 want_err=$3 rc err
	shift 4
	err=$("$@" 2>&1 >/tmp/pwru-cli.$$.out)
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want_rc" ] && [[ $err =~ $want_err ]]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "#   rc=$rc (want $want_rc), stderr: $err"
		failed=$((failed + 1))
	fi
}

[ -x ./pwru ] || { echo "1..1"; echo "not ok 1 - ./pwru missing: run make"; exit 1; }

# stdout_has DESCRIPTION ERE...: the last command's stdout has a line matching each ERE
stdout_has() {
	local desc=$1 re miss=
	shift
	for re in "$@"; do
		grep -qE -- "$re" /tmp/pwru-cli.$$.out || miss="$miss '$re'"
	done
	n=$((n + 1))
	if [ -z "$miss" ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "#   missing:$miss"
		failed=$((failed + 1))
	fi
}

t "--help exits 0" 0 '^$' -- ./pwru --help
stdout_has "help lists the flags" '^  --filter-func REGEX ' '^  --output-limit-lines N ' \
	'^  --check-filter PCAPFILE ' '^Usage: pwru \[options\] \[pcap-filter\]$'
# one column for every help text: the start of the text after each "  --flag ARG" and its gap
cols=$(awk '/^  --/ { match($0, /^  --[^ ]+( [^ ]+)? +/); print RLENGTH }' /tmp/pwru-cli.$$.out |
	sort -u)
n=$((n + 1))
if [ "$(echo "$cols" | wc -l)" = 1 ]; then
	echo "ok $n - every flag's help starts in one column ($cols)"
else
	echo "not ok $n - every flag's help starts in one column"
	echo "#   columns: $(echo $cols)"
	failed=$((failed + 1))
fi
t "--version exits 0" 0 '^$' -- ./pwru --version
stdout_has "version printed" '^pwru [^ ]+$'
t "flags after the expression, --flag=value and -- work together" 2 \
	"^pwru: --filter-mark wants MARK or MARK/MASK .*not '1/2/3'\$" -- \
	./pwru icmp --output-meta=false --filter-mark=1/2/3 -- and tcp

# One-shots whose reader quits (pwru --list-funcs | head): the end the reader chose, exit 0
# (not 141, killed by SIGPIPE), no message; a stdout that takes nothing (>/dev/full, closed):
# exit 1, one line naming it. The reader here is gone before pwru writes its first byte.
pcap=/tmp/pwru-cli.$$.pcap
printf 'd4c3b2a1020004000000000000000000ffff000001000000%s' \
	00000000000000001000000010000000ffffffffffff00010203040508004500 | xxd -r -p >"$pcap"
for args in --help --version --list-funcs "--check-filter $pcap icmp"; do
	# shellcheck disable=SC2086
	{ sleep 0.3; exec ./pwru $args 2>/tmp/pwru-cli.$$.err; } | true
	rc=${PIPESTATUS[0]}
	n=$((n + 1))
	if [ "$rc" = 0 ] && ! grep -v '^pwru: [0-9]* functions, ' /tmp/pwru-cli.$$.err | grep -q .; then
		echo "ok $n - pwru ${args%% *} | a reader that quits: exit 0, nothing said"
	else
		echo "not ok $n - pwru ${args%% *} | a reader that quits: exit 0, nothing said"
		echo "#   exit $rc: $(head -n 3 /tmp/pwru-cli.$$.err)"
		failed=$((failed + 1))
	fi
	# shellcheck disable=SC2086
	t "pwru ${args%% *} >/dev/full: exit 1, the write's error" 1 \
		'pwru: writing stdout: No space left on device$' -- sh -c "./pwru $args >/dev/full"
	# shellcheck disable=SC2086
	t "pwru ${args%% *} >&-: exit 1, the write's error" 1 \
		'^pwru: writing stdout: Bad file descriptor$' -- sh -c "./pwru $args >&-"
done
rm -f "$pcap" /tmp/pwru-cli.$$.err
# Every error message and exit status: tests/local/exit-status.t.
rm -f /tmp/pwru-cli.$$.out
echo "1..$n"
[ $failed = 0 ]
