# Sourced by tests that plant a wrong /run/pwru/probes (tests/local/kept-probes.t, VM
# scenario 28). plant_probe_pass EXE NAME [other]: a copy saying NAME's probe passed in
# this boot, as the pwru at EXE would keep it (src/probe/verdicts.c), under the key of the
# copy /run/pwru/discovery holds (a start made it): a pass the kernel would not give.
# With "other", as another pwru build would keep it.
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

# The copy's first line as EXE writes it now: the switches, then EXE's identity. Taken
# from EXE's own copy where there is one (busybox's stat shows no nanoseconds).
kp_line() {
	local dev ino size
	if [ -s /run/pwru/probes ]; then
		tail -c +249 /run/pwru/probes | head -n 1
		return
	fi
	printf '%s|' "$(kp_switch /sys/kernel/security/lockdown)" \
		"$(kp_switch /proc/sys/kernel/ftrace_enabled)" \
		"$(kp_switch /sys/kernel/debug/kprobes/enabled)"
	read -r dev ino size <<<"$(stat -L -c '%d %i %s' "$1")"
	printf '%x:%x:%x:%s:%s\n' "$dev" "$ino" "$size" "$(stat -L -c %.9Y "$1")" \
		"$(stat -L -c %.9Z "$1")"
}

plant_probe_pass() {
	local line body
	line=$(kp_line "$1")
	# another build: another ctime (its last digit)
	[ "${3:-}" = other ] && line="${line%?}$(((${line: -1} + 1) % 10))"
	body="$line
$2
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
