// SPDX-License-Identifier: GPL-2.0
/*
 * The event path: events hv delivers to a guest at its next VM entry. An
 * exit handler queues an exception (vmx_inject_exception()), any CPU an
 * NMI (vmx_raise_nmi()), a feature its interrupts (feature.
 * interrupt_pending); the run loop delivers them right before the entry
 * (vmx_deliver_events()), after every other pre-entry step, so whatever a
 * feature did on the way (an event whose delivery the exit interrupted,
 * re-queued) is combined with them as the SDM requires. One event goes
 * per entry, in the SDM's order (Vol. 3A 7.9, Table 7-2): the exception
 * the last instruction raised, then an NMI, then a maskable interrupt;
 * one that must wait (the entry carries another event, or the guest
 * blocks it) gets an NMI-window or interrupt-window exit (Vol. 3C
 * 26.7.5, 26.7.6), after which the path runs again. Interrupts a CPU
 * with virtual-interrupt delivery delivers itself (hv/apic) never come
 * here.
 */
#include <hv/core/feature.h>
#include <hv/core/vcpu.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
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

/* Returns whether the entry now carries an event. */
static bool deliver_exception(struct vcpu *v, u32 pending)
{
	struct pending_exception e = v->exception;

	v->exception.valid = false;
	if ((pending & INTR_INFO_VALID) && !combine(v, pending, &e))
		return pending & INTR_INFO_VALID;
	if (e.has_error_code)
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, e.error_code);
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | e.vector |
					    (e.has_error_code ? INTR_INFO_DELIVER_ERROR_CODE : 0));
	return true;
}

/*
 * What the guest's interruptibility state blocks (SDM Vol. 3C 25.4.2,
 * 27.3.1.5): MOV-SS blocking blocks both; an NMI is also blocked by
 * virtual-NMI blocking and, as some processors require for its injection,
 * by STI blocking; a maskable interrupt by STI blocking and RFLAGS.IF = 0.
 */
#define NMI_BLOCKED_BY (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS | GUEST_INTR_STATE_NMI)
#define INTR_BLOCKED_BY (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)

static void open_window(u32 control)
{
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, vmread(CPU_BASED_VM_EXEC_CONTROL) | control);
}

/* The feature that delivers interrupts by injection, if any (hv/core/feature.h). */
static int interrupt_pending(struct vcpu *v, const struct feature **from)
{
	const struct feature *f;

	for_each_feature(f) {
		int vector = f->interrupt_pending ? f->interrupt_pending(v) : -1;

		if (vector >= 0) {
			*from = f;
			return vector;
		}
	}
	return -1;
}

void vmx_deliver_events(struct vcpu *v)
{
	u32 pending = (u32)vmread(VM_ENTRY_INTR_INFO);
	bool busy = pending & INTR_INFO_VALID;
	u64 intr = vmread(GUEST_INTERRUPTIBILITY_INFO);
	const struct feature *from = NULL;
	int vector;

	if (v->exception.valid)
		busy = deliver_exception(v, pending);
	if (__atomic_load_n(&v->nmi_pending, __ATOMIC_SEQ_CST)) {
		if (busy || (intr & NMI_BLOCKED_BY)) {
			open_window(CPU_NMI_WINDOW_EXITING);
		} else {
			__atomic_store_n(&v->nmi_pending, false, __ATOMIC_SEQ_CST);
			vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_NMI | X86_EXC_NMI);
			busy = true;
		}
	}
	vector = interrupt_pending(v, &from);
	if (vector < 0)
		return;
	if (busy || (intr & INTR_BLOCKED_BY) || !(vmread(GUEST_RFLAGS) & X86_RFLAGS_IF)) {
		open_window(CPU_INTERRUPT_WINDOW_EXITING);
		return;
	}
	vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_EXTERNAL | (u32)vector);
	from->interrupt_injected(v, (u8)vector);
}

/* The guest can take the NMI or interrupt that waited: the event path runs again. */
enum exit_action vmx_handle_event_window(struct vcpu *v)
{
	vmwrite(CPU_BASED_VM_EXEC_CONTROL,
		vmread(CPU_BASED_VM_EXEC_CONTROL) &
			~(u64)(CPU_INTERRUPT_WINDOW_EXITING | CPU_NMI_WINDOW_EXITING));
	vmx_reinject_vectoring_event();
	vcpu_request(v, VCPU_REQUEST_EVENT);
	return EXIT_RESUME;
}

void vmx_raise_nmi(struct vcpu *v)
{
	__atomic_store_n(&v->nmi_pending, true, __ATOMIC_SEQ_CST);
	vcpu_request(v, VCPU_REQUEST_EVENT);
}
