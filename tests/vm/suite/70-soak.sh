# A long run: every function attached, steady traffic from short-lived processes
# (a new pid each: the process cache must stay bounded) and a TCP stream. pwru's
# anonymous memory and open descriptors are sampled; after a warm-up neither may grow.
# In the suite the soak is measured in work, not time: it ends once the second half of
# the samples saw pwru write PWRU_SOAK_BYTES (8 MiB, about 55,000 events of ~150 bytes:
# a leak of one heap chunk of 32 bytes an event grows past the slack) or at 15 s, the
# old fixed length, whichever comes first. PWRU_SOAK_SECONDS=N is a fixed soak of N s
# (the hour-long run of docs/testing.md is the same script). In the suite, kernels on the
# kprobe backend attach the networking functions only (attaching and removing ~1500
# kprobes takes minutes there); PWRU_SOAK_ALL=1 attaches every function on any kernel.
. tests/vm/suite/lib.sh

secs=${PWRU_SOAK_SECONDS:-15}
# 0: a fixed soak
want_bytes=${PWRU_SOAK_BYTES:-8388608}
[ -z "${PWRU_SOAK_SECONDS:-}" ] || want_bytes=0
# six samples at least: three of warm-up, three after
min_samples=6
funcs=
min_attached=1000
if [ "${PWRU_VM_EXPECT_BACKEND:-}" = kprobe ] && [ -z "${PWRU_SOAK_ALL:-}" ]; then
	funcs='(ip|icmp|tcp_v4|veth|netif|__netif)_.*'
	min_attached=50
fi
every=$((secs / 15 > 1 ? secs / 15 : 1))
# Memory a long run may gain once warm: the allocator's slack, not a leak's slope.
slack_kb=${PWRU_SOAK_SLACK_KB:-1024}

check "two netns joined by veth" netns_pair
mkdir -p "$SCRATCH/www"
dd if=/dev/zero of="$SCRATCH/www/blob" bs=1K count=256 2>/dev/null
$IP netns exec b httpd -f -p 8080 -h "$SCRATCH/www" &
SINK_PID=$!
# ping -c 1 in a loop: steady traffic, and a process of its own for each packet
$IP netns exec a sh -c 'while :; do ping -c 1 -W 1 10.0.1.2 >/dev/null; done' &
PING_PID=$!
$IP netns exec a sh -c 'while :; do wget -q -O /dev/null http://10.0.1.2:8080/blob; sleep 0.2; done' &
PING2_PID=$!

# pwru's anonymous memory, where a leak would grow, from the page tables (smaps_rollup), not
# VmRSS: before 6.2 a thread's page counts reach the process total only every 64 page faults
# of that thread. Not all of Rss: library pages read in the first time a path runs (a step
# of 2 MB seen late in a 5.10 run), and the ring buffer's 8 MB, counted page by page as the
# reader first reaches them (however far behind it once fell, up to --ringbuf-size), are
# steps, never a leak's slope.
rss_kb() { awk '/^Anonymous:/ { print $2 }' "/proc/$1/smaps_rollup"; }
huge_kb() { awk '/^AnonHugePages:/ { print $2 }' "/proc/$1/smaps_rollup"; }
# Transparent huge pages off for the soak: with Debian's "always", khugepaged turns any
# 2 MB range of the heap with one page in use into a whole huge page, at a moment of its own
# choosing: a 2 MB step late in an arm64 6.1 CI run. A step of the kernel's, not pwru's.
thp=/sys/kernel/mm/transparent_hugepage/enabled
thp_was=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp" 2>/dev/null)
[ -n "$thp_was" ] && echo never >"$thp"
trap '[ -n "$thp_was" ] && echo "$thp_was" >"$thp"; cleanup' EXIT
fds() { ls "/proc/$1/fd" | wc -l; }
# bytes pwru has handed to write(2): its output's size (stdout is /dev/null)
wchar() { awk '$1 == "wchar:" { print $2 }' "/proc/$1/io"; }

# every function, output read and thrown away: the cost is pwru's, not a file's;
# attaching ~1500 kprobes one by one takes minutes under TCG
if ! PWRU_OUT=/dev/null PWRU_READY_TIMEOUT=300 pwru_start soak ${funcs:+--filter-func "$funcs"} \
	'icmp or tcp port 8080'; then
	not_ok "pwru attached for the soak" "exit ${PWRU_STATUS:-?}" "$(head -n 20 "$SCRATCH/soak.err")"
	exit 0
