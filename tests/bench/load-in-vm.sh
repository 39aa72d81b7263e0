# Run inside the VM by tests/bench/load-vm: what a warm start's load phase is made of.
# One cold start keeps the boot's copies; then PWRU_LOAD_ROUNDS (2) warm starts with
# --debug under bpf_timeline.so (every bpf() call timed, each program's verifier stats),
# each followed by the same start without it (the shim's own cost), and the programs,
# links and maps of the last start as the kernel lists them.
. tests/vm/suite/lib.sh
. tests/bench/vm-lib.sh

BACKEND=${PWRU_BENCH_BACKENDS:-kprobe-multi}
ff=()
[ -n "${PWRU_BENCH_FUNCS:-}" ] && ff=(--filter-func "$PWRU_BENCH_FUNCS")
args=(${PWRU_LOAD_ARGS:-icmp})
export PWRU_READY_TIMEOUT=900
# PWRU_LOAD_NFT=1: nf_tables loaded (a table and an input base chain) before the first
# start, so that the starts also load and attach nft_do_chain's two programs.
if [ "${PWRU_LOAD_NFT:-0}" = 1 ]; then
	$NFT add table inet pwru_load \; \
		add chain inet pwru_load input '{ type filter hook input priority 0; policy accept; }' || exit 1
	echo "# nf_tables loaded: $($NFT list tables | grep -c pwru_load) table"
fi
echo "# kernel $(uname -r); $(pwru --version 2>&1 | head -n 1); args ${args[*]}"
pwru_start cold --backend "$BACKEND" "${ff[@]}" "${args[@]}" || {
	echo "# did not start: $(head -n 3 "$SCRATCH/cold.err")"
	exit 1
}
stop_pwru
for round in $(seq "${PWRU_LOAD_ROUNDS:-2}"); do
	PWRU_BPF_TIMELINE=$SCRATCH/tl LD_PRELOAD=/usr/local/lib/bpf_timeline.so \
		pwru_start tl --backend "$BACKEND" --debug "${ff[@]}" "${args[@]}" || exit 1
	if [ "$round" = 1 ]; then
		$BPFTOOL prog show | sed 's/^/# prog: /'
		$BPFTOOL link show | sed 's/^/# link: /'
		$BPFTOOL map show | sed 's/^/# map: /'
	fi
	stop_pwru
	echo "# round $round, timed: $(grep 'phases (s)' "$SCRATCH/tl.err")"
	sed "s/^/TL$round /" "$SCRATCH/tl"
	pwru_start plain --backend "$BACKEND" --debug "${ff[@]}" "${args[@]}" || exit 1
	stop_pwru
	echo "# round $round, plain: $(grep 'phases (s)' "$SCRATCH/plain.err")"
done
