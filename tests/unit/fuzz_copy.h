/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A boot copy (src/discover/boot_cache.h) cut at every length and with a bit of every byte
 * flipped (bit N%8 of byte N), each read back by the copy's own reader under ASan/UBSan;
 * past the first FUZZ_DENSE bytes, every FUZZ_STRIDEth (a body of thousands of drop
 * reasons repeats one shape). Copies
 * whose body starts with a config word and a sum (discovery, btf) are also flipped with the sum
 * made right again, so that the decoder behind the sum meets every damaged field too.
 */
#ifndef PWRU_TEST_FUZZ_COPY_H
#define PWRU_TEST_FUZZ_COPY_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "src/discover/boot_cache.h"
#include "src/discover/disc_cache.h"
#include "tap.h"

#define FUZZ_DENSE  1024
#define FUZZ_STRIDE 13

/* Whether offset I is tried. */
static inline bool fuzz_at(size_t i)
{
	return i < FUZZ_DENSE || !(i % FUZZ_STRIDE);
}

/* What a read of the copy gave: refused, taken and sound, or taken and not sound. */
enum fuzz_take { FUZZ_REFUSED, FUZZ_TAKEN, FUZZ_UNSOUND };

struct fuzz_counts {
	size_t cuts, cuts_taken;	/* every shorter length */
	size_t flips, body_flips_taken; /* every byte, the sum left as it was */
	size_t summed, summed_taken;	/* every byte after the sum, the sum made right */
	size_t unsound;			/* reads that took something unsound */
};

static inline void fuzz_spill(const char *path, const unsigned char *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, p, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* Where the sum's span starts in BODY (its bytes 8-15 hold the sum), or 0: no such sum. */
static inline size_t fuzz_sum_start(const unsigned char *body, size_t len)
{
	uint64_t sum;
	size_t h;

	if (len < 16)
		return 0;
	memcpy(&sum, body + 8, 8);
	for (h = 16; h <= len; h++)
		if (disc_cache_sum(body + h, len - h) == sum)
			return h;
	return 0;
}

static inline void fuzz_count(struct fuzz_counts *n, enum fuzz_take t, size_t *taken)
{
	*taken += t != FUZZ_REFUSED;
	n->unsound += t == FUZZ_UNSOUND;
}

/*
 * ROOT's copy NAME, as it is now, damaged every way above; TAKE reads it (ARG its own).
 * The copy is put back whole at the end.
 */
static inline void fuzz_copy(const char *root, const char *name, enum fuzz_take (*take)(void *arg),
			     void *arg, struct fuzz_counts *n)
{
	char path[512];
	struct stat st;
	struct boot_copy c;
	struct boot_key key;
	unsigned char *orig, *p;
	size_t len, body, h, i, dummy = 0;
	uint64_t sum;
	int fd = boot_cache_open(root, name, &key, &c);

	memset(n, 0, sizeof(*n));
	snprintf(path, sizeof(path), "%s/run/pwru/%s", root, name);
	if (fd < 0 || stat(path, &st) || (uint64_t)st.st_size < c.bytes)
		abort();
	close(fd);
	len = (size_t)st.st_size;
	body = len - c.bytes;
	orig = malloc(len);
	p = malloc(len);
	fd = open(path, O_RDONLY);
	if (!orig || !p || read(fd, orig, len) != (ssize_t)len)
		abort();
	close(fd);
	h = fuzz_sum_start(orig + body, len - body);
	for (i = 0; i < len; i++) {
		if (!fuzz_at(i))
			continue;
		n->cuts++;
		fuzz_spill(path, orig, i);
		fuzz_count(n, take(arg), &n->cuts_taken);
	}
	for (i = 0; i < len; i++) {
		if (!fuzz_at(i))
			continue;
		n->flips++;
		memcpy(p, orig, len);
		p[i] ^= (unsigned char)(1u << (i % 8));
		fuzz_spill(path, p, len);
		/* the header's count and source are words for the user: not checked */
		fuzz_count(n, take(arg), i >= body ? &n->body_flips_taken : &dummy);
	}
	for (i = body + h; h && i < len; i++) {
		if (!fuzz_at(i))
			continue;
		n->summed++;
		memcpy(p, orig, len);
		p[i] ^= (unsigned char)(1u << (i % 8));
		sum = disc_cache_sum(p + body + h, len - body - h);
		memcpy(p + body + 8, &sum, 8);
		fuzz_spill(path, p, len);
		fuzz_count(n, take(arg), &n->summed_taken);
	}
	fuzz_spill(path, orig, len);
	free(orig);
	free(p);
}

/* What every fuzzed copy must show: N's damage never taken, MORE_THAN cuts at least tried. */
static inline void fuzz_checks(const struct fuzz_counts *n, size_t more_than)
{
	ok(n->cuts > more_than && !n->cuts_taken, "the copy cut at %zu lengths: never taken",
	   n->cuts);
	ok(n->flips && !n->body_flips_taken, "a bit flipped in %zu bytes: none in the body taken",
	   n->flips);
	ok(n->summed && !n->unsound,
	   "a bit flipped in %zu bytes after the sum, the sum made right: %zu taken, all sound",
	   n->summed, n->summed_taken);
}

#endif
