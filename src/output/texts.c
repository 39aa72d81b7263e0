// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "src/output/texts.h"

static void func_text(struct texts *c, struct pwru_record *r)
{
	uint64_t reason = r->is_drop || r->reason ? r->reason_value : ~0ull;
	size_t i = (size_t)((r->ev->addr >> 4) ^ reason) % TEXTS_FUNC_SLOTS;

	if (r->note.exit || r->note.has_drop || r->note.has_nf || r->note.nft_chain) {
		r->func_len = record_func_text(r, c->noted, sizeof(c->noted));
		r->func_text = c->noted;
		return;
	}
	if (!c->primed || c->func[i].addr != r->ev->addr || c->func[i].reason != reason ||
	    c->func[i].func != r->func) {
		c->func[i].addr = r->ev->addr;
		c->func[i].reason = reason;
		c->func[i].func = r->func;
		c->func[i].len =
		    (uint16_t)record_func_text(r, c->func[i].text, sizeof(c->func[i].text));
	}
	r->func_text = c->func[i].text;
	r->func_len = c->func[i].len;
}

static void proc_text(struct texts *c, struct pwru_record *r)
{
	/*
	 * The comm too, not only the exe pointer: after exec() or a reused pid the process
	 * cache may hand out a new string at the old one's address.
	 */
	if (!c->primed || c->proc_pid != r->ev->pid || c->proc_exe != r->exe ||
	    memcmp(c->proc_comm, r->ev->comm, PWRU_COMMSIZ)) {
		c->proc_pid = r->ev->pid;
		c->proc_exe = r->exe;
		memcpy(c->proc_comm, r->ev->comm, PWRU_COMMSIZ);
		c->proc_len = record_process_text(r, c->proc, sizeof(c->proc));
	}
	r->proc_text = c->proc;
	r->proc_len = c->proc_len;
}

static void tuple_str(struct texts *c, struct pwru_record *r)
{
	if (!c->primed || memcmp(&c->tuple, &r->ev->tuple, sizeof(c->tuple))) {
		c->tuple = r->ev->tuple;
		c->tuple_len = tuple_text(&c->tuple, c->tuple_str, sizeof(c->tuple_str));
	}
	r->tuple_str = c->tuple_str;
	r->tuple_len = c->tuple_len;
}

void texts_fill(struct texts *c, struct pwru_record *r)
{
	func_text(c, r);
	proc_text(c, r);
	tuple_str(c, r);
	c->primed = true;
}
