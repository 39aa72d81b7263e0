// SPDX-License-Identifier: GPL-2.0
/*
 * Packet loads and Linux ancillary loads. In block mode a load inside the first
 * FILTER_PCAP_BUF bytes is a plain load from the scratch copy; in direct mode every
 * captured byte is a plain load from the kernel's own memory; anything else reads the
 * kernel with bpf_probe_read_kernel. Loads outside the captured bytes reject, as in
 * libpcap's interpreter.
 */
#include <stddef.h>
#include <linux/if_packet.h>
#include "bpf/filter_scratch.h"
#include "filters/xlate_emit.h"

int cbpf_bytes(uint16_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W:
		return 4;
	case BPF_H:
		return 2;
	case BPF_B:
		return 1;
	}
	return 0;
}

static uint8_t size_code(int bytes)
{
	return bytes == 4 ? BPF_W : bytes == 2 ? BPF_H : bytes == 1 ? BPF_B : BPF_DW;
}

/* dst = bytes at kernel address R3 (already set), read through the stack; rejects on fault. */
static void emit_probe_read(struct xl *x, uint8_t dst, int bytes)
{
	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_10, 0, 0);
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, READ_SLOT);
	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, bytes);
	xl_emit(x, BPF_JMP | BPF_CALL, 0, 0, 0, PROBE_READ_KERNEL);
	xl_jump_to(x, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 0, T_NOMATCH);
	xl_emit(x, BPF_LDX | BPF_MEM | size_code(bytes), dst, BPF_REG_10, READ_SLOT, 0);
}

/* REG = the kernel address of the packet's first byte the filter sees (emit_entry kept it). */
static void emit_data_ptr(struct xl *x, uint8_t reg)
{
	xl_emit(x, BPF_LDX | BPF_MEM | BPF_DW, reg, BPF_REG_10, DATA_SLOT, 0);
}

/*
 * dst = bytes at kernel address R1 (already set, inside the captured bytes), loaded in
 * place: the cast makes R1 a read-only pointer of the cast type, which the verifier lets
 * a program load from at a constant offset as a fault-guarded load (a fault reads 0), and
 * which it rewrites into a register move. A fresh cast per load, because X varies.
 */
static void emit_direct_load(struct xl *x, uint8_t dst, int bytes)
{
	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, x->cast->type);
	xl_emit(x, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, x->cast->kfunc);
	xl_emit(x, BPF_LDX | BPF_MEM | size_code(bytes), dst, BPF_REG_0, 0, 0);
}

/* dst = bytes at the packet's address in REG plus what was added to it. */
static void emit_kernel_load(struct xl *x, uint8_t dst, int bytes)
{
	if (x->mode == CBPF_XLATE_DIRECT)
		emit_direct_load(x, dst, bytes);
	else
		emit_probe_read(x, dst, bytes);
}

/* The register emit_kernel_load() takes the address in. */
static uint8_t addr_reg(const struct xl *x)
{
	return x->mode == CBPF_XLATE_DIRECT ? BPF_REG_1 : BPF_REG_3;
}

void emit_ntoh(struct xl *x, uint8_t dst, int bytes)
{
	if (bytes > 1)
		xl_emit(x, BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, bytes * 8);
}

/* A load may take bytes up to END from the copy (at most all of it): the glue copies them. */
static void copy_reach(struct xl *x, uint64_t end)
{
	if (end > FILTER_PCAP_BUF)
		end = FILTER_PCAP_BUF;
	if (end > x->copy_len)
		x->copy_len = (uint32_t)end;
}

/* dst = packet bytes [k, k+bytes), big endian; no match when they are not captured. */
void emit_load_abs(struct xl *x, uint8_t dst, int bytes, uint32_t k)
{
	uint64_t end = (uint64_t)k + bytes;

	if (end > INT32_MAX) {
		xl_reject(x);
		return;
	}
	xl_jump_to(x, BPF_JMP | BPF_JLT | BPF_K, RCAP, 0, (int32_t)end, T_NOMATCH);
	if (x->mode == CBPF_XLATE_BLOCK && end <= FILTER_PCAP_BUF) {
		xl_emit(x, BPF_LDX | BPF_MEM | size_code(bytes), dst, RS,
			(int16_t)(offsetof(struct filter_pcap_scratch, buf) + k), 0);
		copy_reach(x, end);
	} else if (x->window && k + 4 <= WINDOW_REACH) {
		/* a fault-guarded load through the window, no cast of its own */
		xl_emit(x, BPF_LDX | BPF_MEM | size_code(bytes), dst, RS, (int16_t)k, 0);
	} else {
		emit_data_ptr(x, addr_reg(x));
		xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, addr_reg(x), 0, 0, (int32_t)k);
		emit_kernel_load(x, dst, bytes);
	}
	emit_ntoh(x, dst, bytes);
}

