// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile arguments to every hypercall a guest can make (include/public/
 * hypercall.h): addresses past 2^48 or past the end of RAM, ranges that
 * wrap, results aimed at read-only RAM, device memory or across the end of
 * RAM, unknown numbers, the service partition's calls. Each must fail with
 * its documented code and change nothing; none may hurt hv.
 */
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

#define PAGE 4096UL
#define MB1_UPPER_MEMORY_BASE 0x100000UL
#define SCRATCH (96UL << 20) /* pages this test owns */
#define RO_PAGE (SCRATCH + 0 * PAGE)
#define DATA_PAGE (SCRATCH + 1 * PAGE)
#define BITMAP_PAGE (SCRATCH + 2 * PAGE)
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

static uint64_t ram_end(void)
{
	return MB1_UPPER_MEMORY_BASE + (uint64_t)multiboot_info->mem_upper * 1024;
}

static bool page_holds(uintptr_t page, uint64_t value)
{
	const volatile uint64_t *p = (const volatile uint64_t *)page;

	for (unsigned int i = 0; i < PAGE / 8; i++)
		if (p[i] != value)
			return false;
	return true;
}

static void fill(uintptr_t page, uint64_t value)
{
	volatile uint64_t *p = (volatile uint64_t *)page;

	for (unsigned int i = 0; i < PAGE / 8; i++)
		p[i] = value;
}

static void guest_calls(void)
{
	long r;

	for (uint64_t nr = HV_HC_CONSOLE_WRITE; nr <= HV_HC_CONSOLE_READ; nr++) {
		r = hypercall(nr, DATA_PAGE, 8, 0, 0);
		report(r == -HV_EPERM, "the service's call %lu from a guest: -HV_EPERM (%ld)",
		       (unsigned long)nr, r);
	}
	/* 1 was the vCPU-start call: secondary vCPUs start by INIT-SIPI now. */
	static const uint64_t unknown[] = {
		0, 1, 2, 15, HV_HC_CONSOLE_READ + 1, 0xfff, HV_HC_TEST_EXIT_COUNT + 1, ~0UL
	};
	for (unsigned int i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		r = hypercall(unknown[i], 0, 0, 0, 0);
		report(r == -HV_ENOSYS, "call %#lx does not exist: -HV_ENOSYS (%ld)",
		       (unsigned long)unknown[i], r);
	}
}

