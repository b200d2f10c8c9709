// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX capability MSRs of Bochs 2.7's "tigerlake" CPU model, as hv read
 * them there (2026-11). Host tests start from these and change one thing.
 */
#include <x86/hw.h>
#include <x86/msr.h>

void model_set_bochs_tigerlake_vmx_msrs(void)
{
	model_msr_reset();
	model_msr_set(MSR_IA32_VMX_BASIC, 0x01d8100000000004ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x0000007f00000016ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xfff9fffe04006172ULL);
	model_msr_set(MSR_IA32_VMX_TRUE_EXIT_CTLS, 0x107fffff00036dfbULL);
	model_msr_set(MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x0010ffff000011fbULL);
	model_msr_set(MSR_IA32_VMX_PINBASED_CTLS, 0x0000007f00000016ULL);
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS, 0xfff9fffe0401e172ULL);
	model_msr_set(MSR_IA32_VMX_EXIT_CTLS, 0x107fffff00036dffULL);
	model_msr_set(MSR_IA32_VMX_ENTRY_CTLS, 0x0010ffff000011ffULL);
	model_msr_set(MSR_IA32_VMX_MISC, 0x00000000600401e0ULL);
	model_msr_set(MSR_IA32_VMX_CR0_FIXED0, 0x80000021ULL);
	model_msr_set(MSR_IA32_VMX_CR0_FIXED1, 0xffffffffULL);
	model_msr_set(MSR_IA32_VMX_CR4_FIXED0, 0x2000ULL);
	model_msr_set(MSR_IA32_VMX_CR4_FIXED1, 0xf72fffULL);
	model_msr_set(MSR_IA32_VMX_VMCS_ENUM, 0x34ULL);
	model_msr_set(MSR_IA32_VMX_PROCBASED_CTLS2, 0x02977fff00000000ULL);
	model_msr_set(MSR_IA32_VMX_EPT_VPID_CAP, 0x00000f0106b34141ULL);
	model_msr_set(MSR_IA32_VMX_VMFUNC, 0x1ULL);
}
