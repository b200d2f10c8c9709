// SPDX-License-Identifier: GPL-2.0
/*
 * The APIC timer (SDM Vol. 3A 11.5.4) against the TSC: hv's timer counts at
 * the TSC's rate (CPUID leaf 15H says the crystal is the TSC), so with
 * divide-by-1 a count of N is N TSC ticks. One-shot (never early, late by
 * no more than delivery takes), periodic (the mean period exact: periods
 * count from the deadline, not from the late interrupt), divide
 * configuration, current count, a masked timer, TSC-deadline mode (the
 * MSR, 0 after it fired, 0 disarms, a past deadline fires at once, writes
 * in other modes ignored), a mode change disarming the timer, and the
 * timer ending HLT. In xAPIC and x2APIC mode.
 */
#include <stdio.h>
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define TIMER_VECTOR 0x50
#define COUNT 200000U
#define PERIODS 6
/* What delivery may add: an exit, hv's run loop, the idle CPU's wakeup (Bochs: instructions). */
#define LATENCY_MAX 30000U
#define CPUID_TSC_LEAF 0x15
#define APIC_TIMER_DIVIDE_2 0x0U

static volatile unsigned int fired;
static volatile uint64_t fired_tsc[PERIODS + 1];

static void timer_handler(void)
{
	if (fired <= PERIODS)
		fired_tsc[fired] = tsc_read();
	fired++;
	apic_eoi();
}

/* Halts until @n interrupts came or @timeout TSC ticks passed. */
static void wait_for(unsigned int n, uint64_t timeout)
{
	uint64_t start = tsc_read();

	while (fired < n && tsc_read() - start < timeout)
		asm volatile("sti; hlt; cli" ::: "memory");
}

static void spin(uint64_t ticks)
{
	uint64_t start = tsc_read();

	while (tsc_read() - start < ticks)
		asm volatile("sti; nop; cli" ::: "memory");
}

static uint64_t one_shot(uint32_t divide, uint32_t count)
{
	uint64_t t0;

	fired = 0;
	apic_write(APIC_TIMER_DIVIDE, divide);
	apic_write(APIC_LVT_TIMER, APIC_TIMER_ONE_SHOT | TIMER_VECTOR);
	t0 = tsc_read();
	apic_write(APIC_TIMER_INITIAL, count);
	wait_for(1, 10ULL * COUNT);
	return fired == 1 ? fired_tsc[0] - t0 : 0;
}

static void check_one_shot(const char *mode)
{
	uint64_t took = one_shot(APIC_TIMER_DIVIDE_1, COUNT);
	uint32_t current;

	report(took >= COUNT && took < COUNT + LATENCY_MAX,
	       "%s: one-shot count %u, divide by 1: fires after %lu TSC ticks, not early", mode,
	       COUNT, took);
	spin(COUNT);
	report(fired == 1 && apic_read(APIC_TIMER_CURRENT) == 0,
	       "%s: once; the current count stays 0 (%u)", mode, apic_read(APIC_TIMER_CURRENT));
	took = one_shot(APIC_TIMER_DIVIDE_2, COUNT / 2);
	report(took >= COUNT && took < COUNT + LATENCY_MAX,
	       "%s: count %u divided by 2 takes as long: %lu", mode, COUNT / 2, took);

	apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_1);
	apic_write(APIC_TIMER_INITIAL, COUNT);
	current = apic_read(APIC_TIMER_CURRENT);
	report(current <= COUNT && current > COUNT - LATENCY_MAX,
	       "%s: the current count starts near the initial count (%u)", mode, current);
	spin(COUNT / 2);
	report(apic_read(APIC_TIMER_CURRENT) < current - COUNT / 4,
	       "%s: and falls with the TSC (%u)", mode, apic_read(APIC_TIMER_CURRENT));
	apic_write(APIC_TIMER_INITIAL, 0);
	report(apic_read(APIC_TIMER_CURRENT) == 0, "%s: initial count 0 stops it", mode);
}

