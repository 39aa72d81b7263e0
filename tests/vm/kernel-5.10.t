#!/bin/sh
# The VM suite on the newest Debian 5.10 cloud kernel: no kprobe-multi there, so pwru must say why and fall back to kprobes.
exec "$(dirname "$0")/lib/tap-kernel" 5.10 kprobe
