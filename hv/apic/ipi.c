// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts between vCPUs and to them: the ICR (SDM Vol. 3A 11.6), the
 * one sender path every interrupt takes (posting, then notifying), the
 * receiver's half (PIR into the virtual APIC), INIT and SIPI.
 *
 * Notifying (after pi_desc_post() set ON):
 *  - with posted-interrupt processing, to a vCPU homed on another CPU:
 *    the notification vector the descriptor names, to that CPU. While the
 *    vCPU runs there it is the CPU's posted-interrupt notification vector
 *    (processed without a VM exit, SDM Vol. 3C 30.6); while it is halted,
 *    hv's wakeup vector, which makes that CPU wake it (apic_irq()). While
 *    it waits for its turn SN is set and nobody notifies: its CPU takes
 *    PIR when it switches to it. This is also what the CPU's IPI
 *    virtualization does (30.1.6).
 *  - otherwise (no posted interrupts, or a vCPU of this CPU): a request
 *    for the vCPU's CPU to take PIR before the vCPU's next entry (a kick
 *    if it runs elsewhere), and a wakeup if it is halted; at once when it
 *    is the vCPU whose VMCS this CPU holds.
 */
#include <hv/apic/vapic.h>
#include <hv/core/lapic.h>
#include <hv/core/run.h>
#include <hv/core/vcpu.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <x86/hw.h>
#include <x86/msr.h>

/* GUEST_INTR_STATUS (SDM Vol. 3C 25.4.2): RVI in bits 7:0, SVI in bits 15:8. */
#define INTR_STATUS_RVI_MASK 0xffU

static void notify_software(struct vcpu *t)
{
	struct percpu *cpu = this_cpu();

	if (t->home == cpu && cpu->loaded_vcpu == t && READ_ONCE(t->state) == VCPU_RUNNABLE) {
		apic_sync(t);
		return;
	}
	vcpu_request(t, feature_request(&apic_feature));
	vcpu_wake(t, VCPU_BLOCKED_HLT, false);
}

void apic_post(struct vcpu *t, u8 vector, bool level)
{
	u8 nv;

	/* Level-triggered interrupts set the TMR and an EOI exit: hv takes those itself. */
	if (unlikely(level)) {
		__atomic_fetch_or(&t->apic.level_pending.w[vector / 64], BIT(vector % 64),
				  __ATOMIC_SEQ_CST);
		notify_software(t);
		return;
	}
	if (!pi_desc_post(&t->apic.pi_desc, vector, &nv))
		return;
	if (t->partition->apic.posted && t->home != this_cpu())
		lapic_send_ipi(t->home->apic_id, nv);
	else
		notify_software(t);
}

/* Takes a vector_set's words out of @words (exchanging each with 0); the highest, or -1. */
static int take_level(struct vector_set *from, struct vector_set *to)
{
	int highest = -1;
	u32 i;

	for (i = 0; i < VECTOR_WORDS; i++) {
		u64 bits = READ_ONCE(from->w[i]) ?
				   __atomic_exchange_n(&from->w[i], 0, __ATOMIC_SEQ_CST) :
				   0;

		to->w[i] |= bits;
		if (bits)
			highest = (int)(i * 64 + 63 - __builtin_clzll(bits));
	}
	return highest;
}

/* ORs @set into the page's eight registers at @base (IRR or TMR). */
static void page_or(struct vcpu *v, u32 base, const struct vector_set *set)
{
	u32 i;

	for (i = 0; i < VECTOR_WORDS; i++) {
		u64 bits = set->w[i];

		if (!bits)
			continue;
		reg_set(v, base + i * 0x20U, reg_get(v, base + i * 0x20U) | (u32)bits);
		reg_set(v, base + i * 0x20U + 0x10U,
			reg_get(v, base + i * 0x20U + 0x10U) | (u32)(bits >> 32));
	}
}

