// SPDX-License-Identifier: GPL-2.0
#include <hv/vmx/caps.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

struct vmx_caps vmx_caps;

enum ctl_need { REQUIRED, WANTED };

struct ctl_spec {
	enum vmx_ctl_group group;
	u32 bit;
	enum ctl_need need;
	const char *name;
};

#define CTL(g, b, need, name)    \
	{                        \
		g, b, need, name \
	}

/*
 * What hv asks of the CPU. Required: hv cannot isolate or run a guest
 * without it. Wanted: used when offered. Controls hv switches per vCPU at
 * run time (IA-32e mode guest, interrupt-window exiting, ...) and those a
 * feature turns on once its structures exist (APICv, posted interrupts)
 * are not here: their availability is recorded in the feature flags.
 * MOV-DR exiting is here: every vCPU starts with it, and drops it for good
 * once it uses the debug registers (hv/core/lazy_state.c).
 */
static const struct ctl_spec ctl_specs[] = {
	CTL(CTL_PIN, 0, REQUIRED, "external-interrupt exiting"),
	CTL(CTL_PIN, 3, REQUIRED, "NMI exiting"),
	CTL(CTL_PIN, 5, REQUIRED, "virtual NMIs"),
	CTL(CTL_PROC, 7, REQUIRED, "HLT exiting"),
	CTL(CTL_PROC, 10, WANTED, "MWAIT exiting"),
	CTL(CTL_PROC, 11, REQUIRED, "RDPMC exiting"),
	CTL(CTL_PROC, 23, REQUIRED, "MOV-DR exiting"),
	CTL(CTL_PROC, 25, REQUIRED, "use I/O bitmaps"),
	CTL(CTL_PROC, 28, REQUIRED, "use MSR bitmaps"),
	CTL(CTL_PROC, 29, WANTED, "MONITOR exiting"),
	CTL(CTL_PROC, 31, REQUIRED, "activate secondary controls"),
	CTL(CTL_PROC2, 1, REQUIRED, "enable EPT"),
	CTL(CTL_PROC2, 3, WANTED, "enable RDTSCP"),
	CTL(CTL_PROC2, 5, WANTED, "enable VPID"),
	CTL(CTL_PROC2, 6, REQUIRED, "WBINVD exiting"),
	CTL(CTL_PROC2, 7, REQUIRED, "unrestricted guest"),
	CTL(CTL_PROC2, 12, WANTED, "enable INVPCID"),
	CTL(CTL_PROC2, 20, WANTED, "enable XSAVES/XRSTORS"),
	CTL(CTL_EXIT, 2, REQUIRED, "save debug controls"),
	CTL(CTL_EXIT, 9, REQUIRED, "host address-space size"),
	CTL(CTL_EXIT, 15, REQUIRED, "acknowledge interrupt on exit"),
	CTL(CTL_EXIT, 18, REQUIRED, "save IA32_PAT"),
	CTL(CTL_EXIT, 19, REQUIRED, "load IA32_PAT"),
	CTL(CTL_EXIT, 20, REQUIRED, "save IA32_EFER"),
	CTL(CTL_EXIT, 21, REQUIRED, "load IA32_EFER"),
	CTL(CTL_ENTRY, 2, REQUIRED, "load debug controls"),
	CTL(CTL_ENTRY, 14, REQUIRED, "load IA32_PAT"),
	CTL(CTL_ENTRY, 15, REQUIRED, "load IA32_EFER"),
};

static const char *const group_names[CTL_GROUPS] = {
	[CTL_PIN] = "pin-based",
	[CTL_PROC] = "primary processor-based",
	[CTL_PROC2] = "secondary processor-based",
	[CTL_PROC3] = "tertiary processor-based",
	[CTL_EXIT] = "VM-exit",
	[CTL_ENTRY] = "VM-entry",
};

const char *vmx_ctl_group_name(enum vmx_ctl_group group)
{
	return group < CTL_GROUPS ? group_names[group] : "?";
}

