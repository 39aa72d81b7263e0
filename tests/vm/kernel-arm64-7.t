#!/bin/sh
# The VM suite on Debian's newest arm64 7 cloud kernel, with the cross-built pwru-arm64: kprobe-multi works there.
exec "$(dirname "$0")/lib/tap-kernel" --arch arm64 7 kprobe-multi
