// SPDX-License-Identifier: GPL-2.0
/*
 * RFLAGS.IF = 0 holds back a pending virtual interrupt even while an
 * external interrupt reaches the CPU the vCPU runs on (SDM Vol. 3C 30.2.2:
 * virtual-interrupt delivery needs RFLAGS.IF = 1, no blocking by STI or MOV
 * SS, interrupt-window exiting off; an external interrupt exits or is a
 * posted-interrupt notification, whatever the guest's IF).
 *
 * vCPU 1 disables interrupts and sends itself an IPI: a virtual interrupt
 * now pending. vCPU 0 then sends it another IPI, which arrives at vCPU 1's
 * CPU as an external interrupt (a posted-interrupt notification, or hv's
 * kick). Neither may be delivered until vCPU 1 sets IF; then both are.
 * Linux with 2 vCPUs found an engine that delivered the pending one: a
 * timer interrupt taken with the runqueue lock held, and a CPU that spun on
 * its own lock for good (bochs3 patch 0005 fixes it; t-apic-storm sees the
 * same bug with one vCPU's self-IPIs, this test with another vCPU's IPI).
 */
#include <stdio.h>
#include "apic.h"
#include "libguest.h"

#define SELF_VECTOR 0x50
#define REMOTE_VECTOR 0x51
/* How long vCPU 1 keeps IF clear after vCPU 0's IPI was sent: many kicks' worth. */
#define HOLD_LOOPS 200000U

static volatile unsigned int self_ipis, remote_ipis;
static volatile unsigned int with_if_clear; /* interrupts taken while vCPU 1 held IF clear */
static volatile bool holding, ready, sent, done;

static void self_handler(void)
{
	self_ipis++;
	if (holding)
		with_if_clear++;
	apic_eoi();
}

static void remote_handler(void)
{
	remote_ipis++;
	if (holding)
		with_if_clear++;
	apic_eoi();
}

static void vcpu1_main(void *arg)
{
	(void)arg;
	apic_enable();
	asm volatile("cli" ::: "memory");
	holding = true;
	apic_icr(1, ICR_FIXED | SELF_VECTOR);
	ready = true;
	while (!sent)
		asm volatile("pause");
	for (volatile unsigned int i = 0; i < HOLD_LOOPS; i++)
		;
	holding = false;
	asm volatile("sti; nop; nop; cli" ::: "memory");
	done = true;
}

int main(void)
{
	long ret;

	report_start();
	apic_enable();
	report(interrupt_set_handler(SELF_VECTOR, self_handler) &&
		       interrupt_set_handler(REMOTE_VECTOR, remote_handler),
	       "handlers for vectors %#x and %#x", SELF_VECTOR, REMOTE_VECTOR);
	ret = vcpu_start(1, vcpu1_main, NULL);
	report(ret == 0, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	while (!ready)
		asm volatile("pause");
	apic_icr(1, ICR_FIXED | REMOTE_VECTOR);
	sent = true;
	while (!done)
		asm volatile("pause");
	report(with_if_clear == 0,
	       "with RFLAGS.IF clear neither interrupt is delivered (%u were), though one arrives "
	       "from another vCPU",
	       with_if_clear);
	report(self_ipis == 1 && remote_ipis == 1,
	       "once IF is set both arrive, once each (self %u, other vCPU %u)", self_ipis,
	       remote_ipis);
	return report_summary();
}
