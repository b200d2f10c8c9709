// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC's registers (SDM Vol. 3A 11.4-11.9, 11.12), as hv emulates
 * them: for the x2APIC MSRs that exit, the xAPIC accesses that cause
 * APIC-access VM exits, and the writes the CPU stored before an APIC-write
 * VM exit (which then only needs its side effects, and its value
 * corrected). The registers the CPU virtualizes without exits it reads
 * from the same page (vapic.h).
 */
#include <hv/apic/vapic.h>
#include <hv/core/partition.h>
#include <x86/msr.h>

/* The bits of each LVT entry (11.5.1, Figure 11-8); others are reserved. */
static const u32 lvt_writable[NR_APIC_LVTS] = {
	[APIC_LVT_TIMER] = APIC_LVT_VECTOR_MASK | APIC_LVT_MASKED | APIC_LVT_TIMER_MODE_MASK,
	[APIC_LVT_THERMAL] = APIC_LVT_VECTOR_MASK | APIC_LVT_DELIVERY_MASK | APIC_LVT_MASKED,
	[APIC_LVT_PMC] = APIC_LVT_VECTOR_MASK | APIC_LVT_DELIVERY_MASK | APIC_LVT_MASKED,
	[APIC_LVT_LINT0] = APIC_LVT_VECTOR_MASK | APIC_LVT_DELIVERY_MASK | APIC_LVT_POLARITY |
			   APIC_LVT_LEVEL | APIC_LVT_MASKED,
	[APIC_LVT_LINT1] = APIC_LVT_VECTOR_MASK | APIC_LVT_DELIVERY_MASK | APIC_LVT_POLARITY |
			   APIC_LVT_LEVEL | APIC_LVT_MASKED,
	[APIC_LVT_ERROR] = APIC_LVT_VECTOR_MASK | APIC_LVT_MASKED,
};

/* Bits 7:0 are the TPR, 9:0 the SVR's vector, enable and focus check (11.8.3, 11.9). */
#define APIC_TPR_MASK 0xffU
#define APIC_SVR_WRITABLE (APIC_SVR_VECTOR_MASK | APIC_SVR_ENABLE | APIC_SVR_NO_FOCUS_CHECK)
#define APIC_SELF_IPI_VECTOR_MASK 0xffU
#define PRIORITY_CLASS(v) ((v)&0xf0U)

int vec_highest(const struct vcpu *v, u32 base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 bits = reg_get(v, base + (u32)i * 0x10U);

		if (bits)
			return i * 32 + 31 - __builtin_clz(bits);
	}
	return -1;
}

u32 apic_ppr(const struct vcpu *v)
{
	u32 tpr = reg_get(v, APIC_TPR) & APIC_TPR_MASK;
	int isrv = vec_highest(v, APIC_ISR);

	if (isrv < 0 || PRIORITY_CLASS(tpr) >= PRIORITY_CLASS((u32)isrv))
		return tpr;
	return PRIORITY_CLASS((u32)isrv);
}

/* The x2APIC's logical ID (11.12.10.2): cluster in bits 31:16, one bit of 16 below. */
static u32 x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | (u32)BIT(id & 0xf);
}

void apic_regs_set_mode_ids(struct vcpu *v)
{
	if (apic_mode(v) == APIC_MODE_X2APIC) {
		reg_set(v, APIC_ID, v->id);
		reg_set(v, APIC_LDR, x2apic_ldr(v->id));
	} else {
		reg_set(v, APIC_ID, v->id << XAPIC_DESTINATION_SHIFT);
	}
}

void apic_regs_reset(struct vcpu *v)
{
	u32 i;

	for (i = 0; i < APIC_REGS_END / 4; i++)
		v->apic.page[i] = 0;
	reg_set(v, APIC_VERSION, APIC_VERSION_VALUE);
	reg_set(v, APIC_DFR, APIC_DFR_FLAT);
	reg_set(v, APIC_SVR, APIC_SVR_RESET);
	for (i = 0; i < NR_APIC_LVTS; i++)
		reg_set(v, APIC_LVT(i), APIC_LVT_RESET);
	apic_regs_set_mode_ids(v);
	v->apic.errors = 0;
	v->apic.level_pending = (struct vector_set){ { 0 } };
	v->apic.level_in_service = (struct vector_set){ { 0 } };
	pi_desc_take(&v->apic.pi_desc, &(struct vector_set){ { 0 } });
	apic_timer_reset(v);
}

