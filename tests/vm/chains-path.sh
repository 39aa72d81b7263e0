# Run in a VM by tests/vm/chains-diff: a ping and an HTTP request across the veth pair,
# traced with --output-chains=path, the paths printed between two marker lines.
. tests/vm/suite/lib.sh
FUNCS=${CHAINS_FUNCS:-'ip_.*|icmp_.*|tcp_v4_.*|veth_.*|__dev_queue_xmit|netif_.*|.*kfree_skb.*|sk_skb_reason_drop|consume_skb'}

netns_pair || exit 1
pwru_start path --output-chains=path --filter-func "$FUNCS" 'icmp or tcp port 8080' || {
	head -n 5 "$SCRATCH/path.err"
	exit 1
}
# The TCP connection closes in one order every run: HTTP/1.0, the server closes after its
# reply and wget reads to the end. (With nc on both sides a segment could reach a socket
# already closed, whichever nc quit first: a reset and a drop, one run in a's direction,
# the next in b's, a difference no kernel made.)
http_get() {
	mkdir -p "$SCRATCH/www"
	echo hello >"$SCRATCH/www/hello"
	$IP netns exec b httpd -f -p 8080 -h "$SCRATCH/www" &
	wait_until listening_8080
	$IP netns exec a wget -q -O /dev/null http://10.0.1.2:8080/hello
	kill $!
	wait $! 2>/dev/null
}

$IP netns exec a ping -c 2 -W 3 10.0.1.2 >/dev/null
http_get
sleep 1
pwru_stop
echo "PATHS-BEGIN $(uname -r)"
cat "$SCRATCH/path.out"
echo "PATHS-END"
