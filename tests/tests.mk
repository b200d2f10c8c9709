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
	hv/vmx/caps.c $(wildcard hv/vmx/checker.c) tests/model/model.c
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

$(BUILD)/host/unit/%: tests/unit/%.c $(HOST_LIB)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< $(HOST_LIB) $(HOST_LDLIBS) -o $@

.PHONY: unit-build
unit-build: $(UNIT_BINS)

-include $(HOST_OBJS:.o=.d) $(UNIT_BINS:=.d)
