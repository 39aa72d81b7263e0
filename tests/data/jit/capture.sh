#!/bin/bash
# Prints a fixture for tests/unit/test_disasm_arm64.c: the JITed image of
# tests/bpf/helpers.bpf.c's program as this kernel made it (jit_dump.c), where it
# was loaded, and the addresses of the helpers it calls, from /proc/kallsyms. Build
# jit_dump for the VM's architecture into build/tests/bpf (which the VM carries)
# first, then run this as root in the VM from the repo root and keep what follows
# the "JIT " prefix:
#   aarch64-linux-gnu-gcc --sysroot=$(tests/vm/sysroot arm64) -O2 -Wall -Werror \
#	-o build/tests/bpf/jit_dump-aarch64 tests/data/jit/jit_dump.c -lbpf -lelf -lz
#   /work/notes/vm-slot tests/vm/run --arch arm64 6.12 -- bash tests/data/jit/capture.sh |
#	sed -n 's/^JIT //p' >tests/data/jit/arm64-6.12.txt
set -eu
HELPERS='bpf_skb_load_bytes bpf_skb_change_proto bpf_get_hash_recalc'
DUMP=build/tests/bpf/jit_dump-$(uname -m)

[ -x "$DUMP" ] || { echo "capture.sh: build $DUMP first (see above)" >&2; exit 1; }
{
	echo "# tests/bpf/helpers.bpf.c JITed by Linux $(uname -r) $(uname -m) (tests/data/jit/capture.sh)"
	$DUMP build/tests/bpf/helpers.bpf.o
	for h in $HELPERS; do
		awk -v h="$h" '$3 == h && NF == 3 { print "call " $1 " " h }' /proc/kallsyms
	done
} | sed 's/^/JIT /'
