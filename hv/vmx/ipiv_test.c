// SPDX-License-Identifier: GPL-2.0
/*
 * HV_HC_TEST_VMX_IPIV ("testing" only, include/public/hypercall.h): breaks
 * one field of the IPI virtualization hv/apic set up in the caller's VMCS
 * (SDM Vol. 3C 27.2.1.1), so that the CPU refuses the caller's next entry
 * and vmx_entry_failed() runs hv's checker (checker.c), which must name
 * the same rule. The end-to-end proof that the two agree; the reference
 * engine (bochs3) is the CPU with IPI virtualization here. Where the
 * caller has none the call fails with -HV_EOPNOTSUPP.
 */
#include <hv/core/hypercall.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <public/hypercall.h>
#include <x86/hw.h>

/* The physical-address width is at most 52 bits on every CPU (CPUID.80000008H:EAX[7:0]). */
#define BEYOND_ANY_ADDRESS_WIDTH BIT(52)
/* The PID-pointer table needs 8-byte alignment (27.2.1.1). */
#define MISALIGNMENT 4U

s64 vmx_hc_test_ipiv(struct vcpu *v, u64 variant, u64 a1, u64 a2, u64 a3)
{
	u64 proc = vmread(CPU_BASED_VM_EXEC_CONTROL);

	if (!(proc & CPU_ACTIVATE_TERTIARY_CONTROLS) ||
	    !(vmread(TERTIARY_VM_EXEC_CONTROL) & TERTIARY_IPI_VIRTUALIZATION))
		return -HV_EOPNOTSUPP;
	switch (variant) {
	case HV_IPIV_VALID:
		return 0;
	case HV_IPIV_TABLE_MISALIGNED:
		vmwrite(PID_POINTER_TABLE, vmread(PID_POINTER_TABLE) + MISALIGNMENT);
		return 0;
	case HV_IPIV_TABLE_BEYOND_WIDTH:
		vmwrite(PID_POINTER_TABLE, vmread(PID_POINTER_TABLE) | BEYOND_ANY_ADDRESS_WIDTH);
		return 0;
	case HV_IPIV_NO_TPR_SHADOW:
		vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc & ~(u64)CPU_USE_TPR_SHADOW);
		return 0;
	default:
		return -HV_EINVAL;
	}
}
