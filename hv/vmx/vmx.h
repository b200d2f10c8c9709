/* SPDX-License-Identifier: GPL-2.0 */
/* hv/vmx's contract with the core and the feature directories. */
#ifndef HV_VMX_VMX_H
#define HV_VMX_VMX_H

#include <hv/core/console.h>
#include <hv/core/partition.h>
#include <hv/core/percpu.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx_controls.h>
#include <hv/vmx/caps.h>
#include <types.h>
#include <x86/cpu.h>
#include <x86/hw.h>

#include <hv/vmx/exit_action.h>

typedef enum exit_action (*exit_handler_t)(struct vcpu *v);

/*
 * CR4 bits of features CPUID hides from guests (hv/vmx/cpuid.c): VMX, SMX
 * and CET. hv owns them (the guest/host mask), so a MOV to CR4 that sets
 * one exits, and raises #GP as on a CPU without the feature.
 */
#define CR4_HIDDEN_FEATURES (X86_CR4_VMXE | X86_CR4_SMXE | X86_CR4_CET)

/*
 * CR4 bits the hardware keeps set whatever the guest writes (it reads its
 * own through the shadow): MCE, so a machine check while a guest runs is
 * an #MC, which exits to hv (hv/core/mce.h), and not a shutdown.
 */
#define CR4_HOST_FORCED X86_CR4_MCE

/* The guest's general-purpose registers: RSP lives in the VMCS, the rest in @v. */
static inline u64 vmx_read_gpr(struct vcpu *v, unsigned int reg)
{
	return reg == GPR_RSP ? vmread(GUEST_RSP) : v->gpr[reg];
}

static inline void vmx_write_gpr(struct vcpu *v, unsigned int reg, u64 val)
{
	if (reg == GPR_RSP)
		vmwrite(GUEST_RSP, val);
	else
		v->gpr[reg] = val;
}

/*
 * CR0 and CR4 as the guest sees them: the read shadow where hv owns the
 * bit (the guest/host mask), the register itself elsewhere.
 */
static inline u64 vmx_guest_cr0(void)
{
	u64 owned = vmread(CR0_GUEST_HOST_MASK);

	return (vmread(GUEST_CR0) & ~owned) | (vmread(CR0_READ_SHADOW) & owned);
}

static inline u64 vmx_guest_cr4(void)
{
	u64 owned = vmread(CR4_GUEST_HOST_MASK);

	return (vmread(GUEST_CR4) & ~owned) | (vmread(CR4_READ_SHADOW) & owned);
}

/* Adds the features' exit handlers to hv's (hv/core/feature.h); once, at boot. */
void vmx_exit_table_init(void);
/* Finds the CPUID leaves the features adjust (hv/core/feature.h); once, at boot. */
void vmx_cpuid_init(void);
/* Reads capabilities and prints them; returns -1 (reason printed) if hv cannot run. */
int vmx_probe(void);
/* Enables VMX operation on the calling CPU (VMXON). */
int vmx_cpu_enable(struct percpu *cpu);

/* Allocates the vCPU's VMCS region (at creation, any CPU); 0 or -1. */
int vmx_vcpu_alloc(struct vcpu *v);
void vmx_vcpu_free(struct vcpu *v);
/*
 * Builds the vCPU's VMCS on its home CPU (the caller runs there) with the
 * start state v->start asks for (hv/loader/loader.h). The VMCS is current
 * afterwards.
 */
void vmx_vcpu_setup(struct vcpu *v);
/*
 * The state INIT leaves (SDM Vol. 3A 10.1.1, Table 10-1: real mode, CR0
 * 60000010H with CD and NW kept, EDX the family/model/stepping), with
 * CS and RIP as given: the reset vector's F000H/FFFF0000H/FFF0H, or
 * what a SIPI says (11.6.1). @v's VMCS current, on its CPU.
 */
void vmx_init_state(struct vcpu *v, u16 cs_selector, u32 cs_base, u32 rip);
/*
 * Sets up the MSR bitmap of a new partition: which MSRs exit. Without
 * @syscall_msrs_own, the syscall MSRs are emulated (and RDTSCP is off).
 */
void vmx_msr_bitmap_init(u8 *bitmap, bool syscall_msrs_own);
/*
 * The vCPU leaves its home CPU for good (the caller runs there): VMCLEAR,
 * and its VPID's and EPT's translations dropped from this CPU.
 */
void vmx_vcpu_retire(struct vcpu *v);
/*
 * Drops the linear and combined translations cached for @v (its VPID), as
 * the instructions hv emulates for it would (SDM Vol. 3A 4.10.4.1).
 */
