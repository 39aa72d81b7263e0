# Sourced by the in-VM scenarios (tests/vm/suite/[0-9]*.sh), run from the repo
# root by tests/vm/suite/run. Each scenario prints TAP test lines without
# numbers ("ok - ..." / "not ok - ..."), and "# ..." diagnostics; the runner
# counts them and prints the plan.
#
# Real tools are called by full path: under busybox's sh a bare `ip` would be
# busybox's applet, which has no netns support.
IP=/bin/ip
NFT=/usr/sbin/nft
BPFTOOL=/usr/sbin/bpftool
PWRU=${PWRU:-pwru}

SCENARIO=$(basename "$0" .sh)
SCRATCH=$(mktemp -d "/tmp/$SCENARIO.XXXXXX")
PWRU_PID=

# nap [SECONDS]: a pause of SECONDS (0.02) that starts no process: read times out on a FIFO
# nothing writes to. The polls below slept with sleep(1), a fork each round, which under
# TCG made a 0.1 s round 0.12 to 0.17 s (docs/testing.md, "Suite time").
mkfifo "$SCRATCH/nap"
nap() { read -r -t "${1:-0.02}" _ <>"$SCRATCH/nap"; true; }
# alive PID: the child PID runs, as its state in /proc says. Not kill -0, which a zombie
# passes: bash reaps a child that ended while it was forking only at its next fork or wait,
# and a poll that naps does neither (a 5.10 stop waited out its 10 s so).
alive() {
	local st
	read -r _ _ st _ 2>/dev/null <"/proc/$1/stat" && [ "$st" != Z ]
}

ok() {
	echo "ok - $SCENARIO: $*"
}

not_ok() {
	echo "not ok - $SCENARIO: $1"
	shift
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# check DESC CMD... : one test, passing when CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@" >"$SCRATCH/check.out" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc" "command: $*" "$(head -c 2000 "$SCRATCH/check.out")"
	fi
}

# Shows the head of a file as diagnostics, for a failing test.
show() {
	local what=$1 file=$2
	if [ -s "$file" ]; then
		diag "$what:"
		head -n "${3:-15}" "$file" | cut -c1-200 | sed 's/^/#   /'
	else
		diag "$what: (empty)"
	fi
}

# Two namespaces, a (10.0.1.1) and b (10.0.1.2), joined by veth pair va/vb.
netns_pair() {
	$IP netns add a && $IP netns add b &&
		$IP link add va netns a type veth peer name vb netns b &&
		$IP -n a addr add 10.0.1.1/24 dev va &&
		$IP -n b addr add 10.0.1.2/24 dev vb &&
		$IP -n a link set lo up && $IP -n b link set lo up &&
		$IP -n a link set va up && $IP -n b link set vb up
}

# two_flows WHAT: two flows into b on two CPUs: netns_pair, a second veth pair va2 (10.0.2.1) / vb2
# (10.0.2.2), and RPS in b steering vb's packets to CPU 0 and vb2's to CPU 1, where the
# backlog runs in the softirq of the IPI (inside whatever was running there).
# WHAT is what the scenario checks: one ok line skipping it ends the scenario on one CPU.
two_flows() {
	if [ "$(nproc)" -lt 2 ]; then
		ok "$1 # SKIP one CPU here"
		exit 0
	fi
	check "two netns joined by veth" netns_pair
	check "a second veth pair, va2 10.0.2.1 and vb2 10.0.2.2" sh -c "
		$IP link add va2 netns a type veth peer name vb2 netns b &&
		$IP -n a addr add 10.0.2.1/24 dev va2 && $IP -n b addr add 10.0.2.2/24 dev vb2 &&
		$IP -n a link set va2 up && $IP -n b link set vb2 up"
	check "RPS in b: vb's packets to CPU 0, vb2's to CPU 1" $IP netns exec b sh -c '
		echo 1 >/sys/class/net/vb/queues/rx-0/rps_cpus &&
		echo 2 >/sys/class/net/vb2/queues/rx-0/rps_cpus'
}

# kernel_at_least MAJOR.MINOR: the running kernel is that version or later.
kernel_at_least() {
	uname -r | awk -F'[.-]' -v want="$1" '{ split(want, w, "."); exit !($1 * 1000 + $2 >= w[1] * 1000 + w[2]) }'
}

