#!/bin/bash
# tests/vm/run's exit status, with a stand-in for qemu that prints what the VM's init
# would (the begin marker with the run's nonce, the command's lines, the end marker with
# its status): a command exiting 0 after a 'not ok' line fails the run, so that a loop of
# scenarios does not pass on its last one's status. No VM boots: the kernel is a stub
# bzImage header, the initramfs is built as for a real run.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
if [ ! -x /bin/busybox ] || ! command -v readelf >/dev/null; then
	echo "1..0 # SKIP tests/vm/run needs busybox-static and binutils (make deps)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
# The version tests/vm/run reads from a bzImage: at 0x200 + the 16-bit offset at 0x20e.
head -c 1024 /dev/zero >"$tmp/bzImage"
printf '\000\001' | dd of="$tmp/bzImage" bs=1 seek=526 conv=notrunc 2>/dev/null
printf '6.1.0-stub (test)\000' | dd of="$tmp/bzImage" bs=1 seek=768 conv=notrunc 2>/dev/null
cat >"$tmp/bin/qemu-system-x86_64" <<'EOF'
#!/bin/bash
while [ $# -gt 0 ] && [ "$1" != -initrd ]; do shift; done
# The nonce is 16 hex digits: tests/vm/run's own text, also in the archive (before
# etc/vm.conf when the repo's path sorts before /etc), names the variable with none.
nonce=$(grep -a -o 'VM_NONCE=[0-9a-f]\{16\}' "$2" | head -n1 | cut -d= -f2)
[ -n "${FAKE_NO_BOOT:-}" ] && exit 1
echo "[    0.000000] Linux version 6.1.0-stub"
echo "PWRU-VM-BEGIN $nonce"
printf '%b' "$FAKE_OUTPUT"
echo "PWRU-VM-END $nonce $FAKE_STATUS"
echo "[    1.000000] reboot: Power down"
EOF
chmod +x "$tmp/bin/qemu-system-x86_64"

# vm_run OUTPUT STATUS: tests/vm/run with the stand-in printing OUTPUT and ending with STATUS;
# sets out (stdout), err (stderr) and status.
vm_run() {
	out=$(PATH="$tmp/bin:$PATH" FAKE_NO_BOOT=${FAKE_NO_BOOT:-} FAKE_OUTPUT=$1 FAKE_STATUS=$2 PWRU_VM_KERNEL="$tmp/bzImage" \
		PWRU_VM_ARCH=amd64 tests/vm/run stub -- true 2>"$tmp/err")
	status=$?
	err=$(cat "$tmp/err")
}

vm_run 'ok - one\nnot ok - a check\nnot ok - a known gap # TODO later\n' 0
check "a command exiting 0 after a 'not ok' line fails: status 1" '[ $status = 1 ]' "status $status" "$err"
check "... one line on stderr says why, counting the failure but not the TODO" \
	"[ \"\$err\" = \"tests/vm/run: the command exited 0 but printed 1 'not ok' line(s); exit 1\" ]" "$err"
check "... and the command's output is passed on as it was" \
	"[ \"\$out\" = \"\$(printf 'ok - one\nnot ok - a check\nnot ok - a known gap # TODO later')\" ]" "$out"

vm_run 'ok - one\nnot ok - a known gap # TODO later\n' 0
check "only 'ok' and TODO lines: status 0, nothing on stderr" '[ $status = 0 ] && [ -z "$err" ]' \
	"status $status" "$err"

vm_run 'not ok - a check\n' 3
check "the command's own failing status is kept (3)" '[ $status = 3 ] && [ -z "$err" ]' "status $status" "$err"
FAKE_NO_BOOT=1 vm_run '' 0
check "a VM that never reaches the command: status 125 and one line saying so" \
	'[ $status = 125 ] && [ "$(echo "$err" | grep -c "did not boot to the command (qemu status 1)")" = 1 ]' \
	"status $status" "$err"
tap_plan
