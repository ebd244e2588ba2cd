# nnlab - build, test, figures and benchmarks.
#
#   make                 build build/nnlab
#   make test            build and run the whole test suite
#   make test SANITIZE=1 the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make figures         regenerate every figure of every experiment into plots/
#   make bench           time training against the machine's peak and numpy
#   make fuzz            run the libFuzzer harnesses (FUZZ_SECONDS each)
#
# NATIVE=0 builds for any x86-64 (or other) machine instead of this host's
# instruction set.

CC       ?= cc
NATIVE   ?= 1
SANITIZE ?= 0

ifeq ($(SANITIZE),1)
BUILD    := build/sanitize
OPTFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN    := -fsanitize=address,undefined
else
BUILD    := build
OPTFLAGS := -O3 -g
LDSAN    :=
endif
ifeq ($(NATIVE),1)
OPTFLAGS += -march=native
endif

# Packages: installed by scripts/install-deps.sh the first time they are missing.
DEPS_STAMP := build/.deps-installed
ifeq ($(wildcard $(DEPS_STAMP)),)
$(info nnlab: checking build dependencies (scripts/install-deps.sh))
DEPS_RC := $(shell mkdir -p build && scripts/install-deps.sh >&2 && touch $(DEPS_STAMP); echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/install-deps.sh failed; run it as root or with sudo)
endif
endif

PKGS     := plplot inih
CPPFLAGS := -Iinclude $(shell pkg-config --cflags $(PKGS)) -D_POSIX_C_SOURCE=200809L
CFLAGS   := -std=c11 -Wall -Wextra -Wshadow -fopenmp-simd $(OPTFLAGS)
LDLIBS   := $(shell pkg-config --libs $(PKGS)) -lpthread -lm
TESTLIBS := $(shell pkg-config --libs cmocka libpng)

LIB_SRC  := $(wildcard src/core/*.c src/io/*.c src/plot/*.c) $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
PROGRAM  := $(BUILD)/nnlab

.PHONY: all test clean figures bench fuzz format
all: $(PROGRAM)

$(BUILD)/obj/%.o: %.c $(wildcard include/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libnnlab.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(PROGRAM): $(BUILD)/obj/src/cli/main.o $(BUILD)/libnnlab.a
	$(CC) $(CFLAGS) $(LDSAN) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/*.h $(BUILD)/libnnlab.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDSAN) -Itests $< $(BUILD)/libnnlab.a -o $@ $(LDLIBS) $(TESTLIBS)

test: $(PROGRAM) $(TESTS)
	@scripts/run-tests.sh $(BUILD)

clean:
	rm -rf build

format:
	clang-format -i src/*/*.c include/*.h tests/*.c tests/*.h

# ---------------------------------------------------------------------------
# Figures: one `nnlab run` per experiment file, into plots/NAME/. A figure is
# remade when its experiment file or the program changes. The runs' data go
# to build/runs/NAME/.
FIGURE_ORDER := result different_lr different_hidden_size different_activation \
                without_activation momentum_optimizer
ALL_EXPERIMENTS := $(basename $(notdir $(wildcard experiments/*.ini)))
EXPERIMENTS     := $(filter $(ALL_EXPERIMENTS),$(FIGURE_ORDER)) \
                   $(filter-out $(FIGURE_ORDER),$(ALL_EXPERIMENTS))

figures: plots/README.md

plots/%/README.md: experiments/%.ini build/nnlab
	build/nnlab run $< --out plots/$* --runs build/runs/$* --quiet

plots/README.md: $(EXPERIMENTS:%=plots/%/README.md) scripts/plots-readme.sh
	scripts/plots-readme.sh $(EXPERIMENTS)
