#!/bin/sh
# The differential filter test: our eBPF filter vs libpcap on every shared capture, for
# every expression of tests/filters/exprs.txt (see docs/testing-filters.md). Needs root
# (BPF_PROG_TEST_RUN); built by make test-build.
cd "$(dirname "$0")/../.." || exit 1
bin=build/tests/filters-diff
if [ ! -x "$bin" ]; then
	echo "1..1"
	echo "not ok 1 - $bin is missing: run make test-build"
	exit 1
fi
exec "$bin" -j "${FILTERS_DIFF_JOBS:-2}"
