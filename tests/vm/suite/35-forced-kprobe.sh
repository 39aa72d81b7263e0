# --backend kprobe on every kernel, including those with kprobe-multi: the
# fallback path must be the one a person can also ask for.
. tests/vm/suite/lib.sh

TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

check "two netns joined by veth" netns_pair
if ! pwru_start forced --backend kprobe --filter-func 'ip_rcv|icmp_rcv'; then
	not_ok "pwru --backend kprobe attached" "pwru exited ${PWRU_STATUS:-?}" "$(head -n 20 "$SCRATCH/forced.err")"
	exit 0
fi
if grep -qx 'pwru: backend kprobe' "$SCRATCH/forced.err"; then
	ok "--backend kprobe: stderr says backend kprobe"
else
	not_ok "--backend kprobe: stderr says backend kprobe" "$(cat "$SCRATCH/forced.err")"
fi
check "ping while tracing" $IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2
wait_events "$SCRATCH/forced.out" icmp_rcv '10.0.1.2:0->10.0.1.1:0(icmp)' 2
pwru_stop

for fn in ip_rcv icmp_rcv; do
	at_least "--backend kprobe: $fn lines carry $TUPLE" \
		"$(event_lines "$SCRATCH/forced.out" "$fn" "$TUPLE" | wc -l)" 1 "$SCRATCH/forced.out"
done
if [ "$PWRU_STATUS" -eq 0 ]; then
	ok "--backend kprobe: exits 0 on SIGINT (${PWRU_STOP_MS} ms)"
else
	not_ok "--backend kprobe: exits 0 on SIGINT" "status $PWRU_STATUS"
fi
check_nothing_attached

# pwru's --filter-kprobe-batch N: one attaching thread per N addresses, so that scripts
# written for pwru run unchanged.
if pwru_start batch --backend kprobe --debug --filter-kprobe-batch 1 --filter-func 'ip_rcv|icmp_rcv'; then
	check "--filter-kprobe-batch 1: ping while tracing" $IP netns exec a ping -c 1 -W 3 10.0.1.2
	wait_events "$SCRATCH/batch.out" icmp_rcv '10.0.1.2:0->10.0.1.1:0(icmp)'
	pwru_stop
	naddr=$(sed -n 's/^pwru: debug: kprobe: \([0-9]*\) addresses, \([0-9]*\) attaching threads$/\1 \2/p' "$SCRATCH/batch.err")
	if [ -n "$naddr" ] && [ "${naddr% *}" = "${naddr#* }" ]; then
		ok "--filter-kprobe-batch 1: one attaching thread per address ($naddr)"
	else
		not_ok "--filter-kprobe-batch 1: one attaching thread per address" "$(grep kprobe "$SCRATCH/batch.err")"
	fi
	check_events "--filter-kprobe-batch 1: icmp_rcv traced" "$SCRATCH/batch.out" icmp_rcv "$TUPLE"
else
	not_ok "--filter-kprobe-batch 1 attached" "$(head -n 5 "$SCRATCH/batch.err")"
fi

# Over 100 kprobes: the stop says it is detaching (the kernel takes a while), in the count
# 'attached' said, and how many kprobes that is (a function with copies has several).
if pwru_start many --backend kprobe --filter-func '(tcp|udp)_.*' icmp; then
	pwru_stop 60
	n=$(sed -n 's/^pwru: attached \([0-9]*\) functions\{0,1\}, .*/\1/p' "$SCRATCH/many.err")
	if [ "${n:-0}" -le 100 ]; then
		ok "detaching line # SKIP '(tcp|udp)_.*' attached ${n:-no} functions here, not over 100"
	else
		expect_line "Ctrl-C: 'detaching $n functions (K kprobes: ...)', the count attached said" \
			"$SCRATCH/many.err" "^pwru: detaching $n functions \\([0-9]+ kprobes: the kernel removes them one by one\\)$"
	fi
else
	not_ok "pwru --backend kprobe --filter-func '(tcp|udp)_.*' attached" "$(head -n 5 "$SCRATCH/many.err")"
fi
check_nothing_attached

# Out of descriptors: what fits is attached and one line says what was left out (lib.sh).
fd_starved fds --backend kprobe --filter-func '(tcp|udp)_.*' icmp

# A container's root: no CAP_SYS_RESOURCE, RLIMIT_MEMLOCK 64 KiB (build/tests/bpf/no-resource).
# Kernels before 5.11 charge BPF maps to that limit: one line naming it and what to do, exit
# 1, nothing attached. From 5.11 the memory cgroup is charged: pwru runs as usual.
OBJ=build/tests/bpf
TOOL=$OBJ/no-resource
[ "$(uname -m)" = aarch64 ] && TOOL=$OBJ/no-resource.arm64
need_test_bpf "${TOOL#"$OBJ"/}"
printf '#!/bin/sh\nexec %s 64 %s "$@"\n' "$TOOL" "$(command -v "$PWRU" || echo "$PWRU")" >"$SCRATCH/pwru-memlock"
chmod +x "$SCRATCH/pwru-memlock"
IFS=. read -r kmaj kmin _ <<<"$(uname -r)"
if PWRU="$SCRATCH/pwru-memlock" pwru_start memlock --backend kprobe --filter-func icmp_rcv icmp; then
	pwru_stop 60
	if [ $((kmaj * 100 + kmin)) -ge 511 ] && [ "$PWRU_STATUS" -eq 0 ]; then
		ok "ulimit -l 64 without CAP_SYS_RESOURCE: traced and exited 0 ($(uname -r) charges the memory cgroup)"
	else
		not_ok "ulimit -l 64 without CAP_SYS_RESOURCE on $(uname -r)" "attached, status $PWRU_STATUS" "$(head -n 5 "$SCRATCH/memlock.err")"
	fi
elif [ $((kmaj * 100 + kmin)) -lt 511 ] && [ "${PWRU_STATUS:-0}" -eq 1 ] &&
	! grep -q '^libbpf:' "$SCRATCH/memlock.err" &&
	tail -n 1 "$SCRATCH/memlock.err" | grep -q '^pwru: loading the BPF programs failed: the locked-memory limit (ulimit -l) is 64 KiB, .*run pwru with ulimit -l unlimited'; then
	ok "ulimit -l 64 without CAP_SYS_RESOURCE on $(uname -r): one line names the limit and what to do (no libbpf lines), exit 1"
else
	not_ok "ulimit -l 64 without CAP_SYS_RESOURCE on $(uname -r)" "status ${PWRU_STATUS:-?}" "$(head -n 8 "$SCRATCH/memlock.err")"
fi
check_nothing_attached "ulimit -l 64: after exit"
