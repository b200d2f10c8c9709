// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts through the local APIC of one vCPU (SDM Vol. 3A 11.6, 11.8):
 * self-IPIs in both modes (the ICR's self shorthand, a physical IPI to
 * itself, the x2APIC SELF IPI register), IRR/ISR/PPR as they move, TPR
 * masking (through the TPR register and CR8), the order of nested
 * interrupts and their EOIs, an illegal vector (ESR, LVT error), NMIs
 * (blocked while one is handled), and an interrupt ending HLT. hv.apicv=off on its suite line
 * may choose how hv delivers: the semantics are the same.
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define LOW_VECTOR 0x30
#define VECTOR 0x40
#define MASKED_VECTOR 0x45 /* class 4: masked by TPR 0x50 */
#define HIGH_VECTOR 0x80
#define X2_VECTOR 0x41
#define ERROR_VECTOR 0x5e
#define MAX_EVENTS 16

static volatile unsigned int events[MAX_EVENTS], nr_events;
static volatile uint32_t isr_in_nested;

static void record(unsigned int e)
{
	if (nr_events < MAX_EVENTS)
		events[nr_events] = e;
	nr_events++;
}

static void reset_events(void)
{
	nr_events = 0;
}

static bool vector_set(uint32_t base, uint8_t vector)
{
	return apic_read(base + (vector / 32) * 0x10) & (1U << (vector % 32));
}

static void window(void)
{
	asm volatile("sti; nop; nop; cli" ::: "memory");
}

static void simple_handler_40(void)
{
	record(VECTOR);
	apic_eoi();
}

static void handler_41(void)
{
	record(X2_VECTOR);
	apic_eoi();
}

static void handler_45(void)
{
	record(MASKED_VECTOR);
	apic_eoi();
}

static void handler_30(void)
{
	record(LOW_VECTOR);
	apic_eoi();
}

static void nested_handler_80(void)
{
	record(HIGH_VECTOR);
	isr_in_nested = (vector_set(APIC_ISR, VECTOR) ? 1 : 0) |
			(vector_set(APIC_ISR, HIGH_VECTOR) ? 2 : 0);
	apic_eoi();
	record(HIGH_VECTOR + 1);
}

/* 0x40 opens a window: 0x80 (higher) nests, 0x30 (lower) waits for 0x40's EOI. */
static void nesting_handler_40(void)
{
	record(VECTOR);
	apic_icr(0, ICR_SELF | LOW_VECTOR);
	apic_icr(0, ICR_SELF | HIGH_VECTOR);
	asm volatile("sti; nop; nop; cli" ::: "memory");
	record(VECTOR + 1);
	apic_eoi();
}

static void error_handler(void)
{
	record(ERROR_VECTOR);
	apic_eoi();
}

static void self_ipi_xapic(void)
{
	interrupt_set_handler(VECTOR, simple_handler_40);
	reset_events();
	apic_icr(0, ICR_SELF | VECTOR);
	report(vector_set(APIC_IRR, VECTOR) && !vector_set(APIC_ISR, VECTOR) && nr_events == 0,
	       "xAPIC self shorthand: with IF clear the vector waits in the IRR");
	window();
	report(nr_events == 1 && events[0] == VECTOR && !vector_set(APIC_IRR, VECTOR) &&
		       !vector_set(APIC_ISR, VECTOR),
	       "with IF set it arrives once; IRR and ISR are clear after its EOI (%u)", nr_events);
}

static void tpr_masking(bool cr8)
{
	const char *how = cr8 ? "CR8" : "the TPR register";

	interrupt_set_handler(MASKED_VECTOR, handler_45);
	reset_events();
	if (cr8)
		asm volatile("mov %0, %%cr8" : : "r"(5UL));
	else
		apic_write(APIC_TPR, 0x50);
	report(apic_read(APIC_PPR) == 0x50, "%s: TPR 0x50 makes PPR 0x50 (%#x)", how,
	       apic_read(APIC_PPR));
	apic_icr(0, ICR_SELF | MASKED_VECTOR);
	window();
	report(nr_events == 0 && vector_set(APIC_IRR, MASKED_VECTOR),
	       "%s: vector %#x (class 4) stays in the IRR with IF set", how, MASKED_VECTOR);
	asm volatile("sti" ::: "memory");
	if (cr8)
		asm volatile("mov %0, %%cr8" : : "r"(0UL));
	else
		apic_write(APIC_TPR, 0);
	asm volatile("nop; cli" ::: "memory");
	report(nr_events == 1 && events[0] == MASKED_VECTOR,
	       "%s: lowering the TPR below its class delivers it at once (%u)", how, nr_events);
}

