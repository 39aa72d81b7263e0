// SPDX-License-Identifier: GPL-2.0
/* Cilium's mark layout, drop metadata in skb->cb and drop notifications, decoded. */
#include <string.h>
#include "src/output/cilium.h"
#include "tap.h"

static const char *mark(uint32_t m)
{
	static char buf[96];

	cilium_mark_text(m, buf, sizeof(buf));
	return buf;
}

static void test_marks(void)
{
	/* set_identity_mark(world = 2): identity[15:0] in the upper half, magic 0x0F00. */
	is_str(mark(0x00020F00), "IDENTITY identity=2(world)", "identity mark, reserved name");
	/* identity 0x012345: low 16 bits up, bits 16..23 in the low byte */
	is_str(mark(0x23450F01), "IDENTITY identity=74565", "24-bit identity, cluster byte");
	is_str(mark(0x00010A00), "PROXY_INGRESS identity=1(host)",
	       "proxy ingress carries identity");
	is_str(mark(0x04D20900), "PROXY_EGRESS_EPID ep=1234", "proxy egress endpoint id");
	is_str(mark(0x00053E00), "ENCRYPT key=3 node=5", "IPsec key and node id");
	is_str(mark(0x00000C00), "HOST", "host magic");
	is_str(mark(0x00000207), "TO_PROXY cluster=7", "cluster id in the low byte");
	is_str(mark(0x00001E00), "WG_ENCRYPTED", "0xFF00 magics win over the nibble");
	is_str(mark(0x00000000), "", "mark 0: nothing to say");
	is_str(mark(0x00004000), "", "kube-proxy's masquerade bit alone is not a Cilium magic");
	is_str(mark(0x00000600), "", "unused nibble 6");
	{
		char small[8];
		size_t n = cilium_mark_text(0x00020F00, small, sizeof(small));

		is_int(n, 7, "truncated to the buffer");
		is_str(small, "IDENTIT", "truncated text stays terminated");
	}
}

static void test_tables(void)
{
	is_str(cilium_drop_name(133), "DROP_POLICY", "133 is DROP_POLICY");
	is_str(cilium_drop_name(206), "DROP_NO_DEVICE", "206, the newest code");
	ok(!cilium_drop_name(0) && !cilium_drop_name(129), "codes below 130 are not drops");
	ok(!cilium_drop_name(207), "an unknown code has no name");
	is_str(cilium_file_name(2), "bpf_lxc.c", "file 2");
	is_str(cilium_file_name(101), "drop.h", "file 101");
	ok(!cilium_file_name(0), "file 0 is unknown");
	is_str(cilium_identity_name(7), "kube-apiserver", "identity 7");
	ok(!cilium_identity_name(100), "identity 100 is not reserved");
	ok(cilium_tables_version[0] >= '1', "the tables name their Cilium version (%s)",
	   cilium_tables_version);
}

static void test_cb(void)
{
	/* What bpf_lxc's egress policy drop leaves, read at sk_skb_reason_drop in the 6.12 VM. */
	const uint32_t cb[5] = {0xfffff, 2, 0x85, 0, 0x05520202};
	uint32_t other[5] = {0xfffff, 2, 0x85, 0, 0x05520200};
	struct cilium_drop d;
	char text[96];

	ok(cilium_drop_from_cb(cb, &d), "bpf_lxc's policy drop is read from cb");
	is_int(d.reason, 133, "reason");
	is_int(d.file, 2, "file");
	is_int(d.line, 1362, "line");
	is_int(d.src_identity, 0xfffff, "source identity");
	is_int(d.dst_identity, 2, "destination identity");
	is_int(d.ext, 0, "no extended error");
	cilium_drop_text(&d, text, sizeof(text));
	is_str(text, "DROP_POLICY (133) bpf_lxc.c:1362", "drop text");
	other[4] = 0x05520202;
	other[2] = 133 | (uint32_t)(uint8_t)-22 << 8;
	ok(cilium_drop_from_cb(other, &d) && d.reason == 133 && d.ext == -22,
	   "the wire form: reason in the low byte, extended error above");
	cilium_drop_text(&d, text, sizeof(text));
	is_str(text, "DROP_POLICY (133) bpf_lxc.c:1362, ext -22", "drop text with ext");
	other[2] = 0xffffff7b;
	ok(!cilium_drop_from_cb(other, &d), "the datapath's negative -133 is not the stored form");
	other[4] = 0x05520200;
	other[2] = 0x85;
	ok(!cilium_drop_from_cb(other, &d), "not trusted unless the exit code is CTX_ACT_DROP");
	other[4] = 0x05526302;
	ok(!cilium_drop_from_cb(other, &d), "not trusted for an unknown file id");
	other[4] = 0x05520202;
	other[2] = 0x7f;
	ok(!cilium_drop_from_cb(other, &d), "not trusted for a reason below 130");
}

static void test_notify(void)
{
	uint8_t msg[36 + 16] = {1, 133};
	uint32_t v;
	uint16_t line = 1362;
	struct cilium_drop d;

	v = 0xfffff;
	memcpy(msg + 16, &v, 4);
	v = 2;
	memcpy(msg + 20, &v, 4);
	memcpy(msg + 28, &line, 2);
	msg[30] = 2;
	msg[31] = 0;
	ok(cilium_drop_from_notify(msg, sizeof(msg), &d), "a drop notification decodes");
	ok(d.reason == 133 && d.file == 2 && d.line == 1362 && d.src_identity == 0xfffff &&
	       d.dst_identity == 2 && d.ext == 0,
	   "its fields");
	ok(!cilium_drop_from_notify(msg, 35, &d), "a short message is refused");
	msg[0] = 4;
	ok(!cilium_drop_from_notify(msg, sizeof(msg), &d), "a trace notification is not a drop");
}

int main(void)
{
	test_marks();
	test_tables();
	test_cb();
	test_notify();
	return tap_done();
}
