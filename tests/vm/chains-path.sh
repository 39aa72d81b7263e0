# Run in a VM by tests/vm/chains-diff: a ping and a TCP connection across the veth pair,
# traced with --output-chains=path, the paths printed between two marker lines.
. tests/vm/suite/lib.sh
FUNCS=${CHAINS_FUNCS:-'ip_.*|icmp_.*|tcp_v4_.*|veth_.*|__dev_queue_xmit|netif_.*|.*kfree_skb.*|sk_skb_reason_drop|consume_skb'}

netns_pair || exit 1
pwru_start path --output-chains=path --filter-func "$FUNCS" 'icmp or tcp port 8080' || {
	head -n 5 "$SCRATCH/path.err"
	exit 1
}
$IP netns exec a ping -c 2 -W 3 10.0.1.2 >/dev/null
tcp_exchange
sleep 1
pwru_stop
echo "PATHS-BEGIN $(uname -r)"
cat "$SCRATCH/path.out"
echo "PATHS-END"
