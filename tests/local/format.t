#!/bin/bash
# Every C file of ours is as .clang-format lays it out (the style the repo promises), so that
# `make format` on a change touches only that change. The file list is the Makefile's
# (FORMAT_FILES), so a file added under a checked directory is checked without a word here.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
if ! command -v clang-format >/dev/null; then
	echo "1..0 # SKIP clang-format is not installed"
	exit 0
fi
files=$(make -s --no-print-directory format-files)
bad=
for f in $files; do
	clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=" $f"
done
result "$([ "$(echo "$files" | wc -w)" -ge 100 ] && echo 0 || echo 1)" \
	"the Makefile lists the C files to check ($(echo "$files" | wc -w))"
result "$([ -z "$bad" ] && echo 0 || echo 1)" "each is as clang-format lays it out" \
	"not formatted (run make format):$bad"
tap_plan
