/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall dispatch (the ABI is include/public/hypercall.h). Each call is
 * implemented by the directory that owns what it changes; this table only
 * routes VMCALL exits to them.
 */
#ifndef HV_CORE_HYPERCALL_H
#define HV_CORE_HYPERCALL_H

#include <hv/vmx/vmx.h>

/*
 * A hypercall implementation: the arguments are RBX, RCX, RDX and RSI; the
 * result (>= 0, or -HV_E*) goes to RAX. One that blocks the vCPU changes
 * its state; the dispatcher then asks the scheduler.
 */
typedef s64 (*hypercall_fn)(struct vcpu *v, u64 a0, u64 a1, u64 a2, u64 a3);

/* The VMCALL exit. */
enum exit_action hypercall_handle(struct vcpu *v);

/* The service partition's calls (hv/ioreq/ioreq.c). */
s64 ioreq_hc_console_write(struct vcpu *v, u64 gpa, u64 len, u64 a2, u64 a3);
s64 ioreq_hc_console_read(struct vcpu *v, u64 gpa, u64 len, u64 a2, u64 a3);
s64 ioreq_hc_register(struct vcpu *v, u64 a0, u64 a1, u64 a2, u64 a3);
s64 ioreq_hc_wait(struct vcpu *v, u64 seen, u64 deadline, u64 a2, u64 a3);
s64 ioreq_hc_claim_range(struct vcpu *v, u64 kind, u64 start, u64 size, u64 flags);
s64 ioreq_hc_claim_page_type(struct vcpu *v, u64 flags, u64 a1, u64 a2, u64 a3);
s64 ioreq_hc_set_page_type(struct vcpu *v, u64 channel, u64 gpa, u64 pages, u64 type);
s64 ioreq_hc_complete(struct vcpu *v, u64 channel, u64 slot, u64 a2, u64 a3);
s64 ioreq_hc_partition_exit(struct vcpu *v, u64 channel, u64 code, u64 a2, u64 a3);
s64 ioreq_hc_raise_irq(struct vcpu *v, u64 channel, u64 vector, u64 apic_id, u64 flags);

/* The EPT test calls (hv/ept/ept_hypercall.c). */
s64 ept_hc_stats(struct vcpu *v, u64 gpa, u64 a1, u64 a2, u64 a3);
s64 ept_hc_zap(struct vcpu *v, u64 gpa, u64 size, u64 a2, u64 a3);
s64 ept_hc_set_type(struct vcpu *v, u64 gpa, u64 size, u64 type, u64 a3);
s64 ept_hc_dirty(struct vcpu *v, u64 gpa, u64 nr_pages, u64 clear, u64 bitmap_gpa);
s64 ept_hc_check(struct vcpu *v, u64 a0, u64 a1, u64 a2, u64 a3);

/* The VMX test call (hv/vmx/ipiv_test.c). */
s64 vmx_hc_test_ipiv(struct vcpu *v, u64 variant, u64 a1, u64 a2, u64 a3);

#endif /* HV_CORE_HYPERCALL_H */