static void stats_results(void)
{
	uint64_t end = ram_end();
	long r;

	fill(RO_PAGE, SENTINEL);
	r = hypercall(HV_HC_TEST_EPT_SET_TYPE, RO_PAGE, PAGE, HV_PAGE_RAM_RO, 0);
	report(r == 0, "a page of the test is read-only now (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_STATS, RO_PAGE + 64, 0, 0, 0);
	report(r == -HV_EINVAL && page_holds(RO_PAGE, SENTINEL),
	       "EPT_STATS into read-only RAM: -HV_EINVAL, the page unchanged (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_STATS, RO_PAGE - 16, 0, 0, 0);
	report(r == -HV_EINVAL && page_holds(RO_PAGE, SENTINEL) &&
		       *(volatile uint64_t *)(RO_PAGE - 16) == 0,
	       "EPT_STATS across into read-only RAM: -HV_EINVAL, nothing written (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_STATS, end - 16, 0, 0, 0);
	report(r == -HV_EINVAL, "EPT_STATS across the end of RAM: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_STATS, HV_TESTDEV_MMIO, 0, 0, 0);
	report(r == -HV_EINVAL, "EPT_STATS into MMIO: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_STATS, -16UL, 0, 0, 0);
	report(r == -HV_EINVAL, "EPT_STATS at 2^64 - 16: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_STATS, 1UL << 48, 0, 0, 0);
	report(r == -HV_EINVAL, "EPT_STATS at 2^48: -HV_EINVAL (%ld)", r);
}

static void ranges(void)
{
	uint64_t end = ram_end();
	long r;

	r = hypercall(HV_HC_TEST_EPT_ZAP, -PAGE, 2 * PAGE, 0, 0);
	report(r == -HV_EINVAL, "EPT_ZAP of a range that wraps past 2^64: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_ZAP, 1UL << 48, PAGE, 0, 0);
	report(r == -HV_EINVAL, "EPT_ZAP at 2^48: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_ZAP, DATA_PAGE, 0, 0, 0);
	report(r == -HV_EINVAL, "EPT_ZAP of nothing: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_SET_TYPE, end - PAGE, 2 * PAGE, HV_PAGE_RAM_RO, 0);
	*(volatile uint64_t *)(end - PAGE) = 7;
	report(r == -HV_EINVAL && *(volatile uint64_t *)(end - PAGE) == 7,
	       "EPT_SET_TYPE across the end of RAM: -HV_EINVAL, nothing changed (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_SET_TYPE, (1UL << 48) + DATA_PAGE, PAGE, HV_PAGE_RAM_RO, 0);
	*(volatile uint64_t *)DATA_PAGE = 8;
	report(r == -HV_EINVAL && *(volatile uint64_t *)DATA_PAGE == 8,
	       "EPT_SET_TYPE at 2^48 + a RAM page: -HV_EINVAL, that page unchanged (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_SET_TYPE, DATA_PAGE, PAGE, 7, 0);
	report(r == -HV_EINVAL, "EPT_SET_TYPE to an unknown type: -HV_EINVAL (%ld)", r);
}

static void dirty_log(void)
{
	volatile uint64_t *bitmap = (volatile uint64_t *)BITMAP_PAGE;
	long r;

	r = hypercall(HV_HC_TEST_EPT_DIRTY, DATA_PAGE, 1, 1, BITMAP_PAGE);
	if (r == -HV_EOPNOTSUPP) {
		report_skip("the CPU has no EPT accessed/dirty flags: no dirty log");
		return;
	}
	report(r == 0, "the dirty log of a page works (%ld)", r);
	/* Issue 8: these wrapped onto GPA 0's EPT entries and made hv fault. */
	static const uint64_t beyond[] = { 1UL << 48, (1UL << 48) + PAGE, 1UL << 57, -PAGE };
	for (unsigned int i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
		r = hypercall(HV_HC_TEST_EPT_DIRTY, beyond[i], 1, 1, BITMAP_PAGE);
		report(r == -HV_EINVAL, "EPT_DIRTY at %#lx: -HV_EINVAL (%ld)",
		       (unsigned long)beyond[i], r);
	}
	r = hypercall(HV_HC_TEST_EPT_DIRTY, ram_end() - PAGE, 2, 1, BITMAP_PAGE);
	report(r == -HV_EINVAL, "EPT_DIRTY across the end of RAM: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_DIRTY, HV_TESTDEV_MMIO, 1, 0, BITMAP_PAGE);
	report(r == -HV_EINVAL, "EPT_DIRTY of MMIO: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_DIRTY, DATA_PAGE, HV_DIRTY_MAX_PAGES + 1, 0, BITMAP_PAGE);
	report(r == -HV_EINVAL, "EPT_DIRTY of too many pages: -HV_EINVAL (%ld)", r);
	r = hypercall(HV_HC_TEST_EPT_DIRTY, DATA_PAGE, 1, 2, BITMAP_PAGE);
	report(r == -HV_EINVAL, "EPT_DIRTY with clear = 2: -HV_EINVAL (%ld)", r);

	/* A failed call clears nothing: the page written stays dirty. */
	*(volatile uint64_t *)DATA_PAGE = 1;
	r = hypercall(HV_HC_TEST_EPT_DIRTY, DATA_PAGE, 1, 1, RO_PAGE);
	report(r == -HV_EINVAL && page_holds(RO_PAGE, SENTINEL),
	       "EPT_DIRTY, bitmap in read-only RAM: -HV_EINVAL, nothing written (%ld)", r);
	bitmap[0] = 0;
	r = hypercall(HV_HC_TEST_EPT_DIRTY, DATA_PAGE, 1, 0, BITMAP_PAGE);
	report(r == 0 && bitmap[0] == 1,
	       "and the dirty state it was asked to clear is still there (%ld, %#lx)", r,
	       (unsigned long)bitmap[0]);
	r = hypercall(HV_HC_TEST_EPT_DIRTY, DATA_PAGE, 1, 1, ram_end() - 4);
	report(r == -HV_EINVAL, "EPT_DIRTY with its bitmap across the end of RAM (%ld)", r);
}

int main(void)
{
	report_start();
	guest_calls();
	if (!hv_testing()) {
		report_skip("hv's test hypercalls are off (boot hv with \"testing\")");
		return report_summary();
	}
	stats_results();
	ranges();
	dirty_log();
	report(hypercall(HV_HC_TEST_EPT_CHECK, 0, 0, 0, 0) == 0,
	       "hv's EPT tables are consistent after all that");
	return report_summary();
}
