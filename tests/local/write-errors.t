#!/bin/bash
# Outputs that cannot be written, on this machine's kernel with real pings: a full disk
# (a 64 KiB tmpfs) under JSON, text and pcapng, stdout on /dev/full, and a reader that stops
# reading. pwru says which output failed and why in one line, exits 1, counts only the
# events that got out whole and leaves nothing attached; a second Ctrl-C ends a drain that
# a stalled reader blocks, and so does a reader that takes nothing for 5 s after a single
# SIGTERM, saying what was not written; stderr that nobody reads does not hold pwru.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

local_trace_start
ns=pwru-we-$$
scratch=$(mktemp -d)
mnt=$scratch/full
pid= holder= pinger=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	[ -n "$pinger" ] && kill "$pinger" 2>/dev/null
	umount "$mnt" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
mkdir "$mnt"
if ! ip netns add "$ns" || ! ip -n "$ns" link set lo up || ! mount -t tmpfs -o size=64k pwru-we "$mnt"; then
	echo "1..1"
	echo "not ok 1 - a scratch network namespace and a 64 KiB tmpfs"
	exit 1
fi

# start NAME OUT ARGS...: pwru in the background, stdout to OUT; waits for its ready file and
# notes the programs it holds (ours). Sets pid.
start() {
	local name=$1 out=$2 rc
	shift 2
	pwru_start "$scratch/ready" "$out" "$scratch/$name.err" \
		--filter-netns "/var/run/netns/$ns" "$@"
	rc=$?
	ours=$(held_progs "$pid")
	return $rc
}

# exited_within DS: pwru ended within DS tenths of a second; sets status
exited_within() {
	local i
	for i in $(seq "$1"); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		status=124
	else
		wait "$pid"
		status=$?
	fi
	pid=
}

# flood_until_exit: pings until pwru ends by itself (up to 20 s); sets status (124: it did not)
flood_until_exit() {
	ip netns exec "$ns" ping -f -c 20000 127.0.0.1 >/dev/null 2>&1 &
	pinger=$!
	exited_within 200
	kill "$pinger" 2>/dev/null
	wait "$pinger" 2>/dev/null
	pinger=
}

# the events pwru says it wrote ("pwru: N events, M lost")
said() { sed -n 's/^pwru: \([0-9]*\) events\{0,1\}, [0-9]* lost$/\1/p' "$scratch/$1.err"; }
# newline-ended lines of FILE starting with PREFIX
whole_lines() { perl -ne "\$n++ if /^\\Q$2\\E.*\\n\\z/; END { print \$n + 0 }" "$1"; }
# Enhanced Packet Blocks of a pcapng FILE that are there whole
whole_epbs() {
	perl -e 'local $/; my $d = <>; my ($o, $n) = (0, 0);
		while ($o + 8 <= length $d) { my ($t, $l) = unpack "VV", substr $d, $o, 8;
			last if $l < 12 || $o + $l > length $d; $n++ if $t == 6; $o += $l }
		print $n' "$1"
}

