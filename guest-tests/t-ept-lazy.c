// SPDX-License-Identifier: GPL-2.0
/*
 * Lazy EPT with 4 KiB pages (hv.pages=4K): nothing is mapped until touched,
 * each first touch of a page costs exactly one EPT fault, and zapped pages
 * fault again with their contents intact. Counts come from hv
 * (HV_HC_TEST_EPT_STATS); no output between two snapshots, so the test's
 * own stack and data stay within already mapped pages.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define PAGE 4096UL
#define REGION (64UL << 20) /* untouched guest RAM: far above the image and heap */
#define TABLE_SPAN (2UL << 20) /* what one last-level EPT table maps */

static void read_pages(uintptr_t base, unsigned int n, unsigned long stride)
{
	for (unsigned int i = 0; i < n; i++)
		(void)*(volatile uint8_t *)(base + i * stride);
}

static void write_pages(uintptr_t base, unsigned int n, unsigned long stride, uint64_t tag)
{
	for (unsigned int i = 0; i < n; i++)
		*(volatile uint64_t *)(base + i * stride) = tag + i;
}

static unsigned int count_tagged(uintptr_t base, unsigned int n, unsigned long stride, uint64_t tag)
{
	unsigned int ok = 0;

	for (unsigned int i = 0; i < n; i++)
		ok += *(volatile uint64_t *)(base + i * stride) == tag + i;
	return ok;
}

int main(void)
{
	struct hv_ept_stats s0, s1, s2, s3;
	long ret;

	report_start();
	if (!hv_testing()) {
		report_skip("hv's test hypercalls are off (boot hv with \"testing\")");
		return report_summary();
	}
	s0 = ept_stats();
	report(s0.max_page_size == PAGE, "hv.pages=4K: the largest EPT page is 4 KiB (%lu)",
	       (unsigned long)s0.max_page_size);

	s0 = ept_stats();
	read_pages(REGION, 16, PAGE);
	s1 = ept_stats();
	read_pages(REGION, 16, PAGE);
	write_pages(REGION, 16, PAGE, 0x1000);
	s2 = ept_stats();
	write_pages(REGION + 32 * PAGE, 8, 2 * PAGE, 0x2000);
	s3 = ept_stats();
	report(s1.faults_4k - s0.faults_4k == 16, "reading 16 new pages: 16 EPT faults (%lu)",
	       (unsigned long)(s1.faults_4k - s0.faults_4k));
	report(s2.faults_4k == s1.faults_4k,
	       "reading and writing them again: no fault (a read maps RAM writable) (%lu)",
	       (unsigned long)(s2.faults_4k - s1.faults_4k));
	report(s3.faults_4k - s2.faults_4k == 8, "writing 8 new pages 8 KiB apart: 8 faults (%lu)",
	       (unsigned long)(s3.faults_4k - s2.faults_4k));
	report(s3.faults_2m == s0.faults_2m && s3.faults_1g == s0.faults_1g,
	       "no huge page was mapped");

	s0 = ept_stats();
	ret = hypercall(HV_HC_TEST_EPT_ZAP, REGION, 16 * PAGE, 0, 0);
	s1 = ept_stats();
	read_pages(REGION, 16, PAGE);
	s2 = ept_stats();
	report(ret == 0 && s1.zaps - s0.zaps == 1, "zapping the 16 pages (%ld)", ret);
	report(s2.faults_4k - s1.faults_4k == 16, "touching them again: 16 faults again (%lu)",
	       (unsigned long)(s2.faults_4k - s1.faults_4k));
	report(count_tagged(REGION, 16, PAGE, 0x1000) == 16, "their contents survived the zap");
	report(count_tagged(REGION + 32 * PAGE, 8, 2 * PAGE, 0x2000) == 8,
	       "the pages next to them kept theirs");

	/* A zap of a whole table's span unlinks the table: hv frees it once every CPU is past it. */
	s0 = ept_stats();
	ret = hypercall(HV_HC_TEST_EPT_ZAP, REGION, TABLE_SPAN, 0, 0);
	s1 = ept_stats();
	report(ret == 0 && s1.tables_retired - s0.tables_retired == 1 && s1.tables == s0.tables - 1,
	       "zapping 2 MiB unlinks its last-level table (retired %lu, in use %lu -> %lu)",
	       (unsigned long)(s1.tables_retired - s0.tables_retired), (unsigned long)s0.tables,
	       (unsigned long)s1.tables);
	report(s1.freed - s0.freed >= 1 && s1.pending_free == 0,
	       "the table page went back to hv's allocator (freed +%lu, pending %lu)",
	       (unsigned long)(s1.freed - s0.freed), (unsigned long)s1.pending_free);
	read_pages(REGION, 1, PAGE);
	s2 = ept_stats();
	report(s2.faults_4k - s1.faults_4k == 1 && s2.tables == s1.tables + 1,
	       "the next touch builds the table again (faults %lu, tables %lu)",
	       (unsigned long)(s2.faults_4k - s1.faults_4k), (unsigned long)s2.tables);

	report(hypercall(HV_HC_TEST_EPT_ZAP, REGION + 1, PAGE, 0, 0) == -HV_EINVAL,
	       "a zap of an unaligned range is refused");
	report(hypercall(HV_HC_TEST_EPT_ZAP, 1UL << 40, PAGE, 0, 0) == -HV_EINVAL,
	       "a zap outside guest memory is refused");
	ret = hypercall(HV_HC_TEST_EPT_CHECK, 0, 0, 0, 0);
	report(ret == 0, "every EPT entry is consistent with the memory slots (%ld bad)", ret);
	return report_summary();
}
