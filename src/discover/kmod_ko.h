/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernels before 5.11 have no module BTF. A module's callbacks can still be typed from its
 * .ko: an ops table is an object whose relocations point at functions, and the vmlinux
 * struct of the same size with function pointers at exactly those offsets gives each
 * callback's prototype. The result is a split BTF on top of vmlinux's holding one FUNC per
 * callback, so it is walked like a real module BTF.
 */
#ifndef PWRU_KMOD_KO_H
#define PWRU_KMOD_KO_H

struct btf;

/* The split BTF for the module file KO_PATH, or NULL with errno set (ENOENT: no callback). */
struct btf *kmod_ko_btf(const struct btf *vmlinux, const char *ko_path);

#endif
