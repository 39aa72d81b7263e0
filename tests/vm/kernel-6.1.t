#!/bin/sh
# The VM suite on the newest Debian 6.1 cloud kernel: no kprobe-multi there, so pwru must say why and fall back to kprobes.
exec "$(dirname "$0")/lib/tap-kernel" 6.1 kprobe