void apic_error(struct vcpu *v, u32 esr_bit)
{
	u32 lvt = reg_get(v, APIC_LVT(APIC_LVT_ERROR));

	v->apic.errors |= esr_bit;
	if (!(lvt & APIC_LVT_MASKED) && apic_accepts_interrupts(v))
		apic_post(v, lvt & APIC_LVT_VECTOR_MASK, false);
}

/* ISR, TMR and IRR: @base is the set's first register when @offset is one of its eight. */
static bool in_vector_set(u32 offset, u32 base)
{
	return offset >= base && offset < base + 0x80U && !(offset % 0x10U);
}

static bool is_lvt(u32 offset)
{
	return offset >= APIC_LVT_FIRST && offset < APIC_LVT(NR_APIC_LVTS) && !(offset % 0x10U);
}

int apic_reg_read(struct vcpu *v, u32 offset, u64 *value)
{
	bool x2apic = apic_mode(v) == APIC_MODE_X2APIC;

	switch (offset) {
	case APIC_ID:
	case APIC_VERSION:
	case APIC_TPR:
	case APIC_LDR:
	case APIC_SVR:
	case APIC_ESR:
	case APIC_TIMER_INITIAL:
	case APIC_TIMER_DIVIDE:
		*value = reg_get(v, offset);
		return 0;
	case APIC_PPR:
		*value = apic_ppr(v);
		return 0;
	case APIC_TIMER_CURRENT:
		*value = apic_timer_current(v);
		return 0;
	case APIC_ICR:
		*value = reg_get(v, APIC_ICR) | (x2apic ? (u64)reg_get(v, APIC_ICR + 4) << 32 : 0);
		return 0;
	case APIC_DFR:
	case APIC_ICR_HIGH:
		if (x2apic)
			return -1;
		*value = reg_get(v, offset);
		return 0;
	case APIC_EOI:
		/* Write-only in x2APIC mode (Table 11-6); xAPIC reads 0. */
		*value = 0;
		return x2apic ? -1 : 0;
	}
	if (in_vector_set(offset, APIC_ISR) || in_vector_set(offset, APIC_TMR) ||
	    in_vector_set(offset, APIC_IRR) || is_lvt(offset)) {
		*value = reg_get(v, offset);
		return 0;
	}
	/* SELF IPI is write-only; CMCI and the rest do not exist here. */
	if (x2apic)
		return -1;
	*value = 0;
	apic_error(v, APIC_ESR_ILLEGAL_REGISTER);
	return 0;
}

/* The APIC became software-disabled: every LVT entry is masked (11.4.7.2). */
static void mask_lvts(struct vcpu *v)
{
	u32 i;

	for (i = 0; i < NR_APIC_LVTS; i++)
		reg_set(v, APIC_LVT(i), reg_get(v, APIC_LVT(i)) | APIC_LVT_MASKED);
}

/* The end of the highest-priority interrupt in service (11.8.5); software delivery only. */
static void eoi(struct vcpu *v)
{
	int vector = vec_highest(v, APIC_ISR);

	if (vector < 0)
		return;
	vec_clear(v, APIC_ISR, (u8)vector);
	if (vec_test(v, APIC_TMR, (u8)vector)) {
		vec_clear(v, APIC_TMR, (u8)vector);
		apic_level_eoi(v, (u8)vector);
	}
	apic_want_event(v);
}

static int write_lvt(struct vcpu *v, u32 offset, u32 value, bool x2apic)
{
	enum apic_lvt lvt = (offset - APIC_LVT_FIRST) / 0x10U;

	/* Timer mode 11b is reserved (11.5.4); TSC-deadline mode exists (CPUID says so). */
	if (lvt == APIC_LVT_TIMER &&
	    (value & APIC_LVT_TIMER_MODE_MASK) == APIC_LVT_TIMER_MODE_MASK) {
		if (x2apic)
			return -1;
		value &= ~APIC_LVT_TIMER_MODE_MASK;
	}
	if (x2apic && (value & ~lvt_writable[lvt]))
		return -1;
	value &= lvt_writable[lvt];
	if (!(reg_get(v, APIC_SVR) & APIC_SVR_ENABLE))
		value |= APIC_LVT_MASKED;
	reg_set(v, offset, value);
	if (lvt == APIC_LVT_TIMER)
		apic_timer_lvt_written(v);
	return 0;
}

