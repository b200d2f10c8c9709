// SPDX-License-Identifier: GPL-2.0
/*
 * IPI virtualization of x2APIC ICR writes (SDM Vol. 3C 30.1.6, 30.5), as
 * hv/apic sets it up for every partition when the CPU has it (this guest
 * is APIC ID 0, the PID-pointer table's only entry):
 *  - a physical, fixed, edge IPI to itself is posted by the CPU: the
 *    sender's WRMSR costs no VM exit (hv's per-reason exit counters say
 *    0, and the TSC a few instructions), and it arrives once RFLAGS.IF
 *    allows; reserved ICR bits raise #GP;
 *  - the forms the CPU does not virtualize are APIC-write VM exits (one
 *    each), which hv completes as the APIC would: vector 15 is an illegal
 *    vector (ESR), a logical destination that names this vCPU arrives,
 *    an APIC ID beyond the table reaches nobody.
 * Skips where the CPU has no IPI virtualization (its suite line makes
 * that a failure in the reference engine).
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define IPI_VECTOR 0x40
#define ILLEGAL_VECTOR 0x0f
#define ICR_RESERVED_BIT_13 (1ULL << 13)
#define ICR_DESTINATION(apic_id) ((uint64_t)(apic_id) << 32)
#define EXIT_REASON_MSR_WRITE 32
#define EXIT_REASON_APIC_WRITE 56
/* A VM exit round trip costs over 100 instructions in Bochs (make bench, cpuid_exit). */
#define NO_VM_EXIT_MAX_TICKS 40

static volatile unsigned int ipis;

static void ipi_handler(void)
{
	ipis++;
	apic_eoi();
}

static uint64_t exits(uint32_t reason)
{
	return hypercall(HV_HC_TEST_EXIT_COUNT, reason, 0, 0, 0);
}

/* Interrupts on for a moment: whatever is pending arrives. */
static void window(void)
{
	asm volatile("sti; nop; nop; cli" ::: "memory");
}

static void post_to_self(void)
{
	uint64_t msr_writes = exits(EXIT_REASON_MSR_WRITE),
		 apic_writes = exits(EXIT_REASON_APIC_WRITE);
	uint64_t overhead = tsc_overhead(), t0, ticks;
	int vector;

	ipis = 0;
	asm volatile("cli");
	t0 = tsc_read();
	vector = wrmsr_safe(X2APIC_MSR(APIC_ICR), ICR_DESTINATION(0) | IPI_VECTOR);
	ticks = tsc_read() - t0 - overhead;
	report(vector == NO_EXCEPTION, "WRMSR to the ICR completes (vector %d)", vector);
	report(ticks < NO_VM_EXIT_MAX_TICKS, "the sender's WRMSR costs %llu instructions (< %d)",
	       (unsigned long long)ticks, NO_VM_EXIT_MAX_TICKS);
	report(exits(EXIT_REASON_MSR_WRITE) == msr_writes &&
		       exits(EXIT_REASON_APIC_WRITE) == apic_writes,
	       "hv counted no MSR-write or APIC-write exit for it");
	report(ipis == 0, "with RFLAGS.IF clear the posted IPI waits (%u)", ipis);
	window();
	report(ipis == 1, "with RFLAGS.IF set it arrives once at vector %#x (%u)", IPI_VECTOR,
	       ipis);

	vector = wrmsr_safe(X2APIC_MSR(APIC_ICR),
			    ICR_DESTINATION(0) | IPI_VECTOR | ICR_RESERVED_BIT_13);
	window();
	report(vector == GP_VECTOR && ipis == 1,
	       "an ICR value with reserved bit 13 raises #GP (vector %d) and sends nothing (%u)",
	       vector, ipis);
}

/* A form the CPU leaves to hv: one APIC-write exit, then what the APIC does with it. */
static void not_virtualized(const char *form, uint64_t icr, unsigned int arrive, uint32_t esr)
{
	uint64_t apic_writes = exits(EXIT_REASON_APIC_WRITE);
	uint32_t got;

	ipis = 0;
	apic_write(APIC_ESR, 0);
	wrmsr(X2APIC_MSR(APIC_ICR), icr);
	window();
	report(exits(EXIT_REASON_APIC_WRITE) == apic_writes + 1,
	       "%s: one APIC-write VM exit (%llu)", form,
	       (unsigned long long)(exits(EXIT_REASON_APIC_WRITE) - apic_writes));
	report(ipis == arrive, "%s: %u interrupt(s) arrive (%u)", form, arrive, ipis);
	apic_write(APIC_ESR, 0);
	got = apic_read(APIC_ESR);
	report(got == esr, "%s: ESR %#x (%#x)", form, esr, got);
}

int main(void)
{
	long ret;

	report_start();
	ret = hypercall(HV_HC_TEST_VMX_IPIV, HV_IPIV_VALID, 0, 0, 0);
	if (ret == -HV_EOPNOTSUPP) {
		report_skip("IPI virtualization: the CPU does not offer it");
		return report_summary();
	}
	report(ret == 0, "hv set up IPI virtualization for this partition (%ld)", ret);
	report(apic_enable_x2apic(), "the APIC goes to x2APIC mode");
	apic_enable();
	report(interrupt_set_handler(IPI_VECTOR, ipi_handler), "a handler for vector %#x",
	       IPI_VECTOR);

	post_to_self();
	not_virtualized("vector 15", ICR_DESTINATION(0) | ILLEGAL_VECTOR, 0,
			APIC_ESR_SEND_ILLEGAL_VECTOR);
	not_virtualized("a logical destination naming this vCPU (cluster 0, bit 0)",
			ICR_DESTINATION(1) | ICR_LOGICAL | IPI_VECTOR, 1, 0);
	not_virtualized("APIC ID 1, beyond the PID-pointer table", ICR_DESTINATION(1) | IPI_VECTOR,
			0, 0);
	return report_summary();
}
