#!/bin/sh
# The VM suite on Debian's newest arm64 6.12 cloud kernel, with the cross-built pwru-arm64: no kprobe-multi there (built without FPROBE), so kprobe.
exec "$(dirname "$0")/lib/tap-kernel" --arch arm64 6.12 kprobe