/* dst = packet bytes [X+k, X+k+bytes), with the sum in 64 bits so it cannot wrap. */
void emit_load_ind(struct xl *x, uint8_t dst, int bytes, uint32_t k)
{
	size_t to_slow = SIZE_MAX, to_done = SIZE_MAX;

	if (k > INT32_MAX) {
		xl_reject(x);
		return;
	}
	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_0, RX, 0, 0);
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_0, 0, 0, (int32_t)k);
	xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_0, 0, 0);
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, bytes);
	xl_jump_to(x, BPF_JMP | BPF_JGT | BPF_X, BPF_REG_1, RCAP, 0, T_NOMATCH);
	if (x->mode == CBPF_XLATE_BLOCK) {
		to_slow =
		    xl_emit(x, BPF_JMP | BPF_JGT | BPF_K, BPF_REG_0, 0, 0, FILTER_PCAP_BUF - bytes);
		xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, RS, 0, 0);
		xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_1, BPF_REG_0, 0, 0);
		xl_emit(x, BPF_LDX | BPF_MEM | size_code(bytes), dst, BPF_REG_1,
			offsetof(struct filter_pcap_scratch, buf), 0);
		to_done = xl_emit(x, BPF_JMP | BPF_JA, 0, 0, 0, 0);
		xl_patch_local(x, to_slow);
		copy_reach(x, (uint64_t)x->x_max + k + bytes);
	}
	emit_data_ptr(x, addr_reg(x));
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_X, addr_reg(x), BPF_REG_0, 0, 0);
	emit_kernel_load(x, dst, bytes);
	if (to_done != SIZE_MAX)
		xl_patch_local(x, to_done);
	emit_ntoh(x, dst, bytes);
}

/* RS is the scratch here: emit_entry() keeps no window for a body with skb reads. */
static void emit_skb_read(struct xl *x, int32_t off, int bytes)
{
	x->reads_meta = true;
	xl_emit(x, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_3, RS,
		offsetof(struct filter_pcap_scratch, skb), 0);
	xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, off);
	emit_probe_read(x, RA, bytes);
}

/*
 * The kernel marks PACKET_OUTGOING only on the clones handed to packet taps; the skb that
 * a tracer sees on transmit stays PACKET_HOST. What says "sent from here" on every path is
 * skb_iif: zero from allocation until a device's receive path (__netif_receive_skb_core)
 * sets it. So A = PACKET_OUTGOING when skb_iif is 0, else pkt_type (forwarded packets were
 * received: inbound).
 */
static void emit_pkt_type(struct xl *x, const struct skb_layout *l)
{
	size_t received, done;

	emit_skb_read(x, l->skb_iif, 4);
	received = xl_emit(x, BPF_JMP | BPF_JNE | BPF_K, RA, 0, 0, 0);
	xl_emit(x, BPF_ALU | BPF_MOV | BPF_K, RA, 0, 0, PACKET_OUTGOING);
	done = xl_emit(x, BPF_JMP | BPF_JA, 0, 0, 0, 0);
	xl_patch_local(x, received);
	emit_skb_read(x, l->pkt_type_byte, 1);
	if (l->pkt_type_shift)
		xl_emit(x, BPF_ALU | BPF_RSH | BPF_K, RA, 0, 0, l->pkt_type_shift);
	xl_emit(x, BPF_ALU | BPF_AND | BPF_K, RA, 0, 0, 7);
	xl_patch_local(x, done);
}

static const char *ancillary_name(uint32_t ad)
{
	static const char *const names[] = {
	    [SKF_AD_PROTOCOL] = "proto",
	    [SKF_AD_PKTTYPE] = "type",
	    [SKF_AD_IFINDEX] = "ifidx",
	    [SKF_AD_NLATTR] = "nla",
	    [SKF_AD_NLATTR_NEST] = "nlan",
	    [SKF_AD_MARK] = "mark",
	    [SKF_AD_QUEUE] = "queue",
	    [SKF_AD_HATYPE] = "hatype",
	    [SKF_AD_RXHASH] = "rxhash",
	    [SKF_AD_CPU] = "cpu",
	    [SKF_AD_ALU_XOR_X] = "xor_x",
	    [SKF_AD_VLAN_TAG] = "vlan_tci",
	    [SKF_AD_VLAN_TAG_PRESENT] = "vlanp",
	    [SKF_AD_PAY_OFFSET] = "poff",
	    [SKF_AD_RANDOM] = "rand",
	    [SKF_AD_VLAN_TPID] = "vlan_tpid",
	};
	const char *s = ad < sizeof(names) / sizeof(names[0]) ? names[ad] : NULL;

	return s ? s : "unknown";
}

/* Linux ancillary loads (libpcap emits type, ifidx): A = the skb's own field. */
int emit_ancillary(struct xl *x, uint32_t ad)
{
	const struct skb_layout *l = x->lay;

	if (!l)
		return xl_fail(x, "ancillary load [%s] needs the kernel's BTF", ancillary_name(ad));
	switch (ad) {
	case SKF_AD_PROTOCOL:
		emit_skb_read(x, l->protocol, 2);
		emit_ntoh(x, RA, 2);
		return 0;
	case SKF_AD_PKTTYPE:
		emit_pkt_type(x, l);
		return 0;
	case SKF_AD_IFINDEX:
		emit_skb_read(x, l->dev, 8);
		xl_jump_to(x, BPF_JMP | BPF_JEQ | BPF_K, RA, 0, 0, T_NOMATCH);
		xl_emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, RA, 0, 0);
		xl_emit(x, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, l->ifindex);
		emit_probe_read(x, RA, 4);
		return 0;
	case SKF_AD_MARK:
		emit_skb_read(x, l->mark, 4);
		return 0;
	}
	return xl_fail(x, "ancillary load [%s] (SKF_AD_OFF+%u) is not supported",
		       ancillary_name(ad), ad);
}
