// SPDX-License-Identifier: GPL-2.0
/*
 * Reads guest-physical memory beyond the guest's RAM. There is nothing there:
 * hv must report the access (GPA, rip) and stop only this partition. The
 * suite expects the stop; reaching the end of main() is a failure.
 */
#include <stdio.h>
#include "libguest.h"

#define BEYOND_RAM 0x40000000UL /* 1 GiB; the suite gives this guest 128 MiB */

int main(void)
{
	volatile uint64_t *p = (volatile uint64_t *)BEYOND_RAM;

	report_start();
	printf("t-ept-oob: reading guest-physical 0x%lx, beyond guest RAM\n", BEYOND_RAM);
	(void)*p;
	report(false, "the read beyond guest RAM returned");
	return report_summary();
}
