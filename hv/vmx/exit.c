// SPDX-License-Identifier: GPL-2.0
/*
 * VM-exit dispatch: one table from basic exit reason to the handler of the
 * directory that owns it. The path from vmx_exit_stub to here and back
 * neither allocates, logs nor takes a lock on the common exits.
 */
#include <hv/core/console.h>
#include <hv/core/feature.h>
#include <hv/core/hypercall.h>
#include <hv/core/kick.h>
#include <hv/core/lapic.h>
#include <hv/core/lazy_state.h>
#include <hv/core/mce.h>
#include <hv/core/run.h>
#include <hv/core/vcpu.h>
#include <hv/core/trap.h>
#include <hv/lib/fmt.h>
#include <hv/ept/ept_exit.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/checker.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <x86/cpu.h>
#include <x86/hw.h>

#define XCR0_SUPPORTED_MASK_LEAF 0xd

static enum exit_action stop(struct vcpu *v, const char *reason)
{
	partition_stop(v->partition, reason, -1);
	return EXIT_RESCHEDULE;
}

/*
 * A machine check while the guest ran: hv's to handle. The guest is stopped only if it consumed the corrupt data; a
 * corrupt processor context stops everything.
 */
static enum exit_action handle_machine_check(struct vcpu *v)
{
	struct mce_report r;
	enum mce_verdict verdict = mce_collect(&r);

	mce_print(&r, v->partition->name);
	if (verdict == MCE_CONTEXT_CORRUPT)
		panic("machine check: the processor context is corrupt");
	if (verdict == MCE_STOP_CONTEXT)
		return stop(v, "machine check: it used corrupt data");
	/* Interrupted delivery is delivered again, as after any exit that did not consume it. */
	vmx_reinject_vectoring_event();
	return EXIT_RESUME;
}

/*
 * The entry failed on a machine check (SDM Vol. 3C 27.9): hv cannot tell a
 * failed VMLAUNCH (the VMCS still clear) from a VMRESUME, so the guest stops
 * rather than being entered the wrong way.
 */
static enum exit_action handle_machine_check_during_entry(struct vcpu *v)
{
	struct mce_report r;
	enum mce_verdict verdict = mce_collect(&r);

	mce_print(&r, v->partition->name);
	if (verdict == MCE_CONTEXT_CORRUPT)
		panic("machine check: the processor context is corrupt");
	return stop(v, "machine check during VM entry");
}

static enum exit_action handle_exception_nmi(struct vcpu *v)
{
	u32 info = (u32)vmread(VM_EXIT_INTR_INFO);

	/*
	 * NMIs are hv's kicks (hv/core/kick.h), never the guest's (hv injects
	 * those as virtual NMIs): their work waits in pending_work. One may
	 * interrupt the delivery of an event hv injected: it goes again.
	 */
	if ((info & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI) {
		nmi_unblock();
		vmx_reinject_vectoring_event();
		return EXIT_RESUME;
	}
	if ((info & INTR_INFO_VECTOR_MASK) == X86_EXC_MC)
		return handle_machine_check(v);
	printk("hv: %s: unexpected exception exit, interruption info 0x%x\n", v->partition->name,
	       info);
	return stop(v, "unexpected exception exit");
}

static enum exit_action handle_external_interrupt(struct vcpu *v)
{
	/* "Acknowledge interrupt on exit" took the vector: nothing is left in service but EOI. */
	u8 vector = (u8)vmread(VM_EXIT_INTR_INFO);

	vmx_reinject_vectoring_event();
	if (vector != VECTOR_SPURIOUS && !trap_feature_irq(vector))
		lapic_eoi();
	return EXIT_RESUME;
}

static enum exit_action handle_triple_fault(struct vcpu *v)
{
	printk("hv: %s: triple fault at rip 0x%llx (cr0 0x%llx, cr3 0x%llx, cr4 0x%llx)\n",
	       v->partition->name, (unsigned long long)vmread(GUEST_RIP),
	       (unsigned long long)vmx_guest_cr0(), (unsigned long long)vmread(GUEST_CR3),
	       (unsigned long long)vmx_guest_cr4());
	return stop(v, "triple fault");
}

/*
 * HLT blocks the vCPU until an event ends the halt (SDM Vol. 2A HLT): with
 * interrupts enabled an interrupt, NMI or INIT; with them disabled only an
 * NMI or INIT, which another vCPU may still send. The guest's activity
 * state stays active: it resumes after the HLT when woken.
 */
static enum exit_action handle_hlt(struct vcpu *v)
{
	enum vcpu_state state =
		vmread(GUEST_RFLAGS) & X86_RFLAGS_IF ? VCPU_BLOCKED_HLT : VCPU_BLOCKED_HLT_NO_INTR;

