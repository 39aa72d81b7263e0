// SPDX-License-Identifier: GPL-2.0
/*
 * The in-process filter checker: the tracing filter, loaded through the same stubs and
 * splicing into a tc program, run with BPF_PROG_TEST_RUN on one packet at a time.
 *
 * BPF_PROG_TEST_RUN builds a tc skb from an Ethernet frame (eth_type_trans, then the header
 * pushed back), so raw IP packets get a dummy Ethernet header and the program is told to
 * filter from the network header. The capture's missing bytes (wire length minus captured
 * length) travel in cb[] so that `len` sees the wire length, as pcap_offline_filter does.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "check_filter.skel.h"
#include "filters/pcap_filter.h"
#include "src/check_filter.h"
#include "src/probe/held_log.h"
#include "src/probe/splice_hooks.h"
#include "src/probe/core_btf.h"
#include "src/probe/kernel_refs.h"

/* libpcap's; its header's struct bpf_insn clashes with the kernel's */
const char *pcap_datalink_val_to_name(int dlt);

#define ETH_HLEN 14
/*
 * What BPF_PROG_TEST_RUN accepts for a tc skb: a page minus headroom (64) and
 * skb_shared_info (320); longer packets are cut, the cut counted as missing bytes.
 */
#define TEST_RUN_MAX 3712
/* Shorter frames whose ethertype says IPv4 or IPv6 are refused (EINVAL) by 6.x kernels */
#define TEST_RUN_MIN (ETH_HLEN + 40)

enum { LAYER_AUTO = 0, LAYER_L3 = 2 }; /* enum filter_pcap_layer in bpf/filter.bpf.h */

struct filter_checker {
	struct pcap_filter *f;
	struct check_filter_bpf *skel;
	int prog_fd;
	int layer;
	unsigned int ingress_ifindex;
	unsigned char *frame;
};

/* libbpf program handlers are process-global: one checker loads at a time. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static int layer_of(int dlt)
{
	switch (dlt) {
	case 1: /* DLT_EN10MB */
		return LAYER_AUTO;
	case 12:  /* DLT_RAW */
	case 14:  /* DLT_RAW on OpenBSD */
	case 101: /* LINKTYPE_RAW, should a caller pass the file's number */
	case 228: /* DLT_IPV4 */
	case 229: /* DLT_IPV6 */
		return LAYER_L3;
	}
	return -1;
}

static struct btf *vmlinux;
static pthread_once_t vmlinux_once = PTHREAD_ONCE_INIT;

static void vmlinux_load(void)
{
	vmlinux = btf__load_vmlinux_btf();
}

/*
 * Parsed once per process and kept: the differential test opens a checker per expression,
 * and each parse of vmlinux BTF costs tens of milliseconds. NULL when it cannot be read.
 */
static const struct btf *vmlinux_btf(void)
{
	pthread_once(&vmlinux_once, vmlinux_load);
	return vmlinux;
}

static bool kernel_has_kfunc(const char *name)
{
	const struct btf *btf = vmlinux_btf();

	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) >= 0;
}

/*
 * Not possible here, with the errno a caller can tell "this kernel or user cannot" by:
 * EPERM (not root), EOPNOTSUPP (no bpf_cast_to_kern_ctx); anything else is a fault.
 */
static int explain_load_failure(const struct splice_hooks *h, int ret, struct pwru_err *e)
{
	const char *why = splice_hooks_error(h);

	if (ret == -EPERM)
		return err_not_possible(e, EPERM, "cannot load BPF programs (%s): run as root",
					strerror(-ret));
	if (!kernel_has_kfunc("bpf_cast_to_kern_ctx"))
		return err_not_possible(e, EOPNOTSUPP,
					"this kernel lacks the bpf_cast_to_kern_ctx kfunc (Linux "
					"6.2 and later), which --check-filter needs");
	return err_not_possible(e, -ret, "cannot load the filter program: %s%s%s", strerror(-ret),
				*why ? ": " : "", why);
}

static const struct hook_section tc_section = {"tc", BPF_PROG_TYPE_SCHED_CLS, 0};

