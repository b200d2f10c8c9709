// SPDX-License-Identifier: GPL-2.0
/*
 * What the loader hands a Multiboot kernel: the command line, memory sizes,
 * a memory map, and a module (guest-tests/suite.txt gives this test
 * "arg1=foo" and the module t-boot-data with the string "hello").
 */
#include <string.h>
#include "libguest.h"

#define EXPECTED_CMDLINE "t-boot arg1=foo"
#define EXPECTED_MODULE_STRING "t-boot-data hello"
#define DATA_LEN 5000U /* t-boot-data.bin: byte i is (i * 7) % 251 */
#define GUEST_RAM (128UL << 20)
#define LOW_RAM_KIB 639U
#define PAGE_SIZE 4096U

extern char _end[];

static void check_mmap(const struct multiboot_info *mbi)
{
	uintptr_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
	uint64_t available = 0, last_end = 0;
	bool sorted = true, high_ram = false;

	for (; p < end; p += ((const struct multiboot_mmap_entry *)p)->size + 4) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		sorted &= e->base >= last_end;
		last_end = e->base + e->length;
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE)
			available += e->length;
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE && e->base == 0x100000 &&
		    e->base + e->length == GUEST_RAM)
			high_ram = true;
	}
	report(sorted, "memory map entries are sorted and do not overlap");
	report(high_ram, "memory map has 1 MiB..128 MiB available");
	report(last_end == GUEST_RAM, "memory map ends at the guest RAM size (0x%llx)",
	       (unsigned long long)last_end);
	report(available < GUEST_RAM && available > GUEST_RAM - (1UL << 20),
	       "memory map: all but the low reserved areas available (%llu KiB)",
	       (unsigned long long)(available >> 10));
}

static void check_module(const struct multiboot_info *mbi)
{
	const struct multiboot_module *m = (const void *)(uintptr_t)mbi->mods_addr;
	const unsigned char *data;
	unsigned int i, bad = 0;

	report(mbi->mods_count == 1, "one module (%u)", mbi->mods_count);
	if (mbi->mods_count != 1)
		return;
	data = (const void *)(uintptr_t)m->mod_start;
	report(m->mod_end - m->mod_start == DATA_LEN, "module is %u bytes (%u)", DATA_LEN,
	       m->mod_end - m->mod_start);
	report(m->mod_start % PAGE_SIZE == 0 && m->mod_start >= (uintptr_t)_end,
	       "module is page-aligned after the kernel (0x%x)", m->mod_start);
	for (i = 0; i < DATA_LEN; i++)
		bad += data[i] != (i * 7) % 251;
	report(!bad, "module contents arrive intact (%u bytes differ)", bad);
	report(!strcmp((const char *)(uintptr_t)m->string, EXPECTED_MODULE_STRING),
	       "module string is '%s' ('%s')", EXPECTED_MODULE_STRING,
	       (const char *)(uintptr_t)m->string);
}

int main(void)
{
	const struct multiboot_info *mbi = multiboot_info;
	const uint32_t wanted = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE |
				MULTIBOOT_INFO_MODS | MULTIBOOT_INFO_MMAP;

	report_start();
	report((mbi->flags & wanted) == wanted, "flags have memory, cmdline, mods, mmap (0x%x)",
	       mbi->flags);
	report(!strcmp((const char *)(uintptr_t)mbi->cmdline, EXPECTED_CMDLINE),
	       "command line is '%s' ('%s')", EXPECTED_CMDLINE,
	       (const char *)(uintptr_t)mbi->cmdline);
	report(mbi->mem_lower == LOW_RAM_KIB, "mem_lower is %u KiB (%u)", LOW_RAM_KIB,
	       mbi->mem_lower);
	report(mbi->mem_upper == (GUEST_RAM >> 10) - 1024, "mem_upper is 128 MiB - 1 MiB (%u KiB)",
	       mbi->mem_upper);
	check_mmap(mbi);
	check_module(mbi);
	return report_summary();
}
