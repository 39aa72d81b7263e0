# A later start in the same boot takes what discovery found (the functions, tracepoints,
# kallsyms names and traceable list) from the boot's copy in /run/pwru, and what it takes
# from the kernel's BTF (then parsing none), and must trace exactly what the first start
# traced; a module loaded since, another pwru build, or PWRU_NO_CACHE=1 each make it look
# again.
. tests/vm/suite/lib.sh

# "N functions, M tracepoints, from SOURCE" (--debug)
found() { sed -n 's/^pwru: debug: discovery: //p' "$1"; }
# "parsed" or "not parsed (...)" (--debug)
btf_of() { sed -n 's/^pwru: debug: kernel BTF: //p' "$1"; }
# "resolved by libbpf" or CORE_KEPT: whether libbpf resolved the programs' CO-RE relocations
core_of() { sed -n 's/^pwru: debug: CO-RE results: //p' "$1"; }
CORE_KEPT='kept in /run/pwru (none resolved)'
attached() { sed -n 's/^pwru: \(attached [0-9]* functions\{0,1\}, skipped [0-9]*\).*/\1/p' "$1"; }
FRESH='from BTF and kallsyms'
KEPT="from this boot's copy (/run/pwru)"

check "two netns joined by veth" netns_pair
spare=
for m in dummy ifb macvlan ipvlan; do
	grep -q "^$m " /proc/modules || { spare=$m; break; }
done
# A ping's path, veth's transmit (a module's function) and the spare module's, not yet loaded.
FUNCS="ip_rcv|ip_local_deliver|ip_output|icmp_rcv|icmp_echo|veth_xmit|${spare:-none}_.*"
rm -rf /run/pwru

# start NAME: pwru with FUNCS (and the caller's environment), a ping from a to b, stopped
# once it is seen. look NAME: the same start, stopped once ready, for what its --debug
# lines say alone (what it found, whether it parsed BTF): no ping to wait for.
look() { NO_PING=1 start "$1"; }
start() {
	if pwru_start "$1" --debug ${FUNCS:+--filter-func "$FUNCS"} icmp; then
		if [ -z "${NO_PING:-}" ]; then
			$IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2 >/dev/null
			wait_events "$SCRATCH/$1.out" icmp_rcv '10.0.1.1:0->10.0.1.2:0(icmp)' 2
		fi
		pwru_stop
	else
		not_ok "pwru attached ($1 start)" "$(head -n 5 "$SCRATCH/$1.err")"
	fi
}

start cold
start warm
case $(found "$SCRATCH/cold.err") in
*" $FRESH") ok "the boot's first start looks: $(found "$SCRATCH/cold.err")" ;;
*) not_ok "the boot's first start looks" "$(found "$SCRATCH/cold.err")" ;;
esac
if [ -n "$(found "$SCRATCH/warm.err")" ] &&
	[ "$(found "$SCRATCH/warm.err")" = "$(found "$SCRATCH/cold.err" | sed "s|$FRESH|$KEPT|")" ]; then
	ok "the next start takes the copy, with as many functions: $(found "$SCRATCH/warm.err")"
else
	not_ok "the next start takes the copy, with as many functions" \
		"cold: $(found "$SCRATCH/cold.err")" "warm: $(found "$SCRATCH/warm.err")"
fi
if [ -n "$(attached "$SCRATCH/warm.err")" ] &&
	[ "$(attached "$SCRATCH/warm.err")" = "$(attached "$SCRATCH/cold.err")" ]; then
	ok "and attaches the same: $(attached "$SCRATCH/warm.err")"
else
	not_ok "and attaches the same" "cold: $(attached "$SCRATCH/cold.err")" \
		"warm: $(attached "$SCRATCH/warm.err")"
fi
same_funcs_seen "a ping shows the same functions" "$SCRATCH/cold.out" "$SCRATCH/warm.out"
if [ "$(btf_of "$SCRATCH/cold.err")" = parsed ] &&
	[ "$(btf_of "$SCRATCH/warm.err")" = "not parsed (its uses kept in /run/pwru)" ]; then
	ok "the first start parses the kernel's BTF, the next one does not"
else
	not_ok "the first start parses the kernel's BTF, the next one does not" \
		"cold: $(btf_of "$SCRATCH/cold.err")" "warm: $(btf_of "$SCRATCH/warm.err")"
