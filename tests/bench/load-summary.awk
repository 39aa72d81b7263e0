# tests/bench/load-vm's summary of each round's bpf_timeline lines (TLn T|M ...): the load
# phase (from the loader's memfd to the first link) by kind of call, and the userspace
# time between calls, with the gaps over 2 ms named by the call they precede. Sort with
# sort -k2,2n -k3,3nr.
function field(s, key,    m) {
	if (match(s, key " [^ |]*")) return substr(s, RSTART + length(key) + 1, RLENGTH - length(key) - 1)
	return ""
}
/^TL[0-9]+ M / { r = substr($1, 3); start[r] = $3; last[r] = $3; rounds[r] = 1; next }
/^TL[0-9]+ T / {
	r = substr($1, 3)
	if (!(r in start) || (r in end)) next
	g = $3 - last[r]
	gap[r] += g
	if ($5 == "LINK_CREATE") { end[r] = $3; next }
	last[r] = $3 + $4
	what = $5
	if ($5 == "PROG_LOAD")
		what = field($0, "insns") + 0 > 50 ? "PROG_LOAD " field($0, "name") " (" field($0, "verified") " insns verified)" : "PROG_LOAD, 50 instructions or fewer"
	else if ($5 == "MAP_CREATE")
		what = "MAP_CREATE " field($0, "name")
	else if ($5 != "BTF_LOAD")
		what = "other calls"
	cost[r, what] += $4
	name = field($0, "name")
	if (g > 2) cost[r, "userspace before " $5 " " (name == "" ? "(unnamed: a libbpf feature probe)" : name)] += g
}
END {
	for (r in rounds) {
		printf "round %s %9.1f ms  load phase (guest time), from the loader's memfd to the first link\n", r, end[r] - start[r]
		printf "round %s %9.1f ms  userspace between the calls\n", r, gap[r]
		for (k in cost) {
			split(k, p, SUBSEP)
			if (p[1] == r && cost[k] >= 0.5) printf "round %s %9.1f ms    %s\n", r, cost[k], p[2]
		}
	}
}
