# Sourced by tests/vm/kernel and tests/vm/sysroot: a private apt state per
# architecture over the machine's own mirrors (bullseye..sid), never touching
# the system's apt configuration. The caller sets CACHE, ARCH and die().
# shellcheck shell=bash

# Names are resolved again after this many minutes: fresh enough to follow
# security updates, rare enough that a warm cache needs no network.
RESOLVE_MAX_AGE_MIN=${PWRU_VM_RESOLVE_MAX_AGE_MIN:-1440}

# APT_SUITES narrows the releases (a sysroot wants bookworm's libraries, not
# sid's); each choice has its own state. amd64 with every suite keeps the
# directories it always had, so existing caches stay warm.
APT_SUITES=${APT_SUITES:-bullseye bookworm trixie sid}
APT_DIR=$CACHE/apt DEBS=$CACHE/debs
if [ "$ARCH" != amd64 ] || [ "$APT_SUITES" != "bullseye bookworm trixie sid" ]; then
	APT_DIR=$CACHE/apt-$ARCH-${APT_SUITES// /-}
	DEBS=$CACHE/debs-$ARCH
fi
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/sources.d" \
	"$APT_DIR/cache/archives/partial" "$DEBS"

# Two runs at once (two engineers, two make targets) must not interleave apt or
# half-extract a tree.
exec 9>"$CACHE/lock"
flock 9

APT_OPTS=(-o "Dir::State::Lists=$APT_DIR/lists"
	-o "Dir::Etc::SourceList=/dev/null"
	-o "Dir::Etc::SourceParts=$APT_DIR/sources.d"
	-o "Dir::Cache=$APT_DIR/cache"
	-o "APT::Architecture=$ARCH"
	-o "APT::Architectures::=$ARCH"
	-o "Acquire::Languages=none"
	-o "APT::Sandbox::User=root"
	-o "Debug::NoLocking=true")

# The mirrors the machine already trusts, so a CI machine behind its own mirror
# keeps using it.
system_uri() {
	local want=$1 uri
	uri=$(awk -v want="$want" '
		/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ want) { print $i; exit } }
	' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	echo "${uri:-http://deb.debian.org/$2}"
}

write_sources() {
	local main sec
	main=$(system_uri '/debian/?$' debian)
	sec=$(system_uri 'debian-security' debian-security)
	local s security=
	for s in $APT_SUITES; do
		[ "$s" = sid ] || security+=" $s-security"
	done
	cat >"$APT_DIR/sources.d/pwru-vm.sources" <<-EOS
		Types: deb
		URIs: $main
		Suites: $APT_SUITES
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb
		URIs: $sec
		Suites:$security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOS
}

is_fresh() {
	[ -e "$1" ] && [ -z "$(find "$1" -mmin +"$RESOLVE_MAX_AGE_MIN" 2>/dev/null)" ]
}

apt_update() {
	local stamp=$APT_DIR/lists/.pwru-updated
	is_fresh "$stamp" && return 0
	write_sources
	echo "tests/vm: updating the $ARCH package lists ($APT_SUITES)" >&2
	if ! apt-get "${APT_OPTS[@]}" -q update >"$APT_DIR/update.log" 2>&1 ||
		grep -qE '^(W|E): Failed to fetch' "$APT_DIR/update.log"; then
		echo "tests/vm: apt-get update failed, see $APT_DIR/update.log" >&2
		return 1
	fi
	touch "$stamp"
}

# Prints the cached .deb of PKG, downloading it first (PKG may be PKG=VERSION).
# A package the mirror lists but cannot serve is remembered for a day, so a warm
# cache does not pay for the same 404s on every boot.
download() {
	local pkg=$1 name=${1%%=*} deb
	for deb in "$DEBS/${name}_"*.deb; do
		[ -e "$deb" ] && echo "$deb" && return 0
	done
	is_fresh "$DEBS/$name.unavailable" && return 1
	echo "tests/vm: downloading $pkg ($ARCH)" >&2
	if ! (cd "$DEBS" && apt-get "${APT_OPTS[@]}" -q download "$pkg" >&2); then
		touch "$DEBS/$name.unavailable"
		return 1
	fi
	for deb in "$DEBS/${name}_"*.deb; do
		[ -e "$deb" ] && echo "$deb" && return 0
	done
	return 1
}
