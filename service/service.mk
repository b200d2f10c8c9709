# SPDX-License-Identifier: GPL-2.0
# The service partition's kernel: service/*.c linked with the guest library
# (guest-tests/lib) minus its COM1 console, and newlib, into
# $(BUILD)/service/service.elf, an ELF32 Multiboot 1 image with 64-bit code,
# built like the guest tests. Included by the root Makefile after
# guest-tests/guest-tests.mk, whose flags and library objects it uses.

SERVICE_OUT := $(BUILD)/service
SERVICE_OBJS := $(patsubst service/%.c,$(SERVICE_OUT)/%.c.o,$(wildcard service/*.c))
SERVICE_LIB_OBJS := $(filter-out $(GUEST_LIB_COM1_OBJ),$(GUEST_LIB_OBJS))

.PHONY: service
service: $(SERVICE_OUT)/service.elf

# Static pattern rule: the root Makefile's $(BUILD)/%.c.o (hv's flags) must not apply here.
$(SERVICE_OBJS): $(SERVICE_OUT)/%.c.o: service/%.c $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

# As the guest tests: linked as ELF64, then relabelled ELF32 for Multiboot 1 loaders.
$(SERVICE_OUT)/service.elf: $(SERVICE_OBJS) $(SERVICE_LIB_OBJS) guest-tests/lib/guest.ld
	@echo "  GUESTLD $@"
	$(Q)ld -nostdlib -static -z max-page-size=4096 -z noexecstack \
		-T guest-tests/lib/guest.ld -o $@.64 $(SERVICE_OBJS) $(SERVICE_LIB_OBJS) \
		--start-group $(GUEST_LIBS) --end-group
	$(Q)objcopy -O elf32-i386 $@.64 $@

-include $(SERVICE_OBJS:.o=.d)