	if (state == VCPU_BLOCKED_HLT_NO_INTR)
		v->halt_rip = vmread(GUEST_RIP);
	vmx_skip_instruction();
	if (vcpu_event_pending(v, state))
		return EXIT_RESUME;
	/* Not if a stop came first: then the run loop retires it. */
	if (!vcpu_block(v, state))
		return EXIT_RESCHEDULE;
	/* An event sent while it blocked found it still runnable: it wakes itself. */
	if (vcpu_event_pending(v, state)) {
		vcpu_unblock(v, state);
		return EXIT_RESUME;
	}
	if (state == VCPU_BLOCKED_HLT_NO_INTR)
		partition_check_unwakeable(v);
	return EXIT_RESCHEDULE;
}

/* Exit qualification for task switches (SDM Vol. 3C 28.2.1, Table 28-2) */
#define TASK_SWITCH_SELECTOR(q) ((q)&0xffff)
#define TASK_SWITCH_SOURCE(q) (((q) >> 30) & 3)

/*
 * A hardware task switch (a CALL, JMP or IRET to a task, or a task gate in
 * the IDT) always exits (SDM Vol. 3C 26.1.2). hv does not emulate the
 * switch (SDM Vol. 3A 8.3): the partition stops, saying so.
 */
static enum exit_action handle_task_switch(struct vcpu *v)
{
	static const char *const sources[] = { "CALL", "IRET", "JMP", "a task gate in the IDT" };
	u64 q = vmread(EXIT_QUALIFICATION);

	printk("hv: %s: hardware task switch by %s to TSS selector 0x%llx at rip 0x%llx: hv does not emulate task switches\n",
	       v->partition->name, sources[TASK_SWITCH_SOURCE(q)],
	       (unsigned long long)TASK_SWITCH_SELECTOR(q), (unsigned long long)vmread(GUEST_RIP));
	return stop(v, "hardware task switch (not emulated)");
}

/*
 * WBINVD and INVD complete without doing anything. Caches are coherent for
 * every agent that touches a guest's memory: the CPUs, and devices only
 * through hv and the service partition, which use the CPUs; no device does
 * non-coherent DMA into it. A real WBINVD would only let any guest stall
 * every core of the package on demand (KVM makes it a no-op too unless a
 * VM has non-coherent DMA). INVD may not discard other partitions' dirty
 * lines, and "nothing was dirty" is an outcome it allows.
 */
static enum exit_action handle_cache_flush(struct vcpu *v)
{
	vmx_skip_instruction();
	return EXIT_RESUME;
}

static enum exit_action handle_xsetbv(struct vcpu *v)
{
	u64 value = (v->gpr[GPR_RDX] << 32) | (u32)v->gpr[GPR_RAX];
	struct cpuid_regs xsave = cpuid(XCR0_SUPPORTED_MASK_LEAF, 0);
	u64 supported = ((u64)xsave.edx << 32) | xsave.eax;

