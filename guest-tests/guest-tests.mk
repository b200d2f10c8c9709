# SPDX-License-Identifier: GPL-2.0
# Guest test kernels: guest-tests/t-*.c, each linked with the guest library
# (guest-tests/lib) and newlib into $(BUILD)/guest-tests/<name>.elf, an ELF32
# Multiboot 1 image with 64-bit code. Included by the root Makefile.
# Guest code sees only the public ABI headers (include/public) and newlib.

GUEST_OUT := $(BUILD)/guest-tests
NEWLIB_DIR := $(BUILD)/newlib/x86_64-elf
NEWLIB_STAMP := $(BUILD)/newlib/.stamp

# Freestanding 64-bit code; SSE allowed (newlib needs it), no red zone (exceptions on the stack).
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -mno-red-zone \
	-fno-pic -fno-pie -mcmodel=small -fno-stack-protector -nostdinc \
	-isystem $(NEWLIB_DIR)/include -isystem $(shell $(CC) -print-file-name=include) \
	-I include/public -I guest-tests/lib -MMD -MP
GUEST_ASFLAGS := -MMD -MP
GUEST_LIBS := $(NEWLIB_DIR)/lib/libc.a $(shell $(CC) -print-libgcc-file-name)

GUEST_LIB_C_OBJS := $(patsubst guest-tests/%.c,$(GUEST_OUT)/%.c.o,$(wildcard guest-tests/lib/*.c))
GUEST_LIB_S_OBJS := $(patsubst guest-tests/%.S,$(GUEST_OUT)/%.S.o,$(wildcard guest-tests/lib/*.S))
GUEST_LIB_OBJS := $(GUEST_LIB_C_OBJS) $(GUEST_LIB_S_OBJS)
# The library's console backend (COM1): a kernel with its own console links the rest.
GUEST_LIB_COM1_OBJ := $(GUEST_OUT)/lib/com1.c.o
GUEST_TESTS := $(patsubst guest-tests/%.c,$(GUEST_OUT)/%.elf,$(wildcard guest-tests/t-*.c))
GUEST_TEST_OBJS := $(GUEST_TESTS:.elf=.c.o)

# Deliberately broken images that hv must refuse (guest-tests/suite.txt).
GUEST_BAD_SRCS := $(wildcard guest-tests/bad/bad-*.S)
GUEST_BAD := $(patsubst guest-tests/bad/%.S,$(GUEST_OUT)/%.elf,$(GUEST_BAD_SRCS))

# Small kernels for the boot protocols, in assembly (guest-tests/boot/t-*.S).
GUEST_BOOT_SRCS := $(wildcard guest-tests/boot/t-*.S)
GUEST_BOOT := $(patsubst guest-tests/boot/%.S,$(GUEST_OUT)/%.elf,$(GUEST_BOOT_SRCS))

# t-boot's module: byte i is (i * 7) % 251, 5000 bytes (not a whole page on purpose).
GUEST_DATA := $(GUEST_OUT)/t-boot-data.bin

.PHONY: guest-tests
guest-tests: $(GUEST_TESTS) $(GUEST_BAD) $(GUEST_BOOT) $(GUEST_DATA)

$(GUEST_DATA):
	@mkdir -p $(dir $@)
	$(Q)python3 -c 'import sys; sys.stdout.buffer.write(bytes(i * 7 % 251 for i in range(5000)))' >$@

$(GUEST_BAD): $(GUEST_OUT)/%.elf: guest-tests/bad/%.S
	@mkdir -p $(dir $@)
	@echo "  GUESTAS $<"
	$(Q)$(CC) -m32 -c $< -o $@.o
	$(Q)ld -m elf_i386 -Ttext=0x100000 -e _start -z noexecstack -o $@ $@.o

$(GUEST_BOOT): $(GUEST_OUT)/%.elf: guest-tests/boot/%.S
	@mkdir -p $(dir $@)
	@echo "  GUESTAS $<"
	$(Q)$(CC) -m32 -c $< -o $@.o
	$(Q)ld -m elf_i386 -Ttext=0x100000 -e _start -z noexecstack -o $@ $@.o

$(NEWLIB_STAMP): tools/build-newlib.sh
	$(Q)BUILD=$(BUILD) tools/build-newlib.sh

# Static pattern rules: the root Makefile's $(BUILD)/%.c.o (hv's flags) must not apply here.
$(GUEST_LIB_C_OBJS) $(GUEST_TEST_OBJS): $(GUEST_OUT)/%.c.o: guest-tests/%.c $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_LIB_S_OBJS): $(GUEST_OUT)/%.S.o: guest-tests/%.S
	@mkdir -p $(dir $@)
	@echo "  GUESTAS $<"
	$(Q)$(CC) $(GUEST_ASFLAGS) -c $< -o $@

# Linked as ELF64 (kept as .elf.64 for debugging), then relabelled ELF32:
# Multiboot 1 loaders only take ELF32.
$(GUEST_TESTS): $(GUEST_OUT)/%.elf: $(GUEST_OUT)/%.c.o $(GUEST_LIB_OBJS) guest-tests/lib/guest.ld
	@echo "  GUESTLD $@"
	$(Q)ld -nostdlib -static -z max-page-size=4096 -z noexecstack \
		-T guest-tests/lib/guest.ld -o $@.64 $< $(GUEST_LIB_OBJS) \
		--start-group $(GUEST_LIBS) --end-group
	$(Q)objcopy -O elf32-i386 $@.64 $@

-include $(GUEST_LIB_OBJS:.o=.d) $(GUEST_TEST_OBJS:.o=.d)
