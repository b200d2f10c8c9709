/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock: FIFO fairness between CPUs. An exit path takes one only
 * for what a partition's vCPUs share across CPUs (its buffered ioreq ring).
 */
#ifndef HV_CORE_SPINLOCK_H
#define HV_CORE_SPINLOCK_H

#include <types.h>
#include <x86/hw.h>

struct spinlock {
	u16 next;
	u16 owner;
};

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

static inline void spin_lock(struct spinlock *l)
{
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif /* HV_CORE_SPINLOCK_H */