	if (!(vmread(GUEST_CR4) & X86_CR4_OSXSAVE)) {
		vmx_inject_ud();
		return EXIT_RESUME;
	}
	/* XCR0 only; the CPU itself refuses inconsistent values (x87 clear, AVX without SSE). */
	if ((u32)v->gpr[GPR_RCX] != 0 || vmx_guest_cpl() || (value & ~supported) ||
	    xsetbv_safe(0, value)) {
		vmx_inject_gp();
		return EXIT_RESUME;
	}
	v->xcr0 = value;
	vmx_skip_instruction();
	return EXIT_RESUME;
}

static enum exit_action handle_ud(struct vcpu *v)
{
	vmx_inject_ud();
	return EXIT_RESUME;
}

/* The time slice or a deadline is over: the run loop looks at the deadlines. */
static enum exit_action handle_preemption_timer(struct vcpu *v)
{
	vmx_reinject_vectoring_event();
	__atomic_fetch_or(&this_cpu()->pending_work, PERCPU_WORK_TIMER, __ATOMIC_RELAXED);
	return EXIT_RESCHEDULE;
}

typedef unsigned int (*vmx_checker_t)(const struct vmx_caps *caps, struct vmx_check_failure *out,
				      unsigned int max);

/* Runs one of the software VM-entry checkers and prints what it finds. */
static void print_check_failures(vmx_checker_t check)
{
	struct vmx_check_failure failures[8];
	unsigned int n = check(&vmx_caps, failures, ARRAY_SIZE(failures)), i;

	for (i = 0; i < MIN(n, (unsigned int)ARRAY_SIZE(failures)); i++) {
		const char *field = vmcs_field_name(failures[i].field);

		printk("hv:   SDM %s: %s [%s = 0x%llx]\n", failures[i].sdm, failures[i].rule,
		       field ? field : "?", (unsigned long long)failures[i].value);
	}
	if (!n)
		printk("hv:   no check in hv's list fails; see SDM Vol. 3C chapter 27\n");
}

/* The entry started and failed on the guest state or the MSR-load area (SDM Vol. 3C 27.8). */
static enum exit_action handle_failed_entry(struct vcpu *v)
{
	u32 reason = (u32)vmread(VM_EXIT_REASON);

	printk("hv: %s: VM entry failed: %s (exit qualification 0x%llx)\n", v->partition->name,
	       exit_reason_name(reason & EXIT_REASON_BASIC_MASK),
	       (unsigned long long)vmread(EXIT_QUALIFICATION));
	print_check_failures(vmx_check_guest_state);
	return stop(v, "VM entry failed");
}

/* hv's own exits; the features' join them at boot (vmx_exit_table_init()). */
static exit_handler_t exit_handlers[EXIT_REASON_MAX] = {
	[EXIT_REASON_EXCEPTION_NMI] = handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_REASON_INTERRUPT_WINDOW] = vmx_handle_event_window,
	[EXIT_REASON_NMI_WINDOW] = vmx_handle_event_window,
	[EXIT_REASON_TASK_SWITCH] = handle_task_switch,
	[EXIT_REASON_CPUID] = vmx_handle_cpuid,
	[EXIT_REASON_GETSEC] = handle_ud,
	[EXIT_REASON_HLT] = handle_hlt,
	[EXIT_REASON_INVD] = handle_cache_flush,
	[EXIT_REASON_VMCALL] = hypercall_handle,
	[EXIT_REASON_VMCLEAR] = handle_ud,
	[EXIT_REASON_VMLAUNCH] = handle_ud,
	[EXIT_REASON_VMPTRLD] = handle_ud,
	[EXIT_REASON_VMPTRST] = handle_ud,
	[EXIT_REASON_VMREAD] = handle_ud,
	[EXIT_REASON_VMRESUME] = handle_ud,
	[EXIT_REASON_VMWRITE] = handle_ud,
	[EXIT_REASON_VMXOFF] = handle_ud,
	[EXIT_REASON_VMXON] = handle_ud,
	[EXIT_REASON_CR_ACCESS] = vmx_handle_cr_access,
	[EXIT_REASON_DR_ACCESS] = lazy_state_handle_dr_access,
	[EXIT_REASON_IO_INSTRUCTION] = vmx_handle_io,
	[EXIT_REASON_MSR_READ] = vmx_handle_msr_read,
	[EXIT_REASON_MSR_WRITE] = vmx_handle_msr_write,
	[EXIT_REASON_INVALID_GUEST_STATE] = handle_failed_entry,
	[EXIT_REASON_MSR_LOADING] = handle_failed_entry,
	[EXIT_REASON_MWAIT] = handle_ud,
	[EXIT_REASON_MONITOR] = handle_ud,
	[EXIT_REASON_MCE_DURING_ENTRY] = handle_machine_check_during_entry,
	[EXIT_REASON_EPT_VIOLATION] = ept_handle_violation,
	[EXIT_REASON_EPT_MISCONFIG] = ept_handle_misconfig,
	[EXIT_REASON_INVEPT] = handle_ud,
	[EXIT_REASON_PREEMPTION_TIMER] = handle_preemption_timer,
	[EXIT_REASON_INVVPID] = handle_ud,
	[EXIT_REASON_WBINVD] = handle_cache_flush,
	[EXIT_REASON_XSETBV] = handle_xsetbv,
	[EXIT_REASON_VMFUNC] = handle_ud,
	[EXIT_REASON_ENCLS] = handle_ud,
};

