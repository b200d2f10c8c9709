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
		hv/ept/*.c hv/apic/*.c hv/pmu/*.c hv/ioreq/*.c hv/loader/*.c)
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(HV_SRCS))

.PHONY: all clean deps run test bench unit iso run-now test-now bench-now bench-linux bochs3
all: $(BUILD)/hv.elf $(BUILD)/hv.efi guest-tests service $(BUILD)/hv.iso

# `run`, `test` and `bench` first make sure the Debian packages are there
# (installing them when root), then build and go in a fresh make so every
# tool found at parse time is the installed one.
deps:
	@tools/deps.sh install

run:
	@tools/deps.sh ensure
	@$(MAKE) --no-print-directory run-now

test:
	@tools/deps.sh ensure
	@$(MAKE) --no-print-directory test-now

bench:
	@tools/deps.sh ensure
	@$(MAKE) --no-print-directory bench-now bench-linux

# `make run GUEST=path/to/kernel [INITRD=file] [APPEND="args"] [MEM=256M]` boots a kernel
# of your own instead of the demo: Multiboot, PVH (ELF vmlinux) or bzImage; hv says which.
GUEST ?=
INITRD ?=
APPEND ?=
MEM ?=
run-now: all
	@tools/run.sh $(if $(GUEST),--guest $(GUEST) $(if $(INITRD),--initrd $(INITRD)) \
		--append "$(APPEND)" $(if $(MEM),--cmdline guest_mem=$(MEM)),--iso $(BUILD)/hv.iso)

test-now: all unit-build fuzz-build
	@tools/hvtest.py

bench-now: all
	@tools/hvtest.py --bench

# Debian's kernel to its init, under hv and natively (bochs3; about 5 minutes;
# `make bench` runs it after bench-now).
bench-linux: all
	@tools/hvtest.py --bench-linux

unit: unit-build
	@tools/run-host-tests.sh

# The reference engine: Bochs 3.0 with the project's patches, in $(BUILD)/bochs3
# (built again only when its source, a patch or the script changed).
bochs3:
	@BUILD=$(BUILD) tools/build-bochs.sh

# The demo: hv.elf, hv.efi and the guest-test suite on one hybrid ISO.
iso: $(BUILD)/hv.iso
$(BUILD)/hv.iso: $(BUILD)/hv.elf $(BUILD)/hv.efi guest-tests guest-tests/suite.txt tools/mkiso.sh
	@echo "  ISO     $@"
	$(Q)tools/hvtest.py --make-iso $@

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
-include guest-tests/guest-tests.mk
-include service/service.mk
-include boot/efi/efi.mk

clean:
	rm -rf $(BUILD)

-include $(HV_OBJS:.o=.d)
