/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Features: the mechanisms that plug into a partition's and a vCPU's life
 * and into the run loop (hv/core/run.c): hv/ioreq, the lazily switched
 * vCPU state, later hv/apic and hv/pmu. Each defines one struct feature
 * with DEFINE_FEATURE(); the core walks them in link order at each step
 * and names none of them, so a new mechanism adds a file, not edits to the
 * core. Every hook is optional.
 */
#ifndef HV_CORE_FEATURE_H
#define HV_CORE_FEATURE_H

#include <hv/vmx/exit_action.h>
#include <types.h>

struct cpuid_regs;
struct partition;
struct percpu;
struct vcpu;

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
