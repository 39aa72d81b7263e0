/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --output-bpfmap: the map, key and value of a map operation a BPF program on the packet's
 * path makes (bpf/event.h, struct pwru_bpfmap). Included by event_fill.bpf.h: the section is
 * written straight into the record, the last one, so that a lookup held until its return
 * finds it at the record's end.
 */
#ifndef PWRU_BPFMAP_BPF_H
#define PWRU_BPFMAP_BPF_H

/*
 * offsetof(struct htab_elem, key), from BTF by userspace: __htab_map_lookup_elem(), which a
 * hash map's inlined lookup calls, returns the element, its value after the rounded-up key.
 */
const volatile __u32 cfg_bpfmap_htab_key_off = 0;

/*
 * A lookup's record is held in `pending` under its task, this (no function is at 1) and its
 * frame (kprobe_frame()), as every held record: a lookup nested in another of the same task
 * would keep its own.
 */
#define BPFMAP_HOLD 1

/*
 * The ids of pwru's own maps, set by userspace: its programs look them up on the packet's
 * path too (fentry programs run where a kprobe on the map functions fires).
 */
#define PWRU_BPFMAP_OWN 64
const volatile __u32 cfg_bpfmap_own[PWRU_BPFMAP_OWN];
const volatile __u32 cfg_bpfmap_nown = 0;

static __always_inline bool bpfmap_own(struct bpf_map *map)
{
	__u32 id = BPF_CORE_READ(map, id), i;

	for (i = 0; i < PWRU_BPFMAP_OWN && i < cfg_bpfmap_nown; i++)
		if (cfg_bpfmap_own[i] == id)
			return true;
	return false;
}

/* What a map operation's probe hands to emit_event_ex(). */
struct bpfmap_op {
	struct bpf_map *map;
	const void *key;
	const void *val; /* an update's value; NULL otherwise */
};

#define BPFMAP_SEC_LEN (sizeof(struct pwru_section) + PWRU_ALIGN8(sizeof(struct pwru_bpfmap)))

/* At most PWRU_BPFMAP_DATA of the SIZE bytes at SRC. */
static __always_inline void bpfmap_read(__u8 *dst, __u32 size, const void *src)
{
	if (size > PWRU_BPFMAP_DATA)
		size = PWRU_BPFMAP_DATA;
	if (bpf_probe_read_kernel(dst, size, src))
		__builtin_memset(dst, 0, PWRU_BPFMAP_DATA);
}

static __always_inline __u32 fill_bpfmap(__u8 *rec, __u32 off, const struct bpfmap_op *op)
{
	struct bpf_map *map = op->map; /* BPF_CORE_READ(map, ...) would relocate op too */
	struct pwru_bpfmap *m;

	if (off > PWRU_RECORD_MAX - BPFMAP_SEC_LEN)
		return off;
	m = (void *)(rec + off + sizeof(struct pwru_section));
	m->id = BPF_CORE_READ(map, id);
	m->key_size = BPF_CORE_READ(map, key_size);
	m->value_size = BPF_CORE_READ(map, value_size);
	m->map_type = BPF_CORE_READ(map, map_type);
	m->value = op->val ? PWRU_BPFMAP_VALUE : PWRU_BPFMAP_NO_VALUE;
	__builtin_memset(m->pad, 0, sizeof(m->pad));
	BPF_CORE_READ_STR_INTO(&m->name, map, name);
	bpfmap_read(m->key, m->key_size, op->key);
	if (op->val)
		bpfmap_read(m->val, m->value_size, op->val);
	return put_section(rec, off, PWRU_SEC_BPFMAP, sizeof(*m));
}

/*
 * A lookup's return: the record its call held under K, with the value RET points to (ELEM:
 * RET is a hash map's element), queued.
 */
static __always_inline void emit_bpfmap_lookup(const struct pending_key *k, __u64 ret, bool elem)
{
	struct record_buf *buf = bpf_map_lookup_elem(&pending, k);
	struct pwru_bpfmap *m;
	__u32 size, off;
	bool percpu;

	if (!buf)
		return;
	size = ((struct pwru_event *)buf->b)->size;
	off = size - BPFMAP_SEC_LEN;
	if (size < sizeof(struct pwru_event) + BPFMAP_SEC_LEN ||
	    off > PWRU_RECORD_MAX - BPFMAP_SEC_LEN)
		goto out;
	if (((struct pwru_section *)(buf->b + off))->kind != PWRU_SEC_BPFMAP)
		goto out;
	m = (void *)(buf->b + off + sizeof(struct pwru_section));
	/* a per-CPU hash map's element holds a per-CPU pointer, not the value */
	percpu =
	    m->map_type == BPF_MAP_TYPE_PERCPU_HASH || m->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	if (!ret)
		m->value = PWRU_BPFMAP_MISS;
	else if (elem && (percpu || !cfg_bpfmap_htab_key_off))
		m->value = PWRU_BPFMAP_UNREAD;
	else {
		m->value = PWRU_BPFMAP_VALUE;
		if (elem)
			ret += cfg_bpfmap_htab_key_off + PWRU_ALIGN8(m->key_size);
		bpfmap_read(m->val, m->value_size, (void *)ret);
	}
	emit_record(buf, size);
out:
	bpf_map_delete_elem(&pending, k);
}

#endif
