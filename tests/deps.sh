#!/bin/sh
# Installs every Debian package that building, testing and the VM matrix need.
# Safe to run twice: apt-get skips what is already installed.
set -eu
pkgs="make gcc clang llvm pkg-config git libbpf-dev libelf-dev libpcap-dev libdw-dev
libcapstone-dev libzstd-dev zlib1g-dev liblzma-dev libbz2-dev libdbus-1-dev
bpftool libclang-rt-14-dev perl qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu
busybox-static iproute2 nftables kmod
iputils-ping xz-utils zstd cpio debian-archive-keyring dpkg-dev debhelper lintian
buildah jq
elfutils e2fsprogs tshark tcpdump man-db groff-base bsdextrautils zsh"
if [ "$(id -u)" -ne 0 ]; then
	echo "make deps: run as root (it calls apt-get install)" >&2
	exit 1
fi
missing=$(dpkg-query -W -f='${Status} ${Package}\n' $pkgs 2>/dev/null |
	awk '$3 == "installed" { print $4 }' | sort >/tmp/pwru-deps.$$; \
	for p in $pkgs; do grep -qx "$p" /tmp/pwru-deps.$$ || echo "$p"; done; rm -f /tmp/pwru-deps.$$)
# Node.js runs the offline Kubernetes schema check (tests/k8s); a machine that
# already has node and npm (another packaging of them) keeps its own.
command -v node >/dev/null && command -v npm >/dev/null || missing="$missing nodejs npm"
if [ -z "$missing" ]; then
	echo "make deps: all packages present"
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
