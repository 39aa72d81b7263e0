#!/bin/sh
# The VM suite on Debian's newest arm64 6.1 cloud kernel, with the cross-built pwru-arm64: kprobes only there (no FPROBE, no fentry on 6.1 arm64).
# Not the whole suite: arm64 7 runs every scenario and four x86 kernels cover the generic
# datapath; here the scenarios whose subject differs by architecture or by this kernel
# (docs/testing.md, "Suite time", says why each). PWRU_VM_SCENARIOS=all runs every one.
export PWRU_VM_SCENARIOS="${PWRU_VM_SCENARIOS:-10-veth-ping 15-kmods 22-pcap-filter 35-forced-kprobe
	50-nft-drop 55-fentry 56-fexit 58-backends 72-stack 80-tc-programs 81-bpf-helpers 84-tunnel}"
exec "$(dirname "$0")/lib/tap-kernel" --arch arm64 6.1 kprobe