fi
if [ "$(core_of "$SCRATCH/cold.err")" = "resolved by libbpf" ] &&
	[ "$(core_of "$SCRATCH/warm.err")" = "$CORE_KEPT" ]; then
	ok "the first start has libbpf resolve its CO-RE relocations, the next one applies them kept"
else
	not_ok "the first start has libbpf resolve its CO-RE relocations, the next one applies them kept" \
		"cold: $(core_of "$SCRATCH/cold.err")" "warm: $(core_of "$SCRATCH/warm.err")"
fi

# A wrong copy costs a look, never a wrong trace. The discovery copy with a byte changed
# (its sum) and the btf copy cut to nothing: the next start looks again, traces the same,
# and keeps new copies for the one after. The copies damaged are those cold left (its
# ping's trace is the one to compare).
. tests/kept_probes.sh
# flip_byte FILE: the byte in FILE's middle, changed
flip_byte() {
	local off byte
	off=$(($(stat -c %s "$1") / 2))
	byte=$(dd if="$1" bs=1 skip="$off" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	kp_byte $((${byte:-0} ^ 90)) | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
flip_byte /run/pwru/discovery
: >/run/pwru/btf
start damaged
look mended
if [ "$(found "$SCRATCH/damaged.err")" = "$(found "$SCRATCH/cold.err")" ] &&
	[ "$(btf_of "$SCRATCH/damaged.err")" = parsed ] &&
	[ "$(found "$SCRATCH/mended.err")" = "$(found "$SCRATCH/cold.err" | sed "s|$FRESH|$KEPT|")" ]; then
	ok "a damaged discovery copy and an empty btf copy are not taken; the start after takes new ones"
else
	not_ok "damaged copies are not taken; the start after takes new ones" \
		"cold: $(found "$SCRATCH/cold.err")" "damaged: $(found "$SCRATCH/damaged.err"); $(btf_of "$SCRATCH/damaged.err")" \
		"after: $(found "$SCRATCH/mended.err")"
fi
same_funcs_seen "with damaged copies a ping shows the same functions" "$SCRATCH/cold.out" \
	"$SCRATCH/damaged.out"
chmod 666 /run/pwru/discovery
look open
case $(found "$SCRATCH/open.err") in
*" $FRESH") ok "a copy others could write is not taken" ;;
*) not_ok "a copy others could write is not taken" "$(found "$SCRATCH/open.err")" ;;
esac

# The default run (every function, the backend's own choice) the same way: a second start
# parses no BTF and sees the same ping. Fixed neighbour entries: a stale one sends the ping
# through neigh_resolve_output, a fresh one not, by the cache's timers (seen on 6.12).
for side in "a va 10.0.1.2 b vb" "b vb 10.0.1.1 a va"; do
	set -- $side
	check "$1's fixed neighbour entry" $IP -n "$1" neigh replace "$3" dev "$2" nud permanent \
		lladdr "$($IP netns exec "$4" cat "/sys/class/net/$5/address")"
done
# Per-address kprobes take minutes for every function (4 min of this scenario on 6.1): a
# family of ~100 there, still with the kept BTF uses for the whole object.
backends_here
case " $BACKENDS_HERE " in
*" kprobe-multi "*) ALL= what="every function" ;;
*) ALL='(__)?(ip|icmp|netif|dev)_.*' what="the ip, icmp, netif and dev functions" ;;
esac
rm -rf /run/pwru
FUNCS=$ALL start all_cold
FUNCS=$ALL start all_warm
# nf_tables may be loaded here (earlier scenarios of a suite leave it): nft_do_chain's
# programs' uses of its BTF are kept too (below).
NOT_PARSED="not parsed (its uses kept in /run/pwru)" parses="parses no BTF"
grep -q '^nf_tables ' /proc/modules && parses="parses no BTF (nf_tables loaded)"
all_warm="$(btf_of "$SCRATCH/all_warm.err"); $(attached "$SCRATCH/all_warm.err")"
want="$NOT_PARSED; $(attached "$SCRATCH/all_cold.err")"
if [ -n "$(attached "$SCRATCH/all_cold.err")" ] && [ "$(btf_of "$SCRATCH/all_cold.err")" = parsed ] &&
	[ "$all_warm" = "$want" ] && [ "$(found "$SCRATCH/all_warm.err")" = "$(found "$SCRATCH/all_cold.err" | sed "s|$FRESH|$KEPT|")" ]; then
	ok "$what: the next start $parses and $(attached "$SCRATCH/all_warm.err")"
