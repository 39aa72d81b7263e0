// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "src/output/record.h"
#include "src/output/verdict.h"

static int take_section(struct pwru_record *r, const struct pwru_section *s, const uint8_t *p)
{
	switch (s->kind) {
	case PWRU_SEC_PACKET:
		if (s->len < sizeof(*r->pkt))
			return -1;
		r->pkt = (const void *)p;
		if (r->pkt->cap_len > s->len - sizeof(*r->pkt))
			return -1;
		r->pkt_data = p + sizeof(*r->pkt);
		break;
	case PWRU_SEC_STACK:
		/* 8-aligned like every section: the frames are read in place */
		r->stack = (const void *)p;
		r->nstack = s->len / sizeof(uint64_t);
		break;
	case PWRU_SEC_CALLER:
		if (s->len < sizeof(uint64_t))
			return -1;
		memcpy(&r->caller, p, sizeof(uint64_t));
		r->has_caller = true;
		break;
	case PWRU_SEC_RETVAL:
		if (s->len < sizeof(uint64_t))
			return -1;
		memcpy(&r->retval, p, sizeof(uint64_t));
		r->has_retval = true;
		break;
	case PWRU_SEC_TUNNEL:
		if (s->len < sizeof(struct pwru_tuple))
			return -1;
		r->tunnel = (const void *)p;
		break;
	case PWRU_SEC_XDP_METADATA:
		if (s->len < PWRU_METADATA_LEN)
			return -1;
		r->xdp_metadata = (const void *)p;
		break;
	case PWRU_SEC_METADATA:
		if (s->len < PWRU_METADATA_LEN)
			return -1;
		r->metadata = (const void *)p;
		break;
	case PWRU_SEC_SKB_DUMP:
	case PWRU_SEC_SHINFO:
		/* the BPF side writes a NUL within the section; a record is not trusted to */
		if (!s->len || !memchr(p, '\0', s->len))
			return -1;
		*(s->kind == PWRU_SEC_SKB_DUMP ? &r->skb_dump : &r->shinfo_dump) = (const char *)p;
		break;
	case PWRU_SEC_CB:
		if (s->len < 5 * sizeof(uint32_t))
			return -1;
		r->cb = (const void *)p;
		break;
	case PWRU_SEC_REDIRECT:
		if (s->len < sizeof(struct pwru_redirect))
			return -1;
		r->redirect = (const void *)p;
		break;
	case PWRU_SEC_NOTIFY:
		r->notify = p;
		r->notify_len = s->len;
		break;
	case PWRU_SEC_NFT:
		if (s->len >= sizeof(*r->nft))
			r->nft = (const void *)p;
		break;
	case PWRU_SEC_BPFMAP:
		if (s->len < sizeof(*r->bpfmap))
			return -1;
		r->bpfmap = (const void *)p;
		break;
	default: /* a newer producer's section: skipped */
		break;
	}
	return 0;
}

int record_decode(const void *data, size_t size, struct pwru_record *r)
{
	const uint8_t *base = data;
	size_t off = sizeof(struct pwru_event), end, zero;

	/*
	 * frames[] is read only up to nframes: not zeroed. The rest goes through libc's memset:
	 * for a size it knows the compiler inlines "rep stos", which starts slowly (6 ns a
	 * record of the consumer's 50 here). The empty asm hides the size.
	 */
	zero = offsetof(struct pwru_record, frames);
	__asm__("" : "+r"(zero));
	memset(r, 0, zero);
	if (size < sizeof(struct pwru_event))
		return -1;
	r->ev = data;
	end = r->ev->size;
	if (end < off || end > size)
		return -1;
	r->size = end;
	while (off + sizeof(struct pwru_section) <= end) {
		const struct pwru_section *s = (const void *)(base + off);

		off += sizeof(*s);
		if (s->len > end - off || take_section(r, s, base + off))
			return -1;
		off += PWRU_ALIGN8((size_t)s->len);
	}
	return 0;
}

