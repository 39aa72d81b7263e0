#!/bin/bash
# Every row of docs/usage.md's message table ("Exit status and errors") walked: run here
# when this machine can produce it, else checked to be a case of the VM scenario that
# produces it on a tracing kernel (the VM run executes it). A documented row that no test
# walks fails, and so does a walked message the table does not document.
cd "$(dirname "$0")/../.." || exit 1
n=0 failed=0
declare -A walked
tmp=$(mktemp -d)
chmod 755 "$tmp" # the unprivileged runs read the captures too
trap 'rm -rf "$tmp"' EXIT

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	printf '#   %s\n' "$@"
	failed=$((failed + 1))
}

# walk KEY STATUS ERE CMD...: the row documented as KEY, produced by CMD: exit STATUS,
# nothing on stdout, one line on stderr, matching ^pwru: ERE.
walk() {
	local key=$1 want=$2 re=$3 rc err
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	err=$(cat "$tmp/err")
	walked[$key]=here
	if [ "$rc" = "$want" ] && [ ! -s "$tmp/out" ] && [ "$(grep -c '' "$tmp/err")" = 1 ] &&
		grep -qE -- "^pwru: $re" "$tmp/err"; then
		pass "exit $want: $err"
	else
		fail "exit $want, one line 'pwru: $re' (row '$key')" "got exit $rc: $err" \
			"stdout: $(head -c 200 "$tmp/out")"
	fi
}

# walked_by HOW KEY FILE TEXT: row KEY walked elsewhere: FILE holds TEXT, its case for it.
walked_by() {
	walked[$2]=$1
	if grep -qF -- "$4" "$3"; then
		pass "walked by $3: $2"
	else
		fail "walked by $3: $2" "no '$4' in $3"
	fi
}
# in_vm KEY SCENARIO TEXT: by the VM scenario tests/vm/suite/SCENARIO (the VM run executes it)
in_vm() { walked_by vm "$1" "tests/vm/suite/$2" "$3"; }
# elsewhere KEY FILE TEXT: a row no command can produce on demand, by the unit test FILE
elsewhere() { walked_by unit "$@"; }

if [ ! -x ./pwru ]; then
	echo "1..1"
	echo "not ok 1 - ./pwru is missing: run make"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (most messages come after the root check)"
	exit 0
fi

# hexbytes HEX...: the bytes; mkpcap FILE LINKTYPE CAPLEN WIRELEN DATAHEX: one packet
hexbytes() { echo "$*" | tr -d ' ' | xxd -r -p; }
mkpcap() {
	hexbytes a1b2c3d4 00020004 00000000 00000000 0000ffff "$(printf %08x "$2")" \
		00000000 00000000 "$(printf %08x "$3")" "$(printf %08x "$4")" "$5" >"$1"
}
pkt=0001020304050001020304060800450000280000400040060000 # cut: the walker needs no meaning
mkpcap "$tmp/eth.pcap" 1 26 26 "$pkt"
mkpcap "$tmp/wifi.pcap" 105 26 26 "$pkt"
# a record header promising 100 bytes, followed by 26: the file ends inside packet 2
{ cat "$tmp/eth.pcap"; hexbytes 00000000 00000000 00000064 00000064 "$pkt"; } >"$tmp/cut.pcap"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# --- 2: bad input ---
walk "unknown flag --X (pwru --help lists the flags)" 2 \
	'unknown flag --nope \(pwru --help lists the flags\)$' ./pwru --nope
walk "--output-bpfmap shows the map operations of the BPF helpers traced: add --filter-track-bpf-helpers" 2 \
	'--output-bpfmap shows the map operations of the BPF helpers traced: add --filter-track-bpf-helpers$' \
	./pwru --output-bpfmap
walk "--X needs a value (ARG)" 2 '--output-limit-lines needs a value \(N\)$' \
	./pwru --output-limit-lines
walk "--X wants ..., not 'V'" 2 "--output-limit-lines wants a non-negative number, not '-1'$" \
	./pwru --output-limit-lines=-1
walk "--X wants ..., not 'V'" 2 "--kmods wants MOD\\[,MOD\\.\\.\\.\\], not 'veth,,tun'$" \
	./pwru --kmods veth,,tun
