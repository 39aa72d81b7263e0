# Source lines from Debian's own debug package (linux-image-KVER-dbg, fetched by
# tests/vm/debuginfo and attached as a disk on the amd64 and arm64 6.12 runs): mounted where the
# distribution installs it, pwru finds it alone, and every frame of every stack,
# the CALLER and FUNC resolve to the lines and inlined functions eu-addr2line
# (elfutils) gives for the same function+offset, in vmlinux and in veth.ko.
# eu-addr2line finds the address from the ELF symbol table; pwru from kallsyms,
# its KASLR offset and the module's sysfs sections: two independent roads.
. tests/vm/suite/lib.sh

DEBUG=/usr/lib/debug
KVER=$(uname -r)
VMLINUX=$DEBUG/boot/vmlinux-$KVER
FUNCS='ip_rcv|icmp_rcv|veth_xmit'
TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'

case $(uname -m)-$KVER in
x86_64-6.12.* | aarch64-6.12.*) ;;
*)
	ok "# SKIP source lines are checked on 6.12 (amd64, arm64), whose debug packages the host fetches"
	exit 0
	;;
esac

trap 'umount "$DEBUG" 2>/dev/null; cleanup' EXIT
modprobe virtio_pci 2>/dev/null
modprobe virtio_blk 2>/dev/null
for _ in $(seq 50); do
	[ -b /dev/vda ] && break
	sleep 0.1
done
mkdir -p "$DEBUG"
if ! mount -o ro -t ext4 /dev/vda "$DEBUG" 2>"$SCRATCH/mount.err" || [ ! -r "$VMLINUX" ]; then
	not_ok "the debug package's disk is mounted at $DEBUG with vmlinux-$KVER" \
		"no /dev/vda or no vmlinux on it: tests/vm/debuginfo [--arch arm64] 6.12 failed on the host?" \
		"$(cat "$SCRATCH/mount.err")"
	exit 0
fi
ok "the debug package's disk is mounted at $DEBUG with vmlinux-$KVER"
command -v eu-addr2line >/dev/null || {
	not_ok "eu-addr2line is in the VM (kernel-6.12.t and kernel-arm64-6.12.t add it)"
	exit 0
}

check "two netns joined by veth" netns_pair
if ! pwru_start lines --output-stack --output-caller --filter-func "$FUNCS" icmp; then
	not_ok "pwru with debug info attached" "$(cat "$SCRATCH/lines.err")"
	exit 0
fi
check "ping 10.0.1.1 -> 10.0.1.2 while tracing" $IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2
# Each new address costs a DWARF walk (milliseconds natively, far more under TCG):
# wait for the six request events (veth_xmit, ip_rcv, icmp_rcv per ping).
for _ in $(seq 600); do
	[ "$(grep -c "^0x.*$TUPLE" "$SCRATCH/lines.out")" -ge 6 ] && break
	sleep 0.2
done
pwru_stop

if grep -qx "pwru: source lines from $VMLINUX" "$SCRATCH/lines.err"; then
	ok "found at the distribution's path without --vmlinux: $VMLINUX"
else
	not_ok "found at the distribution's path without --vmlinux" "$(cat "$SCRATCH/lines.err")"
fi

