#!/bin/bash
# The command lines Kubernetes runs (contrib/k8s): the DaemonSet container's arguments,
# with $(NODE_NAME) expanded as the kubelet does, and the pod pwru-on-node creates, each
# run by pwru as root in the 6.12 VM against real traffic (tests/vm/k8s-args.sh).
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

# The container's args list of the DaemonSet: the "- item" lines under "args:".
ds_args() {
	awk '/^ *args:/ { on = 1; next } on && /^ *- / { sub(/^ *- /, ""); print; next } on { exit }' \
		contrib/k8s/pwru-daemonset.yaml
}

mapfile -t args < <(ds_args | sed 's/\$(NODE_NAME)/vm-node-1/g')
result "$([ ${#args[@]} -ge 2 ] && [ "${args[0]}" = --output-json ] && echo 0 || echo 1)" \
	"the DaemonSet's arguments are read (${args[*]})"
out=$(tests/vm/run 6.12 -- bash tests/vm/k8s-args.sh vm-node-1 "${args[@]}" 2>&1)
bad=$(echo "$out" | grep -c '^not ok')
good=$(echo "$out" | grep -c '^ok')
result "$([ "$bad" = 0 ] && [ "$good" = 3 ] && echo 0 || echo 1)" \
	"the DaemonSet's command line traces a ping in the VM, JSON naming the node" "$out"

mapfile -t args < <(PWRU_ON_NODE_PRINT=1 contrib/k8s/pwru-on-node worker-7 --output-json \
	--node-name worker-7 'host 10.0.1.7' | jq -r '.spec.containers[0].args[]')
out=$(tests/vm/run 6.12 -- bash tests/vm/k8s-args.sh worker-7 "${args[@]}" 2>&1)
bad=$(echo "$out" | grep -c '^not ok')
good=$(echo "$out" | grep -c '^ok')
result "$([ "$bad" = 0 ] && [ "$good" = 3 ] && echo 0 || echo 1)" \
	"pwru-on-node's pod command line traces the same ping" "$out"
tap_plan
