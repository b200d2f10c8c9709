// SPDX-License-Identifier: GPL-2.0
/*
 * An IPI storm starves neither hv nor the service partition. vCPUs 1 to 3
 * send fixed IPIs as fast as they can: to each other, to vCPU 0, and to
 * all but themselves. Meanwhile vCPU 0 reads the test device's scratch
 * register (each read a round trip through the service partition) and
 * writes it, and waits for its APIC timer. Each must finish within a bound
 * of TSC ticks; then the storm stops and every stormer must answer, so
 * none of them was starved by the others either. With hv.apicv=off on its
 * suite line every IPI takes hv's software path.
 */
#include <stdio.h>
#include <hv.h>
#include <testdev.h>
#include "apic.h"
#include "libguest.h"

#define STORM_VECTOR 0x50
#define TIMER_VECTOR 0x51
#define STORMERS 3
#define DEVICE_ROUNDS 300
#define TIMER_AHEAD 200000ULL
/*
 * A storm-free run takes about 1% of it; the slowest storm seen (Bochs 2.7,
 * 2 CPUs, software path) 45%.
 */
#define BOUND 100000000ULL

static volatile bool storm_on = true;
static volatile unsigned int started, stopped;
static volatile uint64_t sent[STORMERS + 1], received[STORMERS + 1];
static volatile bool timer_fired;

static void storm_handler(void)
{
	received[apic_id()]++;
	apic_eoi();
}

static void timer_handler(void)
{
	timer_fired = true;
	apic_eoi();
}

static void stormer(void *arg)
{
	unsigned int me = (unsigned int)(uintptr_t)arg, n = 0;

	apic_enable();
	__atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
	asm volatile("sti" ::: "memory");
	while (storm_on) {
		unsigned int target = n++ % (STORMERS + 2);

		if (target == STORMERS + 1)
			apic_icr(0, ICR_ALL_BUT_SELF | ICR_FIXED | STORM_VECTOR);
		else if (target != me)
			apic_icr(target, ICR_FIXED | STORM_VECTOR);
		sent[me]++;
	}
	__atomic_fetch_add(&stopped, 1, __ATOMIC_SEQ_CST);
	for (;;)
		asm volatile("hlt" ::: "memory");
}

int main(void)
{
	uint64_t t0, device_ticks, timer_ticks, total_sent = 0, total_received = 0;
	unsigned int i, wrong = 0;

	report_start();
	apic_enable();
	interrupt_set_handler(STORM_VECTOR, storm_handler);
	interrupt_set_handler(TIMER_VECTOR, timer_handler);
	for (i = 1; i <= STORMERS; i++)
		if (vcpu_start(i, stormer, (void *)(uintptr_t)i)) {
			report(false, "vCPU %u starts", i);
			return report_summary();
		}
	while (started < STORMERS)
		asm volatile("pause");
	asm volatile("sti" ::: "memory");

	t0 = tsc_read();
	for (i = 0; i < DEVICE_ROUNDS; i++) {
		outl(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH, i);
		if (inl(HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH) != i)
			wrong++;
	}
	device_ticks = tsc_read() - t0;
	report(!wrong && device_ticks < BOUND,
	       "%u device round trips during the storm: %u wrong, %lu ticks (bound %llu)",
	       DEVICE_ROUNDS, wrong, device_ticks, BOUND);

	apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | TIMER_VECTOR);
	t0 = tsc_read();
	wrmsr(MSR_IA32_TSC_DEADLINE, t0 + TIMER_AHEAD);
	while (!timer_fired && tsc_read() - t0 < BOUND)
		asm volatile("pause");
	timer_ticks = tsc_read() - t0;
	report(timer_fired, "the timer fires during the storm (%lu ticks)", timer_ticks);

	storm_on = false;
	t0 = tsc_read();
	while (stopped < STORMERS && tsc_read() - t0 < BOUND)
		asm volatile("pause");
	report(stopped == STORMERS, "every stormer saw the storm end (%u of %u)", stopped,
	       STORMERS);
	asm volatile("cli" ::: "memory");
	for (i = 0; i <= STORMERS; i++) {
		total_sent += sent[i];
		total_received += received[i];
	}
	report(received[0] > 0 && total_sent > 0,
	       "IPIs flowed: %lu sent by the stormers, %lu received, %lu by vCPU 0", total_sent,
	       total_received, received[0]);
	return report_summary();
}
