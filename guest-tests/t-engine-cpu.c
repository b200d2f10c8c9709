// SPDX-License-Identifier: GPL-2.0
/*
 * The reference engine's CPU as a kernel sees it without hv (the native
 * layer, guest-tests/native.txt): an Intel CPU with VMX.
 */
#include <string.h>
#include "libguest.h"

int main(void)
{
	struct cpuid r = cpuid(0);
	char vendor[13];

	report_start();
	memcpy(vendor, &r.b, 4);
	memcpy(vendor + 4, &r.d, 4);
	memcpy(vendor + 8, &r.c, 4);
	vendor[12] = 0;
	report(!strcmp(vendor, "GenuineIntel"), "CPUID.0 vendor is GenuineIntel (%s)", vendor);
	report(cpuid(1).c & CPUID_1_ECX_VMX, "CPUID.1:ECX.VMX[bit 5] is 1");
	return report_summary();
}
