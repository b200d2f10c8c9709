// SPDX-License-Identifier: GPL-2.0
/* CPUID as hv presents it: VMX hidden, the hypervisor leaves, no PMU that is not there. */
#include <hv.h>
#include "libguest.h"

#define MSR_IA32_PMC0 0xc1
#define CPUID_PMU_LEAF 0xa
#define CPUID_PMU_VERSION_MASK 0xff /* EAX[7:0] */

int main(void)
{
	struct cpuid r = cpuid(1);
	uint32_t pmu_version;
	uint64_t pmc0;

	report_start();
	report(!(r.c & CPUID_1_ECX_VMX), "CPUID.1:ECX.VMX[5] is 0 (VMX hidden)");
	report(r.c & CPUID_1_ECX_HYPERVISOR, "CPUID.1:ECX[31] is 1 (hypervisor present)");

	r = cpuid(HV_CPUID_SIGNATURE);
	report(r.a >= HV_CPUID_FEATURES, "CPUID.0x40000000:EAX %#x >= %#x", r.a, HV_CPUID_FEATURES);
	report(r.b == HV_SIGNATURE_EBX && r.c == HV_SIGNATURE_ECX && r.d == HV_SIGNATURE_EDX,
	       "CPUID.0x40000000 signature is \"hvhvhvhvhvhv\" (EBX %#x ECX %#x EDX %#x)", r.b, r.c,
	       r.d);

	r = cpuid(HV_CPUID_FEATURES);
	report(r.a == HV_ABI_VERSION, "CPUID.0x40000001:EAX ABI version %u == %u", r.a,
	       HV_ABI_VERSION);

	/*
	 * A PMU that CPUID announces must be usable (Bochs announces one it
	 * lacks); one that is hidden is hidden entirely, counters included.
	 */
	r = cpuid(CPUID_PMU_LEAF);
	pmu_version = r.a & CPUID_PMU_VERSION_MASK;
	if (pmu_version)
		report(rdmsr_safe(MSR_IA32_PMC0, &pmc0) == NO_EXCEPTION,
		       "CPUID.0xA announces PMU version %u: IA32_PMC0 reads without #GP",
		       pmu_version);
	else
		report(r.a == 0, "CPUID.0xA announces no PMU: EAX %#x is 0", r.a);

	return report_summary();
}
