// SPDX-License-Identifier: GPL-2.0
/*
 * The APIC timer (SDM Vol. 3A 11.5.4): one-shot, periodic and TSC-deadline
 * modes. Its clock is the guest's TSC: the current count falls by one every
 * "divide" TSC ticks (CPUID leaf 15H says so, hv/apic/apic.c), so a period
 * measured with RDTSC is exact. A deadline is hv's run-loop deadline for
 * the vCPU (hv/core/run.h): the VMX-preemption timer ends the guest's turn
 * then, or the idle CPU's TSC-deadline timer wakes it.
 */
#include <hv/apic/vapic.h>
#include <hv/core/run.h>
#include <x86/hw.h>
#include <x86/msr.h>

static u32 timer_mode(const struct vcpu *v)
{
	return reg_get(v, APIC_LVT(APIC_LVT_TIMER)) & APIC_LVT_TIMER_MODE_MASK;
}

/* Divide configuration (Figure 11-10): bits 3, 1:0 = 000b: by 2 ... 110b: by 128, 111b: by 1. */
static u64 divisor(const struct vcpu *v)
{
	u32 dcr = reg_get(v, APIC_TIMER_DIVIDE);
	u32 code = ((dcr >> 1) & 4U) | (dcr & 3U);

	return 1ULL << ((code + 1) & 7);
}

static void arm(struct vcpu *v, u64 deadline, u64 period)
{
	v->apic.timer_deadline = deadline;
	v->apic.timer_period = period;
	if (deadline)
		vcpu_set_deadline(v, deadline);
}

void apic_timer_reset(struct vcpu *v)
{
	v->apic.timer_deadline = 0;
	v->apic.timer_period = 0;
	v->apic.timer_mode = timer_mode(v);
}

void apic_timer_start(struct vcpu *v)
{
	u64 ticks = reg_get(v, APIC_TIMER_INITIAL) * divisor(v);

	/* In TSC-deadline mode the initial count is ignored (11.5.4.1); 0 stops the timer. */
	if (timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE)
		return;
	if (!ticks) {
		apic_timer_reset(v);
		return;
	}
	arm(v, rdtsc() + ticks, timer_mode(v) == APIC_LVT_TIMER_PERIODIC ? ticks : 0);
}

void apic_timer_lvt_written(struct vcpu *v)
{
	u32 old_mode = v->apic.timer_mode;

	if (old_mode == timer_mode(v))
		return;
	v->apic.timer_mode = timer_mode(v);
	/* A change of mode disarms the timer (11.5.4.1); a count still running goes on in the new one. */
	if (old_mode == APIC_LVT_TIMER_TSC_DEADLINE ||
	    timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE) {
		apic_timer_reset(v);
		reg_set(v, APIC_TIMER_INITIAL, 0);
		return;
	}
	if (v->apic.timer_deadline)
		v->apic.timer_period = timer_mode(v) == APIC_LVT_TIMER_PERIODIC ?
					       reg_get(v, APIC_TIMER_INITIAL) * divisor(v) :
					       0;
}

u32 apic_timer_current(const struct vcpu *v)
{
	u64 now = rdtsc(), deadline = v->apic.timer_deadline, left;

	if (timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE || !deadline)
		return 0;
	if (deadline > now)
		left = deadline - now;
	else if (v->apic.timer_period)
		left = v->apic.timer_period - (now - deadline) % v->apic.timer_period;
	else
		return 0;
	return (u32)((left + divisor(v) - 1) / divisor(v));
}

/* IA32_TSC_DEADLINE (11.5.4.1): the deadline in TSC-deadline mode, 0 once it fired; else 0. */
int apic_tsc_deadline_read(struct vcpu *v, u32 msr, u64 *value)
{
	*value = timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE ? v->apic.timer_deadline : 0;
	return 0;
}

/* Writes outside TSC-deadline mode are ignored; 0 disarms; a past deadline fires at once. */
int apic_tsc_deadline_write(struct vcpu *v, u32 msr, u64 value)
{
	if (timer_mode(v) == APIC_LVT_TIMER_TSC_DEADLINE && apic_mode(v) != APIC_MODE_DISABLED)
		arm(v, value, 0);
	return 0;
}

u64 apic_timer_deadline(const struct vcpu *v)
{
	return v->apic.timer_deadline;
}

void apic_timer_fire(struct vcpu *v)
{
	u32 lvt = reg_get(v, APIC_LVT(APIC_LVT_TIMER));
	u64 period = v->apic.timer_period, next = 0;

	/* Periodic: the next period counts from this deadline, not from now (no drift). */
	if (period) {
		u64 now = rdtsc();

		next = v->apic.timer_deadline + period;
		if (next <= now)
			next += ((now - next) / period + 1) * period;
	}
	v->apic.timer_deadline = next;
	if (!(lvt & APIC_LVT_MASKED) && apic_accepts_interrupts(v))
		apic_post(v, lvt & APIC_LVT_VECTOR_MASK, false);
}
