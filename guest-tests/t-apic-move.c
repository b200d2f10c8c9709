// SPDX-License-Identifier: GPL-2.0
/*
 * hv keeps the local APIC at 0xfee00000 (include/public/hv.h): a write to
 * IA32_APIC_BASE that moves it stops the partition, saying so (its suite
 * line checks the reason), instead of leaving the APIC where the guest
 * does not expect it.
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define MOVED_BASE 0xfed00000ULL

int main(void)
{
	report_start();
	wrmsr_safe(MSR_IA32_APIC_BASE, MOVED_BASE | APIC_BASE_EN | APIC_BASE_BSP);
	report(false, "the partition runs on after moving its APIC");
	return report_summary();
}
