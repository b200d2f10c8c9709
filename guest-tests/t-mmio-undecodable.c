// SPDX-License-Identifier: GPL-2.0
/*
 * An MMIO access hv cannot emulate (an ADD to memory: hv decodes the MOV
 * family only): hv must report it with the instruction's bytes and stop
 * this partition, and only it.
 */
#include <stdio.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

int main(void)
{
	volatile uint32_t *reg = (volatile uint32_t *)(HV_TESTDEV_MMIO + 0x100);

	report_start();
	*reg = 1;
	report(*reg == 1, "a MOV to the test device's MMIO works");
	printf("an ADD to MMIO follows: hv must stop this guest\n");
	asm volatile("addl $1, %0" : "+m"(*reg));
	report(false, "the ADD to MMIO went through");
	return report_summary();
}
