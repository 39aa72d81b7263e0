# Mistakes a person makes on the command line: each must end pwru with the
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
bad_input "--filter-netns inode:0" 2 "--filter-netns inode:N wants a non-zero number, not 'inode:0'$" \
	--filter-netns inode:0 --filter-func icmp_rcv
bad_input "--filter-netns /etc/passwd (not a netns file)" 2 \
	"--filter-netns /etc/passwd is not a network namespace file " \
	--filter-netns /etc/passwd --filter-func icmp_rcv
bad_input "--filter-ifname nosuch0" 2 "--filter-ifname: no interface 'nosuch0' in network namespace " \
	--filter-ifname nosuch0 --filter-func icmp_rcv
bad_input "--kmods no_such_mod" 2 "--kmods: 'no_such_mod' is not a loaded module " \
	--kmods no_such_mod --filter-func icmp_rcv
bad_input "bad pcap-filter" 2 "bad pcap-filter 'icmp and': " --filter-func icmp_rcv icmp and
bad_input "unreadable --kernel-btf" 2 "cannot read kernel BTF from /etc/passwd: .*give a BTF blob" \
	--kernel-btf /etc/passwd --filter-func icmp_rcv
# Kernels without kprobe-multi (5.10: no link type; Debian's 6.1: no CONFIG_FPROBE)
if [ "${PWRU_VM_EXPECT_BACKEND:-}" = kprobe ]; then
	bad_input "--backend kprobe-multi where the kernel has none" 1 \
		"--backend kprobe-multi is not usable on this kernel: " \
		--backend kprobe-multi --filter-func icmp_rcv
fi