walk "--kmods, --all-kmods and --no-kmods exclude each other: give one" 2 \
	'--kmods, --all-kmods and --no-kmods exclude each other: give one$' \
	./pwru --kmods veth --no-kmods
walk "--output-chains=path is plain text: leave out --output-json (...)" 2 \
	'--output-chains=path is plain text: leave out --output-json \(--output-chains --output-json gives JSON chain objects\)$' \
	./pwru --output-chains=path --output-json icmp
walk "--backend must be one of NAMES, not 'V'" 2 \
	"--backend must be one of [a-z, -]+, not 'nope'$" ./pwru --backend nope
walk "--X must be ..." 2 "--ringbuf-size must be a power of two from 4096 to 1073741824, not 5000$" \
	./pwru --ringbuf-size 5000
walk "--X must be ..." 2 "--filter-kprobe-batch must be at least 1$" ./pwru --filter-kprobe-batch 0
walk "--X takes =path or nothing, not 'V'" 2 "--output-chains takes =path or nothing, not 'tree'$" \
	./pwru --output-chains=tree
walk "--output-pcap and --output-file name the same file" 2 \
	'--output-pcap and --output-file name the same file$' \
	./pwru --output-pcap "$tmp/o" --output-file "$tmp/o"
walk "--output-json with --output-pcap -: stdout is the pcapng's, and JSON events on stderr would mix with pwru's own lines; give them --output-file PATH" 2 \
	"--output-json with --output-pcap -: stdout is the pcapng's, and JSON events on stderr would mix with pwru's own lines; give them --output-file PATH\$" \
	./pwru --output-json --output-pcap - icmp
walk "cannot write --output-X PATH: ..." 2 'cannot write --output-pcap /nonexistent/o.pcapng: No such file' \
	./pwru --output-pcap /nonexistent/o.pcapng
# on a terminal: script(1) gives pwru one for stdout, its stderr stays ours (bounded: a pwru
# that took the terminal would trace on)
on_tty() { timeout 20 script -qec "$* 2>&3" /dev/null 3>&2 >/dev/null; }
walk "--output-pcap - writes pcapng to stdout, here a terminal: ..." 2 \
	'--output-pcap - writes pcapng to stdout, here a terminal: pipe it \(\| tshark -r -\) or redirect it \(> FILE\)$' \
	on_tty ./pwru --output-pcap - icmp
walk "--filter-ifname needs --filter-netns as a path (/proc/PID/ns/net), not inode:N" 2 \
	'--filter-ifname needs --filter-netns as a path \(/proc/PID/ns/net\), not inode:N$' \
	./pwru --filter-ifname lo --filter-netns inode:4026531840
walk "--filter-func 'RE' is not a valid regex: ..." 2 "--filter-func '\(' is not a valid regex: " \
	./pwru --filter-func '('
walk "--filter-func 'RE' is not a valid regex: ..." 2 \
	"--filter-func 'ip_\\(\\?i\\)rcv' is not a valid regex: \\(\\?i\\) is RE2 syntax .*\\[Ii\\]p_rcv\\)\$" \
	./pwru --filter-func 'ip_(?i)rcv'
walk "bad pcap-filter 'EXPR': ..." 2 "bad pcap-filter 'host 10.0.0.0/16': .*did you mean 'net 10.0.0.0/16'" \
	./pwru host 10.0.0.0/16
# not root: still the input's error first (the user fixes it before reaching for sudo)
walk "bad pcap-filter 'EXPR': ..." 2 "bad pcap-filter 'hots 10.0.0.1': .*did you mean 'host'" \
	nobody ./pwru hots 10.0.0.1
# --output-chains takes =path only: the space form leaves 'path' to the pcap-filter
walk "bad pcap-filter 'EXPR': ..." 2 \
	"bad pcap-filter 'path icmp': .*syntax error \\(--output-chains takes its value after '=': did you mean --output-chains=path\\?\\)\$" \
	./pwru --output-chains path icmp