void vmx_flush_guest_tlb(const struct vcpu *v);
/* Lets the guest read and/or write @msr without a VM exit. */
void vmx_msr_bitmap_allow(u8 *bitmap, u32 msr, bool read, bool write);
/* Makes the guest's reads and/or writes of @msr exit again. */
void vmx_msr_bitmap_intercept(u8 *bitmap, u32 msr, bool read, bool write);
/* Makes @v's VMCS current on this CPU (VMPTRLD) if it is not already. */
static inline void vmx_vcpu_load(struct vcpu *v)
{
	if (v->home->loaded_vcpu == v)
		return;
	if (unlikely(vmptrld(v->vmcs_pa) != VMX_OK))
		panic("VMPTRLD of vCPU %u of partition %u failed", v->id, v->partition->id);
	v->home->loaded_vcpu = v;
}

/*
 * Makes @v (its VMCS current) exit after @tsc_ticks of guest time, counted
 * across exits, or with VMX_NO_PREEMPTION never (v->time_sliced says
 * which). A no-op on CPUs without the VMX-preemption timer.
 */
#define VMX_NO_PREEMPTION (~0ULL)
/* Sets (@on) or clears the @bits of the control field @field of the current VMCS. */
static inline void vmx_set_controls(u32 field, u64 bits, bool on)
{
	u64 ctls = vmread(field);

	vmwrite(field, on ? ctls | bits : ctls & ~bits);
}
static inline void vmx_set_preemption_timer(struct vcpu *v, u64 tsc_ticks)
{
	bool on = tsc_ticks != VMX_NO_PREEMPTION;

	if (!vmx_caps.preemption_timer)
		return;
	if (on)
		vmwrite(VMX_PREEMPTION_TIMER_VALUE,
			MIN(tsc_ticks >> vmx_caps.preemption_timer_shift, 0xffffffffULL));
	if (on == v->time_sliced)
		return;
	/*
	 * Saved on every exit, the timer counts down across exits until it
	 * expires. The controls hold features' bits too (hv/apic's posted
	 * interrupts, hv/pmu's IA32_PERF_GLOBAL_CTRL loads): only the timer's
	 * change, read from the VMCS only when it is switched on or off.
	 */
	vmx_set_controls(PIN_BASED_VM_EXEC_CONTROL, PIN_PREEMPTION_TIMER, on);
	vmx_set_controls(VM_EXIT_CONTROLS, EXIT_SAVE_PREEMPTION_TIMER, on);
	v->time_sliced = on;
}

/* Enters @v (its VMCS current); never returns: exits come back through the stub. */
void vmx_enter(struct vcpu *v) __noreturn;

/* Helpers for exit handlers; they act on the current VMCS. */
void vmx_skip_instruction(void);
/* Moves the guest past an instruction of @len bytes (when the exit did not say how long). */
void vmx_advance_rip(u64 len);
/*
 * Raises an exception in the guest whose VMCS is current, at its next VM
 * entry (hv/vmx/event.c): the event path combines it with an event whose
 * delivery the exit interrupted.
 */
void vmx_inject_exception(u8 vector, bool has_error_code, u32 error_code);
/* #PF at @linear with @error_code: the guest's CR2, which is the CPU's while it runs, gets @linear. */
void vmx_inject_page_fault(u64 linear, u32 error_code);
/* The event path's pre-entry step (hv/core/run.c): delivers what is queued. */
void vmx_deliver_events(struct vcpu *v);
/*
 * An NMI for the guest (any CPU): delivered by the event path before @v's
 * next entry, as a virtual NMI; several that wait become one (SDM Vol. 3A
 * 6.7.1). The caller wakes @v if it waits.
 */
void vmx_raise_nmi(struct vcpu *v);
/* The interrupt-window and NMI-window exits (hv/vmx/event.c). */
enum exit_action vmx_handle_event_window(struct vcpu *v);
static inline void vmx_inject_gp(void)
{
	vmx_inject_exception(13, true, 0);
}
static inline void vmx_inject_ud(void)
{
	vmx_inject_exception(6, false, 0);
}
/* Re-queues an event whose delivery the exit interrupted (SDM Vol. 3C 28.2.4); false if none. */
bool vmx_reinject_vectoring_event(void);
/* Recomputes EFER.LMA and the IA-32e mode entry control from CR0.PG and EFER.LME. */
void vmx_update_long_mode(u64 cr0, u64 efer);
/* The guest's current privilege level (SS.DPL; SDM Vol. 3C 26.4.1): every hypercall asks. */
static inline unsigned int vmx_guest_cpl(void)
{
	return (vmread(GUEST_SS_AR_BYTES) & SEG_AR_DPL_MASK) >> SEG_AR_DPL_SHIFT;
}

/* Generic exits (hv/vmx/): */
enum exit_action vmx_handle_cpuid(struct vcpu *v);
enum exit_action vmx_handle_cr_access(struct vcpu *v);
enum exit_action vmx_handle_msr_read(struct vcpu *v);
enum exit_action vmx_handle_msr_write(struct vcpu *v);
enum exit_action vmx_handle_io(struct vcpu *v);

/* Exit statistics printed when a partition ends. */
void vmx_print_exit_counts(const struct partition *p);

#endif /* HV_VMX_VMX_H */
