# The README's first command where this machine's kernel cannot trace functions: `make
# demo` offers the Debian 6.12 VM and runs tests/demo.sh there (PWRU_DEMO_IN_VM=1). That
# run, on the kernel it is made for: the ping traced through the functions the demo names.
. tests/vm/suite/lib.sh

if [ "$(uname -m)" != x86_64 ] || ! uname -r | grep -q '^6\.12\.'; then
	ok "make demo in the VM # SKIP the demo's VM is amd64 6.12, this is $(uname -m) $(uname -r)"
	exit 0
fi
if PWRU_DEMO_IN_VM=1 bash tests/demo.sh >"$SCRATCH/demo.out" 2>&1; then
	ok "tests/demo.sh exits 0"
else
	not_ok "tests/demo.sh exits 0" "$(tail -n 20 "$SCRATCH/demo.out")"
fi
for f in ip_output __dev_queue_xmit veth_xmit ip_rcv icmp_rcv; do
	expect_line "the echo request at $f" "$SCRATCH/demo.out" " $f\$" '10.0.1.1:0->10.0.1.2:0(icmp)'
done
expect_line "and the reply at icmp_rcv" "$SCRATCH/demo.out" ' icmp_rcv$' '10.0.1.2:0->10.0.1.1:0(icmp)'
expect_line "every event printed, none lost" "$SCRATCH/demo.out" '^pwru: [1-9][0-9]* events?, 0 lost$'
# from ip's own listing, which has to succeed: a failing ip lists nothing either
if ! netns=$($IP netns list 2>&1); then
	not_ok "the demo's namespaces are gone" "ip netns list failed: $netns"
elif printf '%s\n' "$netns" | grep -q pwru-demo; then
	not_ok "the demo's namespaces are gone" "$netns"
else
	ok "the demo's namespaces are gone"
fi
check_nothing_attached
