#!/bin/bash
# The man page and the shell completions, made from the flag table at build time
# (src/flags_doc.c): the page renders without a warning, names every flag --help lists,
# and bash's completion offers flags and their values (backends from the table, modules,
# interfaces, namespaces, fixed words), as a person pressing Tab would see them.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
page=build/pwru.8 bashc=build/completions/pwru zshc=build/completions/_pwru
for f in $page $bashc $zshc; do
	if [ ! -s $f ]; then
		result 1 "$f is built (make man completions)"
		tap_plan
		exit 0
	fi
done
flags=$(./pwru --help | sed -n 's/^  \(--[a-z0-9-]*\).*/\1/p')
result "$([ "$(echo "$flags" | wc -l)" -ge 20 ] && echo 0 || echo 1)" "--help lists the flags ($(echo "$flags" | wc -l))"

warn=$(groff -ww -man -Tutf8 $page 2>&1 >/dev/null)
result "$([ -z "$warn" ] && echo 0 || echo 1)" "groff -ww renders pwru.8 without a warning" "$warn"
text=$(MANWIDTH=200 man -l $page 2>/tmp/man.err.$$ | col -b)
result "$([ -n "$text" ] && [ ! -s /tmp/man.err.$$ ] && echo 0 || echo 1)" "man -l renders it" "$(cat /tmp/man.err.$$)"
rm -f /tmp/man.err.$$
missing=
for f in $flags; do
	echo "$text" | grep -q -- "^ *$f\b" || missing+=" $f"
done
result "$([ -z "$missing" ] && echo 0 || echo 1)" "every flag of --help has its entry in OPTIONS" "missing:$missing"
missing=
for s in NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT BACKENDS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	echo "$text" | grep -qx "$s" || missing+=" $s"
done
result "$([ -z "$missing" ] && echo 0 || echo 1)" "the page has its sections" "missing:$missing"
# ./pwru and the page from two makes (make pwru after a commit, the page from before) differ
# without a fault: both are made again by one make first, and then they must agree.
version=$(./pwru --version | awk '{ print $2 }')
footer=$(echo "$text" | tail -n 3)
if ! echo "$footer" | grep -q "pwru $version"; then
	echo "# ./pwru says $version, the page's footer $(echo "$footer" | awk 'NF { l = $1 " " $2 } END { print l }'): make pwru man"
	make -s pwru man >/dev/null 2>&1 || echo "# make pwru man failed"
	version=$(./pwru --version | awk '{ print $2 }')
	footer=$(MANWIDTH=200 man -l $page 2>/dev/null | col -b | tail -n 3)
fi
result "$(echo "$footer" | grep -q "pwru $version" && echo 0 || echo 1)" "the footer carries the version ($version)" \
	"footer: $footer"
# Both come from one look at the version in a make: a HEAD that moves during the build (a
# commit, a rebase) must not give them different ones. A git answering each describe with
# a new version stands for that HEAD; make -n shows what each command would be given.
fake=$(mktemp -d)
printf '#!/bin/sh\nn=$(($(cat "$0.n" 2>/dev/null || echo 0) + 1)); echo $n >"$0.n"; echo "v$n"\n' >"$fake/git"
chmod +x "$fake/git"
got=$(PATH="$fake:$PATH" make -n -B build/obj/src/main.o build/pwru.8 2>&1 |
	grep -oE "PWRU_VERSION='\"[^\"]*\"'|pwru\.8\.in [^ ]*" | sed -E "s/.*[\"' ]v/v/; s/[\"']+\$//" | sort -u)
rm -rf "$fake"
result "$([ "$got" = v1 ] && echo 0 || echo 1)" \
	"make looks up the version once: pwru and the page get the same one while HEAD moves" \
	"versions given: $(echo $got)"