/* The glue's kfunc call (bpf/kernel_refs.h), by its id in the kernel's BTF. */
static int resolve_refs(void *arg, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
			char *err, size_t errlen)
{
	int rc = kernel_refs_patch(prog, arg);

	if (rc < 0)
		snprintf(err, errlen, "resolving its kernel references: %s", strerror(-rc));
	return rc < 0 ? rc : 0;
}

/*
 * libbpf's warnings while the checker loads (under load_lock) are shown only when the
 * failure is not one the checker explains itself (an old kernel, no privilege).
 */
static int load(struct filter_checker *c, struct pwru_err *e)
{
	struct splice_hooks *h = NULL;
	struct kernel_refs refs;
	char err[256];
	int ret;

	pthread_mutex_lock(&load_lock);
	held_log_begin();
	kernel_refs_find(vmlinux_btf(), &refs);
	ret = splice_hooks_install(c->f, &tc_section, 1, resolve_refs, &refs, &h, err, sizeof(err));
	if (ret) {
		ret = err_not_possible(e, -ret, "%s", err);
		goto out;
	}
	c->skel = check_filter_bpf__open();
	if (!c->skel) {
		ret = err_from_errno(e, -errno, "cannot open the BPF object");
		goto out;
	}
	c->skel->rodata->cfg_skb_direct = refs.rdonly_cast != 0;
	if (c->skel->rodata->cfg_skb_direct)
		ktype_ids_find(vmlinux_btf(), (__u32 *)c->skel->rodata->cfg_ktype_ids);
	ret = check_filter_bpf__load(c->skel);
	if (ret) {
		ret = explain_load_failure(h, ret, e);
		goto out;
	}
	ret = splice_hooks_verify(h, c->skel->obj, err, sizeof(err));
	if (ret)
		ret = err_not_possible(e, -ret, "%s", err);
	else
		c->prog_fd = bpf_program__fd(c->skel->progs.check_filter);
out:
	held_log_end(ret && e->errnum != EPERM && e->errnum != EOPNOTSUPP);
	splice_hooks_remove(h);
	pthread_mutex_unlock(&load_lock);
	return ret;
}

/* The layer DLT's packets are filtered from; -1 with E set when it is not supported. */
static int layer_or_err(int dlt, struct pwru_err *e)
{
	const char *name = pcap_datalink_val_to_name(dlt);
	int layer = layer_of(dlt);

	if (layer < 0)
		err_bad_input(e, EPROTONOSUPPORT,
			      "link type %s is not supported: only Ethernet (EN10MB) and "
			      "raw IP (RAW, IPV4, IPV6) captures",
			      name ? name : "unknown");
	return layer;
}

static int checker_new(int dlt, struct filter_checker **out, struct pwru_err *e)
{
	struct filter_checker *c;
	int layer = layer_or_err(dlt, e);

	if (layer < 0)
		return -1;
	c = calloc(1, sizeof(*c));
	if (c)
		c->frame = malloc(TEST_RUN_MAX);
	if (!c || !c->frame) {
		free(c);
		return err_from_errno(e, -ENOMEM, "filter checker");
	}
	c->layer = layer;
	/* received on the test device, as every packet of a capture was: `inbound` */
	c->ingress_ifindex = 1;
	*out = c;
	return 0;
}

int filter_checker_open_filter(struct pcap_filter *f, int dlt, struct filter_checker **out,
			       struct pwru_err *e)
{
	struct filter_checker *c;