# Every function shown, as "KIND|POS|RET|MODULE|CHAIN": POS is
# name+0xOFF, RET 1 for a return address (eu-addr2line is asked for the byte
# before it: the call, as pwru does), CHAIN pwru's answer, innermost first:
# "func file:line; ...; file:line" (the function of the last one is named by
# kallsyms, not DWARF, so only its line). A stack frame shows its inlined
# functions; FUNC and CALLER, one column each, the line in the function itself.
awk -v tuple="$TUPLE" -v OFS='|' '
	function pos(s) { sub(/\/.*/, "", s); return s }
	function paren(s) { sub(/^[^(]*\(/, "", s); sub(/\).*/, "", s); return s }
	function modname(s) { if (s !~ /^\[/) return ""; gsub(/[][]/, "", s); return s }
	/^0x/ {
		n = 0; chain = ""; on = index($0, tuple) > 0
		if (!on) next
		for (i = 1; i <= NF; i++) if (index($i, "->")) break
		# FUNC (file:line) CALLER [module] (file:line)
		print "func", $(i + 1) "+0x0", 0, "", paren($(i + 2))
		print "caller", pos($(i + 3)), 1, modname($(i + 4)), paren($NF)
		next
	}
	/^    / && on {
		line = substr($0, 5)
		if (line ~ / \(inlined\)$/) {
			sub(/ \(inlined\)$/, "", line)
			fn = line; sub(/ .*/, "", fn)
			chain = chain fn " " paren(line) "; "
			next
		}
		split(line, w, " ")
		print "frame", pos(w[1]), (n > 0), modname(w[2]), chain paren(line)
		chain = ""; n++
	}
' "$SCRATCH/lines.out" | sort -u >"$SCRATCH/ours"

# The debug file of MODULE: modules.dep's entry under the debug tree.
debug_file() {
	local rel
	[ -z "$1" ] && echo "$VMLINUX" && return
	rel=$(awk -F: -v m="$1" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko.*/, "", n); gsub(/-/, "_", n)
		if (n == m) { print $1; exit } }' "/lib/modules/$KVER/modules.dep")
	rel=${rel%.xz}
	rel=${rel%.zst}
	echo "$DEBUG/lib/modules/$KVER/$rel"
}

# eu-addr2line's answer in pwru's form, its file names shortened by the build folder.
eu_chain() {
	eu-addr2line -e "$1" -i -f "$2" 2>/dev/null | awk '
		NR % 2 { fn = $1; next }
		{ loc = $0; if (loc ~ /:[0-9]+:[0-9]+$/) sub(/:[0-9]+$/, "", loc)
		  out = out (out == "" ? "" : "; ") fn " " loc }
		END { print out }'
}

# Ours equals theirs when each entry's line is the same and its file a tail of
# theirs; inlined entries' names must match too.
same_chain() {
	awk -v ours="$1" -v theirs="$2" 'BEGIN {
		n = split(ours, o, "; "); m = split(theirs, t, "; ")
		if (n != m || !n) exit 1
		for (i = 1; i <= n; i++) {
			k = split(o[i], a, " "); split(t[i], b, " ")
			loc = a[k]; fn = k > 1 ? a[1] : ""
			if (fn != "" && fn != b[1]) exit 1
			split(loc, ol, ":"); split(b[2], tl, ":")
			if (ol[2] != tl[2]) exit 1
			if (tl[1] != ol[1] && substr(tl[1], length(tl[1]) - length(ol[1])) != "/" ol[1]) exit 1
		}
	}'
}

