/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The performance-monitoring unit (PMU) and the last branch records (LBRs).
 *
 * What the hardware has is decided by probing its MSRs with #GP fixups,
 * never by CPUID alone (Bochs 2.7's CPUID claims a PMU whose MSRs all
 * fault): pmu_probe(), once at boot.
 *
 * A partition started with hv.pmu=on gets them, if the probe found that hv
 * can give them (pmu_caps.guest_pmu, .guest_lbr): CPUID leaf 0AH then
 * reports the host's PMU, and while one of its vCPUs runs it owns the
 * counters and the LBR stack (passthrough.c says how). Every other
 * partition sees none: CPUID leaf 0AH is 0, each PMU and LBR MSR raises
 * #GP, RDPMC raises #GP, IA32_DEBUGCTL holds only 0.
 *
 * Off by default: counters of cache misses or branch mispredictions give a
 * partition a fine view of what shares the core and the caches with it (the
 * other partitions, hv), and a vCPU that uses them costs a save and restore
 * whenever its CPU switches between it and another such vCPU.
 *
 * hv itself counts nothing and records no branch: IA32_PERF_GLOBAL_CTRL is
 * 0 and IA32_DEBUGCTL clear in VMX root operation (the VM-exit controls load
 * them), so no instruction of hv's ever reaches a partition's counters or
 * LBRs. hv has no use of the PMU of its own; one (a profiler, a watchdog)
 * must ask pmu_hv_claim(), which refuses loudly while partitions may own
 * the PMU, and then refuses such partitions.
 */
#ifndef HV_PMU_PMU_H
#define HV_PMU_PMU_H

#include <types.h>

/* The most counters and records hv switches: IA32_PMC0-7, IA32_FIXED_CTR0-3 (SDM Vol. 4 Table 2-2). */
#define PMU_MAX_GP_COUNTERS 8U
#define PMU_MAX_FIXED_COUNTERS 4U
#define LBR_MAX_RECORDS 32U

struct pmu_caps {
	bool pmu_usable; /* architectural PMU version >= 2 and its MSRs answer */
	u8 version; /* CPUID.0AH:EAX[7:0] */
	u8 nr_gp_counters, nr_fixed_counters; /* as CPUID.0AH says */
	u8 gp_width, fixed_width; /* bits */
	u64 perf_capabilities; /* IA32_PERF_CAPABILITIES; 0 without it (CPUID.01H:ECX.PDCM) */
	bool lbr_usable; /* IA32_DEBUGCTL and the LBR stack MSRs answer */
	u8 lbr_depth; /* MSR_LASTBRANCH_n_FROM_IP/TO_IP answer for n < lbr_depth */
	bool lbr_info; /* MSR_LBR_INFO_n exist too */
	bool any_thread; /* the AnyThread bits count the other logical processors of the core */

	/* What a partition with hv.pmu=on gets, and why not when it does not. */
	bool guest_pmu;
	bool guest_lbr;
	const char *no_guest_pmu, *no_guest_lbr;
	bool save_perf_global_ctrl; /* the VM-exit control: the guest's writes need not exit */
	u64 guest_debugctl; /* the IA32_DEBUGCTL bits its vCPUs may set */
};

extern struct pmu_caps pmu_caps;

/* On the boot CPU, after the VMX controls are known (vmx_caps); prints what it found. */
void pmu_probe(void);

/*
 * hv's own use of the PMU, by @who (a string constant): 0, or -1 after
 * printing why it is refused (a partition with hv.pmu=on exists, or
 * another of hv's users has it). Until pmu_hv_release(), partitions with
 * hv.pmu=on are refused in turn.
 */
int pmu_hv_claim(const char *who);
void pmu_hv_release(void);

#endif /* HV_PMU_PMU_H */
