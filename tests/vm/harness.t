#!/bin/bash
# The VM harness itself, on one kernel: what tests/vm/run promises (status,
# clean output, timeouts, the environment commands see), so that a failure in
# the kernel suites is about pwru, not about the harness.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
repo=$(pwd)
ARCH=${PWRU_VM_HARNESS_ARCH:-amd64}
run="tests/vm/run --arch $ARCH"
K=${PWRU_VM_HARNESS_KERNEL:-6.1}

# Fetch the kernel first: on a cold cache its download notes must not count as the
# command's output in the checks below.
if ! why=$(tests/vm/kernel --arch "$ARCH" "$K" 2>&1 >/dev/null); then
	printf 'not ok 1 - fetch the %s kernel\n%s\n1..1\n' "$K" "$(printf '%s\n' "$why" | sed 's/^/#   /')"
	exit 1
fi


out=$($run "$K" -- sh -c 'echo to-stdout; echo to-stderr >&2; exit 3' 2>&1)
status=$?
result $((status != 3)) "the command's exit status comes back (3)" "status $status"
result "$([ "$out" = "$(printf 'to-stdout\nto-stderr')" ] && echo 0 || echo 1)" \
	"only the command's output is shown, no boot noise" "$(printf '%s' "$out" | head -n 5)"

out=$($run "$K" -- bash -c 'uname -r; pwd; command -v pwru; ls -d tests/vm/suite;
	for m in /sys/kernel/tracing /sys/fs/bpf /sys/kernel/debug /proc /dev; do
		awk "{ print \$2 }" /proc/mounts | grep -qx $m || echo "not mounted: $m"; done
	/bin/ip -V >/dev/null && /usr/sbin/nft -v >/dev/null && bpftool version >/dev/null && echo tools-ok
	ip link show lo | grep -q UP && echo lo-up' 2>&1)
status=$?
kver=$(cat "$(tests/vm/kernel --arch "$ARCH" "$K")/kver")
result "$([ $status = 0 ] && [ "$(echo "$out" | sed -n 1p)" = "$kver" ] && echo 0 || echo 1)" \
	"boots the resolved kernel ($kver)" "$out"
result "$([ "$(echo "$out" | sed -n 2p)" = "$repo" ] && echo 0 || echo 1)" \
	"commands start in the repo's root, at the host's path" "$out"
result "$([ "$(echo "$out" | sed -n 3p)" = /usr/local/bin/pwru ] && echo 0 || echo 1)" \
	"the built pwru is on PATH" "$out"
result "$(echo "$out" | grep -q 'not mounted' && echo 1 || echo 0)" \
	"tracefs, bpffs, debugfs, proc and devtmpfs are mounted" "$out"
result "$(echo "$out" | grep -qx tools-ok && echo "$out" | grep -qx lo-up && echo 0 || echo 1)" \
	"the real ip, nft and bpftool run, and lo is up" "$out"

$run "$K" -- no_such_command_xyz >/dev/null 2>&1
status=$?
result $((status != 127)) "a missing command gives 127" "status $status"

err=$(PWRU_VM_TIMEOUT=12 $run "$K" -- sleep 600 2>&1 >/dev/null)
status=$?
log=$(echo "$err" | sed -n 's/.*log: \(.*\)$/\1/p' | tail -n1)
result "$([ $status = 124 ] && echo "$err" | grep -q 'timed out' && [ -s "$log" ] && echo 0 || echo 1)" \
	"a VM over PWRU_VM_TIMEOUT is stopped: 124, one line naming the log" "status $status: $err"

err=$($run 0.0.1 -- true 2>&1)
status=$?
result "$([ $status = 125 ] && echo "$err" | grep -q "no Debian cloud kernel found for '0.0.1'" && echo 0 || echo 1)" \
	"an unknown kernel series fails with a message" "status $status: $err"

$run "$K" >/dev/null 2>&1
status=$?
result $((status != 2)) "no command: usage, status 2" "status $status"

tap_plan