# check_failed NAME LABEL COUNTED: exit 1 by itself, the last line names LABEL with ENOSPC,
# it is the one error line, COUNTED (the whole events in the output) is what pwru said.
check_failed() {
	local name=$1 label=$2 counted=$3 err=$scratch/$1.err
	check "$name: a full disk ends the trace, exit 1 (not 0)" '[ "$status" = 1 ]' \
		"status $status" "$(cat "$err")"
	check "$name: one line: 'pwru: writing $label: No space left on device', the last" \
		"[ \"\$(tail -n 1 '$err')\" = 'pwru: writing $label: No space left on device' ] &&
		 [ \"\$(grep -c '^pwru: writing' '$err')\" = 1 ]" "$(cat "$err")"
	check "$name: the events counted ($(said "$name")) are those in the output whole ($counted)" \
		'[ -n "$(said "$name")" ] && [ "$(said "$name")" = "$counted" ] && [ "$counted" -gt 0 ]'
	left=$(left_after_exit $ours)
	check "$name: none of its programs is left" '[ -n "$ours" ] && [ -z "$left" ]' \
		"held: $ours" "left:$left"
}

if start json /dev/null --output-json --output-file "$mnt/t.json" icmp; then
	flood_until_exit
	check_failed json "--output-file $mnt/t.json" "$(whole_lines "$mnt/t.json" '{"type":"event"')"
	check "json: the file is cut back to its last whole event: every line is JSON (jq -e)" \
		"[ \"\$(tail -c 1 '$mnt/t.json' | od -An -c | tr -d ' ')\" = '\\n' ] && jq -e . '$mnt/t.json' >/dev/null" \
		"$(tail -c 200 "$mnt/t.json")"
else
	result 1 "json: pwru attached" "$(cat "$scratch/json.err")"
fi
rm -f "$mnt"/*

if start text "$mnt/t.txt" icmp; then
	flood_until_exit
	check_failed text stdout "$(whole_lines "$mnt/t.txt" 0x)"
	check "text: the file ends with a whole line" \
		"[ \"\$(tail -c 1 '$mnt/t.txt' | od -An -c | tr -d ' ')\" = '\\n' ]" "$(tail -c 200 "$mnt/t.txt")"
else
	result 1 "text: pwru attached" "$(cat "$scratch/text.err")"
fi
rm -f "$mnt"/*

# The pcapng file fills, the text on stdout is fine: the trace still ends, and says why.
if start pcap "$scratch/pcap.out" --output-pcap "$mnt/p.pcapng" icmp; then
	flood_until_exit
	check_failed pcap "--output-pcap $mnt/p.pcapng" "$(whole_epbs "$mnt/p.pcapng")"
	tshark -r "$mnt/p.pcapng" >/dev/null 2>"$scratch/tshark.err"
	tshark_rc=$?
	check "pcap: the file is whole blocks, none cut (tshark reads it to the end)" \
		"[ \$tshark_rc = 0 ] && ! grep -q 'cut short' '$scratch/tshark.err'" \
		"tshark: exit $tshark_rc, $(grep -v 'Running as user' "$scratch/tshark.err")"
	check "pcap: the healthy text output has every event counted" \
		'[ "$(whole_lines "$scratch/pcap.out" 0x)" -ge "$(said pcap)" ]'
else
	result 1 "pcap: pwru attached" "$(cat "$scratch/pcap.err")"
fi
rm -f "$mnt"/*

# The header cannot be written: said before the ready file, which is not left behind.
rm -f "$scratch/ready"
before=$(prog_id_max)
set -m
./pwru --ready-file "$scratch/ready" --filter-netns "/var/run/netns/$ns" icmp >/dev/full \
	2>"$scratch/full.err" </dev/null &
pid=$!
set +m
held=
for _ in $(seq 3000); do # up to 30 s
	kill -0 "$pid" 2>/dev/null || break
	h=$(held_progs "$pid")
	[ -n "$h" ] && held=$h
	sleep 0.01
done
exited_within 1
check "stdout /dev/full: exit 1, last line 'pwru: writing stdout: No space left on device'" \
	"[ \$status = 1 ] && [ \"\$(tail -n 1 '$scratch/full.err')\" = 'pwru: writing stdout: No space left on device' ]" \
	"status $status" "$(cat "$scratch/full.err")"
check "stdout /dev/full: no ready file, never 'listening'" \
	"[ ! -e '$scratch/ready' ] && ! grep -q listening '$scratch/full.err'"
# a warm start can load and exit between two polls: what it held may not have been seen
left=$(left_after_exit $held)$(orphans_since "$before")
check "stdout /dev/full: none of its programs is left" '[ -z "$left" ]' \
	"held: ${held:-(exited between polls)}" "left:$left"

# A reader that does not read (| less, a stalled ssh): pwru blocks writing. One Ctrl-C
# drains what was recorded before it, waiting for the reader; a second gives up.
# stall NAME: pwru into a FIFO held open by a reader that does not read, a flood until
# pwru is blocked writing (up to 20 s); a failing test when it is not
stall() {
	local i
	mkfifo "$scratch/$1.fifo"
	sleep 600 <>"$scratch/$1.fifo" >/dev/null 2>&1 &
	holder=$!
	if start "$1" "$scratch/$1.fifo" icmp; then
		ip netns exec "$ns" ping -f -c 20000 127.0.0.1 >/dev/null 2>&1 &
		pinger=$!
		for i in $(seq 200); do
			grep -q pipe_write "/proc/$pid/wchan" 2>/dev/null && break
			sleep 0.1
		done
		kill "$pinger" 2>/dev/null
		wait "$pinger" 2>/dev/null
		pinger=
		grep -q pipe_write "/proc/$pid/wchan" && return 0
	fi
	result 1 "stalled reader: pwru blocks writing into the FIFO" "$(cat "$scratch/$1.err")"
	return 1
}
# unstall: the FIFO's holder goes
unstall() {
	kill "$holder" 2>/dev/null
	holder=
}

# int_taken: pwru took the SIGINT sent (no longer pending), up to 5 s: two signals sent at
# once are one (a signal pending is not queued twice)
int_taken() {
	local i p
	for i in $(seq 50); do
		p=$(awk '/^(ShdPnd|SigPnd):/ { printf "%s ", $2 }' "/proc/$pid/status" 2>/dev/null)
		set -- $p
		[ $(((16#${1:-0} | 16#${2:-0}) & 2)) = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# ended WHAT DETAIL: the run ended by itself (exited_within): exit 0, and none of its
# programs is left
ended() {
	check "$1: pwru exits 0 by itself (124: it did not)" '[ "$status" = 0 ]' "status $status" "$2"
	left=$(left_after_exit $ours)
	check "$1: none of its programs is left" '[ -n "$ours" ] && [ -z "$left" ]' \
		"held: $ours" "left:$left"
}
# gave_up NAME HOW LAST: the stalled run NAME, stopped HOW, ended, and its last line
# matches LAST (how many recorded events were not written)
gave_up() {
	ended "stalled reader, $2" "$(cat "$scratch/$1.err")"
	check "stalled reader, $2: the last line says how many recorded events were not written" \
		"tail -n 1 '$scratch/$1.err' | grep -qE '$3'" "$(cat "$scratch/$1.err")"
}

if stall twice; then
	kill -INT "$pid"
	int_taken
	kill -INT "$pid"
	exited_within 100
	gave_up twice "SIGINT twice (within 10 s)" \
		'^pwru: stopped again while writing: [1-9][0-9]* events recorded before the stop were not written$'
fi
unstall

# One SIGTERM (timeout, systemd, kubectl) and a reader that never reads again: the drain
# waits at most 5 s for a byte to be taken, then pwru says what it did not write and ends.
if stall term; then
	kill -TERM "$pid"
	exited_within 300
	check "stalled reader, one SIGTERM: 'pwru: N events, M lost' is said before the last line" \
		"tail -n 2 '$scratch/term.err' | head -n 1 | grep -qE '^pwru: [0-9]+ events?, [0-9]+ lost\$'" \
		"$(cat "$scratch/term.err")"
	gave_up term "one SIGTERM (within 30 s)" \
		'^pwru: stdout took nothing for 5 s after the stop: [1-9][0-9]* events recorded before the stop were not written$'
fi
unstall

# fifo_full FIFO: status 0 when a write of one byte more would block (EAGAIN), 1 when it is
# taken
fifo_full() {
	perl -MFcntl -e 'sysopen(my $f, $ARGV[0], O_WRONLY | O_NONBLOCK) or exit 2;
		exit(defined(syswrite($f, "x")) ? 1 : $!{EAGAIN} ? 0 : 3)' "$1"
}
# fifo_drain FIFO: what a FIFO that another process holds open holds, without waiting
fifo_drain() {
	perl -MFcntl -e 'sysopen(my $f, $ARGV[0], O_RDONLY | O_NONBLOCK) or exit 2;
		while (sysread($f, my $b, 65536)) { print $b }' "$1"
}

# stderr that nobody reads (pwru ... 2>&1 | less, scrolled back), stdout a file: the
# closing line cannot be written, and one SIGTERM still ends pwru, its trace whole.
mkfifo "$scratch/err.fifo"
sleep 600 <>"$scratch/err.fifo" >/dev/null 2>&1 &
holder=$!
out=$scratch/errstall.out
if pwru_start "$scratch/ready" "$out" "$scratch/err.fifo" --filter-netns "/var/run/netns/$ns" icmp; then
	ours=$(held_progs "$pid")
	# fill the FIFO: from here on a write to stderr blocks (dd stops at the first write
	# that finds no room)
	dd if=/dev/zero of="$scratch/err.fifo" bs=4096 count=17 oflag=nonblock 2>/dev/null
	fifo_full "$scratch/err.fifo"
	full=$?
	ip netns exec "$ns" ping -c 2 -i 0.2 127.0.0.1 >/dev/null 2>&1
	for _ in $(seq 100); do
		grep -q '^0x' "$out" && break
		sleep 0.1
	done
	kill -TERM "$pid"
	exited_within 300
	ended "stderr not read, one SIGTERM (within 30 s)"
	# what pwru got into the FIFO, less dd's zeros: its closing line found no room
	fifo_drain "$scratch/err.fifo" | tr -d '\0' >"$scratch/errstall.err"
	check "stderr not read: the FIFO was full before the SIGTERM (one byte more: EAGAIN) and pwru's closing line never got in" \
		"[ \$full = 0 ] && ! grep -qE '^pwru: [0-9]+ events' '$scratch/errstall.err'" \
		"one byte more: $(case $full in 0) echo EAGAIN ;; 1) echo taken ;; *) echo "error $full" ;; esac)" \
		"pwru's lines in the FIFO: $(cat "$scratch/errstall.err")"
	check "stderr not read: the trace on stdout holds the pings and ends with a whole line" \
		"grep -q '^0x' '$out' && [ \"\$(tail -c 1 '$out' | od -An -c | tr -d ' ')\" = '\\n' ]" \
		"$(tail -n 3 "$out")"
else
	result 1 "stderr not read: pwru attached" "$(timeout 1 cat "$scratch/err.fifo")"
fi
unstall

# One SIGINT, then the reader reads again: every event counted reached it, none lost to the
# signal that cut a write short.
if stall once; then
	kill -INT "$pid"
	# the reader opens before the holder goes (no moment without one: EPIPE), read-only
	# (it sees the end when pwru closes)
	exec 5<"$scratch/once.fifo"
	cat <&5 >"$scratch/once.out" &
	reader=$!
	exec 5<&-
	unstall
	exited_within 300
	wait "$reader"
	check "stalled reader, one SIGINT, then it reads: exit 0" '[ "$status" = 0 ]' \
		"status $status" "$(cat "$scratch/once.err")"
	check "stalled reader, one SIGINT: the $(said once) events counted are the lines read" \
		'[ -n "$(said once)" ] && [ "$(whole_lines "$scratch/once.out" 0x)" = "$(said once)" ]' \
		"read $(whole_lines "$scratch/once.out" 0x)"
fi
tap_plan
