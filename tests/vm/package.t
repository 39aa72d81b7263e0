#!/bin/bash
# The Debian package (make deb): built with Debian's tools, clean under lintian,
# installed into a scratch root with dpkg, and the installed /usr/sbin/pwru
# tracing a real ping in the 6.12 VM.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$(./contrib/deb/build "$tmp/deb" 2>&1)
result $? "make deb builds the package" "$out"
deb=$(ls "$tmp"/deb/pwru_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || tap_finish

out=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges')
result "$(echo "$out" | grep -q '^E:' && echo 1 || echo 0)" "lintian reports no errors" "$out"
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# lintian: /'

# capstone is opened with dlopen(), not linked: dh_shlibdeps cannot see it, debian/rules names it
depends=$(dpkg-deb -f "$deb" Depends)
result "$(echo "$depends" | grep -qE '(^|, )libcapstone[0-9]+ \(>= [^)]+\)' && echo 0 || echo 1)" \
	"the package depends on capstone's library package (pwru opens it at run time)" "Depends: $depends"

# A scratch root with an empty dpkg database: the libraries come from the host.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"
out=$(dpkg --root="$root" --force-depends --force-script-chrootless -i "$deb" 2>&1)
result $? "dpkg --root installs it" "$out"
version=$(dpkg-deb -f "$deb" Version)
out=$("$root/usr/sbin/pwru" --version 2>&1)
result "$([ "$out" = "pwru $version" ] && echo 0 || echo 1)" \
	"the installed /usr/sbin/pwru --version says 'pwru $version'" "$out"
missing=
for f in usr/share/doc/pwru/copyright usr/share/doc/pwru/usage.md.gz usr/share/man/man8/pwru.8.gz \
	usr/share/bash-completion/completions/pwru usr/share/zsh/vendor-completions/_pwru; do
	[ -e "$root/$f" ] || missing+=" $f"
done
result "$([ -z "$missing" ] && echo 0 || echo 1)" \
	"docs, the man page and the bash and zsh completions are installed" "missing:$missing"
out=$(man -l "$root/usr/share/man/man8/pwru.8.gz" 2>&1 | col -b | grep -c -- '^ *--[a-z]')
result "$([ "$out" -ge 20 ] && echo 0 || echo 1)" "the installed man page renders, with its options ($out)"

# The installed binary, at its installed path, traces in the VM.
out=$(PWRU_VM_EXTRA="$root/usr/sbin/pwru:/usr/sbin/pwru" tests/vm/run 6.12 -- \
	env PWRU=/usr/sbin/pwru bash tests/vm/suite/20-single-func.sh 2>&1)
status=$?
fails=$(echo "$out" | grep -c '^not ok')
oks=$(echo "$out" | grep -c '^ok')
result "$([ $status = 0 ] && [ "$fails" = 0 ] && [ "$oks" -ge 3 ] && echo 0 || echo 1)" \
	"/usr/sbin/pwru from the package traces a ping in the 6.12 VM ($oks checks)" "$out"
tap_finish