# listening_8080: a socket in b listens on port 8080 (1F90, state 0A), tcp or tcp6 (busybox's
# nc and httpd listen on tcp6): what a connection from a waits for, not a fixed sleep.
listening_8080() {
	$IP netns exec b grep -qsE ':1F90 [0-9A-F]+:0000 0A ' /proc/net/tcp6 /proc/net/tcp
}

# tcp_flood_start: 16 MB HTTP downloads from b (10.0.1.2:8080) to a, in a loop, until
# tcp_flood_stop; sets SINK_PID (the server) and SOURCE_PID (the client loop).
tcp_flood_start() {
	mkdir -p "$SCRATCH/www"
	dd if=/dev/zero of="$SCRATCH/www/big" bs=1M count=16 2>/dev/null
	$IP netns exec b httpd -f -p 8080 -h "$SCRATCH/www" &
	SINK_PID=$!
	wait_until listening_8080
	$IP netns exec a sh -c 'while :; do wget -q -O /dev/null http://10.0.1.2:8080/big; done' &
	SOURCE_PID=$!
}

tcp_flood_stop() {
	kill "$SOURCE_PID" "$SINK_PID" 2>/dev/null
}

# tcp_exchange: one short TCP connection from a to b:8080, a line each way (busybox nc).
tcp_exchange() {
	local srv i
	$IP netns exec b sh -c 'echo hi | nc -l -p 8080 >/dev/null' &
	srv=$!
	wait_until listening_8080
	echo hello | $IP netns exec a nc -w 2 10.0.1.2 8080 >/dev/null
	# b's nc ends by itself once a's has closed: the connection's last packets are through.
	# Up to 2 s (a's -w), then it is stopped.
	for ((i = 0; i < 20; i++)); do
		alive "$srv" || break
		nap 0.1
	done
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
}

netns_cleanup() {
	$IP netns del a 2>/dev/null
	$IP netns del b 2>/dev/null
	true
}

# pwru_start NAME ARGS... : runs pwru in the background, stdout to
# $SCRATCH/NAME.out (PWRU_OUT, e.g. /dev/null for a long run) and stderr to
# $SCRATCH/NAME.err, and waits for its ready file. pwru writes out its events each
# time it drains the ring buffer, so a wait on NAME.out sees them as they come. Fails (status 1) if pwru
# exits first or is not ready within PWRU_READY_TIMEOUT seconds (60: BTF and
# kallsyms parsing is slow under TCG).
pwru_start() {
	local name=$1 waited=0
	shift
	rm -f "$SCRATCH/$name.ready"
	# A non-interactive shell starts background jobs with SIGINT ignored; job
	# control gives pwru the default disposition, as in a person's terminal.
	set -m
	"$PWRU" --ready-file "$SCRATCH/$name.ready" "$@" \
		>"${PWRU_OUT:-$SCRATCH/$name.out}" 2>"$SCRATCH/$name.err" </dev/null &
	PWRU_PID=$!
	set +m
	while [ ! -e "$SCRATCH/$name.ready" ]; do
		if ! alive "$PWRU_PID"; then
			wait "$PWRU_PID"
			PWRU_STATUS=$?
			PWRU_PID=
			return 1
		fi
		if [ $waited -ge $((${PWRU_READY_TIMEOUT:-60} * 50)) ]; then
			return 1
		fi
		nap
		waited=$((waited + 1))
	done
}

# ping_pair OTHER SELECTED PING-ARGS... : from a, a ping to OTHER in the background and
# one to SELECTED, side by side (what a filter leaves out beside what it selects). PINGS_OK
# is 1 when both were answered (ping's exit 0): what is left out was there to leave out.
ping_pair() {
	local other=$1 selected=$2 st
	shift 2
	PINGS_OK=
	$IP netns exec a ping "$@" "$other" >/dev/null 2>&1 &
	PING_PID=$!
	$IP netns exec a ping "$@" "$selected" >/dev/null 2>&1
	st=$?
	wait "$PING_PID" && [ $st = 0 ] && PINGS_OK=1
	PING_PID=
}

# wait_until CMD... : up to 10 s for CMD to succeed.
wait_until() {
	local i
	for ((i = 0; i < 100; i++)); do
		"$@" && return 0
		nap 0.1
	done
	return 1
}

# has_lines FILE ERE [N] : N (1) lines of FILE match ERE.
has_lines() {
	[ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ]
}

# has_events FILE FUNC TUPLE [N] : N (1) event lines of FILE at FUNC carry TUPLE.
has_events() {
	[ "$(event_lines "$1" "$2" "$3" | wc -l)" -ge "${4:-1}" ]
}

