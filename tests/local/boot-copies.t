#!/bin/bash
# The boot's copies in /run/pwru never break pwru. In a mount namespace of its own, over a
# tmpfs /run/pwru: a wrong probes copy (closing13: a kept "kprobe-multi passed" on this
# locked-down machine made every start choose kprobe-multi and fail at attach) is dropped at
# the failed attach and pwru starts again by itself; one planted for another pwru build is
# not taken at all; a /run/pwru that is full or read-only costs the copies, nothing else.
cd "$(dirname "$0")/../.." || exit 1
if [ -z "${PWRU_KEPT_NS:-}" ]; then
	exec unshare -m --propagation private env PWRU_KEPT_NS=1 bash "$0" "$@"
fi
. tests/tap.sh
. tests/kept_probes.sh

local_trace_start
scratch=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
[ -d /run/pwru ] || mkdir -m 700 /run/pwru
if ! mount -t tmpfs -o mode=700 tmpfs /run/pwru; then
	echo "1..0 # SKIP no tmpfs over /run/pwru in a mount namespace"
	exit 0
fi

# start NAME [quiet]: pwru --debug icmp (quiet: without --debug) until it is ready, then
# SIGINT; sets status, and names (of the programs it held while ready).
start() {
	local name=$1 args=(--debug icmp)
	[ "${2:-}" = quiet ] && args=(icmp)
	status=1 names=
	if pwru_start "$scratch/$name.ready" "$scratch/$name.out" "$scratch/$name.err" "${args[@]}"; then
		names=$(for id in $(held_progs "$pid"); do bpftool prog show id "$id"; done 2>&1 |
			grep -o 'name [a-z_0-9]*')
		kill -INT "$pid"
		wait "$pid"
		status=$?
	else
		kill "$pid" 2>/dev/null
		wait "$pid"
	fi
	pid=
}

start first
if grep -q '^pwru: backend kprobe-multi$' "$scratch/first.err"; then
	echo "1..0 # SKIP kprobe-multi runs here: a kept pass of it is not wrong"
	exit 0
fi
check "a first start makes the discovery copy whose key the plant takes" \
	'[ "$status" = 0 ] && [ -s /run/pwru/discovery ]' "$(tail -n 5 "$scratch/first.err")"

plant_probe_pass ./pwru kprobe-multi
start planted
check "a planted kprobe-multi pass is taken, as a kept one would be" \
	"grep -q '^pwru: debug: backend kprobe-multi usable: kept' '$scratch/planted.err'" \
	"$(head -n 20 "$scratch/planted.err")"
check "its failed attach drops the copy and pwru starts again by itself" \
	"grep -q 'removed /run/pwru/probes, starting again\$' '$scratch/planted.err'" \
	"$(grep -v skipped "$scratch/planted.err" | head -n 20)"
check "and traces with the backend this kernel runs, exit 0 on SIGINT" \
	"[ \$status = 0 ] && grep -q '^pwru: listening for events' '$scratch/planted.err'" \
	"status $status" "$(grep -v skipped "$scratch/planted.err" | tail -n 5)"
check "holding no program of the failed attempt while it traced" \
	"[ -n \"\$names\" ] && ! grep -q kprobe_multi <<<\"\$names\"" "$names"
check "the wrong pass is gone for the next start" \
	"! grep -qs kprobe-multi /run/pwru/probes"

# A kept fentry pass on a kernel that refuses fentry programs fails at the load, where
# libbpf prints the verifier's or the kernel's refusal: that log belongs to the pass, which
# the retry line explains, and is not shown above a start that then works.
plant_probe_pass ./pwru fentry
start fentry_kept
if grep -q '^pwru: debug: backend fentry usable: kept' "$scratch/fentry_kept.err"; then
	check "a kept fentry pass the kernel refuses at load: one line, and pwru starts again" \
		"[ \$status = 0 ] && grep -q \"^pwru: loading the BPF programs failed: .*; fentry's probe, kept as passed earlier in this boot, now fails\" '$scratch/fentry_kept.err'" \
		"status $status" "$(grep -v skipped "$scratch/fentry_kept.err" | head -n 20)"
	check "without libbpf's log of the refused load above it, nor a pointer to that log" \
		"! grep -q -e '^libbpf: ' -e \"libbpf's log above\" '$scratch/fentry_kept.err'" \
		"$(grep -v skipped "$scratch/fentry_kept.err" | head -n 20)"
else
	result 0 "# SKIP another backend is chosen before fentry's kept pass here"
fi

plant_probe_pass ./pwru kprobe-multi other
start other
check "a pass kept by another pwru build is not taken" \
	"[ \$status = 0 ] && ! grep -q 'kept from this boot' '$scratch/other.err' &&
	 ! grep -q 'starting again' '$scratch/other.err'" "$(grep -v skipped "$scratch/other.err" | head -n 20)"
# Said by a start that keeps nothing: the lines without a copy's path or a file error.
quiet() {
	[ "$status" = 0 ] && grep -q '^pwru: listening for events' "$scratch/$1.err" &&
		! grep -qiE 'run/pwru|no space|read-only|cache' "$scratch/$1.err"
}
umount /run/pwru
mount -t tmpfs -o mode=700,size=4k tmpfs /run/pwru
start full quiet
check "/run/pwru full: pwru traces, says nothing of it, and leaves no part of a copy" \
	"quiet full && [ -z \"\$(ls -A /run/pwru)\" ]" "status $status" "$(ls -l /run/pwru)" \
	"$(cat "$scratch/full.err")"
umount /run/pwru
mount -t tmpfs -o mode=700,ro tmpfs /run/pwru
start ro quiet
check "/run/pwru read-only: pwru traces and says nothing of it" "quiet ro" "status $status" \
	"$(cat "$scratch/ro.err")"
tap_finish
