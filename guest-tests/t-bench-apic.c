// SPDX-License-Identifier: GPL-2.0
/*
 * What the virtual local APIC costs under hv (hv.vcpus=2, one CPU), in
 * x2APIC mode, measured with the TSC (under Bochs: instructions):
 *   apic_self_ipi      a SELF IPI write, the interrupt's delivery, a handler
 *                      that only EOIs, and its IRET: the round trip
 *   guest_int          the same handler path entered by INT n, without the
 *                      APIC: the part of apic_self_ipi that is the guest's own
 *   apic_eoi           the EOI of an edge-triggered interrupt, in its handler
 *   apic_timer_arm     a write of IA32_TSC_DEADLINE
 *   apic_timer_late    from the TSC deadline to the first instruction of the
 *                      timer's handler: what hv spends noticing and delivering
 *   ipi_send           the ICR write of a fixed IPI to the other vCPU
 *   ipi_ping_pong      an IPI to the other vCPU, halted on the same CPU, and
 *                      its IPI back to the sender, halted too: two wakes, two
 *                      vCPU switches, two deliveries
 * The APIC is used through its MSRs directly, not the library's mode-aware
 * helpers, whose reads of IA32_APIC_BASE would exit and be counted.
 * Prints "BENCH <name> <value> <unit>" lines; checks that each measurement
 * saw what it measures (the interrupts arrived, each exactly once).
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define SELF_VECTOR 0x40
#define TIMER_VECTOR 0x41
#define PING_VECTOR 0x42
#define PONG_VECTOR 0x43
#define SOFT_VECTOR 0x44
#define TIMER_RUNS 8
#define PING_PONGS 8
#define TIMER_AHEAD 20000 /* TSC ticks from arming to the deadline */

static volatile unsigned int self_ipis, soft_ints, timer_irqs, pings, pongs;
static volatile uint64_t timer_tsc, eoi_best = UINT64_MAX;
static volatile bool vcpu1_ready;

static void x2apic_eoi(void)
{
	wrmsr(X2APIC_MSR(APIC_EOI), 0);
}

static void x2apic_ipi(uint32_t apic_id, uint8_t vector)
{
	wrmsr(X2APIC_MSR(APIC_ICR), (uint64_t)apic_id << 32 | ICR_FIXED | vector);
}

static void self_handler(void)
{
	self_ipis++;
	x2apic_eoi();
}

static void soft_handler(void)
{
	soft_ints++;
}

static void timer_handler(void)
{
	timer_tsc = tsc_read();
	timer_irqs++;
	x2apic_eoi();
}

/* vCPU 1: answers each ping with a pong. */
static void ping_handler(void)
{
	pings++;
	x2apic_eoi();
	x2apic_ipi(0, PONG_VECTOR);
}

static void pong_handler(void)
{
	uint64_t t0 = tsc_read(), ticks;

	pongs++;
	x2apic_eoi();
	ticks = tsc_read() - t0;
	if (ticks < eoi_best)
		eoi_best = ticks;
}

static void vcpu1_main(void *unused __attribute__((unused)))
{
	apic_enable();
	if (!apic_x2apic())
		apic_enable_x2apic();
	vcpu1_ready = true;
	for (;;)
		asm volatile("sti; hlt; cli" ::: "memory");
}

static uint64_t timer_late(void)
{
	uint64_t best = UINT64_MAX;

	apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | TIMER_VECTOR);
	for (int i = 0; i < TIMER_RUNS; i++) {
		unsigned int seen = timer_irqs;
		uint64_t deadline = tsc_read() + TIMER_AHEAD;

		wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
		asm volatile("sti" ::: "memory");
		while (timer_irqs == seen)
			asm volatile("pause");
		asm volatile("cli" ::: "memory");
		if (timer_tsc - deadline < best)
			best = timer_tsc - deadline;
	}
	return best;
}

static uint64_t ping_pong(void)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < PING_PONGS; i++) {
		unsigned int seen = pongs;
		uint64_t t0 = tsc_read(), ticks;

		x2apic_ipi(1, PING_VECTOR);
		while (pongs == seen)
			asm volatile("sti; hlt; cli" ::: "memory");
		ticks = tsc_read() - t0;
		if (ticks < best)
			best = ticks;
	}
	return best;
}

int main(void)
{
	uint64_t self_ipi, soft_int, eoi, timer_arm, late, send, round_trip;
	long ret;

	report_start();
	apic_enable();
	if (!apic_x2apic() && !apic_enable_x2apic()) {
		report_skip("no x2APIC mode: the figures are x2APIC's");
		return report_summary();
	}
	interrupt_set_handler(SELF_VECTOR, self_handler);
	interrupt_set_handler(TIMER_VECTOR, timer_handler);
	interrupt_set_handler(PING_VECTOR, ping_handler);
	interrupt_set_handler(PONG_VECTOR, pong_handler);
	interrupt_set_handler(SOFT_VECTOR, soft_handler);

	asm volatile("sti" ::: "memory");
	self_ipi = tsc_measure(wrmsr(X2APIC_MSR(APIC_SELF_IPI), SELF_VECTOR));
	asm volatile("cli" ::: "memory");
	report(self_ipis == TSC_WARMUP + TSC_RUNS, "every self-IPI arrived once (%u)", self_ipis);
	soft_int = tsc_measure(asm volatile("int %0" ::"i"(SOFT_VECTOR) : "memory"));
	report(soft_ints == TSC_WARMUP + TSC_RUNS, "every INT n arrived once (%u)", soft_ints);

	timer_arm = tsc_measure(wrmsr(MSR_IA32_TSC_DEADLINE, ~0ULL >> 1));
	wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	late = timer_late();
	report(timer_irqs == TIMER_RUNS, "every deadline interrupted once (%u)", timer_irqs);

	ret = vcpu_start(1, vcpu1_main, NULL);
	report(!ret, "vCPU 1 starts (%ld)", ret);
	if (ret)
		return report_summary();
	while (!vcpu1_ready)
		asm volatile("pause");
	round_trip = ping_pong();
	report(pings == PING_PONGS && pongs == PING_PONGS, "every ping answered once (%u, %u)",
	       pings, pongs);
	eoi = eoi_best > tsc_overhead() ? eoi_best - tsc_overhead() : 0;
	send = tsc_measure(x2apic_ipi(1, PING_VECTOR));
	/* The pings sent last are answered when this vCPU takes interrupts again. */

	printf("BENCH apic_self_ipi %lu instructions\n", self_ipi);
	printf("BENCH guest_int %lu instructions\n", soft_int);
	printf("BENCH apic_eoi %lu instructions\n", eoi);
	printf("BENCH apic_timer_arm %lu instructions\n", timer_arm);
	printf("BENCH apic_timer_late %lu instructions\n", late);
	printf("BENCH ipi_send %lu instructions\n", send);
	printf("BENCH ipi_ping_pong %lu instructions\n", round_trip);
	report(late < TIMER_AHEAD, "the timer's delivery came within the time armed (%lu)", late);
	return report_summary();
}
