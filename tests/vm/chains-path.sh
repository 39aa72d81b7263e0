# Run in a VM by tests/vm/chains-diff: a ping and an HTTP request across the veth pair,
# traced with --output-chains=path, the paths printed between two marker lines.
. tests/vm/suite/lib.sh
FUNCS=${CHAINS_FUNCS:-'ip_.*|icmp_.*|tcp_v4_.*|veth_.*|__dev_queue_xmit|netif_.*|.*kfree_skb.*|sk_skb_reason_drop|consume_skb'}

netns_pair || exit 1
pwru_start path --output-chains=path --filter-func "$FUNCS" 'icmp or tcp port 8080' || {
	head -n 5 "$SCRATCH/path.err"
	exit 1
}
# The TCP connection closes in one order every run: an HTTP/1.0 request from nc, which
# reads the reply to the end, to httpd, which closes after it. Closing as each side
# pleased made the paths differ between runs on one kernel, with a socket closed on an
# unread segment in a's direction one run, in b's the next: two nc's (a reset), or wget,
# which stops at Content-Length (SKB_DROP_REASON_QUEUE_PURGE). This one dropped the same
# segment in 8 of 8 runs on 6.12 and 7.
http_get() {
	mkdir -p "$SCRATCH/www"
	echo hello >"$SCRATCH/www/hello"
	$IP netns exec b httpd -f -p 8080 -h "$SCRATCH/www" &
	wait_until listening_8080
	printf 'GET /hello HTTP/1.0\r\n\r\n' | $IP netns exec a nc 10.0.1.2 8080 >/dev/null
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
