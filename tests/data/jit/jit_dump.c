// SPDX-License-Identifier: GPL-2.0
/*
 * Loads a BPF object's first program and prints its JITed image as this kernel made it, for
 * the fixtures of tests/unit/test_disasm_arm64.c (bpftool cannot write the raw image when
 * built without a disassembler, as Debian's arm64 one is): "addr ADDR" where the image was
 * loaded, then "code HEX" lines of 32 bytes. Built and run by capture.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int dump(int fd)
{
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info), i;
	__u64 addr = 0;
	unsigned char *code;

	if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.jited_prog_len)
		return -1;
	code = malloc(info.jited_prog_len);
	if (!code)
		return -1;
	info = (struct bpf_prog_info){.jited_prog_len = info.jited_prog_len,
				      .jited_prog_insns = (__u64)(unsigned long)code,
				      .nr_jited_ksyms = 1,
				      .jited_ksyms = (__u64)(unsigned long)&addr};
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		free(code);
		return -1;
	}
	printf("addr %llx", (unsigned long long)addr);
	for (i = 0; i < info.jited_prog_len; i++)
		printf("%s%02x", i % 32 ? "" : "\ncode ", code[i]);
	printf("\n");
	free(code);
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;

	if (argc != 2) {
		fprintf(stderr, "usage: jit_dump OBJ.bpf.o\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "jit_dump: cannot load %s\n", argv[1]);
		return 1;
	}
	p = bpf_object__next_program(obj, NULL);
	if (!p || dump(bpf_program__fd(p))) {
		fprintf(stderr, "jit_dump: cannot read the JITed image\n");
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__close(obj);
	return 0;
}
