/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Features: the mechanisms that plug into a partition's and a vCPU's life
 * and into the run loop (hv/core/run.c): hv/ioreq, the lazily switched
 * vCPU state, hv/apic, later hv/pmu. Each defines one struct feature
 * with DEFINE_FEATURE(); the core walks them in link order at each step
 * and names none of them, so a new mechanism adds a file, not edits to the
 * core. Every hook is optional. Link order (the Makefile's HV_SRCS) puts
 * hv/core's first and hv/ioreq's before hv/apic's: a device access a vCPU
 * waited for completes (ioreq's pre_entry) before an INIT resets it.
 */
#ifndef HV_CORE_FEATURE_H
#define HV_CORE_FEATURE_H

#include <hv/core/partition.h>
#include <hv/vmx/exit_action.h>
#include <types.h>

struct cpuid_regs;
struct percpu;

/* A VM exit a feature handles: its basic exit reason and handler. */
struct feature_exit {
	u32 reason;
	enum exit_action (*handle)(struct vcpu *v);
};

/*
 * MSRs [first, last] a feature emulates (those its MSR bitmap lets exit).
 * read and write return 0, or -1 to raise #GP in the guest; a NULL one
 * raises #GP too.
 */
struct msr_handler {
	u32 first, last;
	int (*read)(struct vcpu *v, u32 msr, u64 *val);
	int (*write)(struct vcpu *v, u32 msr, u64 val);
};

struct feature {
	const char *name;
	/*
	 * A partition is being created (before any vCPU exists): 0, or -1
	 * with the reason printed. partition_destroy runs when its last vCPU
	 * retired, and for the features whose partition_init succeeded when
	 * a creation fails.
	 */
	int (*partition_init)(struct partition *p);
	void (*partition_destroy)(struct partition *p);
	/* A stopped partition's report: the feature's figures (before partition_destroy). */
	void (*report)(const struct partition *p);
	/*
	 * A vCPU is being created or freed (any CPU): its memory. vcpu_init: 0
	 * or -1; vcpu_destroy runs for the features whose vcpu_init succeeded.
	 */
	int (*vcpu_init)(struct vcpu *v);
	void (*vcpu_destroy)(struct vcpu *v);
	/* On the home CPU, the vCPU's new VMCS current: the feature's fields and controls. */
	void (*vmcs_init)(struct vcpu *v);
	/* The CPU switches to @next (its VMCS current): make the feature's state @next's. */
	void (*switch_in)(struct percpu *cpu, struct vcpu *next);
	/* @v leaves its home CPU for good (its partition stopped); on that CPU. */
	void (*vcpu_retire)(struct percpu *cpu, struct vcpu *v);
	/*
	 * Work the feature asked for with vcpu_request(): on the home CPU,
	 * VMCS current, right before the next VM entry.
	 */
	void (*pre_entry)(struct vcpu *v);
	/*
	 * The TSC value at which the feature needs the CPU for @v (0: never),
	 * and what it does then. Checked only when a time slice ends or the
	 * idle timer fires, which the run loop arms for the earliest one.
	 */
	u64 (*deadline)(const struct vcpu *v);
	void (*deadline_passed)(struct vcpu *v);
	/*
	 * The exits and MSRs the feature owns; hv/vmx dispatches them to it
	 * (two features claiming one is a bug hv refuses to boot with).
	 */
	const struct feature_exit *exits;
	u32 nr_exits;
	const struct msr_handler *msrs;
	u32 nr_msrs;
	/*
	 * Adjusts CPUID's answer for the basic leaves in @cpuid_leaves (bit
	 * n: leaf n < 32) after hv's own adjustments, @v's VMCS current.
	 */
	void (*cpuid)(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_regs *r);
	u32 cpuid_leaves;
	/*
	 * Whether an event the feature holds for @v ends its wait in @state
	 * (VCPU_BLOCKED_HLT, VCPU_BLOCKED_HLT_NO_INTR or VCPU_WAIT_FOR_SIPI):
	 * asked by the HLT exit before and after it blocks the vCPU (on its
	 * CPU, VMCS current; the feature may arrange to be woken there), and
	 * for each vCPU of a partition whose every vCPU waits (any CPU). A
	 * sender records an event before it wakes the vCPU: one of the two
	 * looks sees it.
	 */
	bool (*wake_pending)(struct vcpu *v, enum vcpu_state state);
	/*
	 * Maskable interrupts the feature delivers by injection (the event
	 * path, hv/vmx/event.c, at an entry that asked for it with
	 * VCPU_REQUEST_EVENT): the vector @v should take next, or -1;
	 * interrupt_injected() says it went into the VM-entry
	 * interruption-information field.
	 */
	int (*interrupt_pending)(struct vcpu *v);
	void (*interrupt_injected)(struct vcpu *v, u8 vector);
	/*
	 * Physical interrupt vectors the feature owns, and what it does when
	 * one arrives at hv (root mode, interrupts off, after hv's EOI): on
	 * the CPU it arrived at, from hv's IDT or an external-interrupt exit.
	 */
	const u8 *irq_vectors;
	u32 nr_irq_vectors;
	void (*irq)(struct percpu *cpu, u8 vector);
};

/*
 * The section's name is a C identifier: hv's linker script and, for host
 * tests, the host linker (for orphan sections) both provide its bounds.
 */
/* Requests have one bit per feature after the event path's (hv/core/vcpu.h). */
#define NR_FEATURES_MAX 31U

#define DEFINE_FEATURE(var) \
	const struct feature var __attribute__((section("hv_features"), used, aligned(8)))

extern const struct feature __start_hv_features[], __stop_hv_features[];

#define for_each_feature(f) for ((f) = __start_hv_features; (f) < __stop_hv_features; (f)++)

#endif /* HV_CORE_FEATURE_H */
