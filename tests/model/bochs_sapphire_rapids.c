// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX capability MSRs of the reference engine's "sapphire_rapids" CPU
 * model (Bochs 3.0 with tools/bochs/patches: posted interrupts, tertiary
 * controls, IPI virtualization), as guest-tests/t-engine-cpu printed them
 * natively (2026-12). Host tests of those features start from these.
 */
#include <x86/hw.h>
#include <x86/msr.h>

void model_set_bochs_sapphire_rapids_vmx_msrs(void)
{
	model_msr_reset();
	model_msr_set(MSR_IA32_VMX_BASIC, 0x00d8100000000004ULL);
	model_msr_set(MSR_IA32_VMX_PINBASED_CTLS, 0x000000ff00000016ULL);
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS, 0xfffbfffe0401e172ULL);
	model_msr_set(MSR_IA32_VMX_EXIT_CTLS, 0xc07fffff00036dffULL);
	model_msr_set(MSR_IA32_VMX_ENTRY_CTLS, 0x0000ffff000011ffULL);
	model_msr_set(MSR_IA32_VMX_MISC, 0x00000000600401e0ULL);
	model_msr_set(MSR_IA32_VMX_CR0_FIXED0, 0x80000021ULL);
	model_msr_set(MSR_IA32_VMX_CR0_FIXED1, 0xffffffffULL);
	model_msr_set(MSR_IA32_VMX_CR4_FIXED0, 0x2000ULL);
	model_msr_set(MSR_IA32_VMX_CR4_FIXED1, 0x373fffULL);
	model_msr_set(MSR_IA32_VMX_VMCS_ENUM, 0x50ULL);
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x06d77fff00000000ULL);
	model_msr_set(MSR_IA32_VMX_EPT_VPID_CAP, 0x00000f0106734141ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x000000ff00000016ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xfffbfffe04006172ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_EXIT_CTLS, 0xc07fffff00036dfbULL);
	model_msr_set(MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x0000ffff000011fbULL);
	model_msr_set(MSR_IA32_VMX_VMFUNC, 0x1ULL);
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS3, 0x90ULL);
}