static void set_eoi_exits(const struct vector_set *level)
{
	u32 i;

	for (i = 0; i < VECTOR_WORDS; i++)
		if (level->w[i])
			vmwrite(EOI_EXIT_BITMAP0 + 2 * i,
				vmread(EOI_EXIT_BITMAP0 + 2 * i) | level->w[i]);
}

bool apic_sync(struct vcpu *v)
{
	struct vector_set irr = { { 0 } }, level = { { 0 } };
	int highest = -1, level_highest = -1;
	u64 status;

	if ((READ_ONCE(v->apic.pi_desc.control) & PI_DESC_ON) || pi_desc_pending(&v->apic.pi_desc))
		highest = pi_desc_take(&v->apic.pi_desc, &irr);
	level_highest = take_level(&v->apic.level_pending, &level);
	if (highest < 0 && level_highest < 0)
		return false;
	/* A software-disabled APIC discards fixed interrupts (11.4.7.2). */
	if (!apic_accepts_interrupts(v))
		return false;
	highest = MAX(highest, level_highest);
	page_or(v, APIC_IRR, &irr);
	if (level_highest >= 0) {
		page_or(v, APIC_IRR, &level);
		page_or(v, APIC_TMR, &level);
		take_level(&level, &v->apic.level_in_service);
	}
	if (!v->partition->apic.vid) {
		apic_want_event(v);
		return true;
	}
	if (level_highest >= 0)
		set_eoi_exits(&v->apic.level_in_service);
	/* RVI: the highest requesting vector (30.1.2); the CPU evaluates it at entry (30.2.1). */
	status = vmread(GUEST_INTR_STATUS);
	if ((u64)highest > (status & INTR_STATUS_RVI_MASK))
		vmwrite(GUEST_INTR_STATUS, (status & ~(u64)INTR_STATUS_RVI_MASK) | (u64)highest);
	return true;
}

/* ---- The ICR ---- */

/* The vCPU with APIC ID @id through the PID-pointer table, as IPI virtualization finds it. */
static struct vcpu *table_lookup(struct partition *p, u32 id)
{
	u64 pa = pid_table_lookup(p->apic.pid_table, p->nr_vcpus - 1, id, vmx_caps.pa_bits);

	return pa ? container_of((struct pi_desc *)phys_to_virt(pa), struct vcpu, apic.pi_desc) :
		    NULL;
}

/* x2APIC logical destinations (11.12.10.2): cluster in bits 31:16, a bit mask in 15:0. */
static bool x2apic_logical_match(u32 id, u32 dest)
{
	return (dest >> 16) == (id >> 4) && (dest & BIT(id & 0xf));
}

/* xAPIC logical destinations (11.6.2.2): flat (a bit mask) or cluster (4 bits of each). */
static bool xapic_logical_match(const struct vcpu *t, u32 dest)
{
	u32 ldr = reg_get(t, APIC_LDR) >> XAPIC_DESTINATION_SHIFT;

	if (dest == XAPIC_BROADCAST)
		return true;
	if ((reg_get(t, APIC_DFR) & APIC_DFR_MODEL_MASK) != APIC_DFR_CLUSTER_MODEL)
		return dest & ldr;
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xfU);
}

/* Whether @t is a destination the sender in x2APIC mode (@x2apic) or xAPIC mode names. */
static bool destination_match(const struct vcpu *t, u32 dest, bool logical, bool x2apic)
{
	if (x2apic && dest == X2APIC_BROADCAST)
		return true;
	if (!logical)
		return dest == (x2apic ? t->id : (t->id & XAPIC_BROADCAST)) ||
		       (!x2apic && dest == XAPIC_BROADCAST);
	return x2apic ? x2apic_logical_match(t->id, dest) : xapic_logical_match(t, dest);
}

