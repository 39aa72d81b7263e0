#!/bin/sh
# The VM suite on the newest Debian 6.12 cloud kernel: kprobe-multi works there, so pwru must use it.
# Its debug package (vmlinux and module DWARF) comes as a disk, with eu-addr2line to check
# pwru's source lines against (scenario 71-srcline); without them that scenario fails.
here=$(dirname "$0")
if disk=$("$here/debuginfo" 6.12); then
	export PWRU_VM_DISK="$disk"
	export PWRU_VM_EXTRA="${PWRU_VM_EXTRA:+$PWRU_VM_EXTRA }/usr/bin/eu-addr2line:/usr/bin/eu-addr2line"
fi
exec "$here/lib/tap-kernel" 6.12 kprobe-multi
