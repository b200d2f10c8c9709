/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of one CPU's architectural performance monitoring (version 4)
 * and legacy LBR stack, for host tests of hv/pmu. Written from the SDM
 * (Vol. 3B 20.2 "Architectural Performance Monitoring", 18.4 "Last Branch,
 * Interrupt, and Exception Recording", Vol. 4 Table 2-2; Vol. 3C 27.3.2.1,
 * 28.3.1 and 28.5.1 for what VM entries and exits load and save), not from
 * hv/pmu. Installed, it answers the PMU and LBR MSRs of the model hardware
 * (tests/model/include/x86/hw.h) and CPUID leaves 01H (PDCM) and 0AH.
 *
 * The CPU runs code only when a test says so: model_pmu_run() retires
 * instructions (with their branches) at a CPL; model_pmu_vm_entry() and
 * model_pmu_vm_exit() do what the current VMCS's controls say. Each
 * instruction counts as one cycle, as in Bochs.
 */
#ifndef TESTS_MODEL_PMU_MODEL_H
#define TESTS_MODEL_PMU_MODEL_H

#include <types.h>

struct model_pmu_config {
	unsigned int version; /* CPUID.0AH:EAX[7:0] */
	unsigned int gp_counters, fixed_counters, width;
	bool full_width_writes; /* IA32_PERF_CAPABILITIES[13]: IA32_A_PMCn exist */
	unsigned int lbr_depth; /* 0: no LBR MSRs at all */
	bool lbr_info; /* MSR_LBR_INFO_n exist */
	unsigned int lbr_format; /* IA32_PERF_CAPABILITIES[5:0] */
	u64 debugctl_bits; /* the IA32_DEBUGCTL bits that exist; the others #GP */
	bool any_thread; /* the AnyThread bits exist (and are kept when written) */
};

/* Bochs 3.0's sapphire_rapids with the project's patches: 8 + 3 counters, 32 LBRs. */
extern const struct model_pmu_config model_pmu_bochs3;

/* Installs a CPU in its reset state (SDM Vol. 3A Table 10-1); NULL removes it. */
void model_pmu_install(const struct model_pmu_config *c);

/*
 * The CPU retires @instructions at @cpl, the last @branches of them taken
 * branches, each from @from to @to (LBR records). Overflows set status
 * bits, and with a PMI enabled count a PMI and freeze as IA32_DEBUGCTL says
 * (version 4: CTR_FRZ, LBR_FRZ).
 */
void model_pmu_run(u64 instructions, u64 branches, u64 from, u64 to, unsigned int cpl);

/* RDPMC of the counter ECX selects: 0, or -1 for #GP. */
int model_pmu_rdpmc(u32 ecx, u64 *val);

/* VM entry and VM exit with the current VMCS's controls. */
void model_pmu_vm_entry(void);
void model_pmu_vm_exit(void);

/* What happened since the install: PMIs, and RDMSR/WRMSR of the model's MSRs. */
extern unsigned int model_pmu_pmis;
extern unsigned int model_pmu_msr_accesses;

/* Raw state, for assertions that must not go through an MSR access. */
u64 model_pmu_counter(unsigned int global_bit); /* IA32_PMCn: n, IA32_FIXED_CTRn: 32 + n */
u64 model_pmu_global_ctrl(void);
u64 model_pmu_debugctl(void);
u64 model_pmu_lbr_from(unsigned int i);

#endif /* TESTS_MODEL_PMU_MODEL_H */
