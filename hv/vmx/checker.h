/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software version of the processor's checks on VM entry (SDM Vol. 3C
 * 27.3.1 guest-state area, 27.4 MSR-load area), run after an entry failed
 * so hv can name the check and the field instead of "invalid guest state".
 * It reads the current VMCS through vmread() and the MSR-load area through
 * phys_to_virt(), so host tests run it against the model.
 */
#ifndef HV_VMX_CHECKER_H
#define HV_VMX_CHECKER_H

#include <hv/vmx/caps.h>
#include <types.h>

struct vmx_check_failure {
	const char *rule; /* the check in words, e.g. "CR0.PG=1 requires CR0.PE=1" */
	const char *sdm; /* where the SDM states it, e.g. "27.3.1.1" */
	u32 field; /* the VMCS field that breaks it (the first, if several) */
	u64 value; /* that field's value */
};

/*
 * Runs every check against the current VMCS and its VM-entry MSR-load area.
 * Returns the number of failed checks; the first @max are stored in @out.
 */
unsigned int vmx_check_guest_state(const struct vmx_caps *caps, struct vmx_check_failure *out,
				   unsigned int max);

/* Name of a VMCS field ("GUEST_CR0"), or NULL if unknown. */
const char *vmcs_field_name(u32 field);

/* Name of a VM-instruction error number (SDM Vol. 3C 31.4), or NULL if unknown. */
const char *vm_instruction_error_name(u32 error);

#endif /* HV_VMX_CHECKER_H */