	*out = NULL;
	if (checker_new(dlt, &c, e)) {
		pcap_filter_free(f);
		return -1;
	}
	c->f = f;
	if (load(c, e)) {
		filter_checker_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

int filter_checker_open_opts(const char *expr, int dlt, bool per_load_reads,
			     struct filter_checker **out, struct pwru_err *e)
{
	/* PWRU_FILTER_COPY=1: the copy path of kernels before 6.2, for the differential tests */
	struct pcap_filter_opts fo = {.per_load_reads = per_load_reads,
				      .direct_loads = !getenv("PWRU_FILTER_COPY")};
	struct pcap_filter *f;
	char err[sizeof(e->msg)];
	int ret;

	*out = NULL;
	if (layer_of(dlt) < 0)
		return checker_new(dlt, out, e);
	fo.btf = vmlinux_btf();
	ret = pcap_filter_compile_opts(expr, &fo, &f, err, sizeof(err));
	/* -EINVAL is the expression's fault (pcap_filter.h); the rest is this kernel's */
	if (ret == -EINVAL)
		return err_bad_input(e, EINVAL, "bad filter expression '%s': %s", expr ? expr : "",
				     err);
	if (ret)
		return err_not_possible(e, -ret, "filter expression '%s': %s", expr ? expr : "",
					err);
	return filter_checker_open_filter(f, dlt, out, e);
}

int filter_checker_open(const char *expr, int dlt, struct filter_checker **out, struct pwru_err *e)
{
	return filter_checker_open_opts(expr, dlt, false, out, e);
}

/* The frame BPF_PROG_TEST_RUN gets, and the cb[] words that undo what it adds. */
static unsigned int build_frame(struct filter_checker *c, const unsigned char *pkt,
				unsigned int caplen, unsigned int wirelen, __u32 cb[3])
{
	unsigned int hdr = c->layer == LAYER_L3 ? ETH_HLEN : 0, room = TEST_RUN_MAX - hdr;
	unsigned int take = caplen < room ? caplen : room, size = hdr + take, pad = 0;

	if (hdr) {
		int v6 = caplen && (pkt[0] >> 4) == 6;

		memset(c->frame, 0, ETH_HLEN);
		c->frame[12] = v6 ? 0x86 : 0x08;
		c->frame[13] = v6 ? 0xdd : 0x00;
	}
	memcpy(c->frame + hdr, pkt, take);
	if (size < TEST_RUN_MIN) {
		pad = TEST_RUN_MIN - size;
		memset(c->frame + size, 0, pad);
		size = TEST_RUN_MIN;
	}
	cb[0] = (__u32)c->layer;
	cb[1] =
	    wirelen - take; /* wraps when wirelen < caplen: len is then wirelen, as in libpcap */
	cb[2] = pad;
	return size;
}

static int run(struct filter_checker *c, const unsigned char *pkt, unsigned int caplen,
	       unsigned int wirelen, int repeat, int *match, __u32 *ns)
{
	struct __sk_buff ctx = {0};
	__u32 cb[3];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = c->frame, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = repeat);
	int ret;

	o.data_size_in = build_frame(c, pkt, caplen, wirelen, cb);
	memcpy(ctx.cb, cb, sizeof(cb));
	/* becomes skb->skb_iif (convert___skb_to_skb): 0 reads as locally sent, `outbound` */
	ctx.ingress_ifindex = c->ingress_ifindex;
	ret = bpf_prog_test_run_opts(c->prog_fd, &o);
	if (ret)
		return -errno;
	*match = o.retval != 0;
	if (ns)
		*ns = o.duration;
	return 0;
}

int filter_checker_run(struct filter_checker *c, const unsigned char *pkt, unsigned int caplen,
		       unsigned int wirelen, int *match)
{
	return run(c, pkt, caplen, wirelen, 1, match, NULL);
}

int filter_checker_time(struct filter_checker *c, const unsigned char *pkt, unsigned int caplen,
			unsigned int wirelen, int repeat, unsigned int *ns_per_run)
{
	int match;

	return run(c, pkt, caplen, wirelen, repeat, &match, ns_per_run);
}

void filter_checker_set_ingress_ifindex(struct filter_checker *c, unsigned int ifindex)
{
	c->ingress_ifindex = ifindex;
}

int filter_checker_set_dlt(struct filter_checker *c, int dlt, struct pwru_err *e)
{
	int layer = layer_or_err(dlt, e);

	if (layer < 0)
		return -1;
	c->layer = layer;
	return 0;
}

int filter_checker_prog_fd(const struct filter_checker *c)
{
	return c->prog_fd;
}

void filter_checker_close(struct filter_checker *c)
{
	if (!c)
		return;
	check_filter_bpf__destroy(c->skel);
	pcap_filter_free(c->f);
	free(c->frame);
	free(c);
}
