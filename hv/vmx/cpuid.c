// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID exits: the host's answer, minus what hv does not give guests, plus
 * hv's own leaves. Hot path: one host CPUID and a switch.
 */
#include <hv/core/cmdline.h>
#include <hv/core/feature.h>
#include <hv/core/lazy_state.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <public/hv.h>
#include <x86/cpu.h>
#include <x86/hw.h>

#define HV_LEAF_FIRST 0x40000000U
#define HV_LEAF_LAST 0x400000ffU
#define LEAF1_EBX_APIC_ID_SHIFT 24
#define LEAF1_EBX_APIC_ID_MASK GENMASK(31, 24)
#define LEAFB_X2APIC_ID_LEAVES 0x1fU
#define XSAVE_LEAF 0xdU
#define XSAVE_SUBLEAF_XSS 1U /* EAX: XSAVE extensions; ECX:EDX: the IA32_XSS bits */

/*
 * Features hv does not virtualize (yet): the guest must not see them. Each
 * needs an MSR, an instruction or a device hv does not give guests: MONITOR
 * and MWAIT #UD; the APIC, the x2APIC and the TSC deadline timer wait for
 * hv/apic; PDCM, DS and the thermal and power features have MSRs that #GP
 * (hv/pmu gives PDCM and leaf 0AH back to the partitions it gives the PMU).
 */
#define LEAF1_ECX_HIDDEN                                                                \
	(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | CPUID_1_ECX_MONITOR | CPUID_1_ECX_DTES64 | \
	 CPUID_1_ECX_DSCPL | CPUID_1_ECX_EST | CPUID_1_ECX_TM2 | CPUID_1_ECX_PDCM |     \
	 CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE | CPUID_1_ECX_OSXSAVE)
#define LEAF1_EDX_HIDDEN \
	(CPUID_1_EDX_APIC | CPUID_1_EDX_DS | CPUID_1_EDX_ACPI | CPUID_1_EDX_TM | CPUID_1_EDX_PBE)
/*
 * ENCLS (#UD), the Intel PT MSRs: none exist for guests. IA32_TSC_ADJUST
 * stays, as the host has it: it reads 0 (hv/vmx/msr.c), and with it and an
 * invariant TSC Linux trusts the TSC instead of checking it against a
 * jiffies count that timer interrupts merged under a slow device model.
 */
#define LEAF7_EBX_HIDDEN (CPUID_7_EBX_SGX | CPUID_7_EBX_INTEL_PT)
/* TPAUSE/UMWAIT, the CET MSRs and IA32_PKRS: not for guests. OSPKE mirrors the guest's CR4. */
#define LEAF7_ECX_HIDDEN \
	(CPUID_7_ECX_OSPKE | CPUID_7_ECX_WAITPKG | CPUID_7_ECX_CET_SS | CPUID_7_ECX_PKS)
/*
 * IA32_SPEC_CTRL, PRED_CMD, FLUSH_CMD, ARCH_CAPABILITIES and
 * CORE_CAPABILITIES #GP in guests (docs/ISOLATION.md says why), as do the
 * architectural LBR and CET MSRs. MD_CLEAR stays: VERW is the guest's own.
 */
#define LEAF7_EDX_HIDDEN                                                                          \
	(CPUID_7_EDX_ARCH_LBR | CPUID_7_EDX_CET_IBT | CPUID_7_EDX_IBRS_IBPB | CPUID_7_EDX_STIBP | \
	 CPUID_7_EDX_L1D_FLUSH | CPUID_7_EDX_ARCH_CAPABILITIES | CPUID_7_EDX_CORE_CAPABILITIES |  \
	 CPUID_7_EDX_SSBD)

/* The basic leaves hv adjusts below; leaves 32 and up are all looked at. */
#define HV_ADJUSTED_LEAVES \
	(BIT(1) | BIT(5) | BIT(6) | BIT(7) | BIT(0xb) | BIT(XSAVE_LEAF) | BIT(0x1f))

