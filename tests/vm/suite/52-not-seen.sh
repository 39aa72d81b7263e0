# Calls the kernel skips pwru's programs for, in the exit line and the JSON end object.
# As in 51, b's two veths have RPS steer each one's packets to its own CPU (vb to 0, vb2
# to 1), and pings are sent from both CPUs: a sender's program (a kprobe on ip_output, in
# the task with softirqs enabled) is interrupted by the other flow's IPI, whose softirq
# calls traced functions on the same CPU, and the kernel skips pwru's program there. From
# 6.7 the kernel counts those skips: per program (recursion_misses: another kprobe program
# running) and per kprobe link (missed: another kprobe running, the fprobe's own guard).
# pwru's parts are checked against what bpftool and /proc read from the kernel before the
# stop; before 6.7 nothing is counted, which the end object and --debug must say.
. tests/vm/suite/lib.sh

two_flows "calls not seen"

counts=0 # the kernel counts kprobe programs' skips: 6.7 and later
kernel_at_least 6.7 && counts=1

# the kernel's own counts while pwru runs: its programs' recursion_misses (bpftool), its
# links' missed (/proc's fdinfo, where the kernel shows it there: 6.16 and later)
kernel_progs() {
	$BPFTOOL -j prog show 2>/dev/null |
		jq --argjson pid "$PWRU_PID" '[.[] | select((.pids // [{pid: $pid}]) | any(.pid == $pid))
			| .recursion_misses // 0] | add // 0'
}
kernel_links() {
	cat /proc/"$PWRU_PID"/fdinfo/* 2>/dev/null | awk '/^missed:/ { n += $2 } END { print n + 0 }'
}

# traffic NAME : 4 pings of 400 a flow from each CPU, as 51 sends them
traffic() {
	local pids=
	for _ in 1 2 3 4; do
		$IP netns exec a taskset -c 1 ping -q -c 400 -i 0.002 -W 1 10.0.1.2 >/dev/null 2>&1 &
		pids="$pids $!"
		$IP netns exec a taskset -c 0 ping -q -c 400 -i 0.002 -W 1 10.0.2.2 >/dev/null 2>&1 &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086 # the pids, one word each
	wait $pids
}

# run NAME PWRU-ARGS... : one trace with --output-json and --debug, then its checks
run() {
	local name=$1 kp kl line n p l end js jp nested
	shift
	if ! pwru_start "$name" --debug --output-json "$@" icmp; then
		not_ok "$name: pwru $* icmp attached" "$(head -n 20 "$SCRATCH/$name.err")"
		return
	fi
	traffic
	kp=$(kernel_progs) kl=$(kernel_links)
	pwru_stop 60
	line=$(grep '^pwru: [0-9]* calls* of traced functions not seen: ' "$SCRATCH/$name.err")
	n=$(echo "$line" | sed -n 's/^pwru: \([0-9]*\) .*/\1/p')
	p=$(echo "$line" | sed -n 's/.*; \([0-9]*\) by the programs.*/\1/p')
	l=$(echo "$line" | sed -n "s/.* \([0-9]*\) by their kprobes' missed.*/\1/p")
	end=$(jq -c 'select(.type == "end")' "$SCRATCH/$name.out" 2>/dev/null)
	js=$(echo "$end" | jq -r '.not_seen' 2>/dev/null)
	jp=$(echo "$end" | jq -r '.not_seen_partial' 2>/dev/null)
	diag "$name: kernel before the stop: programs $kp, links $kl; pwru: ${line:-no line}; $end"
	# the losses to nesting past the per-CPU buffers: their own line, their own key
	nested=$(sed -n 's/^pwru: \([0-9]*\) more events\{0,1\} lost: .*nested.*/\1/p' "$SCRATCH/$name.err")
	if [ "$(echo "$end" | jq -r '.lost_nested' 2>/dev/null)" = "${nested:-0}" ] &&
		grep -q '^pwru: [0-9]* events\{0,1\}, [0-9]* lost$' "$SCRATCH/$name.err"; then
		ok "$name: the end object's lost_nested is the exit's count of events lost to nesting (${nested:-0})"
	else
		not_ok "$name: the end object's lost_nested is the exit's count of events lost to nesting" \
			"end: $end" "$(grep '^pwru: .*lost' "$SCRATCH/$name.err")"
	fi
	if [ "$js" = "${n:-0}" ] && { [ -z "$n" ] || [ "$n" = $((p + l)) ]; }; then
		ok "$name: the JSON end object's not_seen is the exit line's count (${n:-0} = ${p:-0} + ${l:-0})"
	else
		not_ok "$name: the JSON end object's not_seen is the exit line's count" \
			"line: $line" "end: $end"
	fi
	if [ $counts = 0 ]; then
		if [ "$jp" = true ] && grep -q '^pwru: debug: calls of traced functions not seen are not counted: this kernel counts no skip of a kprobe program' "$SCRATCH/$name.err"; then
			ok "$name: before 6.7 the count is said to be partial (not_seen_partial, --debug's line)"
		else
			not_ok "$name: before 6.7 the count is said to be partial (not_seen_partial, --debug's line)" \
				"end: $end" "$(grep 'not seen' "$SCRATCH/$name.err")"
		fi
		return
	fi
	# an arm64 kprobe (a BRK) runs its handler with interrupts off: nothing nests there
	if [ "$(uname -m)" != x86_64 ] && [ "$name" = kprobe ] && [ "${n:-0}" = 0 ]; then
		if [ "$jp" = false ] && [ "$kp" = 0 ] && [ "$kl" = 0 ]; then
			ok "$name: none skipped, none counted, the count whole # SKIP $(uname -m)'s kprobes run with interrupts off"
		else
			not_ok "$name: none skipped, none counted, the count whole" "partial $jp, kernel $kp $kl"
		fi
		return
	fi
	# some skipped (the kernel's own counts where it shows them: /proc's from 6.16)
	if [ "$jp" = false ] && [ "${p:-0}" -ge "$kp" ] && [ "${l:-0}" -ge "$kl" ] &&
		[ "${n:-0}" -gt 0 ]; then
		ok "$name: real skips, each part at least what the kernel showed before the stop (programs ${p:-0} >= $kp, links ${l:-0} >= $kl)"
	else
		not_ok "$name: real skips, each part at least what the kernel showed before the stop" \
			"programs ${p:-0} against $kp, links ${l:-0} against $kl, partial $jp" "$line"
	fi
}

# what a ping sends in its task (ip_output ...) and what the receive calls in the softirq
funcs='^(ip_local_out|__ip_local_out|ip_output|ip_finish_output|ip_finish_output2|ip_rcv|ip_rcv_core|ip_local_deliver|icmp_rcv)$'
# kprobes, whose skips only their perf links count (6.7+); 51 has the programs' counts.
# One run: every kernel's suite pays for it.
backends_here
case " $BACKENDS_HERE " in
*" kprobe "*) run kprobe --backend kprobe --filter-func "$funcs" ;;
*) run default --filter-func "$funcs" ;;
esac
check_nothing_attached
