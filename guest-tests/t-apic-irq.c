// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts the service partition raises in this guest
 * (HV_HC_IOREQ_RAISE_IRQ, through the test device's RAISE_IRQ command):
 * an edge-triggered one arrives at its vector; a level-triggered one sets
 * its TMR bit, and its EOI is reported back to the service (eoi_pending,
 * the test device's TAKE_EOI), not before; hv refuses a vector below 32
 * and an APIC ID the guest lacks. With hv.vcpus=2 it also raises one in
 * vCPU 1, halted.
 */
#include <stdio.h>
#include <hv.h>
#include <testdev.h>
#include "apic.h"
#include "libguest.h"

#define EDGE_VECTOR 0x70
#define LEVEL_VECTOR 0x71
#define VCPU1_VECTOR 0x72
#define WAIT_TICKS 20000000ULL

static volatile unsigned int edges, levels, vcpu1_irqs, ready1;
static volatile uint32_t tmr_in_handler, eoi_seen_before_eoi;

static uint32_t command(uint32_t cmd, uint32_t arg)
{
	outl(HV_TESTDEV_PORT + HV_TESTDEV_ARG, arg);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, cmd);
	return inl(HV_TESTDEV_PORT + HV_TESTDEV_ARG);
}

static uint32_t raise(uint8_t vector, uint8_t apic_id, bool level)
{
	return command(HV_TESTDEV_CMD_RAISE_IRQ,
		       vector | (uint32_t)apic_id << HV_TESTDEV_IRQ_APIC_ID_SHIFT |
			       (level ? HV_TESTDEV_IRQ_LEVEL : 0));
}

static void edge_handler(void)
{
	edges++;
	apic_eoi();
}

static void level_handler(void)
{
	levels++;
	tmr_in_handler =
		apic_read(APIC_TMR + (LEVEL_VECTOR / 32) * 0x10) & (1U << (LEVEL_VECTOR % 32));
	eoi_seen_before_eoi = command(HV_TESTDEV_CMD_TAKE_EOI, LEVEL_VECTOR);
	apic_eoi();
}

static void vcpu1_handler(void)
{
	vcpu1_irqs++;
	apic_eoi();
}

static void vcpu1(void *arg __attribute__((unused)))
{
	apic_enable();
	ready1 = 1;
	for (;;)
		asm volatile("sti; hlt");
}

static bool wait_for(volatile unsigned int *v)
{
	uint64_t t0 = tsc_read();

	while (!*v)
		if (tsc_read() - t0 > WAIT_TICKS)
			return false;
	return true;
}

int main(void)
{
	uint32_t r;

	report_start();
	if (!hv_testing()) {
		report_skip("hv runs without \"testing\": no test device");
		return report_summary();
	}
	interrupt_set_handler(EDGE_VECTOR, edge_handler);
	interrupt_set_handler(LEVEL_VECTOR, level_handler);
	interrupt_set_handler(VCPU1_VECTOR, vcpu1_handler);
	apic_enable();
	asm volatile("cli");

	r = raise(EDGE_VECTOR, 0, false);
	report(r == 0, "the service raises edge-triggered vector %#x in vCPU 0 (%d)", EDGE_VECTOR,
	       (int)r);
	asm volatile("sti; nop; nop; cli");
	report(edges == 1, "it arrives once interrupts are enabled (%u)", edges);
	report(command(HV_TESTDEV_CMD_TAKE_EOI, EDGE_VECTOR) == 0,
	       "the EOI of an edge-triggered interrupt is not reported");

	r = raise(LEVEL_VECTOR, 0, true);
	asm volatile("sti; nop; nop; cli");
	report(r == 0 && levels == 1, "level-triggered vector %#x arrives (%d, %u)", LEVEL_VECTOR,
	       (int)r, levels);
	report(tmr_in_handler, "its TMR bit is set while it is in service");
	report(eoi_seen_before_eoi == 0, "the service hears of no EOI before the guest's");
	report(command(HV_TESTDEV_CMD_TAKE_EOI, LEVEL_VECTOR) == 1,
	       "after the guest's EOI the service finds its eoi_pending bit");
	report(command(HV_TESTDEV_CMD_TAKE_EOI, LEVEL_VECTOR) == 0, "which it cleared");
	report(!(apic_read(APIC_TMR + (LEVEL_VECTOR / 32) * 0x10) & (1U << (LEVEL_VECTOR % 32))),
	       "and the TMR bit is clear again");

	r = raise(0x10, 0, false);
	report(r == (uint32_t)-HV_EINVAL, "vector 0x10: -HV_EINVAL (%d)", (int)r);
	if (cpuid_count(0xb, 1).b == 1) {
		r = raise(EDGE_VECTOR, 1, false);
		report(r == (uint32_t)-HV_ENOENT, "APIC ID 1 in a one-vCPU guest: -HV_ENOENT (%d)",
		       (int)r);
		return report_summary();
	}
	report(vcpu_start(1, vcpu1, NULL) == 0 && wait_for(&ready1), "vCPU 1 starts and halts");
	r = raise(VCPU1_VECTOR, 1, false);
	report(r == 0 && wait_for(&vcpu1_irqs),
	       "an interrupt raised for APIC ID 1 wakes vCPU 1 and arrives there (%d)", (int)r);
	return report_summary();
}
