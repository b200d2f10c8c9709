// SPDX-License-Identifier: GPL-2.0
/* From the Multiboot entry to main(): console, IDT, heap. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include "libguest.h"
#include "guest.h"

#define MB1_BOOTLOADER_MAGIC 0x2BADB002U
#define MB1_UPPER_MEMORY_BASE 0x100000UL /* mem_upper counts KiB from 1 MiB */
#define IDENTITY_MAP_END (4UL << 30)
#define PTE_PRESENT (1UL << 0)
#define PAGE_2M_SHIFT 21

const struct multiboot_info *multiboot_info;

int main(void);

extern char _end[];

/*
 * The heap: from the end of the image, past what the loader put after it
 * (Multiboot information, modules: QEMU and hv put them there), to the end
 * of the memory at 1 MiB.
 */
static uintptr_t heap_start = (uintptr_t)_end, heap_brk = (uintptr_t)_end, heap_end;

void *sbrk(ptrdiff_t increment)
{
	uintptr_t old = heap_brk, new = heap_brk + increment;

	if (new < heap_start || new > heap_end) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_brk = new;
	return (void *)old;
}

void set_2m_page_present(uintptr_t addr, bool present)
{
	uint64_t *pde = &guest_pd[addr >> PAGE_2M_SHIFT];

	*pde = present ? *pde | PTE_PRESENT : *pde & ~PTE_PRESENT;
	invlpg(addr);
}

static uintptr_t max_end(uintptr_t end, uintptr_t start, size_t len)
{
	return start + len > end ? start + len : end;
}

/* The end of the image and of everything the loader placed above it. */
static uintptr_t loader_data_end(const struct multiboot_info *info)
{
	const struct multiboot_module *m = (const void *)(uintptr_t)info->mods_addr;
	uintptr_t end = max_end((uintptr_t)_end, (uintptr_t)info, sizeof(*info));
	uint32_t i;

	if (info->flags & MULTIBOOT_INFO_CMDLINE)
		end = max_end(end, info->cmdline,
			      strlen((const char *)(uintptr_t)info->cmdline) + 1);
	if (info->flags & MULTIBOOT_INFO_MMAP)
		end = max_end(end, info->mmap_addr, info->mmap_length);
	if (!(info->flags & MULTIBOOT_INFO_MODS))
		return end;
	end = max_end(end, info->mods_addr, info->mods_count * sizeof(*m));
	for (i = 0; i < info->mods_count; i++) {
		end = max_end(end, m[i].mod_start, m[i].mod_end - m[i].mod_start);
		end = max_end(end, m[i].string, strlen((const char *)(uintptr_t)m[i].string) + 1);
	}
	return end;
}

void guest_start(uint32_t magic, uint32_t info_addr)
{
	const struct multiboot_info *info = (const struct multiboot_info *)(uintptr_t)info_addr;

	console_init();
	apic_map();
	/* Every byte out at once: a test may end (or triple fault) any time. */
	setvbuf(stdout, NULL, _IONBF, 0);
	exception_init();
	/* The Multiboot header asks for memory information: the loader must give it. */
	if (magic != MB1_BOOTLOADER_MAGIC || !(info->flags & MULTIBOOT_INFO_MEMORY)) {
		printf("ABORT: not booted by a Multiboot loader with memory info (EAX %#x)\n",
		       magic);
		guest_exit(HV_EXIT_ABORT);
	}
	multiboot_info = info;
	heap_start = loader_data_end(info);
	heap_brk = heap_start;
	heap_end = MB1_UPPER_MEMORY_BASE + (uintptr_t)info->mem_upper * 1024;
	if (heap_end > IDENTITY_MAP_END)
		heap_end = IDENTITY_MAP_END;
	guest_exit(main());
}
