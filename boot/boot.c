// SPDX-License-Identifier: GPL-2.0
/* The two firmware paths turn what they were given into one struct boot_info. */
#include <boot/boot_info.h>
#include <boot/multiboot2.h>
#include <hv/core/console.h>
#include <hv/core/percpu.h>
#include <hv/core/platform.h>
#include <hv/lib/string.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define MBI_COPY_MAX (64 * KiB)
#define BOOT_PTE_PRESENT_WRITABLE 0x3ULL
#define BOOT_PTE_HUGE 0x80ULL
#define BOOT_PD_ENTRIES 2048U /* 4 GiB in 2 MiB pages */

/* The boot page tables of boot/mb2_entry.S. */
extern u64 boot_pml4[512], boot_pdpt[512], boot_pd[BOOT_PD_ENTRIES];

static struct boot_info boot_info;
static u8 mbi_copy[MBI_COPY_MAX] __aligned(8);

/* Before anything prints: this_cpu() must already work. */
static void boot_early(void)
{
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)&percpu_area[0]);
	percpu_area[0].self = &percpu_area[0];
	console_init();
}

void boot_multiboot2(u32 magic, u32 mbi_pa)
{
	const u8 *mbi = phys_to_virt(mbi_pa);
	u32 size;
	int err;

	/* GRUB put the information right after our image: copy it before anything else. */
	memcpy(&size, mbi, sizeof(size));
	if (magic == MB2_BOOTLOADER_MAGIC && size <= MBI_COPY_MAX)
		memcpy(mbi_copy, mbi, size);
	boot_early();
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not started by a Multiboot2 loader (magic 0x%x)", magic);
	if (size > MBI_COPY_MAX)
		panic("Multiboot2 information is %u bytes, more than the %u hv copies", size,
		      (u32)MBI_COPY_MAX);
	err = mb2_parse(mbi_copy, size, &boot_info);
	if (err == -2)
		panic("the boot loader gave no memory map");
	if (err)
		panic("malformed Multiboot2 information from the boot loader");
	hv_main(&boot_info);
}

/*
 * Identity-maps 0-4 GiB with hv's static boot tables, as the Multiboot2
 * entry does. UEFI's page tables live in memory its map calls usable: hv
 * must stop using them before its frame allocator hands that memory out.
 */
static void load_boot_page_tables(void)
{
	u32 i;

	for (i = 0; i < BOOT_PD_ENTRIES; i++)
		boot_pd[i] = ((u64)i << 21) | BOOT_PTE_PRESENT_WRITABLE | BOOT_PTE_HUGE;
	for (i = 0; i < 512; i++)
		boot_pdpt[i] =
			i < 4 ? virt_to_phys(&boot_pd[i * 512]) | BOOT_PTE_PRESENT_WRITABLE : 0;
	boot_pml4[0] = virt_to_phys(boot_pdpt) | BOOT_PTE_PRESENT_WRITABLE;
	for (i = 1; i < 512; i++)
		boot_pml4[i] = 0;
	write_cr3(virt_to_phys(boot_pml4));
}

void boot_uefi(const struct boot_info *bi)
{
	memcpy(&boot_info, bi, sizeof(boot_info));
	load_boot_page_tables();
	boot_early();
	hv_main(&boot_info);
}
