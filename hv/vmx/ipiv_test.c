// SPDX-License-Identifier: GPL-2.0
/*
 * HV_HC_TEST_VMX_IPIV ("testing" only, include/public/hypercall.h): until
 * hv/apic uses IPI virtualization, the way to run it end to end. The CPU
 * accepts or refuses the caller's next entry with a PID-pointer table that
 * is valid or broken in one way (SDM Vol. 3C 27.2.1.1); on a refusal
 * vmx_entry_failed() runs hv's checker (checker.c), which must name the
 * same rule. With HV_IPIV_X2APIC_ICR the caller's x2APIC ICR writes reach
 * the CPU's IPI virtualization (30.1.6, 30.5). The reference engine
 * (bochs3) is the CPU this is written for; elsewhere the call fails with
 * -HV_EOPNOTSUPP.
 */
#include <hv/core/frame.h>
#include <hv/core/hypercall.h>
#include <hv/core/lapic.h>
#include <hv/lib/string.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <public/hypercall.h>
#include <x86/hw.h>

/* hv itself never sends this vector: a notification can only come from a test. */
#define IPIV_TEST_NOTIFICATION_VECTOR 0xf1
/* A PID-pointer table entry: the descriptor's address, valid in bit 0 (30.1.6). */
#define PID_POINTER_VALID BIT(0)
/* The physical-address width is at most 52 bits on every CPU (CPUID.80000008H:EAX[7:0]). */
#define BEYOND_ANY_ADDRESS_WIDTH BIT(52)
/* The x2APIC registers the caller may write (SDM Vol. 3A 11.12.1.2). */
#define MSR_X2APIC_EOI 0x80bU
#define MSR_X2APIC_ICR 0x830U

/* The notification information of a posted-interrupt descriptor (30.6, 30.1.6). */
struct pi_desc {
	u64 pir[4]; /* one bit per vector */
	u8 control; /* bit 0 ON (outstanding notification), bit 1 SN (suppress) */
	u8 reserved0;
	u8 nv; /* the notification vector */
	u8 reserved1;
	u32 ndst; /* the notification destination: a physical APIC ID */
	u8 reserved2[24];
} __packed;

/*
 * The structures IPI virtualization uses, shared by the callers, which run
 * one at a time: set afresh by every call. The posted-interrupt descriptor
 * needs 64-byte alignment only (27.2.1.1); Bochs 3.0 wrongly wants a page.
 */
static u8 virtual_apic_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static struct pi_desc pi_desc __aligned(PAGE_SIZE);
static u64 pid_table[PAGE_SIZE / sizeof(u64)] __aligned(PAGE_SIZE);
/* HV_IPIV_X2APIC_ICR: the caller's partition's MSR bitmap, ICR and EOI writes allowed. */
static u8 msr_bitmap[PAGE_SIZE] __aligned(PAGE_SIZE);

_Static_assert(sizeof(struct pi_desc) == 64, "SDM Vol. 3C 30.6");

/*
 * The notification goes to the caller's CPU, where posted-interrupt
 * processing turns it into a virtual interrupt (30.6): its physical APIC
 * ID, in bits 15:8 of NDST when the local APIC is in xAPIC mode.
 */
static u32 notification_destination(const struct vcpu *v)
{
	return lapic_is_x2apic() ? v->home->apic_id : v->home->apic_id << 8;
}

s64 vmx_hc_test_ipiv(struct vcpu *v, u64 variant, u64 a1, u64 a2, u64 a3)
{
	u64 table = virt_to_phys(pid_table);
	u64 proc = vmread(CPU_BASED_VM_EXEC_CONTROL) | CPU_ACTIVATE_TERTIARY_CONTROLS;
	u64 proc2 = vmread(SECONDARY_VM_EXEC_CONTROL) | SECONDARY_VIRTUAL_INTERRUPT_DELIVERY;

	if (!vmx_caps.ipi_virtualization)
		return -HV_EOPNOTSUPP;
	if (variant == HV_IPIV_TABLE_MISALIGNED)
		table += 4;
	else if (variant == HV_IPIV_TABLE_BEYOND_WIDTH)
		table |= BEYOND_ANY_ADDRESS_WIDTH;
	else if (variant > HV_IPIV_X2APIC_ICR)
		return -HV_EINVAL;

	memset(virtual_apic_page, 0, sizeof(virtual_apic_page));
	memset(&pi_desc, 0, sizeof(pi_desc));
	pi_desc.nv = IPIV_TEST_NOTIFICATION_VECTOR;
	pi_desc.ndst = notification_destination(v);
	pid_table[0] = virt_to_phys(&pi_desc) | PID_POINTER_VALID;

	if (variant == HV_IPIV_X2APIC_ICR) {
		memcpy(msr_bitmap, v->partition->msr_bitmap, sizeof(msr_bitmap));
		vmx_msr_bitmap_allow(msr_bitmap, MSR_X2APIC_ICR, false, true);
		vmx_msr_bitmap_allow(msr_bitmap, MSR_X2APIC_EOI, false, true);
		vmwrite(MSR_BITMAP, virt_to_phys(msr_bitmap));
		proc2 |= SECONDARY_VIRTUALIZE_X2APIC_MODE;
	}
	if (variant != HV_IPIV_NO_TPR_SHADOW) {
		proc |= CPU_USE_TPR_SHADOW;
		vmwrite(VIRTUAL_APIC_PAGE_ADDR, virt_to_phys(virtual_apic_page));
		vmwrite(SECONDARY_VM_EXEC_CONTROL, proc2);
		vmwrite(PIN_BASED_VM_EXEC_CONTROL,
			vmread(PIN_BASED_VM_EXEC_CONTROL) | PIN_POSTED_INTERRUPTS);
		vmwrite(POSTED_INTR_NOTIFICATION_VECTOR, IPIV_TEST_NOTIFICATION_VECTOR);
		vmwrite(POSTED_INTR_DESC_ADDR, virt_to_phys(&pi_desc));
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
