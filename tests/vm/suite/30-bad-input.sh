# Mistakes a person makes on the command line: each must end pwru with a
# non-zero status and one line saying what was wrong, and leave nothing in the
# kernel.
. tests/vm/suite/lib.sh

bad_input() {
	local desc=$1 status lines
	shift
	timeout 60 "$PWRU" "$@" >"$SCRATCH/bad.out" 2>"$SCRATCH/bad.err" </dev/null
	status=$?
	lines=$(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err" | grep -c .)
	if [ $status -ne 0 ] && [ $status -lt 124 ] && [ "$lines" -eq 1 ]; then
		ok "$desc: exit $status, one line: $(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err")"
	else
		not_ok "$desc: non-zero exit and one line" "exit status $status, $lines lines:" \
			"$(cat "$SCRATCH/bad.out" "$SCRATCH/bad.err" | head -n 10)"
	fi
	check_nothing_attached "$desc:"
}

bad_input "invalid regex --filter-func '('" --filter-func '('
bad_input "--filter-func no_such_function_xyz" --filter-func no_such_function_xyz
