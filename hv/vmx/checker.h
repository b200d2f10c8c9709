/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software version of the processor's checks on VM entry (SDM Vol. 3C
 * 27.2 controls and host-state area, 27.3.1 guest-state area, 27.4 MSR-load
 * area), run after an entry failed so hv can name the check and the field
 * instead of "invalid guest state" or "VM-instruction error 7".
 * It reads the current VMCS through vmread() and the MSR-load area through
 * phys_to_virt(), so host tests run it against the model.
 */
#ifndef HV_VMX_CHECKER_H
#define HV_VMX_CHECKER_H

#include <hv/vmx/caps.h>
#include <types.h>

/*
 * One failed check. A failed MSR-load entry (27.4) names
 * VM_ENTRY_MSR_LOAD_ADDR as its field and carries the entry's first
 * quadword (the MSR index in bits 31:0) as its value.
 */
struct vmx_check_failure {
	const char *rule; /* the check in words, e.g. "CR0.PG=1 requires CR0.PE=1" */
	const char *sdm; /* where the SDM states it, e.g. "27.3.1.1" */
	u32 field; /* the VMCS field that breaks it (the first, if several) */
	u64 value; /* that field's value */
};

/*
 * Runs every check against the current VMCS and its VM-entry MSR-load area
 * (VM-entry failure, exit reason 33 or 34). Returns the number of failed
 * checks; the first @max are stored in @out (which may be NULL if @max is 0).
 */
unsigned int vmx_check_guest_state(const struct vmx_caps *caps, struct vmx_check_failure *out,
				   unsigned int max);

/*
 * Runs the checks on the VMX controls and the host-state area (27.2) that
 * VMLAUNCH/VMRESUME report as VMfailValid with VM-instruction error 7
 * (controls, 27.2.1) or 8 (host state, 27.2.2-27.2.4). Same contract.
 */
unsigned int vmx_check_controls_and_host_state(const struct vmx_caps *caps,
					       struct vmx_check_failure *out, unsigned int max);

/* Name of a VMCS field ("GUEST_CR0"), or NULL if unknown. */
const char *vmcs_field_name(u32 field);

/* Name of a VM-instruction error number (SDM Vol. 3C 31.4), or NULL if unknown. */
const char *vm_instruction_error_name(u32 error);

#endif /* HV_VMX_CHECKER_H */