else
	not_ok "$what: the next start $parses and attaches the same" \
		"cold: $(btf_of "$SCRATCH/all_cold.err"); $(attached "$SCRATCH/all_cold.err")" \
		"warm: $all_warm; $(found "$SCRATCH/all_warm.err")"
fi
same_funcs_seen "$what: a ping shows the same functions" "$SCRATCH/all_cold.out" \
	"$SCRATCH/all_warm.out"

# With nf_tables loaded (most Kubernetes nodes run nftables), nf_hook_slow traced through
# fentry/fexit brings nft_do_chain's programs, whose target and types are in nf_tables' BTF:
# its id there and the cut from it are kept too, under that BTF's identity. The second
# start parses no BTF and still names the table and chain of an nft drop; with nf_tables
# unloaded, and loaded again, it looks again once.
NFT_FUNCS='ip_rcv|nf_hook_slow|icmp_rcv'
NFT_TUPLE='10.0.1.1:0->10.0.1.2:0(icmp)'
NFT_DROP=' nft_do_chain inet/pwru_copy/input DROP( [(]-EPERM[)])?$'
nft_table() {
	$IP netns exec b $NFT add table inet pwru_copy \; \
		add chain inet pwru_copy input '{ type filter hook input priority 0; policy accept; }' \; \
		add rule inet pwru_copy input icmp type echo-request drop
}
# nft_start NAME [DROPS]: pwru on NFT_FUNCS; a ping from a, dropped by b's rule when DROPS
nft_start() {
	if ! pwru_start "$1" --debug --filter-func "$NFT_FUNCS" icmp; then
		not_ok "pwru attached ($1 start)" "$(head -n 5 "$SCRATCH/$1.err")"
	elif [ -n "${2:-}" ]; then
		# nft_do_chain's event comes at its exit, before nf_hook_slow's
		ping_dropped "$SCRATCH/$1.out" ' nf_hook_slow NF_INET_LOCAL_IN/ipv4 DROP' 1 -c 1 -W 1 10.0.1.2
		pwru_stop
	else
		$IP netns exec a ping -c 1 -W 3 10.0.1.2 >/dev/null
		wait_events "$SCRATCH/$1.out" icmp_rcv "$NFT_TUPLE"
		pwru_stop
	fi
}
# The drop's table and chain where nft_do_chain's fexit runs and nf_tables has BTF (5.11+),
# else the line saying why they are not shown (NFT_WHY, its start).
nft_shown() {
	if [ -n "$NFT_WHY" ]; then
		grep -q -- "^$NFT_WHY" "$SCRATCH/$1.err"
	else
		grep -F -- "$NFT_TUPLE" "$SCRATCH/$1.out" | grep -qE -- "$NFT_DROP"
	fi
}
# nft_pair COLD WARM DESC: COLD parses BTF, WARM not, and both show the drop's chain
nft_pair() {
	if [ "$(btf_of "$SCRATCH/$1.err")" = parsed ] && [ "$(btf_of "$SCRATCH/$2.err")" = "$NOT_PARSED" ] &&
		[ "$(core_of "$SCRATCH/$2.err")" = "$CORE_KEPT" ] && nft_shown "$1" && nft_shown "$2"; then
		ok "$3: the next start parses no BTF, resolves no CO-RE relocation and still shows ${NFT_WHY:-the nft chain of the drop}"
	else
		not_ok "$3: the next start parses no BTF, resolves no CO-RE relocation and still shows the nft chain of the drop" \
			"BTF $(btf_of "$SCRATCH/$1.err"), then $(btf_of "$SCRATCH/$2.err")" \
			"CO-RE results: $(core_of "$SCRATCH/$2.err")" \
			"wanted: ${NFT_WHY:-$NFT_DROP}"
		show "pwru stdout ($2)" "$SCRATCH/$2.out" 20
		show "pwru stderr ($2)" "$SCRATCH/$2.err" 20
	fi
}
# unload_nf_tables: every table flushed, then the modules using nf_tables, then it
unload_nf_tables() {
	local ns m
	for ns in $($IP netns list | awk '{ print $1 }'); do
		$IP netns exec "$ns" $NFT flush ruleset
	done
	$NFT flush ruleset
	for m in $(awk '$1 == "nf_tables" && $4 != "-" { gsub(",", " ", $4); print $4 }' /proc/modules); do
		rmmod "$m"
	done
	# a namespace being freed may hold it a moment
	wait_until rmmod nf_tables 2>/dev/null
}
if ! nft_table; then
	not_ok "nft: b drops echo requests in its input hook"