# wait_lines FILE ERE [N], wait_events FILE FUNC TUPLE [N] : up to 10 s for them.
wait_lines() { wait_until has_lines "$@"; }
wait_events() { wait_until has_events "$@"; }

# ping_dropped FILE ERE N PING-ARGS... : ping PING-ARGS from a in the background, whose echo
# requests are dropped, and up to 10 s for N more lines of FILE to match ERE than before it
# (what earlier traffic left there does not count); then the ping is stopped: it would wait
# out its -W for a reply that never comes (a second each, under TCG too). Status: the wait's.
ping_dropped() {
	local file=$1 ere=$2 n=$3 pid st before
	shift 3
	before=$(grep -cE -- "$ere" "$file" 2>/dev/null)
	$IP netns exec a ping "$@" >/dev/null 2>&1 &
	pid=$!
	wait_lines "$file" "$ere" $((${before:-0} + n))
	st=$?
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return $st
}

# Milliseconds since boot; busybox's date has no %N, /proc/uptime has 10 ms.
now_ms() {
	local up
	read -r up _ </proc/uptime
	echo $((${up%.*} * 1000 + 10#${up#*.} * 10))
}

# pwru_wait_end SECONDS T0 : waits up to SECONDS for pwru to end, then SIGKILL.
# Sets PWRU_STATUS and PWRU_STOP_MS (time from T0, a now_ms, to the exit).
pwru_wait_end() {
	local i=0
	while alive "$PWRU_PID" && [ $i -lt $(($1 * 50)) ]; do
		nap
		i=$((i + 1))
	done
	kill -KILL "$PWRU_PID" 2>/dev/null
	wait "$PWRU_PID"
	PWRU_STATUS=$?
	PWRU_STOP_MS=$(($(now_ms) - $2))
	PWRU_PID=
}

# pwru_stop [SECONDS] : SIGINT, then waits up to SECONDS (10; removing many
# kprobes takes longer), then SIGKILL. Sets PWRU_STATUS and PWRU_STOP_MS (time
# from the signal to the exit).
pwru_stop() {
	local t0
	[ -n "$PWRU_PID" ] || return 1
	t0=$(now_ms)
	kill -INT "$PWRU_PID"
	pwru_wait_end "${1:-10}" "$t0"
}

# event_lines FILE FUNC TUPLE : lines of pwru's text output naming FUNC (a
# whole field) and containing TUPLE.
event_lines() {
	awk -v fn="$2" -v tuple="$3" '
		index($0, tuple) { for (i = 1; i <= NF; i++) if ($i == fn) { print; next } }
	' "$1"
}

# event_lines_re FILE REGEX TUPLE : the same, for a field matching REGEX (ERE,
# anchored; write literal parentheses as [(] [)], awk -v eats backslashes).
event_lines_re() {
	awk -v re="^($2)\$" -v tuple="$3" '
		index($0, tuple) { for (i = 1; i <= NF; i++) if ($i ~ re) { print; next } }
	' "$1"
}

# same_funcs_seen DESC COLD WARM : the two runs' outputs (COLD, WARM) showed the same
# functions, at least one (event lines only: the header's FUNC would make two runs that
# showed nothing look alike).
funcs_seen() { awk '/^0x/ { print $NF }' "$1" | sort -u; }
same_funcs_seen() {
	if [ -n "$(funcs_seen "$2")" ] && [ "$(funcs_seen "$3")" = "$(funcs_seen "$2")" ]; then
		ok "$1: $(funcs_seen "$3" | tr '\n' ' ')"
	else
		not_ok "$1" "cold: $(funcs_seen "$2" | tr '\n' ' ')" "warm: $(funcs_seen "$3" | tr '\n' ' ')"
	fi
}

# backends_here : sets BACKENDS_HERE, the backends this kernel runs, as pwru --list-funcs
# says (asked once: under TCG each run takes seconds).
BACKENDS_HERE=
backends_here() {
	[ -n "$BACKENDS_HERE" ] || BACKENDS_HERE=$($PWRU --list-funcs --filter-func ip_rcv 2>&1 >/dev/null |
		sed -n 's/.*backends this kernel runs: //p' | tr -d ,)
}

# refused_here NAME : when this kernel does not run backend NAME, one test
# that --backend NAME is refused in one line with exit 1, then status 0.
refused_here() {
	local b=$1 st
	backends_here
	case " $BACKENDS_HERE " in
	*" $b "*) return 1 ;;
	esac
	$PWRU --backend "$b" --filter-func ip_rcv icmp >/dev/null 2>"$SCRATCH/refused.err" </dev/null
	st=$?
	if [ $st -eq 1 ] && [ "$(grep -c . "$SCRATCH/refused.err")" -eq 1 ] &&
		grep -q "^pwru: --backend $b is not usable on this kernel: " "$SCRATCH/refused.err"; then
		ok "$b: this kernel lacks it: refused in one line, exit 1 ($(cat "$SCRATCH/refused.err"))"
	else
		not_ok "$b: this kernel lacks it: refused in one line, exit 1" "status $st" \
			"$(cat "$SCRATCH/refused.err")"
	fi
	return 0
}

# check_events DESC FILE REGEX TUPLE : one test, passing when FILE has lines
# whose function field matches REGEX (as event_lines_re) carrying TUPLE; shows
# the file when not.
check_events() {
	local desc=$1 file=$2 n
	n=$(event_lines_re "$file" "$3" "$4" | wc -l)
	if [ "$n" -ge 1 ]; then
		ok "$desc ($n lines: $(event_lines_re "$file" "$3" "$4" | awk '{ print $NF; exit }'))"
	else
		not_ok "$desc"
		show "pwru stdout" "$file"
	fi
}

# at_least DESC N MIN [FILE...] : one test, passing when N (what the scenario counted in
# pwru's output) is MIN or more; else the FILEs (NAME.out, NAME.err) are shown.
at_least() {
	local desc=$1 n=$2 min=$3 f
	shift 3
	if [ "$n" -ge "$min" ]; then
		ok "$desc ($n)"
		return
	fi
	not_ok "$desc ($n, $min or more wanted)"
	for f in "$@"; do
		case $f in
		*.err) show "pwru stderr" "$f" ;;
		*) show "pwru stdout" "$f" 20 ;;
		esac
	done
}

