#!/bin/sh
# The VM suite on the newest Debian 7 cloud kernel: kprobe-multi works there, so pwru must use it.
exec "$(dirname "$0")/lib/tap-kernel" 7 kprobe-multi