static void nesting(void)
{
	interrupt_set_handler(VECTOR, nesting_handler_40);
	interrupt_set_handler(HIGH_VECTOR, nested_handler_80);
	interrupt_set_handler(LOW_VECTOR, handler_30);
	reset_events();
	apic_icr(0, ICR_SELF | VECTOR);
	window();
	report(nr_events == 5 && events[0] == VECTOR && events[1] == HIGH_VECTOR &&
		       events[2] == HIGH_VECTOR + 1 && events[3] == VECTOR + 1 &&
		       events[4] == LOW_VECTOR,
	       "0x80 nests in 0x40's handler, 0x30 waits for 0x40's EOI (%u: %#x %#x %#x %#x %#x)",
	       nr_events, events[0], events[1], events[2], events[3], events[4]);
	report(isr_in_nested == 3, "in the nested handler both 0x40 and 0x80 are in service (%u)",
	       isr_in_nested);
	report(apic_read(APIC_PPR) == 0, "after both EOIs PPR is 0 again (%#x)",
	       apic_read(APIC_PPR));
}

static void illegal_vector(void)
{
	uint32_t esr;

	interrupt_set_handler(ERROR_VECTOR, error_handler);
	apic_write(APIC_LVT_ERROR, ERROR_VECTOR);
	reset_events();
	apic_write(APIC_ESR, 0);
	apic_icr(0, ICR_SELF | 0x0f);
	window();
	apic_write(APIC_ESR, 0);
	esr = apic_read(APIC_ESR);
	report(esr == APIC_ESR_SEND_ILLEGAL_VECTOR, "a self-IPI at vector 15: ESR %#x", esr);
	report(nr_events == 1 && events[0] == ERROR_VECTOR,
	       "and the LVT error interrupt came, nothing at vector 15 (%u)", nr_events);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
}

static volatile unsigned int nmis, nmis_seen_inside;

static void nmi_handler(void)
{
	nmis++;
	if (nmis == 1) {
		/* A second NMI waits: NMIs are blocked until this handler's IRET. */
		apic_icr(0, ICR_NMI | ICR_ASSERT);
		for (volatile int i = 0; i < 1000; i++)
			;
		nmis_seen_inside = nmis;
	}
}

static void nmi(void)
{
	nmis = 0;
	nmis_seen_inside = 0;
	nmi_set_handler(nmi_handler);
	apic_icr(0, ICR_NMI | ICR_ASSERT);
	report(nmis == 2 && nmis_seen_inside == 1,
	       "an NMI to itself arrives with IF clear; a second sent in its handler waits for "
	       "the IRET (%u, %u inside)",
	       nmis, nmis_seen_inside);
	nmi_set_handler(NULL);
}

static void x2apic_self_ipis(void)
{
	uint64_t t0;

	interrupt_set_handler(X2_VECTOR, handler_41);
	reset_events();
	wrmsr(X2APIC_MSR(APIC_SELF_IPI), X2_VECTOR);
	window();
	report(nr_events == 1 && events[0] == X2_VECTOR, "x2APIC SELF IPI register: arrives (%u)",
	       nr_events);
	reset_events();
	apic_icr(0, ICR_FIXED | X2_VECTOR);
	window();
	report(nr_events == 1 && events[0] == X2_VECTOR,
	       "x2APIC ICR, physical destination 0 (itself): arrives (%u)", nr_events);
	/* An interrupt pending while IF is clear ends HLT at once: sti's shadow covers the HLT. */
	reset_events();
	wrmsr(X2APIC_MSR(APIC_SELF_IPI), X2_VECTOR);
	t0 = tsc_read();
	asm volatile("sti; hlt; cli" ::: "memory");
	report(nr_events == 1 && tsc_read() - t0 < 1000000,
	       "STI; HLT with an interrupt pending: HLT ends with it (%u)", nr_events);
}

int main(void)
{
	report_start();
	apic_enable();
	asm volatile("cli");
	self_ipi_xapic();
	tpr_masking(false);
	nesting();
	illegal_vector();
	nmi();
	report(apic_enable_x2apic(), "to x2APIC mode");
	x2apic_self_ipis();
	tpr_masking(true);
	nesting();
	illegal_vector();
	nmi();
	return report_summary();
}
