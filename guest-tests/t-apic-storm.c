// SPDX-License-Identifier: GPL-2.0
/*
 * An IPI storm starves neither hv nor the service partition: vCPU 1 sends
 * fixed IPIs to vCPU 0 as fast as it can (and to itself, with interrupts
 * disabled, so they pile up in its own IRR), while vCPU 0, taking every
 * one, does port round trips through the service (the test device's
 * scratch register): each must come back with the value written, the
 * round trips must all finish within a bound, and the storm must have
 * reached vCPU 0 while they ran. Then the storm stops and vCPU 0 checks
 * vCPU 1 still answers. Run with 2 vCPUs, on 1 CPU and on 2.
 */
#include <stdio.h>
#include <hv.h>
#include <testdev.h>
#include "apic.h"
#include "libguest.h"

#define STORM_VECTOR 0x50
#define SELF_VECTOR 0x51
#define ROUND_TRIPS 200
/* Generous: a round trip is about 1,500 instructions, a time slice 100,000. */
#define BOUND_TICKS (ROUND_TRIPS * 200000ULL)

static volatile unsigned int storm_on = 1, received, self_received, sent;

static void storm_handler(void)
{
	__atomic_fetch_add(&received, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

static void self_handler(void)
{
	__atomic_fetch_add(&self_received, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

static void stormer(void *unused)
{
	(void)unused;
	apic_enable();
	while (__atomic_load_n(&storm_on, __ATOMIC_SEQ_CST)) {
		apic_icr(0, ICR_FIXED | STORM_VECTOR);
		apic_icr(1, ICR_FIXED | SELF_VECTOR);
		sent++;
	}
	/* The self-IPIs it held off arrive now, once. */
	asm volatile("sti; nop; cli" ::: "memory");
	for (;;)
		asm volatile("sti; hlt; cli" ::: "memory");
}

int main(void)
{
	unsigned int i, bad = 0, during;
	uint64_t t0, took;

	report_start();
	interrupt_set_handler(STORM_VECTOR, storm_handler);
	interrupt_set_handler(SELF_VECTOR, self_handler);
	apic_enable();
	report(vcpu_start(1, stormer, NULL) == 0, "vCPU 1 starts the storm");
	asm volatile("sti");
	t0 = tsc_read();
	for (i = 0; i < ROUND_TRIPS; i++) {
		outl(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH, 0x5a5a0000U + i);
		if (inl(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH) != 0x5a5a0000U + i)
			bad++;
	}
	took = tsc_read() - t0;
	during = __atomic_load_n(&received, __ATOMIC_SEQ_CST);
	asm volatile("cli");
	report(bad == 0,
	       "%u port round trips through the service during the storm, all right (%u "
	       "wrong)",
	       ROUND_TRIPS, bad);
	report(took < BOUND_TICKS, "... within the bound (%lu TSC ticks, bound %llu)",
	       (unsigned long)took, (unsigned long long)BOUND_TICKS);
	report(during > 0 && sent > 0, "the storm reached vCPU 0 meanwhile (%u of %u IPIs taken)",
	       during, sent);
	__atomic_store_n(&storm_on, 0, __ATOMIC_SEQ_CST);
	for (t0 = tsc_read(); !self_received && tsc_read() - t0 < BOUND_TICKS;)
		asm volatile("pause");
	report(self_received == 1,
	       "vCPU 1's piled-up self-IPIs arrive once it enables interrupts (%u)", self_received);
	return report_summary();
}
