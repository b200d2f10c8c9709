// SPDX-License-Identifier: GPL-2.0
/*
 * The event path: events hv delivers to a guest at its next VM entry. An
 * exit handler queues an exception (vmx_inject_exception()); the run loop
 * delivers it right before the entry (vmx_deliver_events()), after every
 * other pre-entry step, so whatever a feature did on the way (an event
 * whose delivery the exit interrupted, re-queued) is combined with it as
 * the SDM requires. hv/apic adds NMIs and interrupts to this path.
 */
#include <hv/core/vcpu.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <x86/cpu.h>
#include <x86/hw.h>

/* Exception classes for double faults (SDM Vol. 3A 6.15, Table 6-4). */
enum exception_class { EXC_BENIGN, EXC_CONTRIBUTORY, EXC_PAGE_FAULT, EXC_DOUBLE_FAULT };

static enum exception_class exception_class(u8 vector)
{
	switch (vector) {
	case X86_EXC_DE:
	case X86_EXC_TS:
	case X86_EXC_NP:
	case X86_EXC_SS:
	case X86_EXC_GP:
		return EXC_CONTRIBUTORY;
	case X86_EXC_PF:
		return EXC_PAGE_FAULT;
	case X86_EXC_DF:
		return EXC_DOUBLE_FAULT;
	default:
		return EXC_BENIGN;
	}
}

void vmx_inject_exception(u8 vector, bool has_error_code, u32 error_code)
{
	struct vcpu *v = this_cpu()->loaded_vcpu;

	v->exception = (struct pending_exception){ true, vector, has_error_code, error_code };
	vcpu_request(v, VCPU_REQUEST_EVENT);
}

void vmx_inject_page_fault(u64 linear, u32 error_code)
{
	/*
	 * SDM Vol. 3A 4.7: CR2 holds the linear address that caused the
	 * fault. The guest's CR2 is the CPU's while it runs, and switched with
	 * it otherwise (hv/core/lazy_state.c), so it is written now.
	 */
	write_cr2(linear);
	vmx_inject_exception(X86_EXC_PF, true, error_code);
}

/*
 * An exception hv raises while the exit re-delivers an event whose
 * delivery it interrupted (SDM Vol. 3A 6.15, Tables 6-4 and 6-5): after a
 * contributory exception a contributory one, and after a page fault a
 * contributory one or a page fault, make a double fault; any exception
 * during a double fault shuts the guest down. Otherwise the new exception
 * is delivered. hv raises only faults, which the instruction raises again
 * when it runs again: so while an interrupt, an NMI or a software
 * interrupt is being re-delivered, that goes first and the fault is
 * dropped. Returns whether the (possibly combined) exception is delivered.
 */
static bool combine(struct vcpu *v, u32 first, struct pending_exception *second)
{
	enum exception_class a, b = exception_class(second->vector);

	if ((first & INTR_INFO_TYPE_MASK) != INTR_TYPE_HW_EXCEPTION)
		return false;
	a = exception_class(first & INTR_INFO_VECTOR_MASK);
	if (a == EXC_DOUBLE_FAULT) {
		partition_stop(v->partition, "triple fault", -1);
		return false;
	}
	if ((a == EXC_CONTRIBUTORY && b == EXC_CONTRIBUTORY) ||
	    (a == EXC_PAGE_FAULT && b != EXC_BENIGN))
		*second = (struct pending_exception){ true, X86_EXC_DF, true, 0 };
	return true;
}

void vmx_deliver_events(struct vcpu *v)
{
	struct pending_exception e = v->exception;
	u32 pending = (u32)vmread(VM_ENTRY_INTR_INFO);

	if (!e.valid)
		return;
	v->exception.valid = false;
	if ((pending & INTR_INFO_VALID) && !combine(v, pending, &e))
		return;
	if (e.has_error_code)
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, e.error_code);
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | e.vector |
					    (e.has_error_code ? INTR_INFO_DELIVER_ERROR_CODE : 0));
}
