#!/bin/bash
# --filter-netns inode:N: the number is checked against the namespaces in use here, before
# anything is loaded (PWRU_BENCH_STARTUP=1 ends pwru after discovery: exit 0 = accepted).
# One a process is in, one only a bind mount outside /run/netns holds (Docker's, CNI's),
# one only another process's open file holds: accepted. One nothing holds any more, and a
# namespace of another type: exit 2, one line naming the value and where valid ones are seen.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

if [ "$(id -u)" != 0 ] || [ ! -x ./pwru ] || ! command -v unshare >/dev/null; then
	echo "1..0 # SKIP needs root, ./pwru and unshare"
	exit 0
fi
tmp=$(mktemp -d)
pids=()
cleanup() {
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	umount "$tmp/bound" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# inode_of PID: the inode of PID's network namespace
inode_of() { stat -Lc %i "/proc/$1/ns/net"; }
# in_own_netns: a sleeper in a new network namespace; sets sleeper
in_own_netns() {
	unshare -n sleep 60 &
	sleeper=$!
	pids+=("$sleeper")
	for _ in $(seq 50); do
		[ "$(readlink "/proc/$sleeper/ns/net")" != "$(readlink /proc/self/ns/net)" ] && return
		sleep 0.05
	done
}
# accepted DESC INODE: pwru takes inode:INODE, says nothing of it
accepted() {
	local v=inode:$2 rc
	PWRU_BENCH_STARTUP=1 ./pwru --filter-netns "$v" >/dev/null 2>"$tmp/err"
	rc=$?
	check "$1: accepted, nothing said of it" '[ $rc = 0 ] && ! grep -q -- "$v" "$tmp/err"' \
		"exit $rc" "$(grep -- "$v" "$tmp/err")"
}
# refused DESC INODE
refused() {
	local re="^pwru: --filter-netns inode:$2: no network namespace with that inode is in use here \\(lsns -t net or ls -l /proc/\\*/ns/net show them; or give its file: /proc/PID/ns/net, /run/netns/NAME\\)\$"
	PWRU_BENCH_STARTUP=1 ./pwru --filter-netns "inode:$2" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	check "$1: exit 2, one line naming inode:$2" \
		'[ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(grep -c "" "$tmp/err")" = 1 ] &&
		 grep -qE -- "$re" "$tmp/err"' "exit $rc" "$(head -n 3 "$tmp/err")"
}

in_own_netns
accepted "a process's namespace" "$(inode_of "$sleeper")"

in_own_netns
touch "$tmp/bound"
mount --bind "/proc/$sleeper/ns/net" "$tmp/bound"
ino=$(inode_of "$sleeper")
kill "$sleeper"
wait "$sleeper" 2>/dev/null
accepted "a namespace only a bind mount outside /run/netns holds" "$ino"
umount "$tmp/bound"

in_own_netns
ino=$(inode_of "$sleeper")
exec 4<"/proc/$sleeper/ns/net"
sleep 60 3<&4 4<&- &
pids+=($!)
exec 4<&-
kill "$sleeper"
wait "$sleeper" 2>/dev/null
sleep 0.1
accepted "a namespace only another process's open file holds" "$ino"

ino=$(unshare -n stat -Lc %i /proc/self/ns/net)
refused "a namespace gone with its only process" "$ino"
refused "the mount namespace's inode" "$(stat -Lc %i /proc/self/ns/mnt)"
refused "a made-up number" 12345
tap_finish
