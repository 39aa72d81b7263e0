# Mistakes a person makes on the command line: each must end pwru with the
# documented status (2: a bad flag value, 1: tracing it is not possible here)
# and one line saying what was wrong, and leave nothing in the kernel.
. tests/vm/suite/lib.sh

# bad_input DESC WANT_STATUS ARGS...
bad_input() {
	local desc=$1 want=$2 status lines
	shift 2
	timeout 60 "$PWRU" "$@" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err" </dev/null
	status=$?
	lines=$(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err" | grep -c .)
	if [ $status -eq "$want" ] && [ "$lines" -eq 1 ]; then
		ok "$desc: exit $status, one line: $(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err")"
	else
		not_ok "$desc: exit $want and one line" "exit status $status, $lines lines:" \
			"$(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err" | head -n 10)"
	fi
	check_nothing_attached "$desc:"
}

bad_input "invalid regex --filter-func '('" 2 --filter-func '('
bad_input "--filter-func no_such_function_xyz" 1 --filter-func no_such_function_xyz
bad_input "--filter-netns inode:0" 2 --filter-netns inode:0 --filter-func icmp_rcv
bad_input "--filter-netns /etc/passwd (not a netns file)" 2 --filter-netns /etc/passwd \
	--filter-func icmp_rcv
bad_input "--filter-ifname nosuch0" 2 --filter-ifname nosuch0 --filter-func icmp_rcv
bad_input "--kmods no_such_mod" 2 --kmods no_such_mod --filter-func icmp_rcv
