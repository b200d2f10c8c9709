// SPDX-License-Identifier: GPL-2.0
/*
 * A VM exit that comes right after the delivery of an exception, at the
 * first instruction of its handler, resumes the guest in that handler: the
 * saved guest RIP is the handler's (SDM Vol. 3C 28.3.3), never the
 * instruction that raised the exception. The guest raises #UD many times
 * while its APIC timer fires every 1,500 instructions, each firing a
 * VMX-preemption-timer exit (hv emulates the timer with it), so some exits
 * land at that boundary. Resumed at the UD2 instead, the guest would take
 * #UD twice, the second on the handler's stack, and come back with RSP one
 * frame off. (A fault, not INT3: the engine delivered software exceptions
 * on another path, which was right.)
 * Bochs 3.0 did that with more than one processor (bochs3's patch 0008);
 * Linux under hv died of it.
 */
#include <hv.h>
#include "apic.h"
#include "libguest.h"

#define TIMER_VECTOR 0x50
#define TIMER_COUNT 1500U /* TSC ticks (divide by 1): a few #BP apart */
#define FAULTS 20000U

static volatile unsigned int timer_ticks;

static void timer_handler(void)
{
	timer_ticks++;
	apic_eoi();
}

int main(void)
{
	unsigned int i, faults = 0, rsp_moved = 0;

	report_start();
	interrupt_set_handler(TIMER_VECTOR, timer_handler);
	apic_enable();
	apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_1);
	apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | TIMER_VECTOR);
	apic_write(APIC_TIMER_INITIAL, TIMER_COUNT);
	asm volatile("sti" ::: "memory");
	for (i = 0; i < FAULTS; i++) {
		uint64_t before, after;

		asm volatile("mov %%rsp, %0\n\t" ASM_TRY("ud2") "mov %%rsp, %1"
			     : "=&r"(before), "=r"(after)::"memory");
		faults += caught_exception.vector == UD_VECTOR;
		rsp_moved += before != after;
	}
	asm volatile("cli" ::: "memory");
	apic_write(APIC_TIMER_INITIAL, 0);

	report(timer_ticks > FAULTS / 10, "the timer fired %u times meanwhile", timer_ticks);
	report(faults == FAULTS, "%u UD2s delivered #UD %u times", FAULTS, faults);
	report(rsp_moved == 0, "RSP the same after each (%u moved)", rsp_moved);
	return report_summary();
}
