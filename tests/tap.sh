# Sourced by the shell tests (tests/local/*.t, tests/vm/*.t) that number their own TAP
# lines. result STATUS DESCRIPTION [DETAIL]: test n+1 passes when STATUS is 0; DETAIL
# goes under a failure as diagnostics. check DESCRIPTION EXPR [DETAIL...]: the same for
# EXPR, eval'd; each DETAIL a line of diagnostics. tap_plan prints the plan; tap_finish
# prints it and ends the test (what failed so far is already said).
# shellcheck shell=bash
n=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

check() {
	if eval "$2"; then
		result 0 "$1"
	else
		result 1 "$1" "$(printf '%s\n' "${@:3}")"
	fi
}

tap_plan() {
	echo "1..$n"
}

tap_finish() {
	tap_plan
	exit 0
}

# The start of a test that traces a ping on this machine's kernel: skipped without root,
# ./pwru or ping. Such tests count what is left attached afterwards, so they take turns,
# machine-wide: prove runs two at once, and other clones may run theirs.
local_trace_start() {
	if [ "$(id -u)" != 0 ] || [ ! -x ./pwru ] || ! command -v ping >/dev/null; then
		echo "1..0 # SKIP needs root, ./pwru and ping"
		exit 0
	fi
	exec 9>/tmp/pwru-local-attach.lock
	flock 9
}

# scratch_netns NS: a network namespace NS with lo up for a test's pings, or the test's one
# failure and its end.
scratch_netns() {
	ip netns add "$1" && ip -n "$1" link set lo up && return 0
	echo "1..1"
	echo "not ok 1 - a scratch network namespace with lo up"
	exit 1
}

# The programs process $1 holds (its descriptors' fdinfo). Tests that check what pwru leaves
# attached name its programs this way, not by counting every pwru-named program: prove runs
# two tests at once, and another test's pwru has the same program names and newer ids.
held_progs() { grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -un; }
# Those of program ids $@ the kernel still has.
still_there() {
	local id
	for id in "$@"; do bpftool prog show id "$id" >/dev/null 2>&1 && printf ' %s' "$id"; done
}
# Those of program ids $@ still there 10 s after their holder exited: the kernel frees a
# program after its last link and descriptor, from a work queue and after an RCU grace
# period, so for a moment after a clean exit it is still listed (on a loaded machine, with
# VMs beside the local tests, 2 s was once too short). A clean exit returns at once.
left_after_exit() {
	local i left
	for i in $(seq 100); do
		left=$(still_there "$@")
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	printf '%s' "$left"
}

# The highest program id the kernel has handed out so far that is still loaded (0 if none).
prog_id_max() { bpftool prog show -j 2>/dev/null | jq '[.[].id] | max // 0'; }
# Of the programs loaded after id $1 (prog_id_max before a start), those no process holds,
# still there after left_after_exit's wait: what an exited pwru left behind, even one that
# exited before a poll of what it held could see it.
orphans_since() {
	left_after_exit $(bpftool prog show -j 2>/dev/null |
		jq -r --argjson m "$1" '.[] | select(.id > $m and (has("pids") | not)) | .id')
}

# pwru_start READY OUT ERR ARGS...: ./pwru ARGS in the background, stdout to OUT, stderr to
# ERR, in a process group of its own (job control: SIGINT at its default, as in a terminal).
# Waits up to 30 s for its --ready-file READY. Sets pid. 0 once ready, 1 if it ended first.
pwru_start() {
	local ready=$1 out=$2 err=$3 i
	shift 3
	rm -f "$ready"
	set -m
	./pwru --ready-file "$ready" "$@" >"$out" 2>"$err" </dev/null &
	pid=$!
	set +m
	for i in $(seq 300); do
		[ -e "$ready" ] && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
