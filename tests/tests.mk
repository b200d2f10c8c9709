# SPDX-License-Identifier: GPL-2.0
# Host unit tests (cmocka) and fuzz targets (libFuzzer). Included by the root Makefile.
#
# The logic under test is compiled for the host against tests/model/include,
# which replaces include/x86/hw.h with a model of the hardware.

HOST_CC := gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-I tests/model/include -I include -I . -DHV_HOST_TEST -MMD -MP
HOST_LDLIBS := -lcmocka -lpthread

# Sources that build unchanged for the host: pure logic behind the hw interface.
HOST_SRCS := boot/multiboot2.c hv/core/acpi.c hv/core/frame.c hv/lib/fmt.c hv/lib/strutil.c \
	hv/ioreq/decode.c hv/ioreq/guest_walk.c hv/ioreq/guest_mem.c hv/ioreq/channel.c \
	hv/ioreq/insn_cache.c \
	hv/ioreq/claims.c hv/core/mb1_loader.c hv/core/cmdline.c hv/vmx/caps.c $(wildcard hv/vmx/checker.c) \
	hv/ept/ept.c hv/core/epoch.c hv/core/isolation.c hv/core/mce.c \
	hv/ioreq/ioreq.c hv/ept/ept_exit.c hv/ept/ept_hypercall.c hv/core/hypercall.c hv/core/vcpu.c \
	hv/vmx/ipiv_test.c hv/vmx/msr_bitmap.c hv/pmu/pmu.c hv/pmu/passthrough.c $(wildcard hv/apic/*.c) \
	$(wildcard hv/loader/*.c) \
	tests/model/model.c tests/model/bochs_tigerlake.c tests/model/bochs_sapphire_rapids.c
HOST_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_SRCS))
HOST_LIB := $(BUILD)/host/libhv-host.a

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/host/unit/%,$(UNIT_SRCS))

$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_LIB): $(HOST_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# libasan defines vsnprintf and snprintf too, and comes first on the link line:
# the archive member with hv's would never be pulled in. Link it directly.
$(BUILD)/host/unit/test_fmt: UNIT_OBJS = $(BUILD)/host/hv/lib/fmt.o
$(BUILD)/host/unit/test_fmt: $(BUILD)/host/hv/lib/fmt.o

# The EPT tests share hv's surroundings (tests/model/ept_env.c), which watches
# every frame the pool hands out and takes back: it wraps the allocator.
EPT_TESTS := $(BUILD)/host/unit/test_ept $(BUILD)/host/unit/test_ept_stress \
	$(BUILD)/host/unit/test_guest_mem
$(EPT_TESTS): UNIT_OBJS = $(BUILD)/host/tests/model/ept_env.o
$(EPT_TESTS): UNIT_LDFLAGS = -Wl,--wrap=frame_pool_alloc -Wl,--wrap=frame_pool_free
$(EPT_TESTS): $(BUILD)/host/tests/model/ept_env.o

# hv/pmu against the model of the PMU and the LBRs (tests/model/pmu_model.c),
# with the frames of ept_env.c.
PMU_TEST := $(BUILD)/host/unit/test_pmu
PMU_TEST_OBJS := $(BUILD)/host/tests/model/pmu_model.o $(BUILD)/host/tests/model/ept_env.o
$(PMU_TEST): UNIT_OBJS = $(PMU_TEST_OBJS)
$(PMU_TEST): UNIT_LDFLAGS = -Wl,--wrap=frame_pool_alloc -Wl,--wrap=frame_pool_free
$(PMU_TEST): $(PMU_TEST_OBJS)

# The tests of hv/ioreq's exit handling and the hypercalls run them in a model
# of the rest of hv (tests/model/hv_env.c) over the same surroundings.
HV_ENV_TESTS := $(BUILD)/host/unit/test_ioreq_string $(BUILD)/host/unit/test_ept_exit \
	$(BUILD)/host/unit/test_hypercall $(BUILD)/host/unit/test_ioreq_wait
HV_ENV_OBJS := $(BUILD)/host/tests/model/hv_env.o $(BUILD)/host/tests/model/ept_env.o
$(HV_ENV_TESTS): UNIT_OBJS = $(HV_ENV_OBJS)
$(HV_ENV_TESTS): UNIT_LDFLAGS = -Wl,--wrap=frame_pool_alloc -Wl,--wrap=frame_pool_free
$(HV_ENV_TESTS): $(HV_ENV_OBJS)

$(BUILD)/host/unit/%: tests/unit/%.c $(HOST_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(UNIT_LDFLAGS) $< $(UNIT_OBJS) $(HOST_LIB) $(HOST_LDLIBS) -o $@

# The service partition's emulation (service/service.h) against a model of hv
# (tests/model/service_hv.c). Like the service kernel, it includes the public
# headers by their own names: -I include/public.
SERVICE_HOST_SRCS := service/channel.c service/device.c service/uart.c service/testdev.c \
	service/irq.c service/pit.c service/rtc.c service/pm.c tests/model/service_hv.c
SERVICE_HOST_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(SERVICE_HOST_SRCS))
SERVICE_HOST_CFLAGS := $(HOST_CFLAGS) -I include/public
SERVICE_UNIT_BINS := $(filter $(BUILD)/host/unit/test_service_%,$(UNIT_BINS))

$(SERVICE_HOST_OBJS): $(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(SERVICE_HOST_CFLAGS) -c $< -o $@

$(SERVICE_UNIT_BINS): $(BUILD)/host/unit/%: tests/unit/%.c $(SERVICE_HOST_OBJS)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(SERVICE_HOST_CFLAGS) $< $(SERVICE_HOST_OBJS) $(HOST_LDLIBS) -o $@

.PHONY: unit-build
unit-build: $(UNIT_BINS)

# libFuzzer targets: clang, with its own sanitizer runtime, so the sources they
# need are compiled again with clang rather than linked from the gcc objects.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-I tests/model/include -I include -I . -DHV_HOST_TEST -MMD -MP
FUZZ_HOST_SRCS := boot/multiboot2.c hv/core/acpi.c hv/core/mb1_loader.c hv/lib/strutil.c \
	hv/ioreq/decode.c hv/ioreq/guest_walk.c hv/ioreq/channel.c hv/ioreq/claims.c \
	hv/ioreq/guest_mem.c hv/ioreq/insn_cache.c hv/ioreq/ioreq.c hv/ept/ept.c \
	hv/ept/ept_hypercall.c \
	hv/core/hypercall.c hv/core/epoch.c hv/core/frame.c hv/core/cmdline.c hv/vmx/caps.c \
	hv/core/vcpu.c hv/vmx/ipiv_test.c hv/vmx/msr_bitmap.c $(wildcard hv/apic/*.c) \
	$(wildcard hv/loader/*.c) \
	tests/model/model.c
FUZZ_HOST_OBJS := $(patsubst %.c,$(BUILD)/host-fuzz/%.o,$(FUZZ_HOST_SRCS))
FUZZ_HOST_LIB := $(BUILD)/host-fuzz/libhv-fuzz.a

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRCS))
FUZZ_BINS := $(addprefix $(BUILD)/host/fuzz/,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 300

$(BUILD)/host-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_HOST_LIB): $(FUZZ_HOST_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# fuzz_hypercall runs hv's handlers in the model of hv's surroundings, as the
# hv_env unit tests do.
FUZZ_ENV_OBJS := $(BUILD)/host-fuzz/tests/model/hv_env.o $(BUILD)/host-fuzz/tests/model/ept_env.o
$(BUILD)/host/fuzz/fuzz_hypercall: FUZZ_OBJS = $(FUZZ_ENV_OBJS)
$(BUILD)/host/fuzz/fuzz_hypercall: FUZZ_LDFLAGS = -Wl,--wrap=frame_pool_alloc \
	-Wl,--wrap=frame_pool_free
$(BUILD)/host/fuzz/fuzz_hypercall: $(FUZZ_ENV_OBJS)

$(BUILD)/host/fuzz/%: tests/fuzz/%.c $(FUZZ_HOST_LIB)
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJS) \
		$(FUZZ_HOST_LIB) -o $@

.PHONY: fuzz-build fuzz
fuzz-build: $(FUZZ_BINS)

# Each fuzzer runs FUZZ_SECONDS on $(BUILD)/fuzz-corpus/<name>, which keeps
# growing across runs, seeded from tests/fuzz/corpus/<name>/, with the
# dictionary tests/fuzz/<name>.dict if there is one. Crash inputs go to
# $(BUILD)/fuzz-artifacts/<name>/.
fuzz: fuzz-build
	$(Q)set -e; for name in $(FUZZ_NAMES); do \
		corpus=$(BUILD)/fuzz-corpus/$$name; \
		artifacts=$(BUILD)/fuzz-artifacts/$$name; \
		mkdir -p $$corpus $$artifacts; \
		if [ -d tests/fuzz/corpus/$$name ]; then \
			cp -n tests/fuzz/corpus/$$name/* $$corpus/ 2>/dev/null || true; \
		fi; \
		dict=; [ ! -f tests/fuzz/$$name.dict ] || dict=-dict=tests/fuzz/$$name.dict; \
		echo "  FUZZ    $$name ($(FUZZ_SECONDS) s)"; \
		$(BUILD)/host/fuzz/$$name -max_total_time=$(FUZZ_SECONDS) $$dict \
			-artifact_prefix=$$artifacts/ $$corpus; \
	done

-include $(HOST_OBJS:.o=.d) $(SERVICE_HOST_OBJS:.o=.d) $(BUILD)/host/tests/model/ept_env.d \
	$(BUILD)/host/tests/model/hv_env.d \
	$(UNIT_BINS:=.d) $(FUZZ_HOST_OBJS:.o=.d) $(FUZZ_ENV_OBJS:.o=.d) $(FUZZ_BINS:=.d)
