// SPDX-License-Identifier: GPL-2.0
/* Probing the PMU and the LBRs (pmu.h): by their MSRs, once, on the boot CPU. */
#include <hv/core/console.h>
#include <hv/pmu/pmu.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

/* CPUID leaf 0AH (SDM Vol. 2A CPUID, "Architectural Performance Monitoring Leaf") */
#define CPUID_PMU_LEAF 0xaU
#define PMU_VERSION(eax) ((u8)(eax))
#define PMU_GP_COUNTERS(eax) ((u8)((eax) >> 8))
#define PMU_GP_WIDTH(eax) ((u8)((eax) >> 16))
#define PMU_FIXED_COUNTERS(edx) ((u8)((edx)&0x1f))
#define PMU_FIXED_WIDTH(edx) ((u8)((edx) >> 5))
#define PMU_ANY_THREAD_DEPRECATED BIT(15) /* EDX, version 5 */
#define PMU_ANY_THREAD_VERSION 3
/* IA32_PERF_GLOBAL_CTRL/STATUS exist from version 2 (SDM Vol. 3B 20.2.2). */
#define PMU_MIN_VERSION 2
/*
 * Version 4 brings IA32_PERF_GLOBAL_STATUS_SET (SDM Vol. 3B 20.2.4.2):
 * without it a saved overflow or freeze status cannot be given back.
 */
#define PMU_GUEST_MIN_VERSION 4

/* The IA32_DEBUGCTL bits partitions may set, each only where the CPU takes it. */
#define DEBUGCTL_PMU_BITS DEBUGCTL_FREEZE_PERFMON_ON_PMI
#define DEBUGCTL_LBR_BITS (DEBUGCTL_LBR | DEBUGCTL_FREEZE_LBRS_ON_PMI)

struct pmu_caps pmu_caps;

static bool msr_answers(u32 msr)
{
	u64 v;

	return !rdmsr_safe(msr, &v);
}

/* Records n < depth for which both MSR_LASTBRANCH_n_FROM_IP and _TO_IP answer. */
static u8 lbr_depth(void)
{
	u8 n = 0;

	while (n < LBR_MAX_RECORDS && msr_answers(MSR_IA32_LASTBRANCH_0_FROM_IP + n) &&
	       msr_answers(MSR_IA32_LASTBRANCH_0_TO_IP + n))
		n++;
	return n;
}

/* Which of @bits IA32_DEBUGCTL takes, one at a time; it is left as it was. */
static u64 debugctl_takes(u64 bits)
{
	u64 old, took = 0;
	unsigned int i;

	if (rdmsr_safe(MSR_IA32_DEBUGCTL, &old))
		return 0;
	for (i = 0; i < 64; i++)
		if ((bits & BIT(i)) && !wrmsr_safe(MSR_IA32_DEBUGCTL, BIT(i)))
			took |= BIT(i);
	wrmsr_safe(MSR_IA32_DEBUGCTL, old);
	return took;
}

static void probe_hardware(struct pmu_caps *c)
{
	struct cpuid_regs r = cpuid(CPUID_PMU_LEAF, 0);

	c->version = PMU_VERSION(r.eax);
	c->nr_gp_counters = PMU_GP_COUNTERS(r.eax);
	c->gp_width = PMU_GP_WIDTH(r.eax);
	c->nr_fixed_counters = c->version >= PMU_MIN_VERSION ? PMU_FIXED_COUNTERS(r.edx) : 0;
	c->fixed_width = c->version >= PMU_MIN_VERSION ? PMU_FIXED_WIDTH(r.edx) : 0;
	c->any_thread =
		c->version >= PMU_ANY_THREAD_VERSION && !(r.edx & PMU_ANY_THREAD_DEPRECATED);
	c->pmu_usable = c->version >= PMU_MIN_VERSION && c->nr_gp_counters &&
			msr_answers(MSR_IA32_PERF_GLOBAL_CTRL) && msr_answers(MSR_IA32_PMC0) &&
			msr_answers(MSR_IA32_PERFEVTSEL0) && msr_answers(MSR_IA32_FIXED_CTR_CTRL);
	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_PDCM) ||
	    rdmsr_safe(MSR_IA32_PERF_CAPABILITIES, &c->perf_capabilities))
		c->perf_capabilities = 0;
	c->lbr_depth = lbr_depth();
	c->lbr_usable = c->lbr_depth && msr_answers(MSR_IA32_DEBUGCTL) &&
			msr_answers(MSR_IA32_LASTBRANCH_TOS) && msr_answers(MSR_IA32_LBR_SELECT);
	c->lbr_info = c->lbr_usable && msr_answers(MSR_IA32_LBR_INFO_0 + c->lbr_depth - 1);
}

/* Whether partitions can own what the hardware has; why not in no_guest_*. */
static void decide_for_guests(struct pmu_caps *c, const struct vmx_caps *vmx)
{
	bool load_controls = (vmx->entry.may_be_one & ENTRY_LOAD_PERF_GLOBAL_CTRL) &&
			     (vmx->exit.may_be_one & EXIT_LOAD_PERF_GLOBAL_CTRL);

	c->no_guest_pmu =
		!c->pmu_usable ?
			"no architectural PMU answers its MSRs" :
		c->version < PMU_GUEST_MIN_VERSION ?
			"PMU version below 4: no IA32_PERF_GLOBAL_STATUS_SET to restore a status" :
		!(c->perf_capabilities & PERF_CAP_FULL_WIDTH_WRITE) ?
			"no full-width counter writes: a saved count cannot be restored" :
		!load_controls ? "no VMX controls to load IA32_PERF_GLOBAL_CTRL on entry and exit" :
				 NULL;
	c->guest_pmu = !c->no_guest_pmu;
	c->save_perf_global_ctrl = vmx->exit.may_be_one & EXIT_SAVE_PERF_GLOBAL_CTRL;
	c->guest_debugctl = c->guest_pmu ? debugctl_takes(DEBUGCTL_PMU_BITS) : 0;

	/* The freeze bits the LBRs honour live in the PMU's status: no LBRs without it. */
	c->no_guest_lbr = !c->lbr_usable ? "no LBR stack answers its MSRs" :
			  !c->guest_pmu	 ? "the PMU is not given" :
			  !(debugctl_takes(DEBUGCTL_LBR) & DEBUGCTL_LBR) ?
					  "IA32_DEBUGCTL.LBR cannot be set" :
					  NULL;
	c->guest_lbr = !c->no_guest_lbr;
	if (c->guest_lbr)
		c->guest_debugctl |= debugctl_takes(DEBUGCTL_LBR_BITS);
}

void pmu_probe(void)
{
	struct pmu_caps *c = &pmu_caps;

	probe_hardware(c);
	decide_for_guests(c, &vmx_caps);
	if (c->pmu_usable)
		printk("hv: PMU version %u, %u+%u counters of %u/%u bits; LBRs: %u records%s (format %llu)\n",
		       c->version, c->nr_gp_counters, c->nr_fixed_counters, c->gp_width,
		       c->fixed_width, c->lbr_depth, c->lbr_info ? " with LBR_INFO" : "",
		       (unsigned long long)(c->perf_capabilities & PERF_CAP_LBR_FORMAT_MASK));
	printk("hv: hv.pmu=on partitions get %s%s%s%s\n",
	       c->guest_pmu ? "the PMU" : "no PMU: ", c->guest_pmu ? "" : c->no_guest_pmu,
	       c->guest_lbr ? " and the LBRs" : ", no LBRs: ", c->guest_lbr ? "" : c->no_guest_lbr);
}
