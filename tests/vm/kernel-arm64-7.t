#!/bin/sh
# The VM suite on Debian's newest arm64 7 cloud kernel, with the cross-built pwru-arm64: kprobe-multi works there.
# Not the whole suite: x86 7 runs every scenario on a 7.x kernel, and the four x86 kernels
# cover the generic datapath; here the scenarios whose subject differs by architecture, by
# a 7.x kernel (fentry-multi, tracepoints, the backend choice), or both (tc programs traced
# with arm64's BPF trampolines: no other arm64 kernel runs 80). docs/testing.md, "Suite
# time", says why each. 59-ext-refused passes here (session 21) but is left out: the fallback
# from a refused extension program is pwru's own code, the same on every architecture, and
# the extensions that work are in every kprobe-multi scenario above. PWRU_VM_SCENARIOS=all
# runs every one.
export PWRU_VM_SCENARIOS="${PWRU_VM_SCENARIOS:-10-veth-ping 15-kmods 22-pcap-filter 35-forced-kprobe
	55-fentry 56-fexit 57-tracepoint 58-backends 72-stack 80-tc-programs 81-bpf-helpers 84-tunnel}"
exec "$(dirname "$0")/lib/tap-kernel" --arch arm64 7 kprobe-multi
