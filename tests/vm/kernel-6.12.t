#!/bin/sh
# The VM suite on the newest Debian 6.12 cloud kernel: kprobe-multi works there, so pwru must use it.
exec "$(dirname "$0")/lib/tap-kernel" 6.12 kprobe-multi
