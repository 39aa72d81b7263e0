#!/bin/sh
# The VM suite on Debian's newest arm64 6.1 cloud kernel, with the cross-built pwru-arm64: kprobes only there (no FPROBE, no fentry on 6.1 arm64).
exec "$(dirname "$0")/lib/tap-kernel" --arch arm64 6.1 kprobe
