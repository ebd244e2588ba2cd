# nnlab - build, install, test, figures and benchmarks.
#
#   make                 build build/nnlab and its man page build/nnlab.1
#   make install         install both under $(DESTDIR)$(PREFIX) (PREFIX=/usr/local)
#   make uninstall       remove what make install installed
#   make test            build and run the whole test suite
#   make test SANITIZE=1 the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make figures         regenerate every figure of every experiment into plots/,
#                        with plots/README.md and the gallery plots/index.html
#   make bench           time training against the machine's peak, numpy, PyTorch
#                        and FANN (make bench-peers: the peers' table alone)
#   make bench-vecmath   nnlab's vector exp, sigmoid, tanh against libmvec and SLEEF
#   make fuzz            run the libFuzzer harnesses (FUZZ_SECONDS each, default 60)
#   make valgrind        one small `nnlab run` under valgrind memcheck
#   make bench-sweep     time a 200-run sweep on 1, 2 and 4 MPI ranks and threaded
#
# MPI=1 builds nnlab with Open MPI, for `mpirun nnlab run --mpi` (and
# `make test MPI=1` runs the MPI tests too); scripts/install-deps.sh --mpi
# installs the packages it needs.
# NATIVE=0 builds for any x86-64 (or other) machine instead of this host's
# instruction set. CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS, from the command line
# or the environment, are added to the project's own flags (NNLAB_*) and
# cannot take away the floating-point flags (FPFLAGS) that results depend on.

# The version of nnlab, the one place it is written: nnlab --version prints
# it, and the installed man page carries it.
VERSION  := 0.2.0

CC       ?= cc
NATIVE   ?= 1
SANITIZE ?= 0
MPI      ?= 0

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MAN1DIR  ?= $(PREFIX)/share/man/man1
INSTALL  ?= install

ifeq ($(SANITIZE),1)
# -O2: the tests train tens of thousands of epochs, which take minutes at -O1
# under the sanitizers; every access is instrumented at either level.
BUILD    := build/sanitize
OPTFLAGS := -O2 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN    := -fsanitize=address,undefined
# GCC: its UBSan runtime honours log_path (which scripts/run-tests.sh uses to
# collect every report) only when linked statically.
ifeq ($(shell $(CC) -dM -E - </dev/null 2>/dev/null | grep -c __clang__),0)
LDSAN    += -static-libasan -static-libubsan
endif
else
BUILD    := build
OPTFLAGS := -O3 -g
LDSAN    :=
endif
ifeq ($(NATIVE),1)
OPTFLAGS += -march=native
endif

# The fast kernels (src/core/fast.c, fastmath.c) are compiled once per
# variant in KERNELS, each for its own vector width; the program runs the
# widest that the processor has (src/core/kernels.c). With NATIVE=1 that is
# one variant for this host; a NATIVE=0 build for x86-64 has AVX-512, AVX2
# (with FMA) and SSE2. KERNELS="avx2 sse2" leaves AVX-512 out (valgrind
# cannot run it). Rows are padded for the widest variant built.
KERNEL_SRC := src/core/fast.c src/core/fastmath.c src/core/gemm.c
ifeq ($(NATIVE),1)
KERNELS  ?= native
else ifneq ($(filter x86_64 i%86,$(shell uname -m)),)
KERNELS  ?= avx512 avx2 sse2
else
KERNELS  ?= native
endif
KFLAGS_avx512 := -mavx512f -mavx512dq -mavx512vl -mavx512bw -mavx2 -mfma -DKERNEL_ISA=KERNELS_AVX512
KFLAGS_avx2   := -mavx2 -mfma -DKERNEL_ISA=KERNELS_AVX2
KFLAGS_sse2   := -msse2 -DKERNEL_ISA=KERNELS_SSE2
KFLAGS_native := -DKERNEL_ISA=KERNELS_NATIVE
ifneq ($(filter native,$(KERNELS)),)
ROW_ALIGN :=
else ifneq ($(filter avx512,$(KERNELS)),)
ROW_ALIGN := -DNNLAB_ROW_ALIGN=8
else ifneq ($(filter avx2,$(KERNELS)),)
ROW_ALIGN := -DNNLAB_ROW_ALIGN=4
else
ROW_ALIGN := -DNNLAB_ROW_ALIGN=2
endif