void vmx_exit_table_init(void)
{
	const struct feature *f;
	u32 i;

	for_each_feature(f) {
		for (i = 0; i < f->nr_exits; i++) {
			u32 reason = f->exits[i].reason;

			if (reason >= EXIT_REASON_MAX || exit_handlers[reason])
				panic("%s: exit reason %u is taken or unknown", f->name, reason);
			exit_handlers[reason] = f->exits[i].handle;
		}
	}
}

struct vcpu *vmx_handle_exit(struct vcpu *v)
{
	u32 reason = (u32)vmread(VM_EXIT_REASON) & EXIT_REASON_BASIC_MASK;
	enum exit_action action;

	if (likely(reason < EXIT_REASON_MAX && exit_handlers[reason])) {
		v->partition->exit_counts[reason]++;
		action = exit_handlers[reason](v);
	} else {
		printk("hv: %s: unhandled VM exit %u (%s) at rip 0x%llx\n", v->partition->name,
		       reason, exit_reason_name(reason), (unsigned long long)vmread(GUEST_RIP));
		action = stop(v, "unhandled VM exit");
	}
	if (likely(action == EXIT_RESUME))
		return run_resume(v);
	return run_next();
}

/* VM-instruction errors the controls/host-state checker explains (SDM Vol. 3C 31.4). */
#define VMX_ERROR_INVALID_CONTROLS 7U
#define VMX_ERROR_INVALID_HOST_STATE 8U

static const char *const vmfail_kind[] = { "VMsucceed", "VMfailValid", "VMfailInvalid" };

/* VMLAUNCH/VMRESUME did not even start the entry (SDM Vol. 3C 31.2). */
struct vcpu *vmx_entry_failed(struct vcpu *v, u64 rflags)
{
	enum vmx_insn_result r = rflags & X86_RFLAGS_CF ? VMX_FAIL_INVALID : VMX_FAIL_VALID;

	v->launched = 0;
	if (r == VMX_FAIL_VALID) {
		u32 err = (u32)vmread(VM_INSTRUCTION_ERROR);
		const char *name = vm_instruction_error_name(err);

		printk("hv: %s: VM entry failed with %s, VM-instruction error %u: %s\n",
		       v->partition->name, vmfail_kind[r], err, name ? name : "unknown");
		if (err == VMX_ERROR_INVALID_CONTROLS || err == VMX_ERROR_INVALID_HOST_STATE)
			print_check_failures(vmx_check_controls_and_host_state);
	} else {
		printk("hv: %s: VM entry failed with VMfailInvalid (no current VMCS)\n",
		       v->partition->name);
	}
	partition_stop(v->partition, "VM entry failed", -1);
	return run_next();
}

void vmx_print_exit_counts(const struct partition *p)
{
	char line[160];
	unsigned int r, len = 0;

	for (r = 0; r < EXIT_REASON_MAX; r++) {
		if (!p->exit_counts[r])
			continue;
		if (len > sizeof(line) - 56) {
			printk("hv: %s: exits%s\n", p->name, line);
			len = 0;
		}
		len += snprintf(line + len, sizeof(line) - len, " %s=%llu (%llu/s)",
				exit_reason_name(r), (unsigned long long)p->exit_counts[r],
				(unsigned long long)partition_per_second(p, p->exit_counts[r]));
	}
	if (len)
		printk("hv: %s: exits%s\n", p->name, line);
}