static void deliver(struct vcpu *t, u32 mode, u8 vector)
{
	switch (mode) {
	case APIC_ICR_FIXED:
	case APIC_ICR_LOWEST_PRIORITY:
		if (apic_accepts_interrupts(t))
			apic_post(t, vector, false);
		break;
	case APIC_ICR_NMI:
		if (apic_mode(t) == APIC_MODE_DISABLED)
			break;
		vmx_raise_nmi(t);
		if (!vcpu_wake(t, VCPU_BLOCKED_HLT, false))
			vcpu_wake(t, VCPU_BLOCKED_HLT_NO_INTR, false);
		break;
	case APIC_ICR_INIT:
		apic_send_init(t);
		break;
	case APIC_ICR_STARTUP:
		apic_send_sipi(t, vector);
		break;
	}
}

/*
 * Lowest priority (11.6.2.4): the destination whose processor priority is
 * lowest (the first of equals), among those that accept interrupts.
 */
static struct vcpu *lowest_priority(struct vcpu *v, u32 dest, bool logical, bool x2apic,
				    u32 shorthand)
{
	struct partition *p = v->partition;
	struct vcpu *best = NULL;
	u32 i, best_ppr = ~0U;

	for (i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *t = p->vcpus[i];
		u32 ppr;

		if ((shorthand == APIC_ICR_ALL_BUT_SELF && t == v) ||
		    (!shorthand && !destination_match(t, dest, logical, x2apic)) ||
		    !apic_accepts_interrupts(t))
			continue;
		ppr = apic_ppr(t);
		if (ppr < best_ppr) {
			best = t;
			best_ppr = ppr;
		}
	}
	return best;
}

void apic_send_icr(struct vcpu *v, u64 icr)
{
	struct partition *p = v->partition;
	bool x2apic = apic_mode(v) == APIC_MODE_X2APIC, logical = icr & APIC_ICR_LOGICAL;
	u32 mode = icr & APIC_ICR_DELIVERY_MASK, shorthand = icr & APIC_ICR_SHORTHAND_MASK;
	u32 dest = x2apic ? (u32)(icr >> 32) : (u32)(icr >> 56);
	u8 vector = icr & APIC_ICR_VECTOR_MASK;
	struct vcpu *t;
	u32 i;

	switch (mode) {
	case APIC_ICR_FIXED:
	case APIC_ICR_LOWEST_PRIORITY:
		if (vector < FIRST_LEGAL_VECTOR) {
			apic_error(v, APIC_ESR_SEND_ILLEGAL_VECTOR);
			return;
		}
		break;
	case APIC_ICR_INIT:
		/* INIT level de-assert: only arbitration IDs, which x2APIC and newer xAPICs lack. */
		if (!(icr & APIC_ICR_ASSERT))
			return;
		break;
	case APIC_ICR_NMI:
	case APIC_ICR_STARTUP:
		break;
	default:
		/* SMI and the reserved modes: hv's vCPUs have no SMM. */
		return;
	}
	if (shorthand == APIC_ICR_SELF) {
		/* The self shorthand sends fixed interrupts only (11.6.1). */
		if (mode == APIC_ICR_FIXED)
			apic_post(v, vector, false);
		return;
	}
	/* What IPI virtualization would do itself: a physical fixed IPI to one vCPU. */
	if (!shorthand && !logical && mode == APIC_ICR_FIXED &&
	    dest != (x2apic ? X2APIC_BROADCAST : XAPIC_BROADCAST)) {
		t = table_lookup(p, dest);
		if (t && apic_accepts_interrupts(t))
			apic_post(t, vector, false);
		return;
	}
	if (mode == APIC_ICR_LOWEST_PRIORITY) {
		t = lowest_priority(v, dest, logical, x2apic, shorthand);
		if (t)
			apic_post(t, vector, false);
		return;
	}
	for (i = 0; i < p->nr_vcpus; i++) {
		t = p->vcpus[i];
		if (shorthand == APIC_ICR_ALL_BUT_SELF && t == v)
			continue;
		if (!shorthand && !destination_match(t, dest, logical, x2apic))
			continue;
		deliver(t, mode, vector);
	}
}

void apic_self_ipi(struct vcpu *v, u8 vector)
{
	if (vector < FIRST_LEGAL_VECTOR) {
		apic_error(v, APIC_ESR_SEND_ILLEGAL_VECTOR);
		return;
	}
	apic_post(v, vector, false);
}

