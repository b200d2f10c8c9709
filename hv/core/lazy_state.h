/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU state that VMX does not switch and hv itself never uses: FPU/SSE/AVX
 * registers, XCR0, CR2, DR0-DR3, DR6 and the syscall MSRs. It stays in the
 * hardware across VM exits and is saved/restored only when another vCPU
 * takes the CPU. While a vCPU runs, the hardware's CR2 is its CR2 (an
 * injected #PF writes it there).
 */
#ifndef HV_CORE_LAZY_STATE_H
#define HV_CORE_LAZY_STATE_H

#include <hv/core/partition.h>
#include <hv/core/percpu.h>

/* Probes XSAVE and sets CR4.OSXSAVE/OSFXSR on this CPU. */
void lazy_state_cpu_init(void);
/* Gives a new vCPU the architectural reset state. Returns 0 or -1 (no memory). */
int lazy_state_init(struct vcpu *v);
void lazy_state_free(struct vcpu *v);
/* The syscall MSRs, in enum lazy_msr order. */
extern const u32 lazy_msr_numbers[NR_LAZY_MSRS];

/* Whether @v's syscall MSRs are the hardware's while it runs (else hv emulates them). */
bool lazy_state_owns_syscall_msrs(const struct vcpu *v);
/* Makes @next's state the hardware's on this CPU. */
void lazy_state_switch(struct percpu *cpu, struct vcpu *next);
/* @v is leaving this CPU for good: its state need not be saved. */
void lazy_state_forget(struct percpu *cpu, struct vcpu *v);

#endif /* HV_CORE_LAZY_STATE_H */
