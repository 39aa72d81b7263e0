/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The texts every sink prints (FUNC, PROCESS, TUPLE), made once per record and cached:
 * under a flood the same function, process and packet repeat, and formatting them each
 * time was the consumer's main cost.
 */
#ifndef PWRU_TEXTS_H
#define PWRU_TEXTS_H

#include "src/output/record.h"
#include "src/output/tuple_text.h"

#define TEXTS_FUNC_SLOTS 256

struct texts {
	struct {
		uint64_t addr, reason; /* the key; reason ~0 when not a drop point */
		const char *func;      /* and what it was made from */
		char text[160];
		uint16_t len;
	} func[TEXTS_FUNC_SLOTS];
	char noted[256]; /* FUNC with a program's result or Cilium's reason: never cached */
	uint32_t proc_pid;
	const char *proc_exe;
	char proc_comm[PWRU_COMMSIZ];
	char proc[4096 + 16];
	size_t proc_len;
	struct pwru_tuple tuple;
	char tuple_str[TUPLE_TEXT_MAX];
	size_t tuple_len;
	bool primed;
};

/* Points R's func_text, proc_text and tuple_str at C's copies (valid until the next call). */
void texts_fill(struct texts *c, struct pwru_record *r);

#endif
