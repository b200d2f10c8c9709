# SPDX-License-Identifier: GPL-2.0
# hv: `make` builds everything, `make run` boots the demo, `make test` runs the suite.
# See README.md; tools/ holds the scripts these targets call.

BUILD ?= build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
CC := gcc
LD := ld
OBJCOPY := objcopy

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

# hv proper: freestanding, no SSE (guest state), no red zone (interrupts on the stack).
HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -nostdinc -isystem $(GCC_INCLUDE) -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fno-strict-aliasing \
	-fno-common --param=min-pagesize=0 -I include -I . -MMD -MP
HV_ASFLAGS := -D__ASSEMBLY__ -I include -I . -MMD -MP

HV_SRCS := boot/mb2_entry.S boot/boot.c boot/multiboot2.c \
	$(wildcard hv/core/*.c hv/core/*.S hv/lib/*.c hv/vmx/*.c hv/vmx/*.S \
		hv/ept/*.c hv/apic/*.c hv/pmu/*.c hv/ioreq/*.c)
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(HV_SRCS))

.PHONY: all clean
all: $(BUILD)/hv.elf

$(BUILD)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

$(BUILD)/hv.elf: $(HV_OBJS) linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -n -T linker.ld -nostdlib -z max-page-size=4096 -z noexecstack -o $@ $(HV_OBJS)

include tests/tests.mk

clean:
	rm -rf $(BUILD)

-include $(HV_OBJS:.o=.d)