walk "bad pcap-filter 'EXPR': ..." 2 \
	"bad pcap-filter 'path': .*\\(--output-chains takes its value after '=': did you mean --output-chains=path\\?\\)\$" \
	nobody ./pwru --output-chains path
# a switch takes true/false only after '=' (pflag's rule): the space form leaves it to the
# pcap-filter, wherever the filter's words are
walk "bad pcap-filter 'EXPR': ..." 2 \
	"bad pcap-filter 'false icmp': .*syntax error \\(--output-meta takes true or false only after '=': did you mean --output-meta=false\\?\\)\$" \
	./pwru --output-meta false icmp
walk "bad pcap-filter 'EXPR': ..." 2 \
	"bad pcap-filter 'icmp 0': .*\\(--output-tuple takes true or false only after '=': did you mean --output-tuple=0\\?\\)\$" \
	nobody ./pwru icmp --output-json=false --output-tuple 0
walk "bad --filter-tunnel-pcap-lN 'EXPR': ..." 2 \
	"bad --filter-tunnel-pcap-l3 'arp': it cannot judge an IP packet .*: use --filter-tunnel-pcap-l2$" \
	./pwru --filter-tunnel-pcap-l3 arp icmp
walk "bad --filter-skb-expr 'EXPR': ..." 2 \
	"bad --filter-skb-expr 'skb->dev->ifindexx == 2': no field 'ifindexx' in struct net_device$" \
	./pwru --filter-skb-expr 'skb->dev->ifindexx == 2' icmp
walk "bad --output-skb-metadata 'EXPR': ..." 2 \
	"bad --output-skb-metadata 'skb->hash == 1': expected the end .*, not '=='$" \
	./pwru --output-skb-metadata 'skb->hash == 1' icmp
walk "bad --filter-xdp-expr 'EXPR': ..." 2 \
	"bad --filter-xdp-expr 'skb->len > 0': expected 'xdp' \\(expressions start from the XDP program's xdp_buff\\), not 'skb'\$" \
	./pwru --filter-trace-xdp --filter-xdp-expr 'skb->len > 0' icmp
walk "bad --output-xdp-metadata 'EXPR': ..." 2 \
	"bad --output-xdp-metadata 'xdp->rxq->devv': no field 'devv' in struct xdp_rxq_info\$" \
	./pwru --output-xdp-metadata 'xdp->rxq->queue_index,xdp->rxq->devv' icmp
walk "--X: an empty value in 'V'" 2 "--output-skb-metadata: an empty value in 'skb->mark,'\$" \
	./pwru --output-skb-metadata 'skb->mark,' icmp
walk "--output-skb-metadata can be given at most 4 times" 2 \
	'--output-skb-metadata can be given at most 4 times$' \
	./pwru --output-skb-metadata a --output-skb-metadata b --output-skb-metadata c \
	--output-skb-metadata d --output-skb-metadata e
walk "--filter-non-skb-funcs: no kernel function X in /proc/kallsyms" 2 \
	'--filter-non-skb-funcs: no kernel function no_such_function_x in /proc/kallsyms$' \
	./pwru --filter-non-skb-funcs fib_table_lookup,no_such_function_x icmp
walk "--filter-netns inode:N wants a non-zero number, not 'V'" 2 \
	"--filter-netns inode:N wants a non-zero number, not 'inode:0'$" ./pwru --filter-netns inode:0
walk "--filter-netns inode:N: no network namespace with that inode is in use here (lsns -t net or ls -l /proc/*/ns/net show them; or give its file: /proc/PID/ns/net, /run/netns/NAME)" 2 \
	'--filter-netns inode:12345: no network namespace with that inode is in use here \(lsns -t net or ls -l /proc/\*/ns/net show them; or give its file: /proc/PID/ns/net, /run/netns/NAME\)$' \
	./pwru --filter-netns inode:12345
walk "--filter-netns PATH: ERROR (give inode:N or /proc/PID/ns/net)" 2 \
	'--filter-netns /nonexistent: No such file or directory \(give inode:N or /proc/PID/ns/net\)$' \
	./pwru --filter-netns /nonexistent