/* ---- INIT and SIPI (11.6.1 delivery modes 101 and 110; 9.4.4 the MP start-up) ---- */

void apic_send_init(struct vcpu *t)
{
	u32 old = __atomic_load_n(&t->apic.events, __ATOMIC_SEQ_CST), new;

	/* A SIPI not taken yet is forgotten: the INIT comes after it. */
	do {
		new = (old | APIC_EVENT_INIT) & ~(APIC_EVENT_SIPI | APIC_EVENT_SIPI_VECTOR_MASK);
	} while (!__atomic_compare_exchange_n(&t->apic.events, &old, new, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	vcpu_request(t, feature_request(&apic_feature));
	if (!vcpu_wake(t, VCPU_BLOCKED_HLT, false))
		vcpu_wake(t, VCPU_BLOCKED_HLT_NO_INTR, false);
}

void apic_send_sipi(struct vcpu *t, u8 vector)
{
	u32 old = __atomic_load_n(&t->apic.events, __ATOMIC_SEQ_CST), new;

	/* Only a vCPU that waits for one (or whose INIT is on its way) takes a SIPI; one. */
	do {
		if (!(old & (APIC_EVENT_INIT | APIC_EVENT_WAITING)) || (old & APIC_EVENT_SIPI))
			return;
		new = old | APIC_EVENT_SIPI | ((u32)vector << APIC_EVENT_SIPI_VECTOR_SHIFT);
	} while (!__atomic_compare_exchange_n(&t->apic.events, &old, new, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	vcpu_request(t, feature_request(&apic_feature));
	vcpu_wake(t, VCPU_WAIT_FOR_SIPI, false);
}

/* Starts @v at the SIPI's vector: CS = vector << 8, IP = 0 (9.4.4.1, 11.6.1). */
static void sipi_start(struct vcpu *v, u32 events)
{
	u32 vector = (events & APIC_EVENT_SIPI_VECTOR_MASK) >> APIC_EVENT_SIPI_VECTOR_SHIFT;

	while (!__atomic_compare_exchange_n(
		&v->apic.events, &events,
		events & ~(APIC_EVENT_SIPI | APIC_EVENT_SIPI_VECTOR_MASK | APIC_EVENT_WAITING),
		false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	vmx_init_state(v, (u16)(vector << 8), vector << 12, 0);
}

void apic_init_sipi(struct vcpu *v)
{
	u32 events = __atomic_load_n(&v->apic.events, __ATOMIC_SEQ_CST), new;

	if (!(events & (APIC_EVENT_INIT | APIC_EVENT_SIPI)))
		return;
	if (events & APIC_EVENT_INIT) {
		apic_reset(v); /* INIT leaves the APIC as reset does, ID and base kept */
		/* The bootstrap processor restarts at the reset vector (9.1.4); the others wait. */
		if (v->apic.base & APIC_BASE_BSP) {
			__atomic_fetch_and(&v->apic.events, ~APIC_EVENT_INIT, __ATOMIC_SEQ_CST);
			vmx_init_state(v, 0xf000, 0xffff0000U, 0xfff0);
			return;
		}
		vmx_init_state(v, 0, 0, 0);
		do {
			new = (events & ~APIC_EVENT_INIT) | APIC_EVENT_WAITING;
		} while (!__atomic_compare_exchange_n(&v->apic.events, &events, new, false,
						      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
		events = new;
	}
	if (events & APIC_EVENT_SIPI) {
		sipi_start(v, events);
		return;
	}
	if (!vcpu_block(v, VCPU_WAIT_FOR_SIPI))
		return;
	/* A SIPI recorded after the look above found the vCPU still runnable: it starts itself. */
	if (__atomic_load_n(&v->apic.events, __ATOMIC_SEQ_CST) & APIC_EVENT_SIPI) {
		vcpu_unblock(v, VCPU_WAIT_FOR_SIPI);
		vcpu_request(v, feature_request(&apic_feature));
		return;
	}
	partition_check_unwakeable(v);
}
