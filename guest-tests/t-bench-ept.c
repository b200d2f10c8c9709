// SPDX-License-Identifier: GPL-2.0
/*
 * What an EPT fault costs, measured with the TSC (under Bochs: host
 * instructions). Run with hv.pages=4K: a first touch of a page whose
 * last-level table exists, of a page needing a new table, and a zap.
 * Prints "BENCH <name> <value> <unit>" lines; checks that the measured
 * accesses really faulted.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define PAGE 4096UL
#define TABLE_SPAN (2UL << 20)
#define REGION (32UL << 20)
#define SAMPLES 32U

/* The fewest ticks one first touch of a fresh page took, over SAMPLES pages from @base. */
static uint64_t first_touch_ticks(uintptr_t base, unsigned long stride)
{
	uint64_t best = UINT64_MAX;

	for (unsigned int i = 0; i < SAMPLES; i++) {
		volatile uint8_t *p = (volatile uint8_t *)(base + i * stride);
		uint64_t t0 = tsc_read(), ticks;

		(void)*p;
		ticks = tsc_read() - t0;
		if (ticks < best)
			best = ticks;
	}
	return best - tsc_overhead();
}

int main(void)
{
	struct hv_ept_stats s0, s1, s2;
	uint64_t in_table, new_table, zap;

	report_start();
	if (!hv_testing()) {
		report_skip("hv's test hypercalls are off (boot hv with \"testing\")");
		return report_summary();
	}
	/* Build the tables of the first region, then measure faults that only add a leaf. */
	(void)*(volatile uint8_t *)(REGION + TABLE_SPAN - PAGE);
	/* Its first call writes a variable whose page may not be mapped yet: not in the window. */
	(void)tsc_overhead();
	s0 = ept_stats();
	in_table = first_touch_ticks(REGION, PAGE);
	s1 = ept_stats();
	new_table = first_touch_ticks(REGION + TABLE_SPAN, TABLE_SPAN);
	s2 = ept_stats();
	zap = tsc_measure(hypercall(HV_HC_TEST_EPT_ZAP, REGION, PAGE, 0, 0));
	report(s1.faults_4k - s0.faults_4k == SAMPLES && s1.tables == s0.tables,
	       "%u first touches in a mapped table: %u 4 KiB faults, no table (%lu, +%lu)", SAMPLES,
	       SAMPLES, (unsigned long)(s1.faults_4k - s0.faults_4k),
	       (unsigned long)(s1.tables - s0.tables));
	report(s2.tables - s1.tables == SAMPLES,
	       "%u first touches 2 MiB apart: %u new tables (%lu)", SAMPLES, SAMPLES,
	       (unsigned long)(s2.tables - s1.tables));
	printf("BENCH ept_fault_4k %lu instructions\n", (unsigned long)in_table);
	printf("BENCH ept_fault_4k_new_table %lu instructions\n", (unsigned long)new_table);
	printf("BENCH ept_zap_4k %lu instructions\n", (unsigned long)zap);
	return report_summary();
}