fi
attached=$(sed -n 's/^pwru: attached \([0-9]*\) functions\{0,1\}.*/\1/p' "$SCRATCH/soak.err")
if [ "${attached:-0}" -ge $min_attached ]; then
	ok "${funcs:-every function}: $attached attached"
else
	not_ok "${funcs:-every function}: $min_attached or more attached" \
		"$(grep attached "$SCRATCH/soak.err")"
fi

# Samples every $every s; the first half is the warm-up (the first pids, sockets, pages of
# the ring buffer and of the allocator: on 5.10 a one-time step of about 1 MB comes some
# seconds in), whose highest value the second half may not pass by more than the slack: a
# leak is a slope, a warm-up a step.
# The work test: what pwru wrote since the last warm-up sample (samples 1..n/2).
rss_samples= huge_samples= fd_samples= w_samples= t=0 n=0 worked=0
while [ $t -lt "$secs" ] && kill -0 "$PWRU_PID" 2>/dev/null; do
	sleep "$every"
	t=$((t + every))
	n=$((n + 1))
	rss_samples="$rss_samples $(rss_kb "$PWRU_PID")"
	huge_samples="$huge_samples $(huge_kb "$PWRU_PID")"
	fd_samples="$fd_samples $(fds "$PWRU_PID")"
	w_samples="$w_samples $(wchar "$PWRU_PID")"
	[ "$want_bytes" -gt 0 ] && [ $n -ge $min_samples ] || continue
	worked=$(echo $w_samples | awk '{ print $NF - $(int(NF / 2)) }')
	[ "$worked" -lt "$want_bytes" ] || break
done
set -- $rss_samples
warm_n=$(($# / 2 > 1 ? $# / 2 : 1))
read -r rss_warm rss_max <<EOS
$(echo $rss_samples | awk -v w=$warm_n '{ for (i = 1; i <= NF; i++) if (i <= w) { if ($i > a) a = $i } else if ($i > b) b = $i; print a + 0, b + 0 }')
EOS
read -r fd_warm fd_max <<EOS
$(echo $fd_samples | awk -v w=$warm_n '{ for (i = 1; i <= NF; i++) if (i <= w) { if ($i > a) a = $i } else if ($i > b) b = $i; print a + 0, b + 0 }')
EOS
diag "anonymous memory (kB) every ${every}s:$rss_samples; of it in huge pages:$huge_samples;" \
	"descriptors:$fd_samples (transparent huge pages were: ${thp_was:-not offered});" \
	"bytes written:$w_samples"
pwru_stop 120 # removing many kprobes takes the kernel a while (an RCU grace period each)
events=$(sed -n 's/^pwru: \([0-9]*\) events\{0,1\}, [0-9]* lost$/\1/p' "$SCRATCH/soak.err")
kill "$PING2_PID" "$SINK_PID" 2>/dev/null
PING2_PID=

if [ "${events:-0}" -gt 1000 ] && [ "$PWRU_STATUS" -eq 0 ]; then
	ok "$events events over ${t}s, exit 0"
else
	not_ok "events all along, exit 0" "events: ${events:-none}, status $PWRU_STATUS" \
		"$(tail -n 5 "$SCRATCH/soak.err")"
fi
if [ "$rss_warm" -gt 0 ] && [ "$rss_max" -le $((rss_warm + slack_kb)) ]; then
	ok "anonymous memory flat: at most $((rss_max - rss_warm)) kB over the warm-up's $rss_warm kB"
else
	not_ok "anonymous memory flat (at most $slack_kb kB over the warm-up's highest)" \
		"warm-up $rss_warm kB, then up to $rss_max kB"
fi
if [ "$fd_warm" -gt 0 ] && [ "$fd_max" -le "$fd_warm" ]; then
	ok "open descriptors flat ($fd_warm)"
else
	not_ok "open descriptors flat" "warm-up $fd_warm, then up to $fd_max"
fi
# The work measured after the warm-up, in events: its bytes at the run's bytes per event.
if [ "$want_bytes" -gt 0 ]; then
	last=$(echo $w_samples | awk '{ print $NF }')
	if [ "$worked" -ge "$want_bytes" ] || [ "$t" -ge "$secs" ]; then
		ok "after the warm-up: $worked bytes written, about $((worked * ${events:-0} / (last > 0 ? last : 1))) events, in the last $((n - n / 2)) of $n samples"
	else
		not_ok "after the warm-up: $want_bytes bytes written, or ${secs} s" "$worked bytes in ${t} s"
	fi
fi
check_nothing_attached "after the soak"
