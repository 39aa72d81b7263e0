#!/bin/bash
# contrib/k8s: the DaemonSet and the pod that pwru-on-node creates, checked
# against the Kubernetes API schema offline (tests/k8s/validate.mjs: there is
# no cluster here, and kubectl validates only against a server), and
# pwru-on-node's life cycle (apply, stream, delete on exit and on Ctrl-C)
# driven through a stand-in kubectl that records what it is asked.
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The checker's packages, pinned by tests/k8s/package-lock.json (npm registry).
if [ ! -x tests/k8s/node_modules/.bin/tsc ] || [ tests/k8s/package-lock.json -nt tests/k8s/node_modules ]; then
	out=$(cd tests/k8s && npm ci --no-audit --no-fund 2>&1)
	result $? "npm ci installs the schema checker (tests/k8s)" "$out"
fi

PWRU_ON_NODE_PRINT=1 contrib/k8s/pwru-on-node worker-1 --output-json --filter-func 'ip_.*' 'host 10.0.1.7' \
	>"$tmp/pod.json"
out=$(node tests/k8s/validate.mjs contrib/k8s/pwru-daemonset.yaml "$tmp/pod.json" 2>&1)
result $? "the DaemonSet and pwru-on-node's pod match the Kubernetes API (schema and field names)" "$out"

# The checker itself must fail on a misspelt field and on a wrong type.
sed 's/readOnly: true/readonly: true/' contrib/k8s/pwru-daemonset.yaml >"$tmp/bad1.yaml"
sed 's/privileged: true/privileged: "yes"/' contrib/k8s/pwru-daemonset.yaml >"$tmp/bad2.yaml"
bad=0
for f in "$tmp/bad1.yaml" "$tmp/bad2.yaml"; do
	node tests/k8s/validate.mjs "$f" >/dev/null 2>&1 || bad=$((bad + 1))
done
result "$([ $bad = 2 ] && echo 0 || echo 1)" "the check rejects a misspelt field (readonly) and a wrong type" "rejected $bad of 2"

args=$(jq -c '.spec.containers[0].args' "$tmp/pod.json")
result "$([ "$args" = '["--output-json","--filter-func","ip_.*","host 10.0.1.7"]' ] && echo 0 || echo 1)" \
	"pwru's arguments reach the container verbatim" "$args"
pod=$(jq -c '[.spec.nodeName, .spec.hostNetwork, .spec.hostPID, .spec.containers[0].securityContext.privileged]' "$tmp/pod.json")
result "$([ "$pod" = '["worker-1",true,true,true]' ] && echo 0 || echo 1)" \
	"the pod is pinned to the node, privileged, in the host's network and PID namespaces" "$pod"

# A stand-in kubectl: records each call, streams two lines for `logs -f` and
# then waits (as pwru would) until it is killed, or ends at once with
# STUB_LOGS_EXIT set.
cat >"$tmp/kubectl" <<'STUB'
#!/bin/bash
echo "$*" >>"$STUB_DIR/calls"
case " $* " in
*" apply "*) cat >"$STUB_DIR/applied" ;;
*" logs "*)
	echo "SKB CPU PROCESS FUNC"
	echo "0xffff 0 ping:1 ip_rcv"
	[ -n "${STUB_LOGS_EXIT:-}" ] && exit 0
	exec sleep 30
	;;
*" get "*) echo 0 ;;
esac
exit 0
STUB
chmod +x "$tmp/kubectl"
export STUB_DIR=$tmp KUBECTL=$tmp/kubectl

out=$(STUB_LOGS_EXIT=1 contrib/k8s/pwru-on-node -n tools worker-2 icmp 2>&1)
status=$?
calls=$(cat "$tmp/calls")
result "$([ $status = 0 ] && echo "$out" | grep -q 'ip_rcv' && echo "$calls" | grep -q '^apply -f -' &&
	echo "$calls" | grep -q '^-n tools logs -f pod/pwru-worker-2-' &&
	echo "$calls" | tail -n1 | grep -q '^-n tools delete pod pwru-worker-2-' && echo 0 || echo 1)" \
	"pwru-on-node applies the pod, streams its output, deletes it when pwru exits" "status $status; $out; calls: $calls"

: >"$tmp/calls"
# Job control: its own process group. SIGINT as from a terminal: a shell started in the
# background (a CI runner's `cmd &`) ignores it, and bash can neither trap nor reset a
# signal ignored when it started, so env resets it for the script under test.
set -m
env --default-signal=INT contrib/k8s/pwru-on-node worker-3 icmp >"$tmp/out" 2>&1 &
pid=$!
set +m
for _ in $(seq 50); do grep -q ip_rcv "$tmp/out" 2>/dev/null && break; sleep 0.1; done
kill -INT -- -$pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
wait $pid
status=$?
result "$([ $status = 130 ] && tail -n1 "$tmp/calls" | grep -q '^-n default delete pod pwru-worker-3-' && echo 0 || echo 1)" \
	"on Ctrl-C it deletes the pod and exits 130" "status $status; calls: $(cat "$tmp/calls")"
tap_plan
