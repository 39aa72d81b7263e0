/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One event as every sink sees it: the decoded record (bpf/event.h) with its optional
 * sections found, plus what enrichment added (function name, drop reason, process).
 */
#ifndef PWRU_RECORD_H
#define PWRU_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "src/output/cilium.h"

/*
 * What a tc or XDP program's events add to FUNC: at its exit, its result by name (and where
 * a redirect goes); Cilium's drop reason, from cb at the exit or from a drop notification.
 */
struct func_note {
	bool exit;	     /* a program's exit: ret is its result */
	const char *verdict; /* ret by name; NULL when the value has none */
	int32_t ret;
	bool has_redirect;
	struct pwru_redirect redirect;
	bool has_drop;
	struct cilium_drop drop;
	bool has_nf; /* nf_hook_slow's exit: ret is netfilter's verdict at hook nf_hook of nf_pf */
	uint8_t nf_pf, nf_hook;
	const char *nft_chain; /* nft_do_chain's exit: "inet/filter/input", ret its verdict */
};

struct sym_frame;

struct pwru_record {
	const struct pwru_event *ev;
	size_t size;
	/* sections: NULL / false when the record has none */
	const struct pwru_packet *pkt;
	const uint8_t *pkt_data; /* pkt->cap_len bytes */
	const uint32_t *cb;	 /* 5 values */
	const struct pwru_tuple *tunnel;
	const uint64_t *metadata;     /* PWRU_METADATA_N values */
	const uint64_t *xdp_metadata; /* the same, of an XDP event */
	const char *skb_dump;	      /* NUL-terminated; NULL when none */
	const char *shinfo_dump;
	const struct pwru_redirect *redirect;
	const uint8_t *notify; /* notify_len bytes of a bpf_skb_event_output() message */
	size_t notify_len;
	const struct pwru_nft *nft;
	const struct pwru_bpfmap *bpfmap; /* --output-bpfmap */
	const uint64_t *stack;		  /* kernel return addresses, innermost first */
	size_t nstack;
	bool has_caller;
	uint64_t caller; /* return address into the traced function's caller */
	bool has_retval;
	uint64_t retval;
	/* enrichment */
	const char *func;   /* function name; NULL when unknown (shown as 0x<addr>) */
	uint8_t skb_point;  /* enum skb_point of func (skb_life.h); 0 for a program's */
	const char *reason; /* drop reason name at a drop point; NULL otherwise */
	bool is_drop;	    /* a drop point: reason_value is meaningful */
	uint64_t reason_value;
	struct func_note note;
	const char *exe;	/* executable of ev->pid; NULL: kernel thread, idle or gone */
	const char *netns_name; /* /run/netns name of ev->netns, "" when none (if asked) */
	uint64_t since_prev;	/* ns since the previous event of this skb; 0 for its first */
	uint64_t wall_ns;	/* ev->ts on the wall clock (ns since the epoch) */
	/* texts.c: FUNC, PROCESS, TUPLE as text */
	const char *func_text, *proc_text, *tuple_str;
	size_t func_len, proc_len, tuple_len;
	/* symbolized, valid while the record is handed to the sinks; NULL / 0 without */
	const struct sym_frame *func_frame;   /* the traced function, for its source line */
	const struct sym_frame *caller_frame; /* --output-caller */
	size_t nframes;
	/* --output-stack, innermost first; last: record_decode leaves it as it was */
	const struct sym_frame *frames[PWRU_STACK_MAX];
};

/*
 * Finds the sections of the SIZE bytes at DATA. Returns 0, or -1 when the record is
 * shorter than its header says or a section runs past its end (nothing is read past SIZE).
 */
int record_decode(const void *data, size_t size, struct pwru_record *r);

/* What FUNC is made of; the strings live for the run (kallsyms, BTF), so it can be kept. */
struct func_ref {
	const char *func;
	const char *reason;
	uint64_t addr;
	uint64_t reason_value;
	bool is_drop;
	uint8_t skb_point; /* the record's */
	struct func_note note;
};

struct func_ref record_func_ref(const struct pwru_record *r);

/*
 * FUNC as pwru prints it: "name", "name(REASON)", "name (N)", or "0x<addr>"; a program's
 * exit adds its result ("cil_from_container(tc) TC_ACT_SHOT"), a redirect its target
 * ("-> ifindex 4"), and Cilium's drop reason follows ("DROP_POLICY (133) bpf_lxc.c:1362").
 */
size_t record_func_text(const struct pwru_record *r, char *buf, size_t len);
size_t func_ref_text(const struct func_ref *f, char *buf, size_t len);

/*
 * PROCESS: "exe:pid", or the kernel's task name (or "<empty>") when there is no exe. A
 * process chooses both (the file it runs, prctl(PR_SET_NAME)): control characters are shown
 * as '?', so no name can end a line or drive the terminal.
 */
size_t record_process_text(const struct pwru_record *r, char *buf, size_t len);

/* "SYN|ACK": the names of the TCP flags set, FIN SYN RST PSH ACK URG ECE CWR order. */
size_t tcp_flags_text(uint8_t flags, char *buf, size_t len);

/* The wall clock as pwru prints it: "2006-01-02T15:04:05.000", local time. */
size_t wall_clock_text(uint64_t wall_ns, char *buf, size_t len);

/* S with its control characters (below 0x20, and 0x7f) replaced by '?', as ls -q does. */
void record_printable(char *s);

#endif
