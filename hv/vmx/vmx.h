/* SPDX-License-Identifier: GPL-2.0 */
/* hv/vmx's contract with the core and the feature directories. */
#ifndef HV_VMX_VMX_H
#define HV_VMX_VMX_H

#include <hv/core/partition.h>
#include <hv/core/percpu.h>
#include <hv/vmx/vmcs_fields.h>
#include <types.h>
#include <x86/hw.h>

#include <hv/vmx/exit_action.h>

typedef enum exit_action (*exit_handler_t)(struct vcpu *v);

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

/* Reads capabilities and prints them; returns -1 (reason printed) if hv cannot run. */
int vmx_probe(void);
/* Enables VMX operation on the calling CPU (VMXON). */
int vmx_cpu_enable(struct percpu *cpu);

/*
 * Creates the vCPU's VMCS on its home CPU (the caller runs there) with the
 * Multiboot start state: 32-bit protected mode, paging off, flat segments.
 */
int vmx_vcpu_init(struct vcpu *v, u32 entry_eip);
/*
 * Sets up the MSR bitmap of a new partition: which MSRs exit. Without
 * @syscall_msrs_own, the syscall MSRs are emulated (and RDTSCP is off).
 */
void vmx_msr_bitmap_init(u8 *bitmap, bool syscall_msrs_own);
/* Lets the guest read and/or write @msr without a VM exit. */
void vmx_msr_bitmap_allow(u8 *bitmap, u32 msr, bool read, bool write);
/* VMCLEARs the vCPU's VMCS on its home CPU and frees it. */
void vmx_vcpu_destroy(struct vcpu *v);
/* Makes @v's VMCS current on this CPU (VMPTRLD) if it is not already. */
void vmx_vcpu_load(struct vcpu *v);

/*
 * With @shared, @v (its VMCS current) runs for a time slice before the
 * VMX-preemption timer hands its CPU to the next vCPU; without, until it
 * blocks. A no-op on CPUs without the timer.
 */
void vmx_set_time_slice(struct vcpu *v, bool shared);

/* Enters @v (its VMCS current); never returns: exits come back through the stub. */
void vmx_enter(struct vcpu *v) __noreturn;

/* Helpers for exit handlers; they act on the current VMCS. */
void vmx_skip_instruction(void);
/* Moves the guest past an instruction of @len bytes (when the exit did not say how long). */
void vmx_advance_rip(u64 len);
/*
 * Injects the external interrupt v->pending_vector (its VMCS loaded) if the
 * guest can take it now, else asks for an interrupt-window exit.
 */
void vmx_deliver_pending_interrupt(struct vcpu *v);
void vmx_inject_exception(u8 vector, bool has_error_code, u32 error_code);
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
/* The guest's current privilege level (SS.DPL). */
unsigned int vmx_guest_cpl(void);

/* Generic exits (hv/vmx/): */
enum exit_action vmx_handle_cpuid(struct vcpu *v);
enum exit_action vmx_handle_cr_access(struct vcpu *v);
enum exit_action vmx_handle_msr_read(struct vcpu *v);
enum exit_action vmx_handle_msr_write(struct vcpu *v);
enum exit_action vmx_handle_io(struct vcpu *v);

/* Exit statistics printed when a partition ends. */
void vmx_print_exit_counts(const struct partition *p);

#endif /* HV_VMX_VMX_H */