# kernel_runs_fexit : whether BPF trampolines attach to kernel functions here,
# known from the kernel, not from pwru: x86-64 since 5.5; arm64 only from 6.4
# (ftrace direct calls), so not on the matrix's arm64 6.1. Not with
# PWRU_TEST_NO_FEXIT=1, which makes pwru take them as refused (53-nf-kretprobe).
kernel_runs_fexit() {
	local v
	[ "${PWRU_TEST_NO_FEXIT:-}" != 1 ] || return 1
	v=$(uname -r | awk -F'[.-]' '{ print $1 * 100 + $2 }')
	case $(uname -m) in
	aarch64) [ "$v" -ge 604 ] ;;
	*) [ "$v" -ge 505 ] ;;
	esac
}

# Programs, links and perf-event attachments of ours still in the kernel. Our
# programs are named kprobe_* / pwru_* / trk_* (tracking hooks) / fentry_* /
# fexit_* / tp_btf_* / raw_tp_*; bpftool truncates names to 15 bytes. Links of
# every kind we make: kprobe-multi, perf events, tracing (fentry, fexit,
# tp_btf), raw tracepoints, and 7.2's tracing-multi (type 15, which this
# bpftool does not name).
# A bpftool that fails is said as a leftover: an empty listing is no proof then.
OUR_PROGS='^(kprobe|pwru|trk_|fentry|fexit|tp_btf|raw_tp)'
# map_entries NAME: the entries the kernel gave the map NAME pwru created (one pwru runs).
map_entries() {
	$BPFTOOL map show name "$1" 2>/dev/null | sed -n 's/.* max_entries \([0-9]*\).*/\1/p' | head -n 1
}

leftovers() {
	local what out
	for what in prog link perf; do
		out=$($BPFTOOL "$what" show 2>"$SCRATCH/bpftool.err") ||
			echo "bpftool $what show failed: $(head -n 1 "$SCRATCH/bpftool.err")"
		case $what in
		prog) printf '%s\n' "$out" | awk -v re="$OUR_PROGS" '
			{ for (i = 1; i < NF; i++) if ($i == "name" && $(i + 1) ~ re) print "prog: " $0 }' ;;
		link) printf '%s\n' "$out" |
			awk '/kprobe_multi|perf_event|tracing|raw_tracepoint|type 15/ { print "link: " $0 }' ;;
		perf) printf '%s\n' "$out" | awk '/kprobe|kretprobe/ { print "perf: " $0 }' ;;
		esac
	done
	[ -r /sys/kernel/tracing/kprobe_events ] &&
		sed 's/^/kprobe_events: /' /sys/kernel/tracing/kprobe_events
	true
}

