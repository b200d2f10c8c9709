// SPDX-License-Identifier: GPL-2.0
/* What the guest can find out about hv. */
#include <stdio.h>
#include <hv.h>
#include "libguest.h"

bool under_hv(void)
{
	struct cpuid r;

	if (!(cpuid(1).c & CPUID_1_ECX_HYPERVISOR))
		return false;
	r = cpuid(HV_CPUID_SIGNATURE);
	return r.b == HV_SIGNATURE_EBX && r.c == HV_SIGNATURE_ECX && r.d == HV_SIGNATURE_EDX;
}

bool hv_testing(void)
{
	return under_hv() && (cpuid(HV_CPUID_FEATURES).b & HV_FEATURE_TESTING);
}

struct hv_ept_stats ept_stats(void)
{
	struct hv_ept_stats s;
	long ret = hypercall(HV_HC_TEST_EPT_STATS, (uintptr_t)&s, 0, 0, 0);

	if (ret) {
		printf("ABORT: HV_HC_TEST_EPT_STATS returned %ld\n", ret);
		guest_exit(HV_EXIT_ABORT);
	}
	return s;
}
