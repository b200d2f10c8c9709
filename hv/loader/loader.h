/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest images and the boot protocols hv starts them with. The image
 * decides, in the order QEMU's -kernel tries them: a Linux setup header
 * ("HdrS") is a bzImage started through the 64-bit Linux boot protocol;
 * a Multiboot (v1) header makes a Multiboot kernel; an ELF file with a
 * XEN_ELFNOTE_PHYS32_ENTRY note is started through PVH. Anything else is
 * refused with one line.
 *
 * Every guest also gets the platform's firmware tables (ACPI, in the BIOS
 * area 0xE0000-0xFFFFF) and one memory map, which each protocol hands over
 * in its own format. docs/porting.md describes the result.
 *
 * The image bytes come from a boot module and are untrusted. The loader is
 * pure logic: it writes guest memory only through struct guest_ram, so host
 * tests and fuzzers run it over a buffer.
 */
#ifndef HV_LOADER_LOADER_H
#define HV_LOADER_LOADER_H

#include <types.h>

enum boot_protocol {
	BOOT_MULTIBOOT, /* Multiboot 0.6.96, as QEMU's -kernel: 32-bit, EBX = info */
	BOOT_PVH, /* Xen's PVH entry (ELF note 18): 32-bit, EBX = hvm_start_info */
	BOOT_LINUX64, /* Linux's 64-bit boot protocol: long mode, RSI = boot_params */
};

/* A module handed to a guest: an initrd, data for a test. */
struct guest_module {
	const u8 *data;
	size_t len;
	const char *cmdline;
};

#define MAX_GUEST_MODULES 16U

/* A piece of an image to load. */
struct load_segment {
	u64 gpa; /* where it goes in guest-physical memory */
	u64 offset; /* where it starts in the image */
	u64 filesz; /* bytes copied from the image */
	u64 memsz; /* bytes in memory; the rest is zeroed */
};

/*
 * The image's @n segments load something and hold its @entry: 0, or -1
 * with @error = "the image has nothing to load" or @outside.
 */
static inline int loader_check_entry(const struct load_segment *s, u32 n, u64 entry,
				     const char *outside, const char **error)
{
	u32 i;

	if (!n) {
		*error = "the image has nothing to load";
		return -1;
	}
	for (i = 0; i < n; i++)
		if (entry >= s[i].gpa && entry - s[i].gpa < s[i].memsz)
			return 0;
	*error = outside;
	return -1;
}

/*
 * Checks that every segment lies in the guest's RAM below @ram_end, outside
 * the reserved low area (EBDA, BIOS area with the ACPI tables) and, with
 * @boot_data, outside the boot data of PVH and the Linux protocol.
 * Returns 0, or -1 with *error saying which.
 */
int loader_check_fit(const struct load_segment *s, u32 n, u64 ram_end, bool boot_data,
		     const char **error);

/* What the loader needs to know of the partition it loads. */
struct loader_input {
	const char *name; /* for messages */
	const u8 *image;
	size_t image_len;
	const char *cmdline; /* the guest's command line */
	const struct guest_module *modules;
	u32 nr_modules;
	u32 nr_vcpus;
	u64 ram_size; /* RAM [0, min(size, 3 GiB)), the rest from 4 GiB */
};

/* Writes @len bytes at guest-physical @gpa, which lies inside the guest's RAM. */
struct guest_ram {
	void *ctx;
	void (*write)(void *ctx, u64 gpa, const void *src, u64 len);
};

/*
 * The state the boot CPU starts in. Protected mode with paging off and flat
 * 4 GiB segments unless @long_mode: then 64-bit mode with CR3 and the GDT
 * below, CS and the data segments loaded from that GDT.
 */
struct guest_start {
	u64 rip;
	u64 rax, rbx, rsi;
	bool long_mode;
	u64 cr3; /* long mode: identity-mapped page tables */
	u64 gdt_base; /* long mode: the GDT the selectors come from */
	u16 gdt_limit;
	u16 code_selector, data_selector;
};

/*
 * Loads @in into guest memory with the protocol its image asks for.
 * Returns 0 with *start filled, or -1 with *error saying what is wrong in
 * one line (a string constant).
 */
int loader_load(const struct loader_input *in, const struct guest_ram *ram,
		struct guest_start *start, enum boot_protocol *protocol, const char **error);

const char *boot_protocol_name(enum boot_protocol protocol);

/* ---- The guest-physical layout every guest gets (docs/porting.md) ---- */

#define GUEST_LOW_RAM_END 0x9fc00ULL /* conventional memory, as a PC reports it */
#define GUEST_BIOS_AREA 0xe0000ULL /* reserved; the ACPI tables live here */
#define GUEST_HIGH_RAM_START 0x100000ULL
#define GUEST_BIOS_AREA_END GUEST_HIGH_RAM_START

/* The boot data of PVH and the Linux protocol, in low memory no kernel loads into. */
#define GUEST_BOOT_GDT 0x1000ULL
#define GUEST_BOOT_PML4 0x2000ULL /* then the PDPT and 4 PDs: 0-4 GiB in 2 MiB pages */
#define GUEST_BOOT_PARAMS 0x8000ULL /* boot_params, or hvm_start_info and its tables */
#define GUEST_BOOT_CMDLINE 0x9000ULL
#define GUEST_BOOT_CMDLINE_MAX 0x1000ULL
#define GUEST_BOOT_MOD_STRINGS 0xa000ULL /* one LOADER_MODULE_STRING_MAX slot per module */
#define GUEST_BOOT_DATA_END 0xf000ULL
#define LOADER_MODULE_STRING_MAX 160U

/* E820 memory types (ACPI 6.4 15.2, Table 15.312), which every protocol uses. */
#define E820_RAM 1U
#define E820_RESERVED 2U

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
};

#define LOADER_MAX_E820 6U

/* The guest's memory map for @ram_size bytes of RAM, sorted; returns the entries. */
u32 loader_memory_map(u64 ram_size, struct e820_entry map[LOADER_MAX_E820]);

/* RAM below the MMIO window: [0, this). */
u64 loader_low_ram(u64 ram_size);

/*
 * CPUID's timing leaves for guests (hv/loader/cpuid_timing.c): the answer
 * to basic leaf @leaf (0, 0x15 or 0x16) adjusted in *@r, and the crystal
 * clock leaf 0x15 reports, which the local APIC timer counts.
 */
struct cpuid_regs;
void cpuid_timing_leaf(u32 leaf, struct cpuid_regs *r);
u32 cpuid_timing_crystal_hz(void);

#endif /* HV_LOADER_LOADER_H */