/* Those and the ones a feature adjusts (hv/core/feature.h), found at boot. */
static u32 cpuid_adjusted_leaves = HV_ADJUSTED_LEAVES;
static u32 cpuid_feature_leaves;
/* The highest basic leaf guests see: the host's, or the highest a feature answers. */
static u32 max_basic_leaf;

void vmx_cpuid_init(void)
{
	const struct feature *f;
	u32 highest;

	for_each_feature(f)
		cpuid_feature_leaves |= f->cpuid_leaves;
	cpuid_adjusted_leaves |= cpuid_feature_leaves;
	highest = cpuid_feature_leaves ? 31 - (u32)__builtin_clz(cpuid_feature_leaves) : 0;
	max_basic_leaf = MAX(cpuid(0, 0).eax, highest);
}

static void feature_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	const struct feature *f;

	for_each_feature(f)
		if (f->cpuid_leaves & BIT(leaf))
			f->cpuid(v, leaf, subleaf, r);
}

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

/* What hv and the features make of the host's answer to @leaf, out of line. */
static __attribute__((noinline)) struct cpuid_regs adjusted_leaf(struct vcpu *v, u32 leaf,
								 u32 subleaf)
{
	struct cpuid_regs r;

	if (unlikely(leaf - HV_LEAF_FIRST <= HV_LEAF_LAST - HV_LEAF_FIRST))
		return hv_leaf(leaf);
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
		r = (struct cpuid_regs){ 0, 0, 0, 0 };
		break;
	case 7:
		if (subleaf == 0) {
			r.ebx &= ~(u32)LEAF7_EBX_HIDDEN;
			r.ecx &= ~(u32)LEAF7_ECX_HIDDEN;
			if (vmread(GUEST_CR4) & X86_CR4_PKE)
				r.ecx |= CPUID_7_ECX_OSPKE;
			/* RDPID reads TSC_AUX: it exists only with RDTSCP (hv/vmx/vmx.c). */
			if (!lazy_state_owns_syscall_msrs(v))
				r.ecx &= ~(u32)CPUID_7_ECX_RDPID;
			r.edx &= ~(u32)LEAF7_EDX_HIDDEN;
		}
		break;
	case XSAVE_LEAF:
		/* IA32_XSS allows no supervisor state (hv/vmx/msr.c); no IA32_XFD either. */
		if (subleaf == XSAVE_SUBLEAF_XSS) {
			r.eax &= ~(u32)CPUID_D_1_EAX_XFD;
			if (!vmx_caps.xsaves)
				r.eax &= ~(u32)CPUID_D_1_EAX_XSAVES;
			r.ecx = 0;
			r.edx = 0;
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
	if (unlikely(leaf < 32 && (cpuid_feature_leaves & BIT(leaf))))
		feature_cpuid(v, leaf, subleaf, &r);
	return r;
}

enum exit_action vmx_handle_cpuid(struct vcpu *v)
{
	u32 leaf = (u32)v->gpr[GPR_RAX], subleaf = (u32)v->gpr[GPR_RCX];
	/* The common case first: a leaf nobody adjusts is the host's. */
	struct cpuid_regs r = likely(leaf < 32 && !(cpuid_adjusted_leaves & BIT(leaf))) ?
				      cpuid(leaf, subleaf) :
				      adjusted_leaf(v, leaf, subleaf);

	/* Leaf 0 names the highest basic leaf: a feature may answer beyond the host's. */
	if (leaf == 0)
		r.eax = max_basic_leaf;
	v->gpr[GPR_RAX] = r.eax;
	v->gpr[GPR_RBX] = r.ebx;
	v->gpr[GPR_RCX] = r.ecx;
	v->gpr[GPR_RDX] = r.edx;
	vmx_skip_instruction();
	return EXIT_RESUME;
}