# Packages: scripts/install-deps.sh installs them before the first compile
# (the stamp below is an order-only prerequisite of every compile), never
# for targets that compile nothing (clean, uninstall, format).
ifeq ($(MPI),1)
DEPS_STAMP := build/.deps-installed-mpi
DEPS_ARGS  := --mpi
MPI_PKGS   := ompi-c
FARM_SRC   := src/mpi/farm.c
else
DEPS_STAMP := build/.deps-installed
DEPS_ARGS  :=
MPI_PKGS   :=
FARM_SRC   := src/mpi/farm_none.c
endif

# Asked of pkg-config when a recipe runs, after install-deps.sh, not when make
# reads this file: on a fresh machine pkg-config and the packages are not yet
# there then.
PKGS      := plplot inih x11 $(MPI_PKGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
TEST_LIBS  = $(shell pkg-config --libs cmocka libpng)

# Floating point: a*b+c may become one FMA where the target has one, and FP
# operations are assumed not to trap, so that loops with conditionals can be
# vectorised. Neither is -ffast-math: NaN, infinities and signed zeros keep
# their meaning, and a given build always computes the same bits.
FPFLAGS  := -ffp-contract=fast -fno-trapping-math
# GCC only: without its first scheduling pass, GCC re-loads the shared
# operands of the dense kernels' register tiles at every multiply-add, which
# makes them load-bound (measured 1.5x slower). Clang keeps them in registers.
# And tuned for AMD Zen, GCC splits a multiply-add whose sum is a loop's only
# chain into a multiply and an add, so that a tile of one row and one vector
# would round differently from the others: the param turns that off.
ifeq ($(shell $(CC) -dM -E - </dev/null 2>/dev/null | grep -c __clang__),0)
FPFLAGS  += -fschedule-insns -fsched-pressure --param=avoid-fma-max-bits=0
endif

# The project's own flags. A compile is
#   NNLAB_CPPFLAGS CPPFLAGS NNLAB_CFLAGS CFLAGS FPFLAGS
# so that the user's CFLAGS can add to ours or override them (-O2, -g, ...),
# except FPFLAGS, which come last; a link adds LDFLAGS before the objects and
# LDLIBS after ours.
NNLAB_CPPFLAGS = -Iinclude $(PKG_CFLAGS) -D_POSIX_C_SOURCE=200809L $(ROW_ALIGN) \
                 $(KERNELS:%=-DNNLAB_KERNELS_%)
NNLAB_CFLAGS  := -std=c11 -Wall -Wextra -Wshadow -fopenmp-simd $(OPTFLAGS)
NNLAB_LDLIBS   = $(PKG_LIBS) -lpthread -lm
# Each object's header dependencies, written beside it as a .d file.
DEPFLAGS      := -MMD -MP
COMPILE        = $(CC) $(DEPFLAGS) $(NNLAB_CPPFLAGS) $(CPPFLAGS) $(NNLAB_CFLAGS) $(CFLAGS) $(FPFLAGS)
LINK           = $(CC) $(NNLAB_CFLAGS) $(CFLAGS) $(FPFLAGS) $(LDSAN) $(LDFLAGS)

CLI_SRC  := $(wildcard src/cli/*.c)
LIB_SRC  := $(filter-out $(KERNEL_SRC),$(wildcard src/core/*.c src/io/*.c src/plot/*.c \
            src/live/*.c)) $(filter-out src/cli/main.c,$(CLI_SRC)) src/mpi/message.c $(FARM_SRC)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) \
            $(foreach v,$(KERNELS),$(KERNEL_SRC:%.c=$(BUILD)/obj/%.$(v).o))
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
PROGRAM  := $(BUILD)/nnlab
MANPAGE  := $(BUILD)/nnlab.1

.PHONY: all test clean install uninstall figures bench bench-peers bench-sweep bench-vecmath \
        fuzz fuzz-build fuzz-merge valgrind format
all: $(PROGRAM) $(MANPAGE)

# Remade when the list of packages changes, so that a new one gets installed.
$(DEPS_STAMP): scripts/install-deps.sh
	@echo "nnlab: checking build dependencies (scripts/install-deps.sh)"
	@mkdir -p $(dir $@)
	@scripts/install-deps.sh $(DEPS_ARGS) || \
	    { echo "nnlab: scripts/install-deps.sh failed; run it as root or with sudo" >&2; exit 1; }
	@touch $@

# DIR/VERSION holds the VERSION the objects of DIR were built with; it is
# rewritten only when VERSION changes, which then rebuilds what uses it: the
# objects of src/cli (cli.h wants NNLAB_VERSION) and the man page.
%/VERSION: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' >$@
FORCE:

# DIR/MPI holds the MPI the library of DIR was built with (0 or 1): a build
# with the other relinks the library, the program and the tests, whose farm
# differs (src/mpi/farm.c or farm_none.c).
%/MPI: FORCE
	@mkdir -p $(dir $@)
	@echo '$(MPI)' | cmp -s - $@ || echo '$(MPI)' >$@

VERSIONED_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
$(VERSIONED_OBJ): $(BUILD)/VERSION
$(VERSIONED_OBJ): NNLAB_CPPFLAGS += -DNNLAB_VERSION='"$(VERSION)"'

# Every object is rebuilt when the Makefile (its flags) changes, and when a
# header its .d file names does.
$(BUILD)/obj/%.o: %.c Makefile | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(COMPILE) -c $< -o $@

# A variant of the kernels: KERNEL_VARIANT names its functions (fast.h).
define KERNEL_RULE
$$(BUILD)/obj/%.$(1).o: %.c Makefile | $$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$$(COMPILE) $$(KFLAGS_$(1)) -DKERNEL_VARIANT=$(1) -c $$< -o $$@
endef
$(foreach v,$(KERNELS),$(eval $(call KERNEL_RULE,$(v))))

$(BUILD)/libnnlab.a: $(LIB_OBJ) $(BUILD)/MPI
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(PROGRAM): $(BUILD)/obj/src/cli/main.o $(BUILD)/libnnlab.a
	$(LINK) $^ -o $@ $(NNLAB_LDLIBS) $(LDLIBS)

# The man page with the version filled in: src/cli/nnlab.1 names the program
# as ".TH NNLAB 1 DATE nnlab ...", the installed page "nnlab $(VERSION)".
$(MANPAGE): src/cli/nnlab.1 $(BUILD)/VERSION
	sed '/^\.TH /s/^\(\.TH [^ ]* [^ ]* [^ ]*\) nnlab /\1 "nnlab $(VERSION)" /' $< >$@.tmp
	@grep -q '^\.TH .* "nnlab $(VERSION)" ' $@.tmp || \
	    { echo "nnlab: no '.TH NNLAB 1 DATE nnlab ...' line in $<" >&2; rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@

# A test is compiled and linked in one step; its .d file is TEST.d.
$(BUILD)/tests/%: tests/%.c $(BUILD)/libnnlab.a Makefile | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(DEPFLAGS) -MF $@.d -MT $@ $(NNLAB_CPPFLAGS) -Itests -Isrc/core $(CPPFLAGS) \
	    $(NNLAB_CFLAGS) $(CFLAGS) $(FPFLAGS) $(LDSAN) $(LDFLAGS) $< $(BUILD)/libnnlab.a -o $@ \
	    $(NNLAB_LDLIBS) $(TEST_LIBS) $(LDLIBS)

-include $(wildcard $(BUILD)/obj/src/*/*.d $(BUILD)/tests/*.d)

test: $(PROGRAM) $(MANPAGE) $(TESTS) $(BENCH)
	@NNLAB_MPI=$(MPI) scripts/run-tests.sh $(BUILD)

# Install: the program and its man page, under DESTDIR (a staging folder, as
# for a package) and PREFIX. Builds them first if needed.
install: $(PROGRAM) $(MANPAGE)
	$(INSTALL) -D -m 755 $(PROGRAM) $(DESTDIR)$(BINDIR)/nnlab
	$(INSTALL) -D -m 644 $(MANPAGE) $(DESTDIR)$(MAN1DIR)/nnlab.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nnlab $(DESTDIR)$(MAN1DIR)/nnlab.1

# Benchmark: src/bench/bench.c against the library, and its peers (numpy,
# PyTorch, FANN) via
# scripts/bench/run.sh (see both for what is measured).
BENCH    := $(BUILD)/nnlab-bench

$(BENCH): $(BUILD)/obj/src/bench/bench.o $(BUILD)/libnnlab.a
	$(LINK) $^ -o $@ $(NNLAB_LDLIBS) $(LDLIBS)

# FANN, a peer of the benchmark, in its double-precision build (libfann-dev).
$(BUILD)/nnlab-bench-fann: src/bench/fann_mlp.c Makefile | $(DEPS_STAMP)
	$(CC) $(NNLAB_CPPFLAGS) $(NNLAB_CFLAGS) $(CFLAGS) $< -o $@ -ldoublefann -lm

bench: $(BENCH) $(PROGRAM) $(BUILD)/nnlab-bench-fann
	@scripts/bench/run.sh $(BUILD)

# A sweep of 200 runs (scripts/bench/sweep.ini) on 1, 2 and 4 MPI ranks and with
# threads on one machine (see scripts/bench/sweep.sh), in an MPI build.
bench-sweep:
	$(MAKE) MPI=1 $(BUILD)/nnlab
	@scripts/bench/sweep.sh $(BUILD)/nnlab

# The peer table and the whole-process rows alone (see scripts/bench/run.sh).
bench-peers: $(BENCH) $(PROGRAM) $(BUILD)/nnlab-bench-fann
	@scripts/bench/run.sh $(BUILD) --peers-only

# nnlab's vector exp, sigmoid and tanh against libmvec and SLEEF
# (src/bench/vecmath_bench.c; AVX-512 processors only).
VECMATH_BENCH := $(BUILD)/nnlab-bench-vecmath

$(VECMATH_BENCH): $(BUILD)/obj/src/bench/vecmath_bench.o $(BUILD)/libnnlab.a
	$(LINK) $^ -o $@ $(NNLAB_LDLIBS) -lsleef -lmvec $(LDLIBS)

bench-vecmath: $(VECMATH_BENCH)
	$(VECMATH_BENCH)

clean:
	rm -rf build

format:
	clang-format -i src/*/*.c include/*.h tests/*.c tests/*.h tests/fuzz/*.c tests/fuzz/*.h

# ---------------------------------------------------------------------------
# Figures: one `nnlab run` per experiment file, into plots/NAME/. A figure is
# remade when its experiment file or the program changes. The runs' data go
# to build/runs/NAME/.
FIGURE_ORDER := result different_lr different_hidden_size different_activation \
                without_activation momentum_optimizer loss_functions optimizers batch_size \
                initialization initialization_tanh weight_decay problems depth_on_spiral \
                noise_and_overfitting three_classes lr_and_width
ALL_EXPERIMENTS := $(basename $(notdir $(wildcard experiments/*.ini)))
EXPERIMENTS     := $(filter $(ALL_EXPERIMENTS),$(FIGURE_ORDER)) \
                   $(filter-out $(FIGURE_ORDER),$(ALL_EXPERIMENTS))

# An experiment file whose name cannot name plots/NAME (nnlab's rule: letters,
# digits, '.', '_' and '-', not starting with '.' or '-'): make would split a
# name with a space into two experiments, so such files are refused first.
BAD_EXPERIMENTS := $(shell ls experiments | grep '\.ini$$' | \
                     grep -v '^[A-Za-z0-9_][A-Za-z0-9._-]*\.ini$$' | sed 's/.*/"&"/')
ifneq ($(BAD_EXPERIMENTS),)
figures:
	$(error make figures: cannot name plots/NAME after experiments/ $(BAD_EXPERIMENTS): \
	    a file name of letters, digits, '.', '_' and '-', not starting with '.' or '-', \
	    is accepted; rename the file)
else
figures: plots/README.md plots/index.html
endif

# plots/NAME/README.md is written last and marks an experiment as done; an
# interrupted or failed run must not leave it behind as if it were.
.DELETE_ON_ERROR:

plots/%/README.md: experiments/%.ini build/nnlab
	build/nnlab run $< --out plots/$* --runs build/runs/$* --quiet

plots/README.md: $(EXPERIMENTS:%=plots/%/README.md) scripts/plots-readme.sh
	scripts/plots-readme.sh $(EXPERIMENTS)

# The gallery: the same reports on one page to open in a browser, made with
# cmark-gfm (installed by scripts/install-deps.sh).
plots/index.html: $(EXPERIMENTS:%=plots/%/README.md) scripts/gallery.sh | $(DEPS_STAMP)
	scripts/gallery.sh plots $(EXPERIMENTS)

# ---------------------------------------------------------------------------
# Fuzzing: a libFuzzer harness per reader of user files (tests/fuzz/fuzz_*.c),
# built with clang, ASan and UBSan into build/fuzz/, each run FUZZ_SECONDS.
# The committed inputs (tests/fuzz/corpus/NAME, tests/fuzz/regressions/NAME)
# are only read; what the fuzzer finds goes to build/fuzz/corpus/NAME, and a
# crash to build/fuzz/crashes/NAME/ (copy it to tests/fuzz/regressions/NAME
# once fixed). `make fuzz-merge` adds to tests/fuzz/corpus only the new
# inputs that reach code the corpus does not. FUZZ_TARGETS picks harnesses.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv model experiment
FUZZ_CC      ?= clang
FUZZ_DIR     := build/fuzz
FUZZ_CFLAGS  := -std=c11 -Wall -Wextra -Wshadow -fopenmp-simd -O1 -g -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o) \
                $(foreach v,$(KERNELS),$(KERNEL_SRC:%.c=$(FUZZ_DIR)/obj/%.$(v).o))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
# The longest input: a few KB reach every path of the CSV and model readers;
# an experiment file may be 64 KB (EXP_MAX_FILE_BYTES), and a bit more is refused.
fuzz_max_len = $(if $(filter experiment,$(1)),65600,4096)
FUZZ_RUN = ASAN_OPTIONS=detect_leaks=1 $(FUZZ_DIR)/fuzz_$$t -max_len=$(call fuzz_max_len,$$t) \
           -timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz/$$t.dict

FUZZ_VERSIONED_OBJ := $(CLI_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
$(FUZZ_VERSIONED_OBJ): $(FUZZ_DIR)/VERSION
$(FUZZ_VERSIONED_OBJ): NNLAB_CPPFLAGS += -DNNLAB_VERSION='"$(VERSION)"'

$(FUZZ_DIR)/obj/%.o: %.c Makefile | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(DEPFLAGS) $(NNLAB_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

define FUZZ_KERNEL_RULE
$$(FUZZ_DIR)/obj/%.$(1).o: %.c Makefile | $$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(DEPFLAGS) $$(NNLAB_CPPFLAGS) $$(FUZZ_CFLAGS) $$(KFLAGS_$(1)) -DKERNEL_VARIANT=$(1) \
	    -fsanitize=fuzzer-no-link -c $$< -o $$@
endef
$(foreach v,$(KERNELS),$(eval $(call FUZZ_KERNEL_RULE,$(v))))

$(FUZZ_DIR)/libnnlab.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libnnlab.a Makefile | $(DEPS_STAMP)
	$(FUZZ_CC) $(DEPFLAGS) -MF $@.d -MT $@ $(NNLAB_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< \
	    $(FUZZ_DIR)/libnnlab.a -o $@ $(NNLAB_LDLIBS)

-include $(wildcard $(FUZZ_DIR)/obj/src/*/*.d $(FUZZ_DIR)/*.d)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/crashes/$$t; \
	    echo "fuzz_$$t: $(FUZZ_SECONDS) s, log in $(FUZZ_DIR)/fuzz_$$t.log"; \
	    if ! $(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	            -artifact_prefix=$(FUZZ_DIR)/crashes/$$t/ $(FUZZ_DIR)/corpus/$$t \
	            tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t >$(FUZZ_DIR)/fuzz_$$t.log 2>&1; \
	    then \
	        tail -n 40 $(FUZZ_DIR)/fuzz_$$t.log; \
	        echo "fuzz_$$t FAILED: the input is in $(FUZZ_DIR)/crashes/$$t/"; exit 1; \
	    fi; \
	    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' $(FUZZ_DIR)/fuzz_$$t.log \
	        | sed "s/^/  /"; \
	done

fuzz-merge: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
	    $(FUZZ_RUN) -merge=1 tests/fuzz/corpus/$$t $(FUZZ_DIR)/corpus/$$t \
	        >$(FUZZ_DIR)/merge_$$t.log 2>&1 || { tail -n 20 $(FUZZ_DIR)/merge_$$t.log; exit 1; }; \
	    grep -E 'MERGE-OUTER: [0-9]+ new files' $(FUZZ_DIR)/merge_$$t.log | sed "s/^/$$t: /"; \
	done

# ---------------------------------------------------------------------------
# Valgrind: one small `nnlab run` under memcheck (scripts/valgrind-run.sh),
# and every saved fuzz input through the readers (memcheck sees reads of
# uninitialised memory, which ASan does not), on a build at -O1 without
# sanitizers or -march=native and without the AVX-512 kernels, which
# valgrind cannot run, in build/valgrind.
valgrind:
	$(MAKE) BUILD=build/valgrind OPTFLAGS="-O1 -g" SANITIZE=0 NATIVE=0 KERNELS="avx2 sse2" \
	    build/valgrind/nnlab \
	    build/valgrind/tests/test_fuzz_regressions
	@echo "valgrind: the saved fuzz inputs (build/valgrind/test_fuzz_regressions.log)"
	@valgrind -q --leak-check=full --error-exitcode=1 build/valgrind/tests/test_fuzz_regressions \
	    >build/valgrind/test_fuzz_regressions.log 2>&1 || \
	    { cat build/valgrind/test_fuzz_regressions.log; exit 1; }
	@grep -E '^\[  PASSED' build/valgrind/test_fuzz_regressions.log
	scripts/valgrind-run.sh build/valgrind/nnlab