walk "--filter-netns PATH is not a network namespace file (...)" 2 \
	'--filter-netns /etc/passwd is not a network namespace file \(' ./pwru --filter-netns /etc/passwd
walk "--filter-ifname: no interface 'X' in network namespace PATH (ip link lists them...)" 2 \
	"--filter-ifname: no interface 'nosuch0' in network namespace /proc/self/ns/net \(ip link lists them; one of another namespace, a pod's, needs --filter-netns /proc/PID/ns/net\)$" \
	./pwru --filter-ifname nosuch0
walk "--kmods: 'X' is not a loaded module (...); load it first (modprobe X) or leave it out" 2 \
	"--kmods: 'no_such_mod' is not a loaded module \(.*\); load it first \(modprobe no_such_mod\) or leave it out$" \
	./pwru --kmods no_such_mod
walk "cannot read kernel BTF from FILE: ... (give a BTF blob or an ELF file with a .BTF section)" 2 \
	'cannot read kernel BTF from /etc/passwd: .* \(give a BTF blob or an ELF file with a .BTF section\)$' \
	./pwru --kernel-btf /etc/passwd
walk "--ready-file PATH: ..." 2 '--ready-file /nonexistent/ready: No such file or directory' \
	./pwru --ready-file /nonexistent/ready
walk "--check-filter FILE: not a readable pcap file: ..." 2 \
	'--check-filter /etc/passwd: not a readable pcap file: ' ./pwru --check-filter /etc/passwd tcp
./pwru --check-filter "$tmp/cut.pcap" tcp >"$tmp/cut.out" 2>/dev/null
walk "--check-filter FILE: after packet N: ..." 2 "--check-filter $tmp/cut.pcap: after packet 1: " \
	sh -c './pwru --check-filter "$1" tcp >/dev/null' - "$tmp/cut.pcap"
if [ "$(cat "$tmp/cut.out")" = "1 1" ]; then
	pass "the packet before the cut is still printed"
else
	fail "the packet before the cut is still printed" "stdout: $(cat "$tmp/cut.out")"
fi
walk "--check-filter FILE: link type X is not supported: ..." 2 \
	"--check-filter $tmp/wifi.pcap: link type IEEE802_11 is not supported: " \
	./pwru --check-filter "$tmp/wifi.pcap" tcp
walk "--check-filter FILE: bad filter expression 'EXPR': ..." 2 \
	"--check-filter $tmp/eth.pcap: bad filter expression 'tcp and': " \
	./pwru --check-filter "$tmp/eth.pcap" tcp and
walk "PWRU_RETVAL_FUNCS: --filter-func 'RE' is not a valid regex: ..." 2 \
	"PWRU_RETVAL_FUNCS: --filter-func '\\(' is not a valid regex: " \
	env PWRU_RETVAL_FUNCS='(' ./pwru

# --- 1: not possible here ---
walk "must run as root (...); try sudo pwru" 1 'must run as root \(.*\); try sudo pwru$' nobody ./pwru
# root in a container without its privileges: the capabilities named, not what fails without them
walk "runs as root without CAPS (...): ...; run it privileged (...)" 1 \
	'runs as root without CAP_SYS_ADMIN \(left out of a container.s default capabilities\): .*; run it privileged \(docker run --privileged; Kubernetes: securityContext.privileged: true\)$' \
	setpriv --bounding-set=-sys_admin ./pwru
walk "bad pcap-filter 'EXPR': ..." 2 "bad pcap-filter 'icmp and': " \
	setpriv --bounding-set=-sys_admin ./pwru icmp and
walk "cannot read kernel BTF from /sys/kernel/btf/vmlinux: ... (needs CONFIG_DEBUG_INFO_BTF=y, or --kernel-btf FILE)" 1 \
	'cannot read kernel BTF from /sys/kernel/btf/vmlinux: .* \(needs CONFIG_DEBUG_INFO_BTF=y, or --kernel-btf FILE\)$' \
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec ./pwru'
walk "/proc/kallsyms shows no addresses; run as root with kernel.kptr_restrict below 2" 1 \
	'/proc/kallsyms shows no addresses; run as root with kernel.kptr_restrict below 2$' \
	unshare -r ./pwru
