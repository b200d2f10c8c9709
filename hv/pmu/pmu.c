// SPDX-License-Identifier: GPL-2.0
#include <hv/pmu/pmu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define CPUID_PMU_LEAF 0xa
#define PMU_VERSION_MASK 0xff
#define PMU_GP_COUNTERS_SHIFT 8
#define PMU_FIXED_COUNTERS_MASK 0x1f
#define PMU_MIN_VERSION 2 /* PERF_GLOBAL_CTRL/STATUS exist from version 2 */

struct pmu_caps pmu_caps;

static bool msr_answers(u32 msr)
{
	u64 v;

	return !rdmsr_safe(msr, &v);
}

void pmu_probe(void)
{
	struct cpuid_regs r = cpuid(CPUID_PMU_LEAF, 0);
	u8 version = r.eax & PMU_VERSION_MASK;

	pmu_caps.version = version;
	pmu_caps.nr_gp_counters = (r.eax >> PMU_GP_COUNTERS_SHIFT) & 0xff;
	pmu_caps.nr_fixed_counters = r.edx & PMU_FIXED_COUNTERS_MASK;
	pmu_caps.pmu_usable = version >= PMU_MIN_VERSION && pmu_caps.nr_gp_counters &&
			      msr_answers(MSR_IA32_PERF_GLOBAL_CTRL) &&
			      msr_answers(MSR_IA32_PMC0) && msr_answers(MSR_IA32_PERFEVTSEL0) &&
			      msr_answers(MSR_IA32_FIXED_CTR_CTRL);
	pmu_caps.lbr_usable = msr_answers(MSR_IA32_DEBUGCTL) &&
			      msr_answers(MSR_IA32_LASTBRANCH_TOS) &&
			      msr_answers(MSR_IA32_LASTBRANCH_0_FROM_IP);
}
