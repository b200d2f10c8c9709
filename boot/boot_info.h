/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What either firmware path (Multiboot2 from GRUB, or the UEFI loader) hands
 * to the core. Fixed-size fields only: the UEFI loader is built separately
 * (GNU-EFI, -fshort-wchar) and fills this structure for the same core.
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include <types.h>

#define BOOT_MAX_MEM_RANGES 128U
#define BOOT_MAX_MODULES 128U
#define BOOT_CMDLINE_LEN 512U
#define BOOT_MODULE_CMDLINE_LEN 160U
#define BOOT_LOADER_NAME_LEN 64U
#define ACPI_RSDP_V2_LEN 36U

/* Range types follow the E820 numbering both firmware paths translate to. */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
	u64 base;
	u64 length;
	u32 type; /* enum boot_mem_type */
	u32 reserved;
};

struct boot_module {
	u64 start; /* physical address of the first byte */
	u64 end; /* physical address one past the last byte */
	char cmdline[BOOT_MODULE_CMDLINE_LEN]; /* the module's string, NUL-terminated */
};

struct boot_info {
	char loader[BOOT_LOADER_NAME_LEN]; /* e.g. "GRUB 2.06" or "hv.efi" */
	char cmdline[BOOT_CMDLINE_LEN]; /* hv's own command line */
	u32 nr_mem_ranges;
	u32 nr_modules;
	struct boot_mem_range mem[BOOT_MAX_MEM_RANGES];
	struct boot_module modules[BOOT_MAX_MODULES];
	u8 rsdp[ACPI_RSDP_V2_LEN]; /* a copy of the ACPI RSDP, valid if has_rsdp */
	u8 has_rsdp;
	u8 booted_by_uefi; /* firmware is UEFI: no legacy BIOS areas to scan */
	u8 truncated; /* more ranges or modules than fit: the rest were dropped */
	u8 reserved;
	u64 efi_system_table; /* physical address, 0 when not booted by UEFI */
};

/* Parses a Multiboot2 information structure (boot/multiboot2.c). */
int mb2_parse(const void *mbi, size_t len, struct boot_info *bi);

/* The core's common entry, for both firmware paths (hv/core/main.c). */
void hv_main(struct boot_info *bi) __noreturn;

#endif /* BOOT_BOOT_INFO_H */
