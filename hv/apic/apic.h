/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv/apic: every vCPU's local APIC, in xAPIC and x2APIC mode (SDM Vol. 3A
 * chapter 11), virtualized with APICv (Vol. 3C chapter 30) where the CPU
 * has it. A feature (hv/core/feature.h): it owns the APIC exits, the APIC
 * MSRs (IA32_APIC_BASE, 800H-8FFH, IA32_TSC_DEADLINE), the CPUID bits of
 * the APIC, and INIT/SIPI.
 *
 * Every interrupt sent to a vCPU (an IPI, its timer, the service
 * partition's, one of its LVT entries) goes through its posted-interrupt
 * descriptor (hv/apic/pi_desc.h), on every CPU. docs/ARCHITECTURE.md
 * follows one IPI through each of the three paths: IPI virtualization,
 * posted-interrupt processing, and hv's software path.
 */
#ifndef HV_APIC_APIC_H
#define HV_APIC_APIC_H

#include <hv/apic/pi_desc.h>
#include <types.h>

struct partition;
struct vcpu;

/* The local vector table (SDM Vol. 3A 11.5.1), in register order. */
enum apic_lvt {
	APIC_LVT_TIMER,
	APIC_LVT_THERMAL,
	APIC_LVT_PMC, /* the performance-monitoring counters' interrupt (hv/pmu) */
	APIC_LVT_LINT0,
	APIC_LVT_LINT1,
	APIC_LVT_ERROR,
	NR_APIC_LVTS
};

/* A vCPU's local APIC (struct vcpu holds one). */
struct apic_vcpu {
	/** Interrupts sent to the vCPU: its entry in the PID-pointer table. */
	struct pi_desc pi_desc;
	/** The virtual-APIC page: every register at its xAPIC offset (30.1.1). */
	u32 *page;
	/** IA32_APIC_BASE as the guest reads it: the mode (disabled, xAPIC, x2APIC). */
	u64 base;
	/** Level-triggered interrupts sent and not yet in the IRR (any CPU sets them). */
	struct vector_set level_pending;
	/** Level-triggered interrupts delivered whose EOI the service partition hears of. */
	struct vector_set level_in_service;
	/** APIC_EVENT_*: INIT and SIPI sent by other vCPUs, any CPU sets them. */
	u32 events;
	/** ESR bits seen since the ESR was last written (11.5.3). */
	u32 errors;
	/** TSC at which the timer fires next; 0: not armed. */
	u64 timer_deadline;
	/** Periodic mode: TSC ticks per period. */
	u64 timer_period;
	/**
	 * The timer mode hv last saw in the LVT (an APIC-write exit comes
	 * after the CPU stored the new value): a change disarms the timer.
	 */
	u32 timer_mode;
};

/* A partition's APIC virtualization (struct partition holds one). */
struct apic_partition {
	/**
	 * The PID-pointer table (30.1.6): entry i is the posted-interrupt
	 * descriptor of the vCPU with APIC ID i, with PID_TABLE_ENTRY_VALID.
	 * The CPU's IPI virtualization and hv's software path both use it.
	 */
	u64 *pid_table;
	/** The APIC-access page, mapped at HV_LOCAL_APIC_GPA. */
	u8 *access_page;
	/** The MSR bitmap of vCPUs in x2APIC mode: the CPU reads registers it virtualizes. */
	u8 *x2apic_msr_bitmap;
	/** The CPU delivers interrupts (virtual-interrupt delivery); else hv injects them. */
	bool vid;
	/** Posted-interrupt processing: notifications reach running vCPUs without exits. */
	bool posted;
	/** IPI virtualization: the CPU sends physical fixed IPIs itself. */
	bool ipiv;
};

/*
 * The interrupt @v's LVT entry @lvt programs, unless masked (11.5.1): a
 * fixed interrupt at its vector, or an NMI. The performance-counter entry
 * is masked by the delivery (11.5.1, "the mask bit is set ... when a
 * performance-monitoring counter interrupt is delivered"). On @v's home
 * CPU (@v running there, or not at all).
 */
void apic_local_interrupt(struct vcpu *v, enum apic_lvt lvt);

/*
 * The service partition raises interrupt @vector (32..255) in the vCPU of
 * @p whose APIC ID is @apic_id, edge- or @level-triggered (for a level
 * one, the vCPU's EOI is reported back, hv/ioreq). 0, or -HV_ENOENT: no
 * such vCPU. Any CPU.
 */
int apic_raise_irq(struct partition *p, u32 apic_id, u8 vector, bool level);

#endif /* HV_APIC_APIC_H */
