// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that makes hv allocate EPT tables beyond its partition's bound of
 * hv memory (hv.hvmem= small, hv.pages=4K): touching its RAM 2 MiB apart
 * needs a new last-level table per touch. hv must stop this partition
 * ("out of memory", saying the bound was reached) and go on with the next
 * guest; before the bound existed, such a guest could take hv's memory.
 */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

#define REGION (32UL << 20) /* untouched guest RAM, far above the image */
#define TABLE_SPAN (2UL << 20) /* what one last-level EPT table maps */
#define TOUCHES 48U /* more tables than any bound the suite gives it */

int main(void)
{
	report_start();
	printf("touching %u pages %lu KiB apart: hv must stop this guest\n", TOUCHES,
	       TABLE_SPAN / 1024);
	for (unsigned int i = 0; i < TOUCHES; i++)
		*(volatile uint64_t *)(REGION + i * TABLE_SPAN) = i;
	report(false, "%u new EPT tables and still running: no bound on hv's memory", TOUCHES);
	return report_summary();
}