# export_file NAME PATH : sends PATH to the host, base64 on the console, where
# tests/vm/lib/tap-kernel decodes it and runs tests/vm/host/check-EXT on it
# (EXT: NAME's extension), for checks with tools the VM does not carry (tshark).
export_file() {
	base64 "$2" | sed "s/^/PWRU-VM-FILE $1 /"
}

# check_bad_input DESC TEXT ARGS... : pwru ARGS is bad input: exit 2, one line on
# stderr, holding TEXT (fixed string).
check_bad_input() {
	local desc=$1 text=$2 st
	shift 2
	"$PWRU" "$@" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err" </dev/null
	st=$?
	if [ $st -eq 2 ] && [ "$(grep -c '' "$SCRATCH/bad.err")" -eq 1 ] &&
		grep -qF -- "$text" "$SCRATCH/bad.err"; then
		ok "$desc ($(cat "$SCRATCH/bad.err"))"
	else
		not_ok "$desc" "exit $st" "$(cat "$SCRATCH/bad.err")"
	fi
}

# fd_starved NAME ARGS... : pwru ARGS under ulimit -n 128 (kprobes and per-function fentry
# take one or two descriptors a function): what fits is attached, one line says how many
# functions lacked a descriptor and what to do, the run ends as usual; nothing stays
# attached. Where one link took every function (fentry through 7.2's tracing-multi link),
# nothing runs out: said as a skip.
fd_starved() {
	local name=$1 hard soft started att nofd
	shift
	hard=$(ulimit -Hn) soft=$(ulimit -Sn)
	ulimit -n 128
	pwru_start "$name" "$@"
	started=$?
	ulimit -Hn "$hard"
	ulimit -Sn "$soft"
	if [ $started != 0 ]; then
		not_ok "$name: pwru $* under ulimit -n 128 started" "status ${PWRU_STATUS:-?}" "$(head -n 8 "$SCRATCH/$name.err")"
		check_nothing_attached "$name: after exit"
		return
	fi
	pwru_stop 60
	att=$(sed -n 's/^pwru: attached \([0-9]*\) functions\{0,1\}, skipped \([0-9]*\)$/\1 \2/p' "$SCRATCH/$name.err")
	nofd=$(sed -n 's/^pwru: \([0-9]*\) functions\{0,1\} not attached: out of file descriptors (RLIMIT_NOFILE 128); raise it (ulimit -n) or narrow --filter-func$/\1/p' "$SCRATCH/$name.err")
	if [ -z "$nofd" ] && grep -q '^pwru: fentry: tracing-multi link' "$SCRATCH/$name.err" &&
		! grep -q '^pwru: fentry: one entry program per function' "$SCRATCH/$name.err"; then
		ok "$name: ulimit -n 128 # SKIP one tracing-multi link took every function: no descriptor ran out"
	elif [ -n "$att" ] && [ "${att% *}" -gt 0 ] && [ "${nofd:-0}" -gt 0 ] && [ "$nofd" -le "${att#* }" ]; then
		ok "$name: ulimit -n 128: attached ${att% *}, and one line says $nofd of the ${att#* } skipped lacked a descriptor"
	else
		not_ok "$name: ulimit -n 128: some attached, the rest said to lack descriptors" "$(head -n 8 "$SCRATCH/$name.err")"
	fi
	if [ "$PWRU_STATUS" -eq 0 ] && grep -q '^pwru: [0-9]* events\{0,1\}, [0-9]* lost$' "$SCRATCH/$name.err"; then
		ok "$name: ulimit -n 128: exits 0 on SIGINT with its count of events"
	else
		not_ok "$name: ulimit -n 128: exits 0 on SIGINT with its count of events" "status $PWRU_STATUS" "$(tail -n 3 "$SCRATCH/$name.err")"
	fi
	check_nothing_attached "$name: after exit"
}

# The kernel releases links and programs after the last fd closes, from a work queue
# and after an RCU grace period: for a moment after any exit, clean or killed, they are
# still listed. Up to 2 s for them to go.
check_nothing_attached() {
	local left i
	for ((i = 0; i < 10; i++)); do
		left=$(leftovers)
		[ -z "$left" ] && break
		nap 0.2
	done
	if [ -z "$left" ]; then
		ok "${1:-after exit} nothing of ours is attached (bpftool prog/link/perf, kprobe_events)"
	else
		not_ok "${1:-after exit} nothing of ours is attached (bpftool prog/link/perf, kprobe_events)" "$left"
	fi
}