else
	NFT_WHY=
	if ! kernel_runs_fexit; then
		NFT_WHY="pwru: nft tables and chains are not shown: they need fexit"
	elif [ ! -e /sys/kernel/btf/nf_tables ]; then
		NFT_WHY="pwru: nft tables and chains are not shown: nf_tables has no BTF here"
	fi
	rm -rf /run/pwru
	nft_start nft_cold drops
	nft_start nft_warm drops
	nft_pair nft_cold nft_warm "nf_tables loaded"
	if unload_nf_tables; then
		nft_start nft_gone
		if [ "$(btf_of "$SCRATCH/nft_gone.err")" = parsed ] &&
			has_events "$SCRATCH/nft_gone.out" icmp_rcv "$NFT_TUPLE"; then
			ok "nf_tables unloaded: the next start parses BTF again and sees the ping through"
		else
			not_ok "nf_tables unloaded: the next start parses BTF again and sees the ping through" \
				"BTF $(btf_of "$SCRATCH/nft_gone.err")" "$(head -n 5 "$SCRATCH/nft_gone.err")"
		fi
		if nft_table; then
			nft_start nft_back drops
			nft_start nft_back2 drops
			nft_pair nft_back nft_back2 "nf_tables loaded again"
		else
			not_ok "nft: b drops echo requests again (nf_tables loaded again)"
		fi
	else
		ok "nf_tables unloaded and loaded again # SKIP it stays in use: $(grep '^nf_tables ' /proc/modules)"
	fi
	$IP netns exec b $NFT delete table inet pwru_copy
fi

# Another build of pwru (here the same bytes, another file) may find other things.
cp "$PWRU" "$SCRATCH/pwru-other"
PWRU=$SCRATCH/pwru-other look other
case $(found "$SCRATCH/other.err") in
*" $FRESH") ok "another pwru build does not take the copy" ;;
*) not_ok "another pwru build does not take the copy" "$(found "$SCRATCH/other.err")" ;;
esac
rm -f "$SCRATCH/pwru-other"

# n_of FILE: the functions a start found
n_of() { found "$1" | cut -d' ' -f1; }
if [ -n "$spare" ] && modprobe "$spare"; then
	look module
	look module2
	case $(found "$SCRATCH/module.err") in
	*" $FRESH")
		if [ "$(n_of "$SCRATCH/module.err")" -gt "$(n_of "$SCRATCH/cold.err")" ]; then
			ok "after modprobe $spare the copy is not taken, and $spare's functions are found: $(found "$SCRATCH/module.err")"
		else
			not_ok "after modprobe $spare, $spare's functions are found" \
				"before: $(found "$SCRATCH/cold.err")" "after: $(found "$SCRATCH/module.err")"
		fi
		;;
	*) not_ok "after modprobe $spare the copy is not taken" "$(found "$SCRATCH/module.err")" ;;
	esac
	if [ -n "$(found "$SCRATCH/module2.err")" ] &&
		[ "$(found "$SCRATCH/module2.err")" = "$(found "$SCRATCH/module.err" | sed "s|$FRESH|$KEPT|")" ]; then
		ok "the start after that takes the new copy: $(found "$SCRATCH/module2.err")"
	else
		not_ok "the start after that takes the new copy" "$(found "$SCRATCH/module2.err")"
	fi
	if [ "$(btf_of "$SCRATCH/module.err")" = parsed ] &&
		[ "$(btf_of "$SCRATCH/module2.err")" != parsed ] && [ -n "$(btf_of "$SCRATCH/module2.err")" ]; then
		ok "after modprobe $spare BTF is parsed again, once"
	else
		not_ok "after modprobe $spare BTF is parsed again, once" \
			"$(btf_of "$SCRATCH/module.err")" "$(btf_of "$SCRATCH/module2.err")"
	fi
	rmmod "$spare" 2>/dev/null
else
	diag "no module left to load (${spare:-none}): the copy's renewal is not checked here"
fi

# Two starts at once, both making the boot's first copies: each traces the ping, and
# what they leave is whole (the next start takes it and sees the same).
rm -rf /run/pwru
set -m
for s in twin1 twin2; do
	"$PWRU" --ready-file "$SCRATCH/$s.ready" --debug --filter-func "$FUNCS" icmp \
		>"$SCRATCH/$s.out" 2>"$SCRATCH/$s.err" </dev/null &
	eval "pid_$s=\$!"
