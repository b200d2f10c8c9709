// SPDX-License-Identifier: GPL-2.0
/*
 * The PIT's periodic interrupt keeps time while the guest computes: the
 * service partition (hv/ioreq, service/pit.c) raises each period's tick
 * through the I/O APIC (ISA IRQ 0 on pin 2) and hv posts it to this vCPU.
 * The guest spins without exiting, so the service's timer must preempt
 * it; a tick delivered only when the guest's turn on the CPU ends would
 * merge several periods into one, and a kernel counting jiffies (Linux's
 * clocksource watchdog) finds its clock slow.
 */
#include <hv.h>
#include <platform.h>
#include "apic.h"
#include "libguest.h"

#define PIT_VECTOR 0x60
#define PIT_HZ 1193182U
#define TICK_HZ 250U /* Linux's HZ in Debian's kernels */
#define PIT_DIVISOR ((PIT_HZ + TICK_HZ / 2) / TICK_HZ)
#define PIT_CONTROL_PORT (HV_PIT_PORT + 3)
/* Channel 0, low then high byte, mode 2 (rate generator), binary (8254 data sheet). */
#define PIT_CONTROL_CH0_RATE 0x34U
#define PERIODS 50U
#define CPUID_TSC_LEAF 0x15

#define IOAPIC_INDEX 0x00U
#define IOAPIC_DATA 0x10U
#define IOAPIC_REDIR(pin) (0x10U + 2U * (pin))
#define IOAPIC_MASKED (1U << 16)

static volatile unsigned int ticks;
static volatile uint64_t tick_tsc[PERIODS + 8];

static void ioapic_write(uint32_t reg, uint32_t value)
{
	*(volatile uint32_t *)(HV_IOAPIC_BASE + IOAPIC_INDEX) = reg;
	*(volatile uint32_t *)(HV_IOAPIC_BASE + IOAPIC_DATA) = value;
}

static void pit_handler(void)
{
	if (ticks < PERIODS + 8)
		tick_tsc[ticks] = tsc_read();
	ticks++;
	apic_eoi();
}

int main(void)
{
	struct cpuid r = cpuid(0);
	uint64_t tsc_hz, period, start, max_gap = 0;
	unsigned int counted, i;

	report_start();
	if (r.a < CPUID_TSC_LEAF || !(tsc_hz = cpuid(CPUID_TSC_LEAF).c)) {
		report_skip("CPUID.15H does not give the TSC's rate");
		return report_summary();
	}
	period = tsc_hz * PIT_DIVISOR / PIT_HZ;
	interrupt_set_handler(PIT_VECTOR, pit_handler);
	apic_enable();
	/* Pin 2, edge, active high, fixed, physical destination: this vCPU (APIC ID 0). */
	ioapic_write(IOAPIC_REDIR(HV_GSI_PIT) + 1, 0);
	ioapic_write(IOAPIC_REDIR(HV_GSI_PIT), PIT_VECTOR);
	outb(PIT_CONTROL_PORT, PIT_CONTROL_CH0_RATE);
	outb(HV_PIT_PORT, PIT_DIVISOR & 0xff);
	outb(HV_PIT_PORT, PIT_DIVISOR >> 8);

	/* Computes for PERIODS periods, interrupts on, no exit of its own. */
	ticks = 0;
	start = tsc_read();
	asm volatile("sti" ::: "memory");
	while (tsc_read() - start < PERIODS * period)
		asm volatile("pause" ::: "memory");
	asm volatile("cli" ::: "memory");
	counted = ticks;
	ioapic_write(IOAPIC_REDIR(HV_GSI_PIT), IOAPIC_MASKED | PIT_VECTOR);

	report(counted >= PERIODS - 2 && counted <= PERIODS + 1,
	       "%u PIT periods of %lu TSC ticks while the guest computes: %u interrupts", PERIODS,
	       (unsigned long)period, counted);
	for (i = 1; i < counted && i < PERIODS; i++)
		if (tick_tsc[i] - tick_tsc[i - 1] > max_gap)
			max_gap = tick_tsc[i] - tick_tsc[i - 1];
	report(counted > 1 && max_gap < period + period / 2,
	       "no tick merged into the next: the longest gap is %lu TSC ticks",
	       (unsigned long)max_gap);
	return report_summary();
}
