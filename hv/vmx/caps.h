/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMX capabilities, read once at boot from the capability MSRs (never from
 * CPUID alone), and the controls hv runs every guest with, computed from them
 * as (required | wanted | must-be-one) & may-be-one (SDM Vol. 3D A.3-A.5).
 */
#ifndef HV_VMX_CAPS_H
#define HV_VMX_CAPS_H

#include <types.h>

/* One 32-bit control's capability MSR: bits that must be 1, bits that may be 1. */
struct vmx_ctl_cap {
	u32 must_be_one; /* the MSR's bits 31:0 ("allowed 0-settings") */
	u32 may_be_one; /* the MSR's bits 63:32 ("allowed 1-settings") */
};

enum vmx_ctl_group { CTL_PIN, CTL_PROC, CTL_PROC2, CTL_PROC3, CTL_EXIT, CTL_ENTRY, CTL_GROUPS };

struct vmx_caps {
	u64 basic;
	u32 revision_id;
	u32 vmcs_size;
	bool true_ctls; /* IA32_VMX_BASIC[55]: the TRUE_* MSRs were used */
	struct vmx_ctl_cap pin, proc, proc2, exit, entry;
	u64 proc3_may_be_one; /* IA32_VMX_PROCBASED_CTLS3; 0 when absent */
	u64 misc;
	u64 ept_vpid; /* IA32_VMX_EPT_VPID_CAP; 0 without EPT and VPID */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u32 pa_bits; /* the physical-address width (MAXPHYADDR), which guests share */

	/* The controls every VMCS starts with. */
	u32 pin_ctls, proc_ctls, proc2_ctls, exit_ctls, entry_ctls;
	u64 proc3_ctls;

	/* Features, derived once from the MSRs above. */
	bool ept_2m, ept_1g, ept_ad, ept_wb, invept_single, invept_all;
	bool vpid, invvpid_single, invvpid_all;
	bool unrestricted_guest;
	bool preemption_timer; /* with "save VMX-preemption timer value" */
	bool xsaves; /* "enable XSAVES/XRSTORS" is on: guests have XSAVES and IA32_XSS */
	bool apic_virtualization; /* APIC-access, register virt., virtual-interrupt delivery */
	bool x2apic_virtualization;
	bool posted_interrupts;
	bool tertiary_controls, ipi_virtualization;
	u32 preemption_timer_shift; /* the timer counts down every 2^shift TSC ticks */
};

/* Why the CPU cannot run hv's guests; filled by vmx_compute_controls(). */
struct vmx_caps_error {
	enum vmx_ctl_group group;
	u32 bit;
	const char *name; /* the control, as the SDM names it */
};

extern struct vmx_caps vmx_caps;

/*
 * The checks before any VMX MSR is read (QEMU's TCG reads unknown MSRs as 0,
 * so CPUID comes first): returns NULL if VMXON may be tried, else why not.
 * @fc_readable is false when reading IA32_FEATURE_CONTROL raised #GP.
 */
const char *vmx_unusable_reason(u32 cpuid1_ecx, bool fc_readable, u64 feature_control);

/*
 * Reads the capability MSRs with #GP fixups. Returns 0, or -1 when a
 * capability MSR is missing (e.g. an emulator that reads them all as 0 is
 * caught earlier by the CPUID check).
 */
int vmx_read_caps(struct vmx_caps *caps);

/* Computes the controls; returns 0, or -1 with @err naming a missing required control. */
int vmx_compute_controls(struct vmx_caps *caps, struct vmx_caps_error *err);

/* Name of a control group, for messages: "pin-based", "secondary", ... */
const char *vmx_ctl_group_name(enum vmx_ctl_group group);

#endif /* HV_VMX_CAPS_H */
