// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID exits: the host's answer, minus what hv does not give guests, plus
 * hv's own leaves. Hot path: one host CPUID and a switch.
 */
#include <hv/core/cmdline.h>
#include <hv/core/lazy_state.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <public/hv.h>
#include <x86/cpu.h>
#include <x86/hw.h>

#define HV_LEAF_FIRST 0x40000000U
#define HV_LEAF_LAST 0x400000ffU
#define LEAF1_EBX_APIC_ID_SHIFT 24
#define LEAF1_EBX_APIC_ID_MASK GENMASK(31, 24)
#define LEAF7_ECX_OSPKE BIT(4)
#define LEAF7_EDX_HIDDEN (BIT(26) | BIT(27) | BIT(29) | BIT(31)) /* SPEC_CTRL etc. MSRs */
#define LEAFB_X2APIC_ID_LEAVES 0x1fU

/* Features hv does not virtualize (yet): the guest must not see them. */
#define LEAF1_ECX_HIDDEN                                                                \
	(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | CPUID_1_ECX_MONITOR | CPUID_1_ECX_DTES64 | \
	 CPUID_1_ECX_DSCPL | CPUID_1_ECX_EST | CPUID_1_ECX_TM2 | CPUID_1_ECX_PDCM |     \
	 CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE | CPUID_1_ECX_OSXSAVE)
#define LEAF1_EDX_HIDDEN (CPUID_1_EDX_DS | CPUID_1_EDX_ACPI | CPUID_1_EDX_TM | CPUID_1_EDX_PBE)

static struct cpuid_regs hv_leaf(u32 leaf)
{
	switch (leaf) {
	case HV_CPUID_SIGNATURE:
		return (struct cpuid_regs){ HV_CPUID_MAX_LEAF, HV_SIGNATURE_EBX, HV_SIGNATURE_ECX,
					    HV_SIGNATURE_EDX };
	case HV_CPUID_FEATURES:
		return (struct cpuid_regs){ HV_ABI_VERSION,
					    HV_FEATURE_HYPERCALL |
						    (hv_options.testing ? HV_FEATURE_TESTING : 0),
					    0, 0 };
	default:
		return (struct cpuid_regs){ 0, 0, 0, 0 };
	}
}

enum exit_action vmx_handle_cpuid(struct vcpu *v)
{
	u32 leaf = (u32)v->gpr[GPR_RAX], subleaf = (u32)v->gpr[GPR_RCX];
	struct cpuid_regs r;

	if (unlikely(leaf - HV_LEAF_FIRST <= HV_LEAF_LAST - HV_LEAF_FIRST)) {
		r = hv_leaf(leaf);
		goto out;
	}
	r = cpuid(leaf, subleaf);
	switch (leaf) {
	case 1:
		r.ebx = (r.ebx & ~LEAF1_EBX_APIC_ID_MASK) | (v->id << LEAF1_EBX_APIC_ID_SHIFT);
		r.ecx = (r.ecx & ~LEAF1_ECX_HIDDEN) | CPUID_1_ECX_HYPERVISOR;
		/* OSXSAVE mirrors the guest's CR4, not hv's. */
		if (vmread(GUEST_CR4) & X86_CR4_OSXSAVE)
			r.ecx |= CPUID_1_ECX_OSXSAVE;
		r.edx &= ~LEAF1_EDX_HIDDEN;
		break;
	case 5: /* MONITOR/MWAIT: hidden */
	case 6: /* thermal and power management: no such MSRs for guests */
	case 0xa: /* architectural PMU: hv gives guests none of its MSRs (yet) */
		r = (struct cpuid_regs){ 0, 0, 0, 0 };
		break;
	case 7:
		if (subleaf == 0) {
			r.ecx &= ~(u32)LEAF7_ECX_OSPKE;
			if (vmread(GUEST_CR4) & X86_CR4_PKE)
				r.ecx |= LEAF7_ECX_OSPKE;
			r.ecx &= ~(u32)CPUID_7_ECX_WAITPKG;
			r.edx &= ~(u32)(LEAF7_EDX_HIDDEN | CPUID_7_EDX_ARCH_LBR);
		}
		break;
	case CPUID_LEAF_EXT_FEATURES:
		/* Without its own TSC_AUX the vCPU has no RDTSCP (hv/vmx/vmx.c). */
		if (!lazy_state_owns_syscall_msrs(v))
			r.edx &= ~(u32)CPUID_80000001_EDX_RDTSCP;
		break;
	case 0xb:
	case LEAFB_X2APIC_ID_LEAVES:
		r.edx = v->id;
		break;
	}
out:
	v->gpr[GPR_RAX] = r.eax;
	v->gpr[GPR_RBX] = r.ebx;
	v->gpr[GPR_RCX] = r.ecx;
	v->gpr[GPR_RDX] = r.edx;
	vmx_skip_instruction();
	return EXIT_RESUME;
}
