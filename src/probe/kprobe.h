/* SPDX-License-Identifier: GPL-2.0 */
/* The kprobe backend's pieces that the return-value kretprobes (kretprobe.c) share. */
#ifndef PWRU_KPROBE_H
#define PWRU_KPROBE_H

#include <stddef.h>
#include <stdint.h>

struct backend_ctx;
struct func_entry;

/* The kprobe PMU's perf type, or -1 (a kernel without CONFIG_KPROBES). */
int kprobe_pmu_type(void);
/*
 * -1 with the reason in WHY when this kernel runs no kprobe at all (the backend, and
 * --filter-non-skb-funcs' probes), else 0.
 */
int kprobe_missing(char *why, size_t len);
/* The bit of perf_event_attr.config that makes a kprobe a kretprobe, or -1. */
int kprobe_retprobe_bit(void);
/* A perf event probing ADDR (a kretprobe when CONFIG says so): its fd, or a negative errno. */
int kprobe_perf_open(int pmu_type, uint64_t addr, uint64_t config);
/* Why no kprobe can hook F's skb, or NULL. */
const char *kprobe_cannot_take(const struct backend_ctx *ctx, const struct func_entry *f);

#endif