const char *vmx_unusable_reason(u32 cpuid1_ecx, bool fc_readable, u64 fc)
{
	if (!(cpuid1_ecx & CPUID_1_ECX_VMX))
		return "this CPU does not have VMX (CPUID.1:ECX.VMX[bit 5] = 0); hv needs an Intel "
		       "CPU with VT-x, or a nested hypervisor that exposes it";
	if (!fc_readable)
		return "IA32_FEATURE_CONTROL cannot be read";
	/* Unlocked is fine: hv sets the enable bit and locks it itself (SDM Vol. 3C 24.7). */
	if ((fc & FEATURE_CONTROL_LOCKED) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		return "the firmware disabled VMX and locked IA32_FEATURE_CONTROL; enable VT-x in "
		       "the firmware setup";
	return NULL;
}

static int read_ctl(u32 msr, u32 true_msr, bool use_true, struct vmx_ctl_cap *cap)
{
	u64 v;

	if (rdmsr_safe(use_true ? true_msr : msr, &v))
		return -1;
	cap->must_be_one = (u32)v;
	cap->may_be_one = (u32)(v >> 32);
	return 0;
}

/* CPUID.80000008H:EAX[7:0], or 36 when the leaf is missing (SDM Vol. 3A 4.1.4). */
static u32 phys_addr_bits(void)
{
	u32 max = cpuid(CPUID_LEAF_EXT_MAX, 0).eax;

	if (max < CPUID_LEAF_ADDR_SIZES || max > CPUID_LEAF_EXT_LAST)
		return MAXPHYADDR_DEFAULT;
	return cpuid(CPUID_LEAF_ADDR_SIZES, 0).eax & CPUID_ADDR_SIZES_PHYS_MASK;
}

int vmx_read_caps(struct vmx_caps *c)
{
	int err = 0;

	c->pa_bits = phys_addr_bits();

	if (rdmsr_safe(MSR_IA32_VMX_BASIC, &c->basic))
		return -1;
	c->revision_id = c->basic & VMX_BASIC_REVISION_MASK;
	c->vmcs_size = (c->basic & VMX_BASIC_VMCS_SIZE_MASK) >> VMX_BASIC_VMCS_SIZE_SHIFT;
	c->true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;

	err |= read_ctl(MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS, c->true_ctls,
			&c->pin);
	err |= read_ctl(MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS, c->true_ctls,
			&c->proc);
	err |= read_ctl(MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS, c->true_ctls,
			&c->exit);
	err |= read_ctl(MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS, c->true_ctls,
			&c->entry);
	err |= rdmsr_safe(MSR_IA32_VMX_MISC, &c->misc);
	err |= rdmsr_safe(MSR_IA32_VMX_CR0_FIXED0, &c->cr0_fixed0);
	err |= rdmsr_safe(MSR_IA32_VMX_CR0_FIXED1, &c->cr0_fixed1);
	err |= rdmsr_safe(MSR_IA32_VMX_CR4_FIXED0, &c->cr4_fixed0);
	err |= rdmsr_safe(MSR_IA32_VMX_CR4_FIXED1, &c->cr4_fixed1);
	if (err)
		return -1;

	/* Each further MSR exists only if the control that announces it may be 1. */
	c->proc2 = (struct vmx_ctl_cap){ 0, 0 };
	c->ept_vpid = 0;
	c->proc3_may_be_one = 0;
	if (c->proc.may_be_one & CPU_ACTIVATE_SECONDARY_CONTROLS) {
		if (read_ctl(MSR_IA32_VMX_PROCBASED_CTLS2, 0, false, &c->proc2))
			return -1;
		if ((c->proc2.may_be_one & (SECONDARY_ENABLE_EPT | SECONDARY_ENABLE_VPID)) &&
		    rdmsr_safe(MSR_IA32_VMX_EPT_VPID_CAP, &c->ept_vpid))
			return -1;
	}
	if ((c->proc.may_be_one & CPU_ACTIVATE_TERTIARY_CONTROLS) &&
	    rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS3, &c->proc3_may_be_one))
		return -1;
	return 0;
}

static u32 *ctls_of(struct vmx_caps *c, enum vmx_ctl_group g)
{
	switch (g) {
	case CTL_PIN:
		return &c->pin_ctls;
	case CTL_PROC:
		return &c->proc_ctls;
	case CTL_PROC2:
		return &c->proc2_ctls;
	case CTL_EXIT:
		return &c->exit_ctls;
	case CTL_ENTRY:
		return &c->entry_ctls;
	default:
		return NULL;
	}
}

static const struct vmx_ctl_cap *cap_of(const struct vmx_caps *c, enum vmx_ctl_group g)
{
	switch (g) {
	case CTL_PIN:
		return &c->pin;
	case CTL_PROC:
		return &c->proc;
	case CTL_PROC2:
		return &c->proc2;
	case CTL_EXIT:
		return &c->exit;
	case CTL_ENTRY:
		return &c->entry;
	default:
		return NULL;
	}
}