done
set +m
for i in $(seq 600); do
	[ -e "$SCRATCH/twin1.ready" ] && [ -e "$SCRATCH/twin2.ready" ] && break
	sleep 0.1
done
$IP netns exec a ping -c 2 -i 0.2 -W 3 10.0.1.2 >/dev/null
for s in twin1 twin2; do
	wait_events "$SCRATCH/$s.out" icmp_rcv '10.0.1.1:0->10.0.1.2:0(icmp)' 2
done
kill -INT "$pid_twin1" "$pid_twin2"
wait "$pid_twin1"
st1=$?
wait "$pid_twin2"
st2=$?
start after_twins
# one may find the other's copy already there: either way, the same functions
twin() { found "$SCRATCH/$1.err" | sed "s|$KEPT|$FRESH|"; }
if [ $st1 = 0 ] && [ $st2 = 0 ] && [ "$(twin twin1)" = "$(found "$SCRATCH/cold.err")" ] &&
	[ "$(twin twin2)" = "$(found "$SCRATCH/cold.err")" ] &&
	[ "$(found "$SCRATCH/after_twins.err")" = "$(found "$SCRATCH/cold.err" | sed "s|$FRESH|$KEPT|")" ] &&
	[ "$(btf_of "$SCRATCH/after_twins.err")" = "not parsed (its uses kept in /run/pwru)" ]; then
	ok "two first starts at once find the same; the copies they leave are taken whole"
else
	not_ok "two first starts at once find the same; the copies they leave are taken whole" \
		"exits $st1 $st2" "$(found "$SCRATCH/twin1.err")" "$(found "$SCRATCH/twin2.err")" \
		"after: $(found "$SCRATCH/after_twins.err"); $(btf_of "$SCRATCH/after_twins.err")" \
		"$(grep -v 'skipped\|debug' "$SCRATCH/twin1.err" "$SCRATCH/twin2.err" | head -n 10)"
fi
same_funcs_seen "both starts at once see the ping" "$SCRATCH/twin1.out" "$SCRATCH/twin2.out"
same_funcs_seen "and the start after them" "$SCRATCH/cold.out" "$SCRATCH/after_twins.out"

# A kept probe pass for a backend this kernel does not run (closing13's wrong
# /run/pwru/probes): the backend fails at load or attach, pwru drops the copy and starts
# again by itself, tracing as before.
backends_here
case " $BACKENDS_HERE " in
*" kprobe-multi "*) diag "kprobe-multi runs here: a kept pass of it is not wrong" ;;
*)
	$PWRU --list-funcs --filter-func ip_rcv >/dev/null 2>&1 # this build's probes copy
	if [ -s /run/pwru/probes ]; then
		plant_probe_pass "$PWRU" kprobe-multi
		start planted
		if grep -q 'kept from this boot' "$SCRATCH/planted.err" &&
			grep -q 'removed /run/pwru/probes, starting again$' "$SCRATCH/planted.err" &&
			! grep -qs kprobe-multi /run/pwru/probes; then
			ok "a planted kprobe-multi pass is taken, fails, and is dropped: $(grep 'starting again' "$SCRATCH/planted.err" | cut -c 1-90)..."
		else
			not_ok "a planted kprobe-multi pass is dropped when it fails" \
				"$(grep -v skipped "$SCRATCH/planted.err" | head -n 12)"
		fi
		same_funcs_seen "and pwru traces by itself as before" "$SCRATCH/cold.out" "$SCRATCH/planted.out"
	else
		diag "no backend probe kept here: nothing to plant a pass beside"
	fi
	;;
esac

rm -rf /run/pwru
PWRU_NO_CACHE=1 look nocache
case $(found "$SCRATCH/nocache.err") in
*" $FRESH")
	if [ -e /run/pwru/discovery ] || [ -e /run/pwru/btf ]; then
		not_ok "PWRU_NO_CACHE=1 keeps nothing" "$(ls -l /run/pwru)"
	else
		ok "PWRU_NO_CACHE=1 looks, and keeps nothing"
	fi
	;;
*) not_ok "PWRU_NO_CACHE=1 looks" "$(found "$SCRATCH/nocache.err")" ;;
esac
