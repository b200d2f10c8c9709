/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PMU and LBR: whether the hardware really has them is decided by probing the
 * MSRs with #GP fixups, never by CPUID alone (Bochs's CPUID claims a PMU
 * whose MSRs all fault).
 */
#ifndef HV_PMU_PMU_H
#define HV_PMU_PMU_H

#include <types.h>

struct pmu_caps {
	bool pmu_usable; /* architectural PMU version >= 2 and its MSRs answer */
	u8 version;
	u8 nr_gp_counters;
	u8 nr_fixed_counters;
	bool lbr_usable; /* DEBUGCTL and the LBR stack MSRs answer */
};

extern struct pmu_caps pmu_caps;

void pmu_probe(void);

#endif /* HV_PMU_PMU_H */
