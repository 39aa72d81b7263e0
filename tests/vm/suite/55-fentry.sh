# The fentry backend on a ping between two namespaces: the functions by name with
# the ping's tuple, the same functions in the same order as the kernel's other
# backend, the tracing-multi link where the kernel has it (7.2), and nothing
# left once it exits.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'
FUNCS='ip_rcv|icmp_rcv|veth_xmit'

check "two netns joined by veth" netns_pair
# arm64 6.1 has no BPF trampolines
refused_here fentry && exit 0
if ! pwru_start fe --backend fentry --debug --filter-func "$FUNCS"; then
	not_ok "pwru --backend fentry attached" "pwru exited ${PWRU_STATUS:-?}" "$(head -n 20 "$SCRATCH/fe.err")"
	exit 0
fi
attached_now=$(leftovers)
if echo "$attached_now" | grep -q 'name fentry_skb'; then
	ok "while tracing, bpftool sees our fentry programs"
else
	not_ok "while tracing, bpftool sees our fentry programs" "$attached_now"
fi
check "ping while tracing" $IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2
wait_events "$SCRATCH/fe.out" icmp_rcv '10.0.1.2:0->10.0.1.1:0(icmp)' 2
pwru_stop

# Debian's 5.10 has no module BTF: a trampoline cannot be typed for veth's functions.
want='ip_rcv icmp_rcv veth_xmit'
if [ ! -e /sys/kernel/btf/veth ]; then
	want='ip_rcv icmp_rcv'
	if grep -q '^pwru: debug: fentry: skipped veth_xmit \[veth\]: its module has no BTF' "$SCRATCH/fe.err"; then
		ok "no module BTF here: --debug says why veth_xmit is skipped"
	else
		not_ok "no module BTF here: --debug says why veth_xmit is skipped" "$(cat "$SCRATCH/fe.err")"
	fi
fi
for fn in $want; do
	check_events "fentry: $fn lines carry the ping's tuple" "$SCRATCH/fe.out" "$fn" "$TUPLE"
done
if grep -q '^pwru: fentry: tracing-multi link: ' "$SCRATCH/fe.err"; then
	how="the tracing-multi link"
else
	how="one program per function"
fi
case $(uname -m)-$(uname -r) in
x86_64-7.*) want_how="the tracing-multi link" ;;
x86_64-*) want_how="one program per function" ;;
*) want_how=$how ;; # arm64: not checked against a known answer yet
esac
if [ "$how" = "$want_how" ]; then
	ok "vmlinux's functions attached through $how on $(uname -r)"
else
	not_ok "vmlinux's functions attached through $want_how on $(uname -r)" "$(grep fentry "$SCRATCH/fe.err")"
fi
if [ "$PWRU_STATUS" -eq 0 ] && [ "$PWRU_STOP_MS" -le 5000 ]; then
	ok "exits 0 on SIGINT within 5 s (${PWRU_STOP_MS} ms)"
else
	not_ok "exits 0 on SIGINT within 5 s" "status $PWRU_STATUS after ${PWRU_STOP_MS} ms"
fi
check_nothing_attached

# The same ping, traced by the default backend and by fentry: the same functions in
# the same order (vmlinux functions both can enter; one echo request each).
PATHF='ip_output|ip_finish_output|ip_finish_output2|__dev_queue_xmit|__netif_receive_skb_core|ip_rcv|ip_rcv_finish|ip_local_deliver|ip_local_deliver_finish|icmp_rcv|icmp_echo|consume_skb'
path_of() { # NAME ARGS...: the FUNC column of the echo request's lines
	local name=$1
	shift
	if ! pwru_start "$name" "$@" --filter-func "$PATHF" 'icmp and dst host 10.0.1.2'; then
		echo "start failed: $(head -n 3 "$SCRATCH/$name.err")"
		return
	fi
	$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null 2>&1
	wait_events "$SCRATCH/$name.out" consume_skb "$TUPLE"
	pwru_stop
	awk -v t="$TUPLE" '/^0x/ && index($0, t) { print $NF }' "$SCRATCH/$name.out" | tr '\n' ' '
}
p_default=$(path_of pdef)
p_fentry=$(path_of pfe --backend fentry)
b_default=$(sed -n 's/^pwru: backend //p' "$SCRATCH/pdef.err")
if [ -n "$p_default" ] && [ "$p_default" = "$p_fentry" ]; then
	ok "fentry and $b_default print the same functions in the same order: $p_fentry"
else
	not_ok "fentry and $b_default print the same functions in the same order" \
		"$b_default: $p_default" "fentry: $p_fentry"
fi
check_nothing_attached "after both"

# Out of descriptors (a program and a link a function before 7.2): the last programs loaded
# give theirs up so that the first get their links (lib.sh).
fd_starved fefds --backend fentry --filter-func '(tcp|udp)_.*' icmp

# Before 5.11 each of fentry's programs (one a function) is charged to RLIMIT_MEMLOCK: a
# container's root (no CAP_SYS_RESOURCE, build/tests/bpf/no-resource) with 5 MiB loads the
# object and some of them; one line says how many were left out and what to do.
IFS=. read -r kmaj kmin _ <<<"$(uname -r)"
if [ $((kmaj * 100 + kmin)) -ge 511 ]; then
	ok "fentry under ulimit -l 5120 # SKIP $(uname -r) charges the memory cgroup, not the limit (35-forced-kprobe checks that)"
else
	need_test_bpf no-resource
	printf '#!/bin/sh\nexec build/tests/bpf/no-resource 5120 %s "$@"\n' "$(command -v "$PWRU" || echo "$PWRU")" >"$SCRATCH/pwru-memlock"
	chmod +x "$SCRATCH/pwru-memlock"
	if PWRU="$SCRATCH/pwru-memlock" pwru_start femem --backend fentry --filter-func '(tcp|udp)_.*' icmp; then
		pwru_stop 60
		att=$(sed -n 's/^pwru: attached \([0-9]*\) functions\{0,1\}, skipped \([0-9]*\)$/\1 \2/p' "$SCRATCH/femem.err")
		nomem=$(sed -n 's/^pwru: \([0-9]*\) functions\{0,1\} not attached: the locked-memory limit (ulimit -l, 5120 KiB) is used up, .*run pwru with ulimit -l unlimited, or narrow --filter-func$/\1/p' "$SCRATCH/femem.err")
		if [ -n "$att" ] && [ "${att% *}" -gt 0 ] && [ "${nomem:-0}" -gt 0 ] && [ "$nomem" -le "${att#* }" ] && [ "$PWRU_STATUS" -eq 0 ]; then
			ok "fentry under ulimit -l 5120: attached ${att% *}, one line says $nomem of the ${att#* } skipped did not fit the limit, exit 0"
		else
			not_ok "fentry under ulimit -l 5120: some attached, the rest said to exceed the limit" "status $PWRU_STATUS" "$(head -n 8 "$SCRATCH/femem.err")"
		fi
	else
		not_ok "fentry under ulimit -l 5120 started" "status ${PWRU_STATUS:-?}" "$(head -n 8 "$SCRATCH/femem.err")"
	fi
	check_nothing_attached "fentry under ulimit -l 5120: after exit"
fi
