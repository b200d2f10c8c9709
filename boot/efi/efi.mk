# SPDX-License-Identifier: GPL-2.0
# hv.efi: a UEFI application (GNU-EFI) that carries the core (build/hv.elf) as a
# flat binary, loads hv.cfg and its modules from the ESP, leaves boot services
# and enters the core at efi_entry64. Included by the root Makefile.

EFI_OUT := $(BUILD)/efi
EFI_CRT0 := /usr/lib/crt0-efi-x86_64.o
EFI_LDS := /usr/lib/elf_x86_64_efi.lds
EFI_LIBDIR := /usr/lib

EFI_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fpic -fshort-wchar -mno-red-zone -maccumulate-outgoing-args \
	-fno-stack-protector -fno-strict-aliasing -fno-common -fno-asynchronous-unwind-tables \
	-DGNU_EFI_USE_MS_ABI -I/usr/include/efi -I/usr/include/efi/x86_64 \
	-I $(EFI_OUT) -I include -I . -MMD -MP
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j .rel.* -j .rela.* -j .reloc

EFI_OBJS := $(EFI_OUT)/loader.o $(EFI_OUT)/core_blob.o

.PHONY: efi
efi: $(BUILD)/hv.efi

# The core as a flat image starting at __image_start (without .bss), and its addresses.
$(EFI_OUT)/hv-core.bin: $(BUILD)/hv.elf
	@mkdir -p $(dir $@)
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

$(EFI_OUT)/hv_core_syms.h: $(BUILD)/hv.elf boot/efi/core-syms.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)NM=nm sh boot/efi/core-syms.sh $< $@

$(EFI_OUT)/core_blob.o: boot/efi/core_blob.S $(EFI_OUT)/hv-core.bin
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) -c -DHV_CORE_BIN='"$(EFI_OUT)/hv-core.bin"' $< -o $@

$(EFI_OUT)/loader.o: boot/efi/loader.c $(EFI_OUT)/hv_core_syms.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(EFI_OUT)/hv-efi.so: $(EFI_OBJS) $(EFI_CRT0) $(EFI_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) -shared -Bsymbolic -nostdlib -znocombreloc -T $(EFI_LDS) -L $(EFI_LIBDIR) \
		$(EFI_CRT0) $(EFI_OBJS) -o $@ -lefi -lgnuefi

$(BUILD)/hv.efi: $(EFI_OUT)/hv-efi.so
	@echo "  EFI     $@"
	$(Q)$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@

-include $(EFI_OUT)/loader.d
