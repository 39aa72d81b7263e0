# pwru: kernel packet-path tracer.
#
#   make              build ./pwru
#   make static       build ./pwru.static (one file to copy into a VM)
#   make deps         install every package building and testing need (apt-get)
#   make test         unit tests (ASan/UBSan), filter tests on this kernel, VM kernel matrix
#   make demo         trace a ping in a scratch netns (here, or in the 6.12 VM)
#   make vm-shell KERNEL=6.12
#   make bench        benchmarks, as ratios against a baseline measured in the same run
#   make install      pwru, its man page and completions under $(DESTDIR)$(PREFIX)
#   make man completions   build/pwru.8, build/completions/ (from the flag table)
#   make deb          a Debian package in build/deb/ (dpkg-buildpackage, debian/)
#   make image        an OCI image archive in build/image/ (buildah, from scratch)
#   make clean
#
#   make ARCH=arm64 [static]   cross-build ./pwru-arm64 (.static) against Debian's arm64
#                              libraries (unpacked by tests/vm/sysroot, no system change)

CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool
LLVM_OBJCOPY ?= llvm-objcopy
PROVE   ?= prove

# The architecture pwru is built for: its BPF objects, its register rules (src/arch.h,
# bpf/arch.h) and the libraries it links all follow.
ARCH ?= amd64
ifeq ($(ARCH),amd64)
BPF_ARCH := x86
OUT      := build
BIN      := pwru
else ifeq ($(ARCH),arm64)
BPF_ARCH := arm64
OUT      := build/arm64
BIN      := pwru-arm64
ifeq ($(origin SYSROOT),undefined)
SYSROOT  := $(shell tests/vm/sysroot arm64)
endif
CC       := aarch64-linux-gnu-gcc --sysroot=$(SYSROOT)
else
$(error ARCH must be amd64 or arm64, not '$(ARCH)')
endif
# Looked up once per make: a recursive VERSION ran git describe at each use, so a commit or
# rebase during a build gave pwru --version and the man page's footer different versions.
ifeq ($(origin VERSION),undefined)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1)
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN)
CPPFLAGS += -I$(OUT) -I. -Ibpf -DPWRU_VERSION='"$(VERSION)"' -D_GNU_SOURCE
# capstone is opened with dlopen() when first needed (kallsyms/cs_calls.h), not linked.
LDLIBS   := -lbpf -lelf -lz -lpcap -ldw -lpthread
# Debian's static libpcap drags in libdbus-1.a, which wants libsystemd (no .a shipped):
# src/static/ supplies the two calls it names.
STATIC_LDLIBS := -lbpf -lelf -lz -lpcap -ldbus-1 -ldw -lelf -lbz2 -llzma -lzstd -lz -lcapstone -lpthread

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Werror -Wno-unused-function -Ibpf

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_HDRS := $(wildcard bpf/*.h)
SKELS    := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
# pwru.bpf.o holds every backend's 65 programs, and libbpf's open parses them all (22 ms
# of a 6.12 start under icount). A backend listed here also gets pwru-NAME.bpf.o with
# only the entry point groups a run of it can load (bpf/probe_sections.h): kprobe-multi
# its own, and fentry's or the kretprobes' for return values (src/probe/retsplit.c).
# src/probe/objects.c hands it to the loader; tests/unit/test_objects.c checks it.
# kprobe-multi-first: a kprobe-multi run whose return values all go through fentry with
# the skb first (nf_hook_slow's, the default) needs no other template: a third the size.
# kprobe-first the same for the kprobe backend (6.1, 5.10, arm64's automatic one); its runs
# needing more (no trampolines: arm64 6.1) open pwru.bpf.o, not worth 1.9 MB of pwru.
BPF_ONLY := kprobe-multi kprobe-multi-first kprobe-first
BPF_ONLY_kprobe-multi := KPROBE_MULTI FENTRY KPROBE_HOLD
BPF_ONLY_kprobe-multi-first := KPROBE_MULTI FENTRY_FIRST
BPF_ONLY_kprobe-first := KPROBE FENTRY_FIRST
BPF_ONLY_OBJS := $(patsubst %,$(OUT)/pwru-%.bpf.o,$(BPF_ONLY))
SKELS    += $(patsubst %,$(OUT)/pwru-%.skel.h,$(BPF_ONLY))
SRC_DIRS := src src/discover src/probe src/output
LIB_SRCS := $(filter-out src/main.c src/gen_doc.c,$(wildcard $(addsuffix /*.c,$(SRC_DIRS)))) $(wildcard filters/*.c) \
	    $(wildcard kallsyms/*.c)
LIB_HDRS := $(wildcard $(addsuffix /*.h,$(SRC_DIRS)) filters/*.h kallsyms/*.h)
LIB_OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(LIB_SRCS))
SAN_OBJS := $(patsubst %.c,$(OUT)/san/%.o,$(LIB_SRCS))
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRCS))

# Every test is an executable printing TAP; prove runs them and prints the result line.
LOCAL_TESTS = $(UNIT_BINS) $(REPLAY_BINS) $(sort $(wildcard tests/local/*.t))
# The longest first, so that neither of prove's two slots idles while the other finishes a
# long one at the end (longest-processing-time order). Every kernel is named: the kprobe
# ones (6.1, 5.10) attach one probe at a time and are among the longest; the three arm64
# kernels run a subset (tests/vm/kernel-arm64-7.t) and come after the four whole suites;
# the two differential filter tests, the longest local ones, lead the local tests. prove's
# --timer prints each file's time, to check this order by (docs/testing.md, "Suite time").
VM_LONGEST  := $(addprefix tests/vm/kernel-,7.t 6.12.t 6.1.t 5.10.t arm64-7.t arm64-6.12.t arm64-6.1.t) \
	       tests/vm/harness.t tests/vm/package.t
VM_TESTS    := $(VM_LONGEST) $(filter-out $(VM_LONGEST),$(sort $(wildcard tests/vm/*.t)))
LOCAL_LONGEST := tests/local/filters-diff.t tests/local/filters-diff-copy.t
TEST_ORDER  = $(VM_TESTS) $(LOCAL_LONGEST) $(filter-out $(LOCAL_LONGEST),$(LOCAL_TESTS))

.PHONY: all static deps test test-unit test-local test-vm demo vm-shell bench clean format format-files install deb image man completions
.DELETE_ON_ERROR:
# Keep generated objects and skeletons: they are inputs of several targets.
.SECONDARY:

all: $(BIN)

FORCE:
.PHONY: FORCE

# Linked beside and renamed into place: a VM built meanwhile (tests/vm/run reads the
# binary and its libraries) gets the old binary or the new one, never half of one.
$(BIN): $(OUT)/obj/src/main.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@.tmp $^ $(LDLIBS) && mv -f $@.tmp $@

# The arm64 half of the VM matrix runs the cross-built binary; its own make decides
# whether anything needs rebuilding.
ifeq ($(ARCH),amd64)
pwru-arm64 pwru-arm64.static: FORCE
	$(MAKE) ARCH=arm64 $@

# What carries the version (--version, the man page's footer) is rebuilt when it
# changes (a commit, an edit making the tree dirty), not only when its sources do.
$(OUT)/version: FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@
$(OUT)/obj/src/main.o: $(OUT)/version
endif

static: $(BIN).static
# A static binary cannot dlopen() capstone: it links it (src/static/cs_linked.c).
$(BIN).static: $(OUT)/obj/src/main.o $(filter-out %/cs_dlopen.o,$(LIB_OBJS)) \
	       $(OUT)/obj/src/static/sd_shim.o $(OUT)/obj/src/static/cs_linked.o
	@mkdir -p $(OUT)
	$(CC) -static $(LDFLAGS) -o $@ $^ $(STATIC_LDLIBS) 2>$(OUT)/static-link.log || \
		{ cat $(OUT)/static-link.log >&2; exit 1; }
	@grep -v 'statically linked applications requires at runtime\|in function' \
		$(OUT)/static-link.log >&2 || true

# libbpf reads the symbols at each start: clang leaves one per basic block (LBB*), and
# DWARF nothing reads (BTF stays).
BPF_STRIP = $(LLVM_OBJCOPY) --strip-debug --wildcard --strip-symbol='LBB*' $@

$(OUT)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(BPF_STRIP)

# The groups each was built with, rebuilt when they change (as $(OUT)/version).
$(OUT)/pwru-%.groups: FORCE
	@mkdir -p $(@D)
	@echo '$(BPF_ONLY_$*)' | cmp -s - $@ || echo '$(BPF_ONLY_$*)' > $@
$(BPF_ONLY_OBJS): $(OUT)/pwru-%.bpf.o: bpf/pwru.bpf.c $(BPF_HDRS) $(OUT)/pwru-%.groups
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -DPWRU_ENTRIES_CHOSEN $(patsubst %,-DPWRU_WITH_%=1,$(BPF_ONLY_$*)) \
		-c $< -o $@
	$(BPF_STRIP)

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# The loader reads each of these through pwru.skel.h: its maps and .rodata must be the
# same as pwru.bpf.o's, in the same places.
SKEL_LAYOUT = { grep '^		struct bpf_map \*' $(1); sed -n '/__rodata {$$/,/} \*rodata;$$/p' $(1) | \
	sed 's/pwru_[a-z_]*bpf__rodata/R/'; }
$(OUT)/pwru-%.skel.h: $(OUT)/pwru-%.bpf.o $(OUT)/pwru.skel.h
	$(BPFTOOL) gen skeleton $< name pwru_$(subst -,_,$*)_bpf > $@.tmp
	@[ "$$($(call SKEL_LAYOUT,$@.tmp))" = "$$($(call SKEL_LAYOUT,$(OUT)/pwru.skel.h))" ] || \
		{ echo "$<: maps or .rodata not laid out as in pwru.bpf.o" >&2; rm -f $@.tmp; exit 1; }
	mv -f $@.tmp $@

$(OUT)/obj/%.o: %.c $(LIB_HDRS) $(BPF_HDRS) $(SKELS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(OUT)/san/%.o: %.c $(LIB_HDRS) $(BPF_HDRS) $(SKELS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SAN) -c $< -o $@

$(OUT)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(SAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SAN) -Itests/unit -o $@ $< $(SAN_OBJS) $(LDLIBS)

# Stand-ins for a vmlinux and a module with DWARF, for the source-line tests: linked where
# the kernel is, the module relocatable (its sections placed by sysfs addresses).
FIXTURE_CFLAGS := -O2 -mcmodel=kernel -fno-pie -ffreestanding -fno-stack-protector \
		  -fcf-protection=none
FIXTURES := $(addprefix $(OUT)/tests/data/,fake_vmlinux fake_vmlinux.nodebug fake-mod.ko)
$(OUT)/tests/data/fake_vmlinux: tests/data/srcline/fake_vmlinux.c
	@mkdir -p $(@D)
	$(CC) -gdwarf-5 $(FIXTURE_CFLAGS) -no-pie -nostdlib -static -Wl,--build-id=sha1 \
		-Wl,-Ttext-segment=0xffffffff81000000 -Wl,--defsym=_text=0xffffffff81000000 -o $@ $<
$(OUT)/tests/data/fake_vmlinux.nodebug: $(OUT)/tests/data/fake_vmlinux
	objcopy --strip-debug $< $@
$(OUT)/tests/data/fake-mod.ko: tests/data/srcline/fake_mod.c
	@mkdir -p $(@D)
	$(CC) -gdwarf-4 $(FIXTURE_CFLAGS) -c -o $@.o $<
	ld -r --build-id=sha1 -o $@ $@.o
$(OUT)/tests/test_srcline: $(FIXTURES)

# One module ops table per architecture pwru reads .ko files of (kernels without module BTF).
KO_FIXTURES := $(OUT)/tests/data/ops-x86_64.ko $(OUT)/tests/data/ops-aarch64.ko
$(OUT)/tests/data/ops-x86_64.ko: tests/fuzz/parsers/ko/seed_ops.c
	@mkdir -p $(@D)
	x86_64-linux-gnu-gcc -O1 -c -fno-pic -mcmodel=kernel -o $@ $<
$(OUT)/tests/data/ops-aarch64.ko: tests/fuzz/parsers/ko/seed_ops.c
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -O1 -c -fno-pic -o $@ $<
$(OUT)/tests/test_kmod_ko: $(KO_FIXTURES)

# BPF programs of the tests' own (tc and XDP programs loaded in unit tests and in the VM,
# which carries build/tests/bpf), built against the system's UAPI headers.
TEST_BPF_OBJS := $(patsubst tests/bpf/%.bpf.c,$(OUT)/tests/bpf/%.bpf.o,$(wildcard tests/bpf/*.bpf.c))
$(OUT)/tests/bpf/%.bpf.o: tests/bpf/%.bpf.c
	@mkdir -p $(@D)
	$(CLANG) -g -O2 -target bpf -Wall -Werror -I/usr/include/$(shell $(CC) -dumpmachine) -c $< -o $@
$(OUT)/tests/test_bpf_helpers $(OUT)/tests/test_bpf_progs: $(TEST_BPF_OBJS)

# Loaders the VM scenarios run next to those programs (tcx links: the VM's iproute2 cannot
# make them), linked statically: the VM copies build/tests/bpf without libraries. One per
# architecture of the matrix, the arm64 one cross-built against the arm64 sysroot.
ifeq ($(ARCH),amd64)
TEST_TOOLS := $(OUT)/tests/bpf/tcx-attach $(OUT)/tests/bpf/tcx-attach.arm64
endif
# Local: a kernel that refuses every bpf(2) call, for tests/local/exit-status.t.
TEST_TOOLS += $(OUT)/tests/no-bpf
$(OUT)/tests/no-bpf: tests/tools/no_bpf.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<
$(OUT)/tests/bpf/tcx-attach: tests/tools/tcx_attach.c tests/tools/hold.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $< -lbpf -lelf -lz
$(OUT)/tests/bpf/tcx-attach.arm64: tests/tools/tcx_attach.c tests/tools/hold.h
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc --sysroot=$$(tests/vm/sysroot arm64) $(CFLAGS) -static -o $@ $< \
		-lbpf -lelf -lz
# A container's root (no CAP_SYS_RESOURCE, a small RLIMIT_MEMLOCK), for 35-forced-kprobe.
ifeq ($(ARCH),amd64)
TEST_TOOLS += $(OUT)/tests/bpf/no-resource $(OUT)/tests/bpf/no-resource.arm64
endif
$(OUT)/tests/bpf/no-resource: tests/tools/no_resource.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $<
$(OUT)/tests/bpf/no-resource.arm64: tests/tools/no_resource.c
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc --sysroot=$$(tests/vm/sysroot arm64) $(CFLAGS) -static -o $@ $<
# A packet socket whose filter rejects everything, for 65-consumed: static as tcx-attach.
ifeq ($(ARCH),amd64)
TEST_TOOLS += $(OUT)/tests/bpf/pkt-reject $(OUT)/tests/bpf/pkt-reject.arm64
endif
$(OUT)/tests/bpf/pkt-reject: tests/tools/pkt_reject.c tests/tools/hold.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $<
$(OUT)/tests/bpf/pkt-reject.arm64: tests/tools/pkt_reject.c tests/tools/hold.h
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc --sysroot=$$(tests/vm/sysroot arm64) $(CFLAGS) -static -o $@ $<

# The differential filter test (tests/local/filters-diff.t) and the filter fuzzer:
# see docs/testing-filters.md.
FDIFF_SRCS := $(wildcard tests/filters/*.c) tests/fuzz/fuzz_input.c tests/fuzz/expr_gen.c
FDIFF_HDRS := $(wildcard tests/filters/*.h tests/fuzz/*.h) tests/unit/tap.h
FDIFF_BIN  := $(OUT)/tests/filters-diff
FDIFF_INC  := -Itests/unit -Itests/filters -Itests/fuzz
$(FDIFF_BIN): $(FDIFF_SRCS) $(FDIFF_HDRS) $(SAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SAN) $(FDIFF_INC) -o $@ $(FDIFF_SRCS) $(SAN_OBJS) $(LDLIBS)

# libFuzzer needs clang: the project's objects are rebuilt with it under build/fuzz.
FUZZ_SECONDS ?= 60
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRCS := $(LIB_SRCS) $(addprefix tests/filters/,captures.c corpus.c deviation.c exclusions.c reference.c \
	     regression.c) \
	     tests/fuzz/fuzz_input.c tests/fuzz/expr_gen.c
FUZZ_OBJS := $(patsubst %.c,$(OUT)/fuzz/%.o,$(FUZZ_SRCS))
$(OUT)/fuzz/%.o: %.c $(LIB_HDRS) $(BPF_HDRS) $(SKELS) $(FDIFF_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(CFLAGS) $(FDIFF_INC) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c $< -o $@
$(OUT)/fuzz/fuzz-filters: tests/fuzz/fuzz_filters.c $(FUZZ_OBJS)
	$(CLANG) $(CPPFLAGS) $(CFLAGS) $(FDIFF_INC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(LDLIBS)
fuzz-filters: $(OUT)/fuzz/fuzz-filters
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run $<
.PHONY: fuzz-filters

# The parsers of what a user or an attacker can shape (tests/fuzz/parsers/, docs/testing.md):
# make fuzz-pcap, fuzz-btf, fuzz-ko, fuzz-kallsyms, fuzz-exe. The same targets are built with
# gcc and ASan as replay-NAME, which make test runs over their seeds and saved crashes.
PFUZZ       := pcap btf ko kallsyms exe
PFUZZ_DIR   := tests/fuzz/parsers
PFUZZ_HDRS  := $(PFUZZ_DIR)/target.h tests/data/btf/crafted_btf.h
PFUZZ_LIBS  := $(patsubst %.c,$(OUT)/fuzz/%.o,$(LIB_SRCS))
REPLAY_BINS := $(addprefix $(OUT)/tests/replay-,$(PFUZZ))
$(addprefix $(OUT)/fuzz/fuzz-,$(PFUZZ)): $(OUT)/fuzz/fuzz-%: $(PFUZZ_DIR)/fuzz_%.c $(PFUZZ_DIR)/target.c \
		$(PFUZZ_HDRS) $(PFUZZ_LIBS)
	$(CLANG) $(CPPFLAGS) $(CFLAGS) -I$(PFUZZ_DIR) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ \
		$(filter %.c %.o,$^) $(LDLIBS)
$(addprefix fuzz-,$(PFUZZ)): fuzz-%: $(OUT)/fuzz/fuzz-%
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(PFUZZ_DIR)/run $* $<
.PHONY: $(addprefix fuzz-,$(PFUZZ))
$(REPLAY_BINS): $(OUT)/tests/replay-%: $(PFUZZ_DIR)/fuzz_%.c $(PFUZZ_DIR)/replay.c \
		$(PFUZZ_DIR)/target.c $(PFUZZ_HDRS) tests/unit/tap.h $(SAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SAN) -Itests/unit -I$(PFUZZ_DIR) \
		-DREPLAY_DIR='"$(PFUZZ_DIR)/$*"' -o $@ $(filter %.c %.o,$^) $(LDLIBS)

# The crafted inputs under tests/data/ (tests/unit/test_crafted.c checks they are current).
test-data: $(OUT)/tests/mkbtf
	$< tests/data/btf
$(OUT)/tests/mkbtf: tests/data/btf/mkbtf.c tests/data/btf/crafted_btf.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lbpf
.PHONY: test-data

deps:
	./tests/deps.sh

# Two at a time: each VM is one single-threaded qemu, so two fill two cores. The build
# before them runs two jobs too: CI's `make deps test` gives no -j, and built one file at
# a time, one core idle, before the first test started.
test:
	$(MAKE) -j2 test-build pwru-arm64
	$(PROVE) -e '' --timer -j2 $(TEST_ORDER)

# The benchmarks' programs are built with the tests (not run), so that an interface they
# use cannot change without them.
BENCH_BINS := $(patsubst tests/bench/%.c,$(OUT)/bench/%,$(wildcard tests/bench/*.c))
$(OUT)/bench/%: tests/bench/%.c $(LIB_OBJS) $(SKELS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)
bench-build: $(BENCH_BINS)
.PHONY: bench-build

test-build: pwru pwru.static man completions bench-build $(UNIT_BINS) $(REPLAY_BINS) $(FDIFF_BIN) $(TEST_BPF_OBJS) $(TEST_TOOLS)
.PHONY: test-build

test-unit test-local: test-build
	$(PROVE) -e '' $(LOCAL_TESTS)

# The tests' own programs and tools alone (build/tests/bpf): what the VM scenarios load.
test-bpf: $(TEST_BPF_OBJS) $(TEST_TOOLS)
.PHONY: test-bpf

test-vm: pwru pwru-arm64 $(TEST_BPF_OBJS) $(TEST_TOOLS)
	$(PROVE) -e '' --timer -j2 $(VM_TESTS)

demo: pwru
	./tests/demo.sh

KERNEL ?= 6.12
vm-shell: $(BIN)
	./tests/vm/run --interactive --arch $(ARCH) $(KERNEL)

bench: pwru
	./tests/bench/run

PREFIX ?= /usr/local
install: pwru man completions
	install -D -m 0755 pwru $(DESTDIR)$(PREFIX)/sbin/pwru
	install -D -m 0644 $(OUT)/pwru.8 $(DESTDIR)$(PREFIX)/share/man/man8/pwru.8
	install -D -m 0644 $(OUT)/completions/pwru \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/pwru
	install -D -m 0644 $(OUT)/completions/_pwru \
		$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_pwru

# The man page and the completions, from the flag table (src/flags_doc.c).
$(OUT)/gen-doc: $(OUT)/obj/src/gen_doc.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(OUT)/pwru.8: $(OUT)/gen-doc docs/pwru.8.in $(OUT)/version
	$(OUT)/gen-doc man docs/pwru.8.in $(VERSION) > $@
$(OUT)/completions/pwru: $(OUT)/gen-doc
	@mkdir -p $(@D)
	$(OUT)/gen-doc bash > $@
$(OUT)/completions/_pwru: $(OUT)/gen-doc
	@mkdir -p $(@D)
	$(OUT)/gen-doc zsh > $@
man: $(OUT)/pwru.8
completions: $(OUT)/completions/pwru $(OUT)/completions/_pwru

deb:
	./contrib/deb/build $(OUT)/deb

image: $(BIN).static
	VERSION=$(VERSION) ./contrib/image/build $(BIN).static $(OUT)/image/pwru.oci.tar

# Every C file of ours; tests/local/format.t checks them against .clang-format.
FORMAT_FILES = $(wildcard $(addsuffix /*.[ch],$(SRC_DIRS) src/static filters kallsyms bpf \
	tests/unit tests/filters tests/bench tests/fuzz))

format:
	clang-format -i $(FORMAT_FILES)

format-files:
	@echo $(FORMAT_FILES)

clean:
	rm -rf build pwru pwru.static pwru-arm64 pwru-arm64.static tests/k8s/node_modules