/*
 * A write to a register that is read-only, or does not exist: x2APIC
 * raises #GP; xAPIC ignores it (and after an APIC-write VM exit the page
 * gets its value back).
 */
static int ignored_write(struct vcpu *v, u32 offset, bool x2apic)
{
	if (x2apic)
		return -1;
	if (offset == APIC_ID)
		apic_regs_set_mode_ids(v);
	else if (offset == APIC_LVT_CMCI)
		reg_set(v, offset, 0);
	else if (!in_vector_set(offset, APIC_ISR) && !in_vector_set(offset, APIC_TMR) &&
		 !in_vector_set(offset, APIC_IRR) && offset != APIC_VERSION && offset != APIC_PPR &&
		 offset != APIC_TIMER_CURRENT)
		apic_error(v, APIC_ESR_ILLEGAL_REGISTER);
	return 0;
}

int apic_reg_write(struct vcpu *v, u32 offset, u64 value64)
{
	bool x2apic = apic_mode(v) == APIC_MODE_X2APIC;
	u32 value = (u32)value64;

	/* Only the x2APIC ICR has 64 bits; the upper half of every other MSR is reserved. */
	if (x2apic && offset != APIC_ICR && (value64 >> 32))
		return -1;
	switch (offset) {
	case APIC_TPR:
		if (x2apic && (value & ~APIC_TPR_MASK))
			return -1;
		reg_set(v, APIC_TPR, value & APIC_TPR_MASK);
		apic_want_event(v);
		return 0;
	case APIC_EOI:
		if (x2apic && value)
			return -1;
		eoi(v);
		return 0;
	case APIC_LDR:
		if (x2apic)
			return -1;
		reg_set(v, APIC_LDR, value & APIC_LDR_XAPIC_MASK);
		return 0;
	case APIC_DFR:
		if (x2apic)
			return -1;
		reg_set(v, APIC_DFR, value | ~APIC_DFR_MODEL_MASK);
		return 0;
	case APIC_SVR:
		if (x2apic && (value & ~APIC_SVR_WRITABLE))
			return -1;
		reg_set(v, APIC_SVR, value & APIC_SVR_WRITABLE);
		if (!(value & APIC_SVR_ENABLE))
			mask_lvts(v);
		apic_want_event(v);
		return 0;
	case APIC_ESR:
		/* x2APIC: a non-zero write #GPs (Table 11-6); a write latches the errors (11.5.3). */
		if (x2apic && value)
			return -1;
		reg_set(v, APIC_ESR, v->apic.errors);
		v->apic.errors = 0;
		return 0;
	case APIC_ICR:
		if (x2apic) {
			if (value & X2APIC_ICR_RESERVED)
				return -1;
			value64 &= ~(u64)APIC_ICR_DELIVERY_PENDING;
			reg_set(v, APIC_ICR, (u32)value64);
			reg_set(v, APIC_ICR + 4, (u32)(value64 >> 32));
			apic_send_icr(v, value64);
			return 0;
		}
		/* Sent at once: delivery status always reads idle. */
		reg_set(v, APIC_ICR, value & APIC_ICR_WRITABLE);
		apic_send_icr(v,
			      ((u64)reg_get(v, APIC_ICR_HIGH) << 32) | (value & APIC_ICR_WRITABLE));
		return 0;
	case APIC_ICR_HIGH:
		if (x2apic)
			return -1;
		reg_set(v, APIC_ICR_HIGH, value & (XAPIC_BROADCAST << XAPIC_DESTINATION_SHIFT));
		return 0;
	case APIC_TIMER_INITIAL:
		reg_set(v, APIC_TIMER_INITIAL, value);
		apic_timer_start(v);
		return 0;
	case APIC_TIMER_DIVIDE:
		if (x2apic && (value & ~APIC_TIMER_DIVIDE_MASK))
			return -1;
		reg_set(v, APIC_TIMER_DIVIDE, value & APIC_TIMER_DIVIDE_MASK);
		return 0;
	case APIC_SELF_IPI:
		if (!x2apic)
			return ignored_write(v, offset, false);
		if (value & ~APIC_SELF_IPI_VECTOR_MASK)
			return -1;
		apic_self_ipi(v, (u8)value);
		return 0;
	}
	if (is_lvt(offset))
		return write_lvt(v, offset, value, x2apic);
	return ignored_write(v, offset, x2apic);
}