walk "no kernel function taking an skb matches --filter-func 'RE' (...)" 1 \
	"no kernel function taking an skb matches --filter-func 'no_such_fn_x' \(" \
	./pwru --filter-func no_such_fn_x
in_vm "no kernel function taking an skb matches --filter-func 'RE' (...), and no KIND program is loaded that can be traced (...)" \
	30-bad-input.sh ", and no tc program is loaded that can be traced "
in_vm "loading the BPF programs failed: the locked-memory limit (ulimit -l) is N KiB, this kernel (before 5.11) charges BPF maps to it, and pwru may not raise it (no CAP_SYS_RESOURCE): run pwru with ulimit -l unlimited (docker run --ulimit memlock=-1)" \
	35-forced-kprobe.sh "run pwru with ulimit -l unlimited"
in_vm "--kmods: module 'X' is loaded but the kernel has no BTF for it (...)" 30-bad-input.sh \
	"is loaded but the kernel has no BTF for it"
in_vm "--kmods: cannot read the BTF of module X: ..." 30-bad-input.sh \
	"--kmods: cannot read the BTF of module veth: "
# capstone opened at first use (kallsyms/cs_dlopen.c): the library hidden behind an empty file
cslib=$(ldconfig -p | sed -n 's/^[[:space:]]*libcapstone\.so\.[0-9]* .*=> //p' | head -n 1)
walk "--filter-track-bpf-helpers needs capstone, which pwru could not open (...): install libcapstoneN" 1 \
	'--filter-track-bpf-helpers needs capstone, which pwru could not open \(.*libcapstone\.so\.[0-9]+: .*\): install libcapstone[0-9]+$' \
	unshare -m sh -c 'mount --bind /dev/null "$1" && exec ./pwru --filter-track-bpf-helpers icmp' sh "$cslib"
# a kernel that refuses every BPF program: bpf(2) failing EPERM under a seccomp filter
walk "this kernel can run none of NAMES (...); tracing is not possible here" 1 \
	'this kernel can run none of [a-z, -]+ \(.*tracepoint: the kernel refuses raw tracepoint programs: Operation not permitted\); tracing is not possible here$' \
	build/tests/no-bpf ./pwru icmp
if [ ! -e /sys/bus/event_source/devices/kprobe ]; then
	walk "nothing selected can be traced: this kernel runs only the NAMES backend (...), and no KIND taking an skb matches; pwru --list-funcs shows what can be traced" 1 \
		'nothing selected can be traced: this kernel runs only the tracepoint backend \(kprobe-multi: .*; fentry: .*\), and no tracepoint taking an skb matches; pwru --list-funcs shows what can be traced$' \
		./pwru --filter-func ip_rcv
	walk "--backend B is not usable on this kernel: ..." 1 \
		'--backend kprobe is not usable on this kernel: no kprobe PMU' \
		./pwru --backend kprobe --filter-func ip_rcv
	# nothing selected for it either: the kernel's refusal alone, what another selection
	# would not cure
	walk "--backend B is not usable on this kernel: ..." 1 \
		'--backend kprobe is not usable on this kernel: no kprobe PMU' \
		./pwru --backend kprobe --filter-func 'tp:.*'
	# one line, before anything is loaded: no libbpf line about a failed kprobe above it
	walk "--X needs kprobes, which this kernel lacks (...)" 1 \
		'--filter-non-skb-funcs needs kprobes, which this kernel lacks \(no kprobe PMU at .*\)$' \
		./pwru --filter-non-skb-funcs fib_table_lookup icmp
	walk "--X needs kprobes, which this kernel lacks (...)" 1 \
		'--filter-track-bpf-helpers needs kprobes, which this kernel lacks \(no kprobe PMU at .*\)$' \
		./pwru --filter-track-bpf-helpers --output-bpfmap icmp
else
	walked["--X needs kprobes, which this kernel lacks (...)"]=skip
	walked["nothing selected can be traced: this kernel runs only the NAMES backend (...), and no KIND taking an skb matches; pwru --list-funcs shows what can be traced"]=skip
	n=$((n + 1))
	echo "ok $n # skip this machine can run kprobes: the row is walked where it cannot"
	in_vm "--backend B is not usable on this kernel: ..." 30-bad-input.sh \
		"--backend kprobe-multi is not usable on this kernel: "
