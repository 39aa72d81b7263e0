// SPDX-License-Identifier: GPL-2.0
#include "kallsyms/symbolizer.h"
#include "src/output/stack_json.h"

/* Room one more frame may need; past it the stack's remaining frames are left out. */
#define FRAME_JSON_MAX 4096

/* ,"KEY":V after the object's first key (every key here follows one); NULL is "" */
#define str_at(f, key, v) (fmt_lit(f, ",\"" key "\":"), fmt_json_str(f, (v) ? (v) : ""))
#define num_at(f, key, v) (fmt_lit(f, ",\"" key "\":"), fmt_u64(f, v))

/* Where kallsyms puts the address, its source line, and the functions inlined there. */
static void put_frame(struct fmt *f, const struct sym_frame *fr)
{
	const struct ksym *s = fr->pos.sym;
	const struct ksrc_frame *fn = fr->nsrc ? &fr->src[fr->nsrc - 1] : NULL;
	int i;

	fmt_str(f, "{\"addr\":\"0x");
	fmt_hex(f, fr->addr);
	fmt_char(f, '"');
	str_at(f, "func", s ? s->name : NULL);
	num_at(f, "offset", fr->pos.off);
	num_at(f, "size", fr->pos.size);
	str_at(f, "module", s ? s->module : NULL);
	str_at(f, "file", fn ? fn->file : NULL);
	num_at(f, "line", fn ? fn->line : 0);
	fmt_str(f, ",\"inlined\":[");
	for (i = 0; i + 1 < fr->nsrc; i++) {
		fmt_str(f, i ? ",{\"func\":" : "{\"func\":");
		fmt_json_str(f, fr->src[i].func ? fr->src[i].func : "");
		str_at(f, "file", fr->src[i].file);
		num_at(f, "line", fr->src[i].line);
		fmt_char(f, '}');
	}
	fmt_str(f, "]}");
}

void stack_json(struct fmt *f, bool caller, bool stack, const struct pwru_record *r)
{
	const struct sym_frame *c = r->caller_frame, *fn = r->func_frame;
	size_t i;

	if (fn && fn->nsrc) {
		str_at(f, "func_file", fn->src[fn->nsrc - 1].file);
		num_at(f, "func_line", fn->src[fn->nsrc - 1].line);
	}
	if (caller) {
		str_at(f, "caller_func", c && c->pos.sym ? c->pos.sym->name : NULL);
		fmt_lit(f, ",\"caller\":");
		if (c)
			put_frame(f, c);
		else
			fmt_str(f, "null");
	}
	if (!stack)
		return;
	fmt_str(f, ",\"stack\":[");
	for (i = 0; i < r->nframes && f->end - f->p > FRAME_JSON_MAX; i++) {
		if (i)
			fmt_char(f, ',');
		put_frame(f, r->frames[i]);
	}
	fmt_char(f, ']');
}
