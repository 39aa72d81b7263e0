# Mistakes a person makes, and requests a kernel cannot serve: each must end pwru with the
# documented status (2: a bad flag value, 1: tracing it is not possible here)
# and one line saying what was wrong (the message checked, not only counted),
# and leave nothing in the kernel. docs/usage.md lists the messages.
. tests/vm/suite/lib.sh

# bad_input DESC WANT_STATUS WANT_ERE ARGS...
bad_input() {
	local desc=$1 want=$2 re=$3 status lines all
	shift 3
	timeout 60 "$PWRU" "$@" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err" </dev/null
	status=$?
	all=$(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err")
	lines=$(printf '%s\n' "$all" | grep -c .)
	if [ $status -eq "$want" ] && [ "$lines" -eq 1 ] && printf '%s\n' "$all" | grep -qE "^pwru: $re"; then
		ok "$desc: exit $status, one line: $all"
	else
		not_ok "$desc: exit $want and one line 'pwru: $re'" "exit status $status, $lines lines:" \
			"$(printf '%s\n' "$all" | head -n 10)"
	fi
	check_nothing_attached "$desc:"
}

bad_input "invalid regex --filter-func '('" 2 "--filter-func '\(' is not a valid regex: " \
	--filter-func '('
bad_input "--filter-func no_such_function_xyz" 1 \
	"no kernel function taking an skb matches --filter-func 'no_such_function_xyz' \(" \
	--filter-func no_such_function_xyz
# nothing at all to trace: no function matches, and --filter-trace-tc finds no tc program
# loaded to trace alone (80-tc-programs traces one alone, and checks the refusal where the
# kernel has no trampolines)
if kernel_runs_fexit; then
	bad_input "--filter-trace-tc --filter-func no_such_function_xyz, no tc program loaded" 1 \
		"no kernel function taking an skb matches --filter-func 'no_such_function_xyz' \\(.*\\), and no tc program is loaded that can be traced \\(bpftool net shows those attached; one needs BTF\\)\$" \
		--filter-trace-tc --filter-func no_such_function_xyz
fi
bad_input "--filter-netns inode:0" 2 "--filter-netns inode:N wants a non-zero number, not 'inode:0'$" \
	--filter-netns inode:0 --filter-func icmp_rcv
bad_input "--filter-netns inode:12345 (no such namespace)" 2 \
	"--filter-netns inode:12345: no network namespace with that inode is in use here \\(lsns -t net or ls -l /proc/\\*/ns/net show them; or give its file: /proc/PID/ns/net, /run/netns/NAME\\)\$" \
	--filter-netns inode:12345 --filter-func icmp_rcv
bad_input "--filter-netns /etc/passwd (not a netns file)" 2 \
	"--filter-netns /etc/passwd is not a network namespace file " \
	--filter-netns /etc/passwd --filter-func icmp_rcv
bad_input "--filter-ifname nosuch0" 2 "--filter-ifname: no interface 'nosuch0' in network namespace " \
	--filter-ifname nosuch0 --filter-func icmp_rcv
bad_input "--kmods no_such_mod" 2 "--kmods: 'no_such_mod' is not a loaded module " \
	--kmods no_such_mod --filter-func icmp_rcv
bad_input "bad pcap-filter" 2 "bad pcap-filter 'icmp and': " --filter-func icmp_rcv icmp and
bad_input "misspelt pcap-filter keyword" 2 \
	"bad pcap-filter 'hots 10.0.1.7': .*\('hots' is no pcap-filter word: did you mean 'host'\?\)\$" \
	--filter-func icmp_rcv hots 10.0.1.7
bad_input "--filter-xdp-expr on the skb" 2 \
	"bad --filter-xdp-expr 'skb->len > 0': expected 'xdp' \\(expressions start from the XDP program's xdp_buff\\), not 'skb'\$" \
	--filter-trace-xdp --filter-func icmp_rcv --filter-xdp-expr 'skb->len > 0'
# as cilium/pwru: checked against BTF even without --filter-trace-xdp
bad_input "--output-xdp-metadata with a wrong field" 2 \
	"bad --output-xdp-metadata 'xdp->rxq->devv': no field 'devv' in struct xdp_rxq_info\$" \
	--filter-func icmp_rcv --output-xdp-metadata 'xdp->rxq->queue_index,xdp->rxq->devv'
bad_input "unreadable --kernel-btf" 2 "cannot read kernel BTF from /etc/passwd: .*give a BTF blob" \
	--kernel-btf /etc/passwd --filter-func icmp_rcv
# Kernels without kprobe-multi (5.10: no link type; Debian's 6.1: no CONFIG_FPROBE)
if [ "${PWRU_VM_EXPECT_BACKEND:-}" = kprobe ]; then
	bad_input "--backend kprobe-multi where the kernel has none" 1 \
		"--backend kprobe-multi is not usable on this kernel: " \
		--backend kprobe-multi --filter-func icmp_rcv
fi

# fails_late DESC WANT_STATUS WANT_ERE ARGS...: a failure once pwru is loading or attaching,
# where its progress lines (and libbpf's log for a refused load) come first: the status, and
# the last line saying why.
fails_late() {
	local desc=$1 want=$2 re=$3 status last
	shift 3
	timeout 120 "$PWRU" "$@" >"$SCRATCH/late.out" 2>"$SCRATCH/late.err" </dev/null
	status=$?
	last=$(tail -n 1 "$SCRATCH/late.err")
	if [ $status -eq "$want" ] && [ ! -s "$SCRATCH/late.out" ] &&
		printf '%s\n' "$last" | grep -qE "^pwru: $re"; then
		ok "$desc: exit $status, last line: $last"
	else
		not_ok "$desc: exit $want, last line 'pwru: $re'" "exit status $status" \
			"$(tail -n 5 "$SCRATCH/late.err")"
	fi
	check_nothing_attached "$desc:"
}

# The BTF of a kernel whose struct sk_buff has no fields (tests/data/btf/crafted_btf.h):
# functions are found, the tracer's CO-RE reads cannot be relocated, the load fails.
fails_late "--kernel-btf of another kernel" 1 "loading the BPF programs failed: .*libbpf's log above" \
	--kernel-btf tests/data/btf/skb-empty.btf --filter-func icmp_rcv

# A function with BTF and a symbol that ftrace cannot hook: the tracepoint's BPF stub
# __bpf_trace_consume_skb(void *, struct sk_buff *, ...) is notrace. kprobes can take it,
# so only kprobe-multi refuses.
if [ "${PWRU_VM_EXPECT_BACKEND:-}" = kprobe-multi ]; then
	if grep -q ' __bpf_trace_consume_skb$' /proc/kallsyms; then
		fails_late "--filter-func __bpf_trace_consume_skb (notrace)" 1 \
			"none of the 1 matching functions could be traced with kprobe-multi: notrace" \
			--filter-func __bpf_trace_consume_skb
		# kprobe-multi's pass, kept by the starts above, is probed again and holds: the
		# failure is the function's, said once, and the pass stays for the next start
		if [ -s /run/pwru/probes ] && ! grep -q 'starting again' "$SCRATCH/late.err" &&
			grep -q kprobe-multi /run/pwru/probes; then
			ok "the notrace failure is not blamed on the kept kprobe-multi pass"
		else
			not_ok "the notrace failure is not blamed on the kept kprobe-multi pass" \
				"$(grep 'starting again' "$SCRATCH/late.err")" "$(ls -l /run/pwru)"
		fi
	else
		not_ok "__bpf_trace_consume_skb is in kallsyms (the notrace case needs another name)"
	fi
fi

# A named module that pwru cannot type: its BTF unreadable (5.11+), or, without module
# BTF (5.10), a module with no ops table (nf_reject_ipv4).
modprobe veth 2>/dev/null
if [ -e /sys/kernel/btf/veth ]; then
	if mount --bind /dev/null /sys/kernel/btf/veth; then
		bad_input "--kmods veth with its BTF unreadable" 1 \
			"--kmods: cannot read the BTF of module veth: " --kmods veth --filter-func icmp_rcv
		umount /sys/kernel/btf/veth
	else
		not_ok "hide /sys/kernel/btf/veth under /dev/null"
	fi
elif modprobe nf_reject_ipv4; then
	bad_input "--kmods nf_reject_ipv4 (no BTF, no ops table in its .ko)" 1 \
		"--kmods: module 'nf_reject_ipv4' is loaded but the kernel has no BTF for it " \
		--kmods nf_reject_ipv4 --filter-func icmp_rcv
else
	not_ok "modprobe nf_reject_ipv4"
fi

# --check-filter needs the bpf_cast_to_kern_ctx kfunc (6.2+): one line on older kernels.
cap=../shared/pcaps/ethernet/libpcap-geneve.pcap
case $(uname -r) in
5.* | 6.[01].*)
	if [ -r "$cap" ]; then
		bad_input "--check-filter on a kernel before 6.2" 1 \
			"--check-filter $cap: this kernel lacks the bpf_cast_to_kern_ctx kfunc \(Linux 6.2 and later\)" \
			--check-filter "$cap" tcp
	else
		not_ok "the shared capture $cap is in the VM"
	fi
	;;
esac
