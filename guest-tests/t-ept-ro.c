// SPDX-License-Identifier: GPL-2.0
/*
 * A write to a read-only page: hv reports it (guest-physical address,
 * access, rip) and stops this partition only. Reads of the page still work.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define PAGE 4096UL
#define TARGET (80UL << 20)

int main(void)
{
	long ret;

	report_start();
	if (!hv_testing()) {
		report_skip("hv's test hypercalls are off (boot hv with \"testing\")");
		return report_summary();
	}
	*(volatile uint64_t *)TARGET = 42;
	ret = hypercall(HV_HC_TEST_EPT_SET_TYPE, TARGET, PAGE, HV_PAGE_RAM_RO, 0);
	report(ret == 0, "the page is read-only now (%ld)", ret);
	report(*(volatile uint64_t *)TARGET == 42, "and can still be read");
	printf("writing to guest-physical %#lx: hv must stop this partition\n", TARGET);
	*(volatile uint64_t *)TARGET = 43;
	report(false, "the write to a read-only page went through");
	return report_summary();
}
