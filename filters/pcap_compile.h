/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpcap's compiler behind a header that does not pull in <pcap/bpf.h>, whose struct
 * bpf_insn clashes with the kernel's.
 */
#ifndef PWRU_PCAP_COMPILE_H
#define PWRU_PCAP_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Same layout as libpcap's struct bpf_insn and the kernel's struct sock_filter. */
struct cbpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/*
 * Compiles EXPR (optimized, netmask unknown) for DLT_RAW when L3, DLT_EN10MB otherwise.
 * Returns 0 with a malloc'd program, or -EINVAL with libpcap's message in ERR.
 */
int pcap_compile_cbpf(const char *expr, bool l3, struct cbpf_insn **out, size_t *n, char *err,
		      size_t errlen);

#endif
