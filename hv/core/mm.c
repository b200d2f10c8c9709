// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/mm.h>
#include <hv/lib/string.h>
#include <x86/cpu.h>
#include <x86/hw.h>

#define PTE_P BIT(0)
#define PTE_W BIT(1)
#define PTE_PS BIT(7)
#define PTE_NX BIT(63)
#define PTE_ADDR GENMASK(51, 12)
#define PT_ENTRIES 512U
#define LEVEL_SHIFT(level) (PAGE_SHIFT + 9 * ((level)-1)) /* level 1 = 4 KiB PTE */

extern char __image_start[], __image_end[];

struct frame_pool frames;
static u64 frame_bitmap[HV_MAX_RAM / PAGE_SIZE / 64];
static u64 *pml4;

u64 mm_root(void)
{
	return virt_to_phys(pml4);
}

void *page_alloc_zeroed(void)
{
	u64 pa = frame_alloc(1, PAGE_SIZE);

	if (!pa)
		panic("out of memory");
	return memset(phys_to_virt(pa), 0, PAGE_SIZE);
}

void page_free(void *va)
{
	frame_free(virt_to_phys(va), 1);
}

static u64 *next_table(u64 *entry)
{
	return phys_to_virt(*entry & PTE_ADDR);
}

/* Replaces a large-page entry at @level by a table of the next size down. */
static void split(u64 *entry, unsigned int level)
{
	u64 *table = page_alloc_zeroed();
	u64 base = *entry & PTE_ADDR & ~(BIT(LEVEL_SHIFT(level)) - 1);
	u64 flags = *entry & (PTE_P | PTE_W | PTE_NX);
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++)
		table[i] = (base + ((u64)i << LEVEL_SHIFT(level - 1))) | flags |
			   (level - 1 > 1 ? PTE_PS : 0);
	*entry = virt_to_phys(table) | PTE_P | PTE_W;
}

/* Makes the 4 KiB page at @va not present, splitting large pages on the way. */
static void unmap_page(u64 va)
{
	u64 *table = pml4;
	unsigned int level;

	for (level = 4; level > 1; level--) {
		u64 *e = &table[(va >> LEVEL_SHIFT(level)) % PT_ENTRIES];

		BUG_ON(!(*e & PTE_P));
		if (*e & PTE_PS)
			split(e, level);
		table = next_table(e);
	}
	table[(va >> PAGE_SHIFT) % PT_ENTRIES] = 0;
	__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

static u64 map_limit(const struct boot_info *bi)
{
	u64 end = 4 * GiB;
	u32 i;

	for (i = 0; i < bi->nr_mem_ranges; i++)
		end = MAX(end, bi->mem[i].base + bi->mem[i].length);
	return ALIGN_UP(end, GiB);
}

static void build_identity_map(u64 limit)
{
	bool gib_pages = cpuid(0x80000001, 0).edx & CPUID_80000001_EDX_PAGE1GB;
	u64 nr_gib = limit / GiB, g;
	unsigned int i;

	pml4 = page_alloc_zeroed();
	for (g = 0; g < nr_gib; g++) {
		u64 *pml4e = &pml4[g / PT_ENTRIES];
		u64 *pdpt, *pd;

		if (!(*pml4e & PTE_P))
			*pml4e = virt_to_phys(page_alloc_zeroed()) | PTE_P | PTE_W;
		pdpt = next_table(pml4e);
		if (gib_pages) {
			pdpt[g % PT_ENTRIES] = (g * GiB) | PTE_P | PTE_W | PTE_PS;
			continue;
		}
		pd = page_alloc_zeroed();
		for (i = 0; i < PT_ENTRIES; i++)
			pd[i] = (g * GiB + i * 2 * MiB) | PTE_P | PTE_W | PTE_PS;
		pdpt[g % PT_ENTRIES] = virt_to_phys(pd) | PTE_P | PTE_W;
	}
}

void mm_init(const struct boot_info *bi)
{
	struct phys_range exclude[BOOT_MAX_MODULES + 1];
	unsigned int n = 0;
	u32 i;

	exclude[n++] =
		(struct phys_range){ virt_to_phys(__image_start), virt_to_phys(__image_end) };
	for (i = 0; i < bi->nr_modules; i++)
		exclude[n++] = (struct phys_range){ bi->modules[i].start, bi->modules[i].end };
	frame_pool_init(&frames, frame_bitmap, HV_MAX_RAM, bi, exclude, n);
	if (!frames.nr_free)
		panic("the memory map has no usable RAM above 1 MiB");

	build_identity_map(map_limit(bi));
	write_cr3(mm_root());
}

u64 stack_alloc(unsigned int pages)
{
	u64 pa = frame_alloc(pages + 1, PAGE_SIZE);

	if (!pa)
		panic("out of memory for a stack");
	unmap_page(pa);
	memset(phys_to_virt(pa + PAGE_SIZE), 0, pages * PAGE_SIZE);
	return pa + (pages + 1) * PAGE_SIZE;
}