struct func_ref record_func_ref(const struct pwru_record *r)
{
	return (struct func_ref){.func = r->func,
				 .reason = r->reason,
				 .addr = r->ev->addr,
				 .reason_value = r->reason_value,
				 .is_drop = r->is_drop,
				 .skb_point = r->skb_point,
				 .note = r->note};
}

size_t record_func_text(const struct pwru_record *r, char *buf, size_t len)
{
	struct func_ref f = record_func_ref(r);

	return func_ref_text(&f, buf, len);
}

static size_t clamp(int n, size_t len)
{
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

/* " TC_ACT_REDIRECT -> ifindex 4 ingress", " DROP_POLICY (133) bpf_lxc.c:1362" */
static size_t note_text(const struct func_note *nt, char *buf, size_t len)
{
	size_t n = 0;

	if (nt->has_nf && len > 1) {
		buf[n++] = ' ';
		n += verdict_nf_text(nt->ret, nt->nf_pf, nt->nf_hook, buf + n, len - n);
	}
	if (nt->nft_chain && len > 1) {
		n += clamp(snprintf(buf + n, len - n, " %s ", nt->nft_chain), len - n);
		n += verdict_nft_text((uint32_t)nt->ret, buf + n, len - n);
	}
	if (nt->exit && nt->verdict)
		n += clamp(snprintf(buf, len, " %s", nt->verdict), len);
	else if (nt->exit)
		n += clamp(snprintf(buf, len, " ret %" PRId32, nt->ret), len);
	if (nt->has_redirect && nt->redirect.map_id)
		n += clamp(snprintf(buf + n, len - n, " -> map %u key %u", nt->redirect.map_id,
				    nt->redirect.ifindex),
			   len - n);
	else if (nt->has_redirect)
		n += clamp(snprintf(buf + n, len - n, " -> ifindex %u%s%s%s", nt->redirect.ifindex,
				    nt->redirect.flags & 1 ? " ingress" : "",
				    nt->redirect.flags & 2 ? " neigh" : "",
				    nt->redirect.flags & 4 ? " peer" : ""),
			   len - n);
	if (nt->has_drop && n + 1 < len) {
		buf[n++] = ' ';
		n += cilium_drop_text(&nt->drop, buf + n, len - n);
	}
	return n;
}

size_t func_ref_text(const struct func_ref *r, char *buf, size_t len)
{
	size_t n;

	if (!r->func)
		n = clamp(snprintf(buf, len, "0x%" PRIx64, r->addr), len);
	else if (r->reason)
		n = clamp(snprintf(buf, len, "%s(%s)", r->func, r->reason), len);
	else if (r->is_drop)
		n = clamp(snprintf(buf, len, "%s (%" PRIu64 ")", r->func, r->reason_value), len);
	else
		n = clamp(snprintf(buf, len, "%s", r->func), len);
	return n + note_text(&r->note, buf + n, len - n);
}

void record_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

size_t record_process_text(const struct pwru_record *r, char *buf, size_t len)
{
	char comm[PWRU_COMMSIZ + 1];
	const char *exe = r->exe;
	int n;

	if (!exe) {
		/* No executable (kernel thread, idle, exited): the kernel's task name. */
		memcpy(comm, r->ev->comm, PWRU_COMMSIZ);
		comm[PWRU_COMMSIZ] = '\0';
		exe = comm[0] ? comm : "<empty>";
	}
	n = snprintf(buf, len, "%s:%u", exe, r->ev->pid);
	if (n < 0)
		return 0;
	record_printable(buf);
	return (size_t)n < len ? (size_t)n : len - 1;
}

size_t tcp_flags_text(uint8_t flags, char *buf, size_t len)
{
	static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 8; i++) {
		if (!(flags & (1u << i)))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "", names[i]);
		if (n >= len)
			return len - 1;
	}
	return n;
}

size_t wall_clock_text(uint64_t wall_ns, char *buf, size_t len)
{
	time_t secs = (time_t)(wall_ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!localtime_r(&secs, &tm) || !(n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)))
		return 0;
	n += (size_t)snprintf(buf + n, len - n, ".%03u", (unsigned)(wall_ns / 1000000u % 1000u));
	return n < len ? n : len - 1;
}
