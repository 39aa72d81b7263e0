/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cilium's datapath conventions, decoded for the reader: what skb->mark carries (a magic
 * and an identity, an endpoint, a key), the reserved identities, the drop codes and the
 * source files its drop notifications name, and the drop metadata its programs leave in
 * skb->cb. The tables are data (cilium_tables.c) for one Cilium version; everything here is
 * a pure function of its arguments.
 */
#ifndef PWRU_CILIUM_H
#define PWRU_CILIUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The Cilium release the tables describe, e.g. "1.19.4". */
extern const char cilium_tables_version[];

/* "world" for 2, ...; NULL for an identity that is not reserved. */
const char *cilium_identity_name(uint32_t identity);
/* "DROP_POLICY" for 133, ...; NULL for a code that is not a drop (below 130, unknown). */
const char *cilium_drop_name(uint8_t code);
/* "bpf_lxc.c" for 2, ...; NULL when unknown. */
const char *cilium_file_name(uint8_t id);

/*
 * What skb->mark says in Cilium's layout: "" (the mark carries no Cilium magic), or e.g.
 * "IDENTITY identity=2(world)", "ENCRYPT key=3 node=5", "PROXY_EGRESS_EPID ep=1234".
 * Returns the length written.
 */
size_t cilium_mark_text(uint32_t mark, char *buf, size_t len);
/* cilium_mark_text as one token for a text line: "mark=IDENTITY,identity=2(world)", or "". */
size_t cilium_mark_token(uint32_t mark, char *buf, size_t len);
/* The security identity MARK carries, when its magic is one that carries one. */
bool cilium_mark_identity(uint32_t mark, uint32_t *identity);

/* A drop as Cilium records it: in skb->cb before its drop-notify tail call, or its event. */
struct cilium_drop {
	uint8_t reason; /* 130.. */
	int8_t ext;	/* extended error (an errno, a FIB result), 0 if none */
	uint8_t file;	/* source file id */
	uint16_t line;
	uint32_t src_identity;
	uint32_t dst_identity;
};

/*
 * Reads the five qdisc_skb_cb words (__sk_buff->cb[]) as Cilium's _send_drop_notify leaves
 * them. The words mean other things on other paths, so they are trusted only when the
 * exit code is CTX_ACT_DROP, the source file is known and the reason is a drop code.
 */
bool cilium_drop_from_cb(const uint32_t cb[5], struct cilium_drop *d);

/*
 * Reads a drop notification (struct drop_notify, type 1) of SIZE bytes, as Cilium passes
 * it to bpf_skb_event_output(). False for any other message or a short one.
 */
bool cilium_drop_from_notify(const void *msg, size_t size, struct cilium_drop *d);

/* "DROP_POLICY (133) bpf_lxc.c:1362", with ", ext N" when set. Returns the length. */
size_t cilium_drop_text(const struct cilium_drop *d, char *buf, size_t len);

#endif
