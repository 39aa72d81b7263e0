/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One program per hooked function, cheaply: the template's final instructions (relocated
 * by libbpf, the filter spliced) are captured while libbpf loads the object, and libbpf
 * gets a two-instruction stand-in to load instead, so the template is never verified
 * against a target it may not fit. Each copy then costs one BPF_PROG_LOAD with the target's
 * attach id and its own values written into the template's markers (bpf/clone.h): the
 * per-function part is two immediates.
 */
#ifndef PWRU_CLONE_H_
#define PWRU_CLONE_H_

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>
#include "filters/splice.h"

enum clone_value { CLONE_FUNC_IP, CLONE_NARGS, CLONE_FLAGS, CLONE_PROG_TEXT, CLONE_NVALUES };

struct clone_tpl {
	struct prog_image img; /* instructions, func_info, line_info (filters/splice.h) */
	int prog_btf_fd;       /* the object's BTF: stays open as long as the object */
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	uint32_t prog_flags;
	char name[16];
	size_t at[CLONE_NVALUES]; /* instruction index of each marker, SIZE_MAX: absent */
};

struct clone_target {
	uint32_t btf_id;    /* attach target (tracing programs), 0: none */
	int btf_obj_fd;	    /* its BTF object when in a module, else 0 */
	int attach_prog_fd; /* a BPF program as the target (btf_id in its BTF), else 0 */
	uint64_t values[CLONE_NVALUES];
};

/* Whether T's program is a template (has any marker): only those are worth cloning. */
int clone_is_template(const struct clone_tpl *t);

/*
 * From a libbpf prepare-load callback: copies PROG's final instructions and load options
 * into T, then makes libbpf load the stand-in in their place, attached (tracing types) to
 * STAND_IN's target. 0 or a negative errno.
 */
int clone_capture(struct clone_tpl *t, struct bpf_program *prog, struct bpf_prog_load_opts *opts,
		  const struct clone_target *stand_in);

/* Loads T for TG; the program fd, or a negative errno with the verifier's last line in LOG. */
int clone_load(const struct clone_tpl *t, const struct clone_target *tg, char *log, size_t len);

void clone_tpl_free(struct clone_tpl *t);

#endif