checked=0 bad=0 kinds=' '
while IFS='|' read -r kind p ret mod chain; do
	# FUNC names no module: kallsyms does.
	[ "$kind" = func ] && mod=$(awk -v f="${p%%+*}" '$3 == f { gsub(/[][]/, "", $4); print $4; exit }' /proc/kallsyms)
	file=$(debug_file "$mod")
	q=$(printf '%s+0x%x' "${p%%+*}" $((${p#*+} - ret)))
	theirs=$(eu_chain "$file" "$q")
	# FUNC and CALLER show the line in the function itself: eu-addr2line's last one.
	[ "$kind" = frame ] || theirs=${theirs##*; }
	checked=$((checked + 1))
	kinds="$kinds$kind${mod:+[$mod]} "
	if ! same_chain "$chain" "$theirs"; then
		bad=$((bad + 1))
		[ $bad -le 5 ] && diag "$kind $q${mod:+ [$mod]}: pwru '$chain', eu-addr2line '$theirs'"
	fi
done <"$SCRATCH/ours"

if [ $checked -ge 20 ] && [ $bad = 0 ]; then
	ok "$checked FUNC, CALLER and stack frames have eu-addr2line's lines and inlined functions"
else
	not_ok "$checked FUNC, CALLER and stack frames have eu-addr2line's lines and inlined functions ($bad differ)"
	show "pwru stdout" "$SCRATCH/lines.out" 30
fi
for k in 'func' 'caller' 'frame' 'frame[veth]'; do
	case $kinds in
	*" $k "*) ok "among them: $k" ;;
	*) not_ok "among them: $k" "seen:$kinds" ;;
	esac
done
if grep -q ' (inlined)$' "$SCRATCH/lines.out"; then
	ok "inlined functions are shown ($(grep -c ' (inlined)$' "$SCRATCH/lines.out") lines)"
else
	not_ok "inlined functions are shown"
fi

# The lines of file $2 that file $1 lacks (the VM has no comm; busybox's grep -vf
# with no pattern prints nothing).
lines_not_in() {
	awk -v known="$1" 'BEGIN { while ((getline l <known) > 0) seen[l] = 1 } !($0 in seen)' "$2"
}

# --output-chains keeps the same per step: FUNC's line, CALLER's and the stack's, as the
# events above showed them (checked against eu-addr2line), made while the frames were valid.
if pwru_start chains --output-chains --output-stack --output-caller --filter-func "$FUNCS" icmp; then
	$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null
	# a chain is printed after 1 s without events; the lookups take their time under TCG
	for _ in $(seq 600); do
		[ "$(grep -c "^skb .*$TUPLE" "$SCRATCH/chains.out")" -ge 1 ] && break
		sleep 0.2
	done
	pwru_stop
	# FUNC (file:line) CALLER (file:line), from the echo request's steps and events
	awk -v tuple="$TUPLE" '
		/^skb / { on = index($0, tuple) > 0; next }
		on && /^ +\+[0-9]+ ns  / { sub(/^ +\+[0-9]+ ns  /, ""); gsub(/  +/, " "); print }
	' "$SCRATCH/chains.out" | sort -u >"$SCRATCH/chain.funcs"
	awk -v tuple="$TUPLE" 'index($0, tuple) {
		for (i = 1; i <= NF; i++) if (index($i, "->")) break
		s = $(i + 1); for (i += 2; i <= NF; i++) s = s " " $i; print s }' \
		"$SCRATCH/lines.out" | sort -u >"$SCRATCH/event.funcs"
	missing=$(lines_not_in "$SCRATCH/event.funcs" "$SCRATCH/chain.funcs")
	if [ "$(wc -l <"$SCRATCH/chain.funcs")" -ge 3 ] && [ -z "$missing" ] &&
		grep -q '^icmp_rcv (net/ipv4/icmp.c:[0-9]*) ip_protocol_deliver_rcu+0x[0-9a-f]*/0x[0-9a-f]* (net/ipv4/ip_input.c:[0-9]*)$' "$SCRATCH/chain.funcs"; then
		ok "chains: each step's FUNC and CALLER with the events' source lines ($(wc -l <"$SCRATCH/chain.funcs") steps)"
	else
		not_ok "chains: each step's FUNC and CALLER with the events' source lines" \
			"not among the events': ${missing:-none}" "$(cat "$SCRATCH/chain.funcs")"
	fi
	# every stack line under a step, as under the events
	grep '^                     [^ ]' "$SCRATCH/chains.out" | sed 's/^ *//' | sort -u >"$SCRATCH/chain.frames"
	grep '^    [^ ]' "$SCRATCH/lines.out" | sed 's/^ *//' | sort -u >"$SCRATCH/event.frames"
	missing=$(lines_not_in "$SCRATCH/event.frames" "$SCRATCH/chain.frames")
	if [ "$(grep -c ' (inlined)$' "$SCRATCH/chain.frames")" -ge 1 ] && [ -z "$missing" ]; then
		ok "chains: the steps' stacks with the events' lines and inlined functions ($(wc -l <"$SCRATCH/chain.frames") frames)"
	else
		not_ok "chains: the steps' stacks with the events' lines and inlined functions" \
			"not among the events': $(echo "$missing" | head -n 5)"
	fi
	diag "$(awk -v tuple="$TUPLE" '/^skb / { on = index($0, tuple) > 0 } on' "$SCRATCH/chains.out" | head -n 30)"
else
	not_ok "pwru --output-chains with debug info attached" "$(cat "$SCRATCH/chains.err")"
fi
check_nothing_attached