fi
in_vm "loading the BPF programs failed: ..." 30-bad-input.sh "loading the BPF programs failed"
in_vm "none of the N matching functions could be traced with B: ..." 30-bad-input.sh \
	"matching functions could be traced with"
in_vm "--filter-trace-tc/--filter-trace-xdp need fentry/fexit on BPF programs: ..." \
	80-tc-programs.sh "need fentry/fexit on BPF programs: "
walk "--check-filter FILE: cannot load BPF programs (...): run as root" 1 \
	"--check-filter $tmp/eth.pcap: cannot load BPF programs \(.*\): run as root$" \
	nobody ./pwru --check-filter "$tmp/eth.pcap" tcp
in_vm "--check-filter FILE: this kernel lacks the bpf_cast_to_kern_ctx kfunc (Linux 6.2 and later), which --check-filter needs" \
	30-bad-input.sh "lacks the bpf_cast_to_kern_ctx kfunc"
elsewhere "--output-skb needs the bpf_snprintf_btf helper (Linux 5.10 and later), which this kernel lacks" \
	tests/unit/test_skb_expr.c "a bpf_func_id without it (a kernel before 5.10)"
# stdout closed: found before anything is loaded (the rest, a disk filling while tracing,
# by tests/local/write-errors.t)
walk "writing OUTPUT: ERROR" 1 'writing stdout: Bad file descriptor$' sh -c './pwru icmp >&-'
walk "writing OUTPUT: ERROR" 1 'writing stdout: No space left on device$' sh -c './pwru --help >/dev/full'
walked_by local "writing OUTPUT: ERROR" tests/local/write-errors.t "No space left on device"
elsewhere "WHAT: ERROR" tests/unit/test_error.c 'err_from_errno(&e, -ENOMEM, "reading %s", "module BTF")'

# --- 0: stopped ---
in_vm "interrupted while attaching; everything detached" 40-signals.sh \
	"pwru: interrupted while attaching; everything detached"
walked_by local "stopped again while writing: N events recorded before the stop were not written" \
	tests/local/write-errors.t "pwru: stopped again while writing: "
walked_by local "OUTPUT took nothing for 5 s after the stop: N events recorded before the stop were not written" \
	tests/local/write-errors.t "pwru: stdout took nothing for 5 s after the stop: "
# Ctrl-C while pwru waits for its --kernel-btf (a FIFO no one writes to): the read the
# signal cut short is not a bad file, pwru stops and says so
interrupt_btf() {
	local fifo=$tmp/btf.fifo pid i
	mkfifo "$fifo"
	./pwru --kernel-btf "$fifo" &
	pid=$!
	for i in $(seq 200); do
		[ "$(cat "/proc/$pid/wchan" 2>/dev/null)" = wait_for_partner ] && break
		sleep 0.05
	done
	kill -INT "$pid"
	wait "$pid"
}
walk "interrupted before attaching; nothing was attached" 0 \
	'interrupted before attaching; nothing was attached$' \
	interrupt_btf

# --- the table and the walk agree ---
declare -A documented
failed_before=$failed
while IFS= read -r key; do
	documented[$key]=1
	[ -n "${walked[$key]:-}" ] || fail "documented row '$key' is walked by a test" \
		"add its case to tests/local/exit-status.t"
done < <(sed -n 's/^| [012] | `\([^`]*\)`.*/\1/p' docs/usage.md)
if [ ${#documented[@]} -lt 30 ]; then
	fail "docs/usage.md's message table read (${#documented[@]} rows)"
fi
for key in "${!walked[@]}"; do
	[ -n "${documented[$key]:-}" ] || fail "walked message '$key' is documented in docs/usage.md"
done
# said only when the comparison above found nothing wrong
[ "$failed" = "$failed_before" ] &&
	pass "every one of the ${#documented[@]} documented rows is walked (${#walked[@]} walks)"
echo "1..$n"
[ $failed = 0 ]
