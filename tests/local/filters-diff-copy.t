#!/bin/sh
# filters-diff.t on the copy path: the filter loads packet bytes from the scratch copy the
# glue fills, as on kernels without bpf_rdonly_cast (5.10, 6.1), where this kernel would
# load them in place (PWRU_FILTER_COPY, read by the checker).
cd "$(dirname "$0")/../.." || exit 1
PWRU_FILTER_COPY=1 exec sh tests/local/filters-diff.t
