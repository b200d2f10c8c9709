/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data. GS_BASE points at this CPU's struct percpu in root mode: the
 * VMCS host-state area reloads it on every VM exit (HOST_GS_BASE), so
 * this_cpu() is one load on the exit path.
 */
#ifndef HV_CORE_PERCPU_H
#define HV_CORE_PERCPU_H

#include <types.h>
#include <x86/hw.h>

#define MAX_CPUS 64U

struct vcpu;

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 ist[8]; /* ist[0] is reserved; IST1..7 are ist[1..7] */
	u64 reserved1;
	u16 reserved2;
	u16 iomap_base;
} __packed;

#define GDT_NULL 0
#define GDT_CODE64 1
#define GDT_DATA 2
#define GDT_TSS 3 /* a 16-byte descriptor: entries 3 and 4 */
#define GDT_ENTRIES 5
#define SEL_CODE64 (GDT_CODE64 * 8)
#define SEL_DATA (GDT_DATA * 8)
#define SEL_TSS (GDT_TSS * 8)

/* IST slot for #DF and NMI: a stack overflow must not fault on the same stack. */
#define IST_EMERGENCY 1

struct percpu {
	struct percpu *self; /* gs:0, read by this_cpu() */
	u32 cpu_id; /* dense index 0..nr_cpus-1; 0 is the boot CPU */
	u32 apic_id;
	u64 stack_top; /* hv stack for this CPU; VM exits start here */
	struct vcpu *loaded_vcpu; /* whose VMCS is current on this CPU (VMPTRLD) */
	struct vcpu *regs_owner; /* whose FPU/SSE registers, XCR0, CR2, DR0-3 and DR6 it holds */
	struct vcpu *msr_owner; /* whose syscall MSRs the hardware holds (guests only) */
	struct vcpu *runqueue; /* vCPUs homed here, linked by vcpu->next_on_cpu */
	u64 vmxon_pa;
	u32 pending_work; /* PERCPU_WORK_* bits set by other CPUs, cleared here */
	u64 invept_eptp; /* with PERCPU_WORK_INVEPT: the EPTP to flush, INVEPT_EPTP_ALL: all */
	bool online;
	bool vmx_on;
	bool idle; /* waiting for work (holds no EPT table pointer) */
	u64 quiescent_epoch; /* the global epoch seen at this CPU's last quiescent point */
	struct vcpu *yield_to; /* woken for a waiting caller: runs next (hv/core/run.c) */
	struct vcpu *turn; /* whose round-robin turn it is, until turn_end (TSC) */
	u64 turn_end;
	u64 slice_end; /* TSC: the preemption timer armed for the vCPU entered ends then; 0: none */
	u64 next_deadline; /* TSC: no vCPU homed here has an earlier deadline; 0: none */
	u32 last_partition; /* id of the partition whose vCPU ran here last, 0: none */
	u64 gdt[GDT_ENTRIES] __aligned(8);
	struct tss64 tss __aligned(16);
};

/* Work another CPU asks this one to do before its next VM entry. */
#define PERCPU_WORK_INVEPT BIT(0) /* drop EPT-derived translations (invept_eptp's or all) */
#define INVEPT_EPTP_ALL (~0ULL)
#define PERCPU_WORK_RESCHEDULE BIT(1) /* pick a vCPU again (also: report a quiescent state) */
#define PERCPU_WORK_TIMER BIT(2) /* a time slice ended or the idle timer fired: check deadlines */
#define PERCPU_WORK_RETIRE BIT(3) /* a partition with vCPUs here stopped: retire them */
#define PERCPU_WORK_REAP BIT(4) /* a partition's last vCPU retired here: tear it down */
/*
 * Not work: the CPU polls pending_work (hv/core/run.c), so a kick needs no
 * NMI. In the same word as the work, so that a kicker's atomic OR both
 * leaves its work and learns whether the CPU will see it without an NMI.
 */
#define PERCPU_POLLING BIT(31)

extern struct percpu percpu_area[MAX_CPUS];
extern u32 nr_cpus;

static inline struct percpu *this_cpu(void)
{
	return gs_self();
}

static inline u32 this_cpu_id(void)
{
	return this_cpu()->cpu_id;
}

/* Sets GS_BASE and builds the CPU's GDT, TSS and IDT (hv/core/cpu.c). */
void percpu_setup(struct percpu *cpu);

#endif /* HV_CORE_PERCPU_H */
