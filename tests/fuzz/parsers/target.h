/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parser fuzz targets (make fuzz-pcap, fuzz-btf, fuzz-ko, fuzz-kallsyms, fuzz-exe): each
 * file defines the two libFuzzer entry points; built with clang and -fsanitize=fuzzer for
 * fuzzing, with gcc and ASan/UBSan plus replay.c for make test, which runs every seed and
 * every saved crash of tests/fuzz/parsers/NAME/ through the same code.
 */
#ifndef PWRU_FUZZ_TARGET_H
#define PWRU_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * DATA as a file the code under test opens by name, the way a user's file reaches it:
 * "/proc/self/fd/N" of a memfd holding it, rewritten for each input. NULL on failure.
 */
const char *fuzz_file(const uint8_t *data, size_t size);

/* A property the code must keep: abort with MSG (the fuzzer saves the input). */
void fuzz_check(int cond, const char *msg);

#endif
