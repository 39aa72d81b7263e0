#!/bin/sh
# The VM suite on Debian's newest arm64 6.12 cloud kernel, with the cross-built pwru-arm64: no kprobe-multi there (built without FPROBE), so kprobe.
# Its debug package comes as a disk, with bookworm's arm64 eu-addr2line to check pwru's
# source lines against (scenario 71-srcline), as on amd64 6.12.
here=$(dirname "$0")
if disk=$("$here/debuginfo" --arch arm64 6.12); then
	export PWRU_VM_DISK="$disk"
	d=$(dirname "$disk")
	export PWRU_VM_EXTRA="${PWRU_VM_EXTRA:+$PWRU_VM_EXTRA }$d/eu-addr2line:/usr/bin/eu-addr2line $d/libstdc++.so.6:/usr/lib/aarch64-linux-gnu/libstdc++.so.6"
fi
# Not the whole suite: arm64 7 runs every scenario and four x86 kernels cover the generic
# datapath; here the scenarios whose subject differs by architecture or by this kernel
# (docs/testing.md, "Suite time", says why each). PWRU_VM_SCENARIOS=all runs every one.
export PWRU_VM_SCENARIOS="${PWRU_VM_SCENARIOS:-10-veth-ping 15-kmods 22-pcap-filter 35-forced-kprobe
	55-fentry 56-fexit 58-backends 71-srcline 72-stack 81-bpf-helpers 84-tunnel}"
exec "$here/lib/tap-kernel" --arch arm64 6.12 kprobe
