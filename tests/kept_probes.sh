# Sourced by tests that plant a wrong /run/pwru/probes (tests/local/kept-probes.t, VM
# scenario 28). plant_probe_pass EXE NAME: a copy saying NAME's probe passed in this boot,
# as the pwru at EXE would keep it (src/probe/verdicts.c), under the key of the copy
# /run/pwru/discovery holds (a start made it): a pass the kernel would not give.
# shellcheck shell=bash

# The byte of value $1, to stdout.
kp_byte() { printf "\\$(printf %03o "$1")"; }

# $1 as 8 bytes, little-endian (the header's uint64_t on the machines tested).
kp_u64() {
	local i
	for i in 0 1 2 3 4 5 6 7; do kp_byte $((($1 >> (8 * i)) & 255)); done
}

# The first line of file $1 up to a '|', or "-" when it cannot be read.
kp_switch() {
	local l
	l=$(head -n 1 "$1" 2>/dev/null) || l=-
	printf '%s' "${l%%|*}"
}

plant_probe_pass() {
	local exe=$1 name=$2 line body id dev ino size
	read -r dev ino size <<<"$(stat -L -c '%d %i %s' "$exe")"
	id=$(printf '%x:%x:%x:%s:%s' "$dev" "$ino" "$size" "$(stat -L -c %.9Y "$exe")" \
		"$(stat -L -c %.9Z "$exe")")
	line="$(kp_switch /sys/kernel/security/lockdown)|$(kp_switch /proc/sys/kernel/ftrace_enabled)"
	line="$line|$(kp_switch /sys/kernel/debug/kprobes/enabled)|$id"
	body="$line
$name
"
	{
		head -c 72 /run/pwru/discovery # magic and key: this boot, these modules
		kp_byte 112                    # kind 'p'
		printf '\0\0\0\1\0\0\0'        # count 1
		kp_u64 "${#body}"
		head -c 160 /dev/zero # source
		printf '%s' "$body"
	} >/run/pwru/probes.new && chmod 600 /run/pwru/probes.new &&
		mv /run/pwru/probes.new /run/pwru/probes
}
