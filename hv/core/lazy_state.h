/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPU state that VMX does not switch and hv itself never uses: FPU/SSE/AVX
 * registers, XCR0, CR2, DR0-DR3, DR6 and the syscall MSRs. It stays in the
 * hardware across VM exits and is saved/restored only when another vCPU
 * takes the CPU. While a vCPU runs, the hardware's CR2 is its CR2 (an
 * injected #PF writes it there). A feature (hv/core/feature.h): a new vCPU
 * gets the architectural reset state, and the switch happens in its
 * switch_in hook.
 */
#ifndef HV_CORE_LAZY_STATE_H
#define HV_CORE_LAZY_STATE_H

#include <hv/core/partition.h>
#include <hv/core/percpu.h>
#include <hv/vmx/exit_action.h>

/* Probes XSAVE and sets CR4.OSXSAVE/OSFXSR on this CPU. */
void lazy_state_cpu_init(void);
/* The syscall MSRs, in enum lazy_msr order. */
extern const u32 lazy_msr_numbers[NR_LAZY_MSRS];

/*
 * The vCPU's first access to a debug register (a MOV-DR exit): from now on
 * its DR0-DR3 are the hardware's while it runs, and the access runs again,
 * without exiting. Its VMCS is current.
 */
enum exit_action lazy_state_handle_dr_access(struct vcpu *v);

/*
 * INIT: CR2, DR0-DR3 and DR6 take their INIT values (SDM Vol. 3A Table
 * 10-1); x87, SSE, XCR0 and the MSRs keep theirs. On @v's CPU, @v's state
 * loaded there.
 */
void lazy_state_init_reset(struct vcpu *v);

/* Whether @v's syscall MSRs are the hardware's while it runs (else hv emulates them). */
bool lazy_state_owns_syscall_msrs(const struct vcpu *v);

#endif /* HV_CORE_LAZY_STATE_H */