# CALLER names seen (GOT, sorted and unique) are WANT; else FILE, pwru's output, is shown.
check_caller() {
	if [ "$3" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "CALLER seen: ${3:-none}"
		show "pwru stdout" "$4" 20
	fi
}

# pwru's text output FILE has no stack lines (--output-caller alone).
check_no_stack() {
	if ! grep -q '^ ' "$2"; then
		ok "$1"
	else
		not_ok "$1" "$(head -n 5 "$2")"
	fi
}

# expect_line DESC FILE REGEX [TUPLE] : one test, passing when a line of FILE
# carrying TUPLE matches REGEX (ERE; anchor it at the end to match FUNC and what
# follows it); shows the file when not.
expect_line() {
	if grep -F -- "${4:-}" "$2" | grep -qE -- "$3"; then
		ok "$1"
	else
		not_ok "$1" "wanted: $3 ${4:+(tuple $4)}"
		show "pwru stdout" "$2" 40
	fi
}

# need_test_bpf FILE... : the tests' own programs and tools in build/tests/bpf, which
# `make pwru` alone does not build. One missing: a failed test that says so and how to
# build them, and the scenario ends (else tc's "Cannot initialize ELF context!" reads like
# pwru's failure).
need_test_bpf() {
	local f
	for f in "$@"; do
		[ -e "build/tests/bpf/$f" ] && continue
		not_ok "build/tests/bpf/$f is missing: build the tests' programs with 'make test-bpf' (make pwru does not), then run again"
		exit 0
	done
}

# wait_text FILE TEXT : up to 10 s for TEXT to appear in FILE (pwru's stderr).
wait_text() { wait_until grep -qF -- "$2" "$1"; }

# ping_through_prog NAME FLAGS... : for the tc programs on vb's ingress (81, 88): pwru
# FLAGS on the function running them (tcf_classify; tcf_classify_ingress on 5.10) and on
# icmp_rcv during three pings from a, waiting (bounded) for the three requests at
# icmp_rcv (PTP_WAIT: what they are in pwru's output, the text lines by default). Status 1
# (and a failed test) when pwru did not attach.
ping_through_prog() {
	local name=$1
	shift
	if ! pwru_start "$name" --filter-func 'tcf_classify|tcf_classify_ingress|icmp_rcv' "$@" icmp; then
		not_ok "pwru $* attached" "exit ${PWRU_STATUS:-?}" "$(head -n 5 "$SCRATCH/$name.err")"
		return 1
	fi
	$IP netns exec a ping -c 3 -i 0.2 -W 3 10.0.1.2 >/dev/null 2>&1
	wait_lines "$SCRATCH/$name.out" "${PTP_WAIT:-$PTP_WAIT_TEXT}" 3
	pwru_stop
}
PTP_WAIT_TEXT='10\.0\.1\.1:0->10\.0\.1\.2:0\(icmp\) icmp_rcv( |$)'

# check_helpers_found ERRFILE NAMES... : pwru's stderr (ERRFILE) says the helpers it tracks,
# NAMES among them (--filter-track-bpf-helpers).
check_helpers_found() {
	local err=$1 line missing= h
	shift
	line=$(grep '^pwru: tracking .* BPF helpers' "$err")
	for h in "$@"; do
		case ",${line##*: }," in
		*",$h,"*) ;;
		*) missing="$missing $h" ;;
		esac
	done
	if [ -n "$line" ] && [ -z "$missing" ]; then
		ok "found in the program's JITed image: $*"
	else
		not_ok "found in the program's JITed image: $*" "missing:$missing" "$(cat "$err")"
	fi
}

cleanup() {
	if [ -n "$PWRU_PID" ]; then
		kill -KILL "$PWRU_PID" 2>/dev/null
		wait "$PWRU_PID" 2>/dev/null
	fi
	[ -n "${PING_PID:-}" ] && kill "$PING_PID" 2>/dev/null
	[ -n "${PING2_PID:-}" ] && kill "$PING2_PID" 2>/dev/null
	netns_cleanup
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
# The runner stops an overdue scenario with TERM; exiting runs the cleanup.
trap 'exit 143' TERM
