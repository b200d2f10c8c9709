// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/feature.h>
#include <hv/core/isolation.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

struct isolation_caps isolation_caps;

/* IA32_ARCH_CAPABILITIES (SDM Vol. 4 Table 2-2): what the CPU is not affected by. */
static u64 arch_capabilities(u32 leaf7_edx)
{
	u64 caps = 0;

	if ((leaf7_edx & CPUID_7_EDX_ARCH_CAPABILITIES) &&
	    rdmsr_safe(MSR_IA32_ARCH_CAPABILITIES, &caps))
		caps = 0;
	return caps;
}

/* A command MSR exists if writing it a command does not #GP (they are write-only). */
static bool command_works(u32 msr, u64 command)
{
	return !wrmsr_safe(msr, command);
}

void isolation_probe(void)
{
	struct isolation_caps *c = &isolation_caps;
	u32 edx = cpuid(7, 0).edx;
	u64 arch = arch_capabilities(edx), spec_ctrl;

	c->ibpb = (edx & CPUID_7_EDX_IBRS_IBPB) && command_works(MSR_IA32_PRED_CMD, PRED_CMD_IBPB);
	c->l1d_flush = !(arch & (ARCH_CAP_RDCL_NO | ARCH_CAP_SKIP_L1DFL_VMENTRY)) &&
		       (edx & CPUID_7_EDX_L1D_FLUSH) &&
		       command_works(MSR_IA32_FLUSH_CMD, FLUSH_CMD_L1D);
	/* On MD_CLEAR CPUs the L1D flush clears the CPU buffers too. */
	c->verw = !(arch & ARCH_CAP_MDS_NO) && (edx & CPUID_7_EDX_MD_CLEAR) && !c->l1d_flush;
	c->eibrs = (arch & ARCH_CAP_IBRS_ALL) && (edx & CPUID_7_EDX_IBRS_IBPB) &&
		   !rdmsr_safe(MSR_IA32_SPEC_CTRL, &spec_ctrl);
	printk("hv: between partitions: %sIBPB %sL1D-flush %sVERW; %senhanced-IBRS\n",
	       c->ibpb ? "" : "-", c->l1d_flush ? "" : "-", c->verw ? "" : "-",
	       c->eibrs ? "" : "-");
}

/*
 * Enhanced IBRS, set once, keeps predictions made in VMX non-root
 * operation from steering hv's indirect branches. Guests cannot clear it:
 * IA32_SPEC_CTRL raises #GP for them (hv/vmx/cpuid.c hides it).
 */
void isolation_cpu_init(void)
{
	if (isolation_caps.eibrs)
		wrmsr(MSR_IA32_SPEC_CTRL, rdmsr(MSR_IA32_SPEC_CTRL) | SPEC_CTRL_IBRS);
}

/*
 * Before @next enters on this CPU (the switch_in hook): if a vCPU of
 * another partition ran here last, nothing it left in the predictors, the
 * L1D or the CPU buffers may reach @next.
 */
static void isolation_switch(struct percpu *cpu, struct vcpu *next)
{
	u32 id = next->partition->id;

	if (likely(cpu->last_partition == id))
		return;
	cpu->last_partition = id;
	if (isolation_caps.ibpb)
		wrmsr(MSR_IA32_PRED_CMD, PRED_CMD_IBPB);
	if (isolation_caps.l1d_flush)
		wrmsr(MSR_IA32_FLUSH_CMD, FLUSH_CMD_L1D);
	if (isolation_caps.verw)
		verw_clear_cpu_buffers(SEL_DATA);
}

DEFINE_FEATURE(isolation_feature) = {
	.name = "isolation",
	.switch_in = isolation_switch,
};