# What bash offers for the words of a command line; the last word is the one completed.
offer() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pwru; [ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
		_ $bashc "$@" | sort | tr '\n' ' '
}
result "$(bash -c ". $bashc; complete -p pwru" | grep -q -- '-F _pwru pwru' && echo 0 || echo 1)" \
	"sourcing the bash completion registers it for pwru"
got=$(offer pwru --output-j)
result "$([ "$got" = "--output-json " ] && echo 0 || echo 1)" "flags: --output-j completes to --output-json" "$got"
got=$(offer pwru --filter-t)
missing=
for f in $(echo "$flags" | grep -- '^--filter-t'); do
	echo " $got" | grep -q -- " $f " || missing+=" $f"
done
result "$([ -z "$missing" ] && echo 0 || echo 1)" "flags: --filter-t offers every --filter-t* flag ($got)" "missing:$missing"
backends=$(./pwru --help | sed -n 's/.*--backend NAME *attach with \(.*\) (default.*/\1/p' | tr -d ',' | tr ' ' '\n' | sort | tr '\n' ' ')
got=$(offer pwru --backend '')
result "$([ -n "$backends" ] && [ "$got" = "$backends" ] && echo 0 || echo 1)" \
	"--backend offers the backends --help names ($backends)" "got: $got"
got=$(offer pwru --backend = kp)
result "$(echo "$got" | grep -q '^kprobe kprobe-multi $' && echo 0 || echo 1)" "--backend=kp offers kprobe, kprobe-multi" "$got"
got=$(offer pwru --timestamp r)
result "$([ "$got" = "relative " ] && echo 0 || echo 1)" "--timestamp r completes to relative" "$got"
got=$(offer pwru --filter-ifname l)
result "$(echo "$got" | grep -qw lo && echo 0 || echo 1)" "--filter-ifname offers interfaces (lo)" "$got"
got=$(offer pwru --output-chains '')
result "$([ -z "$got" ] && echo 0 || echo 1)" "--output-chains takes no next word as its value" "$got"
got=$(offer pwru --output-chains --output-j)
result "$([ "$got" = "--output-json " ] && echo 0 || echo 1)" \
	"after --output-chains the next flag completes (--output-j to --output-json)" "$got"
got=$(offer pwru --output-chains =)
result "$([ "$got" = "path " ] && echo 0 || echo 1)" "--output-chains= offers path" "$got"
got=$(offer pwru --output-pcap tests/local/ma)
result "$(echo "$got" | grep -q 'tests/local/man.t' && echo 0 || echo 1)" "--output-pcap completes file names" "$got"
# Modules and namespaces come from the system: a private mount namespace shows made-up ones.
if /bin/ip netns add pwru-man-t 2>/dev/null; then
	got=$(offer pwru --filter-netns /run/netns/pwru-m)
	/bin/ip netns del pwru-man-t
	result "$([ "$got" = "/run/netns/pwru-man-t " ] && echo 0 || echo 1)" "--filter-netns offers /run/netns names" "$got"
fi
# (this kernel may have no /proc/modules at all: a tmpfs stands for /proc there)
got=$(unshare -m bash -c "mount -t tmpfs pwru-man-t /proc &&
	printf 'veth 1 0 - Live 0x0\nbridge 2 0 - Live 0x0\nvxlan 3 0 - Live 0x0\n' >/proc/modules &&
	. $bashc && COMP_WORDS=(pwru --kmods veth,b) COMP_CWORD=2 && _pwru && echo \${COMPREPLY[*]}")
result "$([ "$got" = "veth,bridge" ] && echo 0 || echo 1)" "--kmods completes the last of a comma list from loaded modules" "$got"

result "$(zsh -n $zshc 2>&1 && echo 0 || echo 1)" "the zsh completion parses (zsh -n)"
missing=
for f in $flags; do
	grep -q -- "'$f[=\[]" $zshc || missing+=" $f"
done
result "$([ -z "$missing" ] && echo 0 || echo 1)" "the zsh completion has every flag" "missing:$missing"
tap_plan