static void check_periodic(const char *mode)
{
	uint64_t first, last;
	bool spaced = true;

	fired = 0;
	apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_1);
	apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | TIMER_VECTOR);
	apic_write(APIC_TIMER_INITIAL, COUNT);
	wait_for(PERIODS, 4ULL * PERIODS * COUNT);
	apic_write(APIC_TIMER_INITIAL, 0);
	report(fired >= PERIODS, "%s: periodic: %u interrupts", mode, fired);
	for (unsigned int i = 1; i < PERIODS && fired >= PERIODS; i++)
		spaced &= fired_tsc[i] - fired_tsc[i - 1] > COUNT - LATENCY_MAX &&
			  fired_tsc[i] - fired_tsc[i - 1] < COUNT + LATENCY_MAX;
	first = fired_tsc[0];
	last = fired_tsc[PERIODS - 1];
	report(spaced, "%s: each period %u TSC ticks, give or take delivery", mode, COUNT);
	report((last - first) / (PERIODS - 1) > COUNT - LATENCY_MAX / PERIODS &&
		       (last - first) / (PERIODS - 1) < COUNT + LATENCY_MAX / PERIODS,
	       "%s: the mean period is %lu: no drift", mode, (last - first) / (PERIODS - 1));
	fired = 0;
	spin(2 * COUNT);
	report(fired == 0, "%s: stopped, it fires no more", mode);
}

static void check_masked_and_mode_change(const char *mode)
{
	fired = 0;
	apic_write(APIC_LVT_TIMER, APIC_TIMER_ONE_SHOT | APIC_LVT_MASKED | TIMER_VECTOR);
	apic_write(APIC_TIMER_INITIAL, COUNT);
	spin(2 * COUNT);
	report(fired == 0 && apic_read(APIC_TIMER_CURRENT) == 0,
	       "%s: masked, the count runs out without an interrupt", mode);

	apic_write(APIC_LVT_TIMER, APIC_TIMER_ONE_SHOT | TIMER_VECTOR);
	apic_write(APIC_TIMER_INITIAL, COUNT);
	apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | TIMER_VECTOR);
	spin(2 * COUNT);
	report(fired == 0, "%s: a switch to TSC-deadline mode disarms a running count", mode);
}

static void check_tsc_deadline(const char *mode)
{
	uint64_t deadline, read_back;

	apic_write(APIC_LVT_TIMER, APIC_TIMER_ONE_SHOT | TIMER_VECTOR);
	wrmsr(MSR_IA32_TSC_DEADLINE, tsc_read() + COUNT);
	report(rdmsr(MSR_IA32_TSC_DEADLINE) == 0,
	       "%s: in one-shot mode IA32_TSC_DEADLINE ignores writes, reads 0", mode);
	apic_write(APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | TIMER_VECTOR);

	fired = 0;
	deadline = tsc_read() + COUNT;
	wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
	/*
	 * Reported after the wait: a line printed now is work for the service
	 * partition, which may hold a shared CPU when the deadline comes.
	 */
	read_back = rdmsr(MSR_IA32_TSC_DEADLINE);
	wait_for(1, 10ULL * COUNT);
	report(read_back == deadline, "%s: TSC-deadline mode: the MSR reads back", mode);
	report(fired == 1 && fired_tsc[0] >= deadline && fired_tsc[0] < deadline + LATENCY_MAX,
	       "%s: it fires at the deadline, not before (%ld ticks after)", mode,
	       (long)(fired_tsc[0] - deadline));
	report(rdmsr(MSR_IA32_TSC_DEADLINE) == 0, "%s: and then reads 0", mode);

	fired = 0;
	wrmsr(MSR_IA32_TSC_DEADLINE, tsc_read() + COUNT);
	wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	spin(2 * COUNT);
	report(fired == 0, "%s: writing 0 disarms it", mode);

	wrmsr(MSR_IA32_TSC_DEADLINE, 1);
	spin(LATENCY_MAX);
	report(fired == 1, "%s: a deadline in the past fires at once", mode);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
}

int main(void)
{
	struct cpuid r = cpuid(0);

	report_start();
	if (r.a >= CPUID_TSC_LEAF) {
		r = cpuid(CPUID_TSC_LEAF);
		report(r.a == 1 && r.b == 1 && r.c != 0,
		       "CPUID.15H: the crystal (the APIC timer's clock) is the TSC's, %u Hz", r.c);
	}
	interrupt_set_handler(TIMER_VECTOR, timer_handler);
	apic_enable();
	asm volatile("cli");
	check_one_shot("xAPIC");
	check_periodic("xAPIC");
	check_masked_and_mode_change("xAPIC");
	check_tsc_deadline("xAPIC");
	report(apic_enable_x2apic(), "to x2APIC mode");
	check_one_shot("x2APIC");
	check_periodic("x2APIC");
	check_tsc_deadline("x2APIC");
	return report_summary();
}
