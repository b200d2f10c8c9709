// SPDX-License-Identifier: GPL-2.0
/*
 * HV_HC_TEST_VMX_IPIV ("testing" only, include/public/hypercall.h): until
 * hv/apic uses IPI virtualization, the way to run its VM-entry checks (SDM
 * Vol. 3C 27.2.1.1) end to end. The CPU accepts or refuses the caller's next
 * entry; on a refusal vmx_entry_failed() runs hv's checker (checker.c),
 * which must name the same rule. The reference engine (bochs3) is the CPU
 * this is written for; on others the call fails with -HV_EOPNOTSUPP.
 */
#include <hv/core/frame.h>
#include <hv/core/hypercall.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx_controls.h>
#include <public/hypercall.h>
#include <x86/hw.h>

/* hv itself never sends this vector: no notification can arrive. */
#define IPIV_TEST_NOTIFICATION_VECTOR 0xf1
/* A PID-pointer table entry: the descriptor's address, valid in bit 0 (30.1.6). */
#define PID_POINTER_VALID BIT(0)
/* The physical-address width is at most 52 bits on every CPU (CPUID.80000008H:EAX[7:0]). */
#define BEYOND_ANY_ADDRESS_WIDTH BIT(52)

/*
 * The structures IPI virtualization uses, shared by every caller: they are
 * never written, since no IPI is ever sent to or from a caller. The
 * posted-interrupt descriptor needs 64-byte alignment only (27.2.1.1); Bochs
 * 3.0 wrongly wants a page.
 */
static u8 virtual_apic_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 pi_desc[PAGE_SIZE] __aligned(PAGE_SIZE);
static u64 pid_table[PAGE_SIZE / sizeof(u64)] __aligned(PAGE_SIZE);

s64 vmx_hc_test_ipiv(struct vcpu *v, u64 variant, u64 a1, u64 a2, u64 a3)
{
	u64 table = virt_to_phys(pid_table);
	u64 proc = vmread(CPU_BASED_VM_EXEC_CONTROL) | CPU_ACTIVATE_TERTIARY_CONTROLS;

	if (!vmx_caps.ipi_virtualization)
		return -HV_EOPNOTSUPP;
	if (variant == HV_IPIV_TABLE_MISALIGNED)
		table += 4;
	else if (variant == HV_IPIV_TABLE_BEYOND_WIDTH)
		table |= BEYOND_ANY_ADDRESS_WIDTH;
	else if (variant != HV_IPIV_VALID && variant != HV_IPIV_NO_TPR_SHADOW)
		return -HV_EINVAL;

	pid_table[0] = virt_to_phys(pi_desc) | PID_POINTER_VALID;
	if (variant != HV_IPIV_NO_TPR_SHADOW) {
		proc |= CPU_USE_TPR_SHADOW;
		vmwrite(VIRTUAL_APIC_PAGE_ADDR, virt_to_phys(virtual_apic_page));
		vmwrite(SECONDARY_VM_EXEC_CONTROL,
			vmread(SECONDARY_VM_EXEC_CONTROL) | SECONDARY_VIRTUAL_INTERRUPT_DELIVERY);
		vmwrite(PIN_BASED_VM_EXEC_CONTROL,
			vmread(PIN_BASED_VM_EXEC_CONTROL) | PIN_POSTED_INTERRUPTS);
		vmwrite(POSTED_INTR_NOTIFICATION_VECTOR, IPIV_TEST_NOTIFICATION_VECTOR);
		vmwrite(POSTED_INTR_DESC_ADDR, virt_to_phys(pi_desc));
		vmwrite(GUEST_INTR_STATUS, 0);
		vmwrite(EOI_EXIT_BITMAP0, 0);
		vmwrite(EOI_EXIT_BITMAP1, 0);
		vmwrite(EOI_EXIT_BITMAP2, 0);
		vmwrite(EOI_EXIT_BITMAP3, 0);
	}
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmwrite(TERTIARY_VM_EXEC_CONTROL, TERTIARY_IPI_VIRTUALIZATION);
	vmwrite(PID_POINTER_TABLE, table);
	vmwrite(LAST_PID_POINTER_INDEX, 0);
	return 0;
}