static void derive_features(struct vmx_caps *c)
{
	u32 p2 = c->proc2.may_be_one;
	u64 ev = c->ept_vpid;

	c->ept_2m = ev & VMX_EPT_2MB_PAGE;
	c->ept_1g = ev & VMX_EPT_1GB_PAGE;
	c->ept_ad = ev & VMX_EPT_AD_BITS;
	c->ept_wb = ev & VMX_EPT_MEMTYPE_WB;
	c->invept_single = (ev & VMX_EPT_INVEPT) && (ev & VMX_EPT_INVEPT_SINGLE_CONTEXT);
	c->invept_all = (ev & VMX_EPT_INVEPT) && (ev & VMX_EPT_INVEPT_ALL_CONTEXT);
	c->invvpid_single = (ev & VMX_VPID_INVVPID) && (ev & VMX_VPID_INVVPID_SINGLE_CONTEXT);
	c->invvpid_all = (ev & VMX_VPID_INVVPID) && (ev & VMX_VPID_INVVPID_ALL_CONTEXT);
	/* hv flushes a guest's translations with INVVPID: no VPIDs without it. */
	if (!c->invvpid_single && !c->invvpid_all)
		c->proc2_ctls &= ~(u32)SECONDARY_ENABLE_VPID;
	c->vpid = c->proc2_ctls & SECONDARY_ENABLE_VPID;
	c->unrestricted_guest = c->proc2_ctls & SECONDARY_UNRESTRICTED_GUEST;
	/* A time slice counts down across exits: the timer's value must be saved on each. */
	c->preemption_timer = (c->pin.may_be_one & PIN_PREEMPTION_TIMER) &&
			      (c->exit.may_be_one & EXIT_SAVE_PREEMPTION_TIMER);
	c->xsaves = c->proc2_ctls & SECONDARY_ENABLE_XSAVES;
	c->preemption_timer_shift = c->misc & VMX_MISC_PREEMPTION_TIMER_RATE_MASK;
	c->apic_virtualization = (c->proc.may_be_one & CPU_USE_TPR_SHADOW) &&
				 (p2 & SECONDARY_VIRTUALIZE_APIC_ACCESSES) &&
				 (p2 & SECONDARY_APIC_REGISTER_VIRTUALIZATION) &&
				 (p2 & SECONDARY_VIRTUAL_INTERRUPT_DELIVERY);
	c->x2apic_virtualization = (c->proc.may_be_one & CPU_USE_TPR_SHADOW) &&
				   (p2 & SECONDARY_VIRTUALIZE_X2APIC_MODE) &&
				   (p2 & SECONDARY_APIC_REGISTER_VIRTUALIZATION) &&
				   (p2 & SECONDARY_VIRTUAL_INTERRUPT_DELIVERY);
	c->posted_interrupts = c->apic_virtualization &&
			       (c->pin.may_be_one & PIN_POSTED_INTERRUPTS) &&
			       (c->exit.may_be_one & EXIT_ACK_INTERRUPT_ON_EXIT);
	c->tertiary_controls = c->proc.may_be_one & CPU_ACTIVATE_TERTIARY_CONTROLS;
	c->ipi_virtualization = c->tertiary_controls && c->posted_interrupts &&
				(c->proc3_may_be_one & TERTIARY_IPI_VIRTUALIZATION);
}

int vmx_compute_controls(struct vmx_caps *c, struct vmx_caps_error *err)
{
	unsigned int i;

	c->pin_ctls = c->pin.must_be_one;
	c->proc_ctls = c->proc.must_be_one;
	c->proc2_ctls = c->proc2.must_be_one;
	c->exit_ctls = c->exit.must_be_one;
	c->entry_ctls = c->entry.must_be_one;
	c->proc3_ctls = 0;

	for (i = 0; i < ARRAY_SIZE(ctl_specs); i++) {
		const struct ctl_spec *s = &ctl_specs[i];
		bool offered = cap_of(c, s->group)->may_be_one & BIT(s->bit);

		if (offered) {
			*ctls_of(c, s->group) |= BIT(s->bit);
		} else if (s->need == REQUIRED) {
			err->group = s->group;
			err->bit = s->bit;
			err->name = s->name;
			return -1;
		}
	}
	derive_features(c);
	return 0;
}
