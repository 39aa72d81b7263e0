#!/bin/bash
# The in-VM runner (tests/vm/suite/run) on this machine, over stand-in scenarios in a
# scratch tree: PWRU_VM_SCENARIOS picks a subset and says so, a name that is no
# scenario fails before anything runs, and an overdue scenario is stopped by its limit.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tests/vm/suite"
cp tests/vm/suite/run "$tmp/tests/vm/suite/run"
cat >"$tmp/tests/vm/suite/10-pass.sh" <<'EOF'
echo "ok - 10-pass: passes"
EOF
cat >"$tmp/tests/vm/suite/20-slow.sh" <<'EOF'
sleep 60
echo "ok - 20-slow: woke up"
EOF
cat >"$tmp/tests/vm/suite/30-fail.sh" <<'EOF'
echo "not ok - 30-fail: fails"
EOF
# Helpers the scenarios source are not scenarios.
echo : >"$tmp/tests/vm/suite/lib.sh"

# suite NAMES: the runner's output with PWRU_VM_SCENARIOS=NAMES; status in $status. The
# kernel's RCU setting is left as it is (PWRU_VM_RCU_NORMAL).
suite() {
	out=$(env PWRU_VM_SCENARIOS="$1" PWRU_VM_RCU_NORMAL=1 PWRU_VM_SCENARIO_TIMEOUT="${2:-180}" \
		PWRU_VM_EXPECT_BACKEND= bash "$tmp/tests/vm/suite/run" 2>&1)
	status=$?
}

suite "10-pass 99-typo lib"
check "a name that is no scenario fails the run, naming it (and lib, a helper)" \
	'[ $status != 0 ] && echo "$out" | grep -q "^not ok - PWRU_VM_SCENARIOS names what is no scenario: 99-typo lib "' "$out"
check "... before any scenario ran, with a plan of that one failure" \
	'! echo "$out" | grep -q "^# scenario" && [ "$(echo "$out" | tail -n1)" = 1..1 ]' "$out"

suite "30-fail
10-pass"
check "a subset runs only the scenarios named, in name order" \
	'[ "$(echo "$out" | sed -n "s/^# scenario \([^ ]*\) .*/\1/p" | tr "\n" " ")" = "10-pass 30-fail " ]' "$out"
check "... and says which, in a TAP comment" \
	'echo "$out" | grep -qx "# subset: 30-fail 10-pass (2 of 3 scenarios; PWRU_VM_SCENARIOS=all runs every one)"' "$out"
check "... passing on their TAP lines and the plan" \
	'echo "$out" | grep -qx "ok - 10-pass: passes" && echo "$out" | grep -qx "not ok - 30-fail: fails" &&
	[ "$(echo "$out" | tail -n1)" = 1..2 ]' "$out"

t0=$(date +%s)
suite all 2
t1=$(date +%s)
check "PWRU_VM_SCENARIOS=all runs every scenario, with no subset line" \
	'[ "$(echo "$out" | grep -c "^# scenario")" = 3 ] && ! echo "$out" | grep -q "^# subset"' "$out"
check "a scenario over PWRU_VM_SCENARIO_TIMEOUT is stopped and fails, the run goes on" \
	'echo "$out" | grep -qx "not ok - 20-slow: timed out after 2s" && ! echo "$out" | grep -q woke &&
	echo "$out" | grep -qx "not ok - 30-fail: fails"' "$out"
check "... after about that many seconds ($((t1 - t0)) s for the run)" '[ $((t1 - t0)) -lt 10 ]'
tap_plan
