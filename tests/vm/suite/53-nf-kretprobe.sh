# Scenario 50 again, with nf_hook_slow's verdicts through a kprobe and a kretprobe, as on an
# x86 kernel that refuses BPF trampolines: every x86 kernel of the matrix runs them, so
# pwru is told to take fentry as refused (PWRU_TEST_NO_FEXIT=1, a test knob). The pair's
# key is the stack pointer, one at the kprobe and one at the kretprobe (bpf/arch.h's skew):
# the verdicts by name, the drop before its verdict, the chains and the reset's nested
# nf_hook_slow all depend on it. arm64 6.1 runs the pair in scenario 50 itself.
. tests/vm/suite/lib.sh

if [ "$(uname -m)" != x86_64 ]; then
	ok "x86's kprobe/kretprobe pair # SKIP $(uname -m): scenario 50 runs this kernel's own way"
	exit 0
elif ! kernel_at_least 5.15; then
	ok "x86's kprobe/kretprobe pair # SKIP $(uname -r): kretprobes carry no attach cookie before 5.15"
	exit 0
fi
export PWRU_TEST_NO_FEXIT=1
# the knob took: without it the checks below would pass through fexit
if pwru_start how --debug --filter-func nf_hook_slow icmp; then
	pwru_stop
	expect_line "PWRU_TEST_NO_FEXIT=1: nf_hook_slow's verdict through kprobe/kretprobe (--debug)" \
		"$SCRATCH/how.err" '^pwru: debug: nf_hook_slow through kprobe/kretprobe for its return value'
else
	not_ok "pwru --debug --filter-func nf_hook_slow icmp attached" "$(head -n 20 "$SCRATCH/how.err")"
fi
rm -rf "$SCRATCH" # scenario 50 makes its own
. tests/vm/suite/50-nft-drop.sh
