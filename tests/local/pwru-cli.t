#!/bin/bash
# The pwru command line on this machine: flags, usage errors, and the one-line refusal on a
# kernel that cannot run kprobes. Real tracing is tested in the VM matrix (tests/vm/).
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
lines() { grep -c '' <<<"$1"; }

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
t "--version exits 0" 0 '^$' -- ./pwru --version
stdout_has "version printed" '^pwru [^ ]+$'
t "unknown flag: one line, exit 2" 2 '^pwru: unknown flag --nope \(pwru --help lists the flags\)$' -- ./pwru --nope
t "bad regex: exit 2" 2 '^pwru: --filter-func .* is not a valid regex' -- ./pwru --filter-func '('
t "bad mark: exit 2" 2 '^pwru: --filter-mark wants' -- ./pwru --filter-mark 1/2/3
t "bad backend: exit 2" 2 '^pwru: --backend must be one of kprobe-multi, kprobe, not .nope.$' -- ./pwru --backend nope
t "missing value: exit 2" 2 'needs a value' -- ./pwru --output-limit-lines

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	t "not root: one line, exit 1" 1 '^pwru: must run as root[^
]*$' -- setpriv --reuid=65534 --regid=65534 --clear-groups ./pwru
fi
if [ "$(id -u)" = 0 ]; then
	t "bad pcap-filter: exit 2 before loading" 2 "^pwru: bad pcap-filter 'tcp and': " -- ./pwru tcp and
	t "no function matches: exit 1" 1 "^pwru: no kernel function taking an skb matches --filter-func 'no_such_fn_x'" -- ./pwru --filter-func no_such_fn_x
	t "unreadable --kernel-btf: one line, exit 2" 2 '^pwru: cannot read kernel BTF from /nonexistent: [^
]*$' -- ./pwru --kernel-btf /nonexistent
	t "--filter-netns inode:0: one line, exit 2" 2 "^pwru: --filter-netns inode:N wants a non-zero number, not 'inode:0'$" -- ./pwru --filter-netns inode:0
	t "--filter-netns with a file that is not a netns: exit 2" 2 '^pwru: --filter-netns /etc/passwd is not a network namespace file [^
]*$' -- ./pwru --filter-netns /etc/passwd
	t "--filter-netns with a missing path: exit 2" 2 '^pwru: --filter-netns /nonexistent: No such file[^
]*$' -- ./pwru --filter-netns /nonexistent
	t "--filter-ifname unknown interface: exit 2" 2 "^pwru: --filter-ifname: no interface 'nosuch0' in network namespace /proc/self/ns/net[^
]*\$" -- ./pwru --filter-ifname nosuch0
	t "--kmods with a module that is not loaded: exit 2" 2 "^pwru: --kmods: 'no_such_mod' is not a loaded module[^
]*\$" -- ./pwru --kmods no_such_mod
	if [ ! -e /sys/bus/event_source/devices/kprobe ]; then
		t "kernel without kprobes: one line saying so, exit 1" 1 '^pwru: this kernel can run none of kprobe-multi, kprobe \([^
]*\); tracing is not possible here[^
]*$' -- ./pwru --filter-func ip_rcv
	fi
fi
rm -f /tmp/pwru-cli.$$.out
echo "1..$n"
[ $failed = 0 ]
