#!/bin/bash
# The container image (make image): an OCI archive built by buildah from
# scratch. Running it needs a container runtime that works here (podman's crun
# cannot set RLIMIT_NOFILE in this sandbox), so the image is checked by its
# contents, read straight from the OCI layout with jq and tar, and its binary
# is run from the unpacked layer in a chroot that holds nothing else.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
tmp=$(mktemp -d)
trap 'umount -l "$tmp/rootfs/proc" "$tmp/rootfs/sys" 2>/dev/null; rm -rf "$tmp"' EXIT

if [ ! -x pwru.static ]; then
	result 1 "pwru.static is built (make test-build builds it)"
	tap_finish
fi
out=$(contrib/image/build pwru.static "$tmp/pwru.oci.tar" 2>&1)
result $? "contrib/image/build (make image) writes an OCI archive" "$out"
mkdir -p "$tmp/oci" "$tmp/rootfs"
# (a build that said 0 but left no archive would otherwise end the test with nothing failed)
out=$(tar -xf "$tmp/pwru.oci.tar" -C "$tmp/oci" 2>&1) || {
	result 1 "the OCI archive unpacks" "$out"
	tap_finish
}

blob() { echo "$tmp/oci/blobs/${1/://}"; }
manifest=$(blob "$(jq -r '.manifests[0].digest' "$tmp/oci/index.json")")
config=$(blob "$(jq -r '.config.digest' "$manifest")")
version=$(./pwru.static --version | awk '{ print $2 }')

ep=$(jq -c '.config.Entrypoint' "$config")
result "$([ "$ep" = '["/usr/sbin/pwru"]' ] && echo 0 || echo 1)" "entrypoint is /usr/sbin/pwru" "$ep"
labels=$(jq -r '.config.Labels | "\(."org.opencontainers.image.version") \(."org.opencontainers.image.source")"' "$config")
result "$([ "$labels" = "$version https://github.com/cilium/pwru" ] && echo 0 || echo 1)" \
	"labels carry the version ($version) and the source" "$labels"
result "$([ "$(jq -r .architecture "$config")" = amd64 ] && echo 0 || echo 1)" "architecture amd64"

layers=$(jq -r '.layers[].digest' "$manifest")
for l in $layers; do
	tar -xf "$(blob "$l")" -C "$tmp/rootfs"
done
files=$(cd "$tmp/rootfs" && find . -type f | sort | tr '\n' ' ')
result "$([ "$files" = "./etc/protocols ./etc/services ./usr/sbin/pwru " ] && echo 0 || echo 1)" \
	"the image holds pwru, /etc/services and /etc/protocols, nothing else" "$files"
result "$(cmp -s pwru.static "$tmp/rootfs/usr/sbin/pwru" && echo 0 || echo 1)" \
	"its /usr/sbin/pwru is pwru.static"

# What the container sees, minus the runtime: the image's files, /proc, /sys.
mkdir -p "$tmp/rootfs/proc" "$tmp/rootfs/sys" "$tmp/rootfs/p"
mount -t proc proc "$tmp/rootfs/proc" && mount --rbind /sys "$tmp/rootfs/sys"
out=$(chroot "$tmp/rootfs" /usr/sbin/pwru --version 2>&1)
result "$([ "$out" = "pwru $version" ] && echo 0 || echo 1)" "runs alone in the image's root: $out" "$out"
cp ../shared/pcaps/ethernet/tcpdump-RADIUS.pcap "$tmp/rootfs/p/x.pcap" 2>/dev/null
out=$(chroot "$tmp/rootfs" /usr/sbin/pwru --check-filter /p/x.pcap 'udp port radius or port http' 2>&1)
result "$([ $? = 0 ] && echo "$out" | grep -q '^[0-9]* 1$' && echo 0 || echo 1)" \
	"named ports resolve there (/etc/services): 'port radius' matches RADIUS packets" "$(echo "$out" | head -n 5)"
tap_finish
