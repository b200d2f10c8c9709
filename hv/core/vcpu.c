// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/percpu.h>
#include <hv/core/sched.h>
#include <hv/core/vcpu.h>

bool vcpu_stop(struct vcpu *v)
{
	enum vcpu_state old = __atomic_load_n(&v->state, __ATOMIC_SEQ_CST);

	do {
		if (old == VCPU_DEAD)
			return true;
	} while (!__atomic_compare_exchange_n(&v->state, &old, VCPU_STOPPED, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	return false;
}

void vcpu_set_dead(struct vcpu *v)
{
	if (!__vcpu_transition(v, VCPU_STOPPED, VCPU_DEAD))
		panic("vCPU %u of %s retired while not stopped", v->id, v->partition->name);
}

void vcpu_request(struct vcpu *v, u32 bits)
{
	__atomic_fetch_or(&v->requests, bits, __ATOMIC_SEQ_CST);
	sched_kick(v->home, PERCPU_WORK_RESCHEDULE);
}

bool vcpu_event_pending(struct vcpu *v, enum vcpu_state state)
{
	const struct feature *f;

	if (state != VCPU_WAIT_FOR_SIPI && __atomic_load_n(&v->nmi_pending, __ATOMIC_SEQ_CST))
		return true;
	for_each_feature(f)
		if (f->wake_pending && f->wake_pending(v, state))
			return true;
	return false;
}
