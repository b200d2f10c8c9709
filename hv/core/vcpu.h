/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's run-state transitions and its requests: the only ways to change
 * vcpu->state (see enum vcpu_state) and to ask for work before its next VM
 * entry. Any CPU may call them unless a comment says otherwise.
 */
#ifndef HV_CORE_VCPU_H
#define HV_CORE_VCPU_H

#include <hv/core/feature.h>
#include <hv/core/partition.h>

/*
 * @from -> @to if @v is in @from: the compare-and-exchange every transition
 * below is. Not for callers: only this header and vcpu.c write vcpu->state.
 */
static inline bool __vcpu_transition(struct vcpu *v, enum vcpu_state from, enum vcpu_state to)
{
	return __atomic_compare_exchange_n(&v->state, &from, to, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

/*
 * RUNNABLE -> @blocked. False when the vCPU is not runnable (a stop came
 * first): then it must not block, and its exit handler reschedules.
 * Inline: each device request blocks a vCPU and its answer unblocks it.
 */
static inline bool vcpu_block(struct vcpu *v, enum vcpu_state blocked)
{
	return __vcpu_transition(v, VCPU_RUNNABLE, blocked);
}

/* @blocked -> RUNNABLE. False when the vCPU was not in @blocked (stopped, or woken already). */
static inline bool vcpu_unblock(struct vcpu *v, enum vcpu_state blocked)
{
	return __vcpu_transition(v, blocked, VCPU_RUNNABLE);
}

/* Any state but DEAD -> STOPPED. Returns whether it was DEAD (nothing to do then). */
bool vcpu_stop(struct vcpu *v);

/* STOPPED -> DEAD, by the home CPU when the vCPU leaves it for good. */
void vcpu_set_dead(struct vcpu *v);

/*
 * Whether an event is pending for @v that ends its wait in @state: an NMI
 * (not in wait-for-SIPI), or what a feature holds (feature.wake_pending,
 * which says on which CPU it may be asked for which state).
 */
bool vcpu_event_pending(struct vcpu *v, enum vcpu_state state);

/*
 * Requests: bits in vcpu->requests the home CPU looks at before the next
 * VM entry (hv/core/run.c). Bit 0 is the event path's (an exception, NMI
 * or interrupt to deliver, hv/vmx/event.c), which runs after the
 * features' pre_entry hooks; bit 1 + i is the i-th feature's, whose
 * pre_entry hook then runs. A pre_entry hook may request the event path
 * for the same entry, and may end the vCPU's run (it blocks it): the run
 * loop then picks again.
 */
#define VCPU_REQUEST_EVENT BIT(0)

static inline u32 feature_request(const struct feature *f)
{
	return BIT(1 + (u32)(f - __start_hv_features));
}

/*
 * Sets @bits in @v's requests and kicks its home CPU (from that CPU: sets
 * its pending work), so the run loop sees them before @v's next entry.
 */
void vcpu_request(struct vcpu *v, u32 bits);

/* Sets @bits without a kick, for a caller that wakes @v next: the wake kicks. */
static inline void vcpu_request_for_wake(struct vcpu *v, u32 bits)
{
	__atomic_fetch_or(&v->requests, bits, __ATOMIC_RELAXED);
}

#endif /* HV_CORE_VCPU_H */
