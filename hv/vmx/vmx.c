// SPDX-License-Identifier: GPL-2.0
/* VMX operation: capability report, VMXON, and VMCS setup for guest vCPUs. */
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/lazy_state.h>
#include <hv/core/mm.h>
#include <hv/core/platform.h>
#include <hv/lib/fmt.h>
#include <hv/lib/string.h>
#include <hv/pmu/pmu.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/entry_offsets.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

_Static_assert(offsetof(struct vcpu, host_stack_top) == VCPU_HOST_STACK_TOP, "entry.S");
_Static_assert(offsetof(struct vcpu, launched) == VCPU_LAUNCHED, "entry.S");
_Static_assert(sizeof(((struct vcpu *)0)->gpr) == VCPU_GPRS_SIZE, "entry.S");

extern const char vmx_exit_stub[];

/* Segment access rights of the Multiboot start state (VMCS format, SDM 25.4.1). */
#define AR_CODE32_FLAT (SEG_AR_G | SEG_AR_DB | SEG_AR_P | SEG_AR_S | 0xb)
#define AR_DATA32_FLAT (SEG_AR_G | SEG_AR_DB | SEG_AR_P | SEG_AR_S | 0x3)
#define AR_TSS32_BUSY (SEG_AR_P | SEG_TYPE_TSS32_BUSY)
/* 64-bit mode: CS with L set and D clear (SDM Vol. 3A 5.2.1); a busy 64-bit TSS has type 11 too. */
#define AR_CODE64_FLAT (SEG_AR_G | SEG_AR_L | SEG_AR_P | SEG_AR_S | 0xb)
#define START_CS_SELECTOR 0x08
#define START_DS_SELECTOR 0x10
#define DR7_RESET_VALUE 0x400
#define PAT_RESET_VALUE 0x0007040600070406ULL
#define VMCS_LINK_POINTER_NONE (~0ULL)
#define VMCS_HEADER_SIZE 8 /* revision identifier, VMX-abort indicator (SDM Vol. 3C 25.2) */

/*
 * Bits hv owns in the guest's CR0 and CR4 (the guest/host masks). VM entry
 * and exit leave CR0.CD and NW alone (SDM Vol. 3C 27.3.2.1, 28.5.1): the
 * hardware bits are hv's, so the guest's live in the read shadow only.
 */
#define CR0_OWNED_ALWAYS (X86_CR0_PG | X86_CR0_CD | X86_CR0_NW)
#define CR4_OWNED_ALWAYS (CR4_HIDDEN_FEATURES | CR4_HOST_FORCED)

static u64 cr0_owned, cr4_owned;

static void append(char *buf, size_t len, bool have, const char *name, bool *first)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s%s", *first ? "" : " ", have ? "" : "-", name);
	*first = false;
}

/* One line: every feature hv looked for, "-name" when absent. */
static void print_caps(void)
{
	const struct vmx_caps *c = &vmx_caps;
	char line[256] = "";
	bool first = true;

	append(line, sizeof(line), true, "EPT", &first);
	append(line, sizeof(line), c->ept_2m, "EPT-2M", &first);
	append(line, sizeof(line), c->ept_1g, "EPT-1G", &first);
	append(line, sizeof(line), c->ept_ad, "EPT-A/D", &first);
	append(line, sizeof(line), c->vpid, "VPID", &first);
	append(line, sizeof(line), c->unrestricted_guest, "unrestricted-guest", &first);
	append(line, sizeof(line), c->apic_virtualization, "APICv", &first);
	append(line, sizeof(line), c->x2apic_virtualization, "x2APIC-virt", &first);
	append(line, sizeof(line), c->posted_interrupts, "posted-interrupts", &first);
	append(line, sizeof(line), c->tertiary_controls, "tertiary-controls", &first);
	append(line, sizeof(line), c->ipi_virtualization, "IPIv", &first);
	append(line, sizeof(line), c->preemption_timer, "preemption-timer", &first);
	append(line, sizeof(line), pmu_caps.guest_pmu, "guest-PMU", &first);
	append(line, sizeof(line), pmu_caps.guest_lbr, "guest-LBR", &first);
	printk("hv: VMX rev %u, %s controls: %s\n", c->revision_id,
	       c->true_ctls ? "TRUE" : "default", line);
}

int vmx_probe(void)
{
	struct vmx_caps_error err;
	u64 fc = 0;
	u32 ecx = cpuid(1, 0).ecx;
	bool fc_readable = (ecx & CPUID_1_ECX_VMX) && !rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc);
	const char *why = vmx_unusable_reason(ecx, fc_readable, fc);

	if (why) {
		printk("hv: %s\n", why);
		return -1;
	}
	if (vmx_read_caps(&vmx_caps)) {
		printk("hv: a VMX capability MSR raised #GP\n");
		return -1;
	}
	if (vmx_compute_controls(&vmx_caps, &err)) {
		printk("hv: this CPU lacks a VMX control hv requires: %s (%s controls, bit %u)\n",
		       err.name, vmx_ctl_group_name(err.group), err.bit);
		return -1;
	}
	if (!vmx_caps.ept_wb || !(vmx_caps.ept_vpid & VMX_EPT_PAGE_WALK_4) ||
	    !vmx_caps.invept_all) {
		printk("hv: EPT lacks write-back tables, 4-level walks or INVEPT (caps 0x%llx)\n",
		       (unsigned long long)vmx_caps.ept_vpid);
		return -1;
	}
	/*
	 * Every vCPU has a local APIC (hv/apic), at least with a TPR shadow
	 * (CR8 and the TPR) and APIC-access virtualization (the xAPIC page).
	 */
	if (!(vmx_caps.proc.may_be_one & CPU_USE_TPR_SHADOW) ||
	    !(vmx_caps.proc2.may_be_one & SECONDARY_VIRTUALIZE_APIC_ACCESSES)) {
		printk("hv: this CPU lacks use TPR shadow or virtualize APIC accesses\n");
		return -1;
	}
	pmu_probe();
	print_caps();

	/* CR0.PE/PG may be clear with unrestricted guest; the other fixed bits are ours. */
	cr0_owned = CR0_OWNED_ALWAYS | ((vmx_caps.cr0_fixed0 | ~vmx_caps.cr0_fixed1) &
					~(X86_CR0_PE | X86_CR0_PG) & 0xffffffffULL);
	cr4_owned =
		CR4_OWNED_ALWAYS | ((vmx_caps.cr4_fixed0 | ~vmx_caps.cr4_fixed1) & 0xffffffffULL);
	return 0;
}

int vmx_cpu_enable(struct percpu *cpu)
{
	u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	u64 pa = frame_alloc(1, PAGE_SIZE);
	enum vmx_insn_result r;

	if (!pa)
		return -1;
	if (!(fc & FEATURE_CONTROL_LOCKED))
		wrmsr(MSR_IA32_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	*(u32 *)phys_to_virt(pa) = vmx_caps.revision_id;
	write_cr0((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr4((read_cr4() | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
	r = vmxon(pa);
	if (r != VMX_OK) {
		printk("hv: VMXON failed on CPU %u (%s)\n", cpu->cpu_id,
		       r == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid");
		frame_free(pa, 1);
		return -1;
	}
	cpu->vmxon_pa = pa;
	cpu->vmx_on = true;
	return 0;
}

static void setup_host_state(struct vcpu *v)
{
	struct percpu *cpu = v->home;
	struct {
		u16 limit;
		u64 base;
	} __packed idtr;

	__asm__ __volatile__("sidt %0" : "=m"(idtr));
	vmwrite(HOST_CR0, read_cr0());
	vmwrite(HOST_CR3, read_cr3());
	vmwrite(HOST_CR4, read_cr4());
	vmwrite(HOST_CS_SELECTOR, SEL_CODE64);
	vmwrite(HOST_SS_SELECTOR, SEL_DATA);
	vmwrite(HOST_DS_SELECTOR, SEL_DATA);
	vmwrite(HOST_ES_SELECTOR, SEL_DATA);
	vmwrite(HOST_FS_SELECTOR, 0);
	vmwrite(HOST_GS_SELECTOR, 0);
	vmwrite(HOST_TR_SELECTOR, SEL_TSS);
	vmwrite(HOST_FS_BASE, 0);
	vmwrite(HOST_GS_BASE, (u64)(uintptr_t)cpu);
	vmwrite(HOST_TR_BASE, (u64)(uintptr_t)&cpu->tss);
	vmwrite(HOST_GDTR_BASE, (u64)(uintptr_t)cpu->gdt);
	vmwrite(HOST_IDTR_BASE, idtr.base);
	vmwrite(HOST_IA32_SYSENTER_CS, 0);
	vmwrite(HOST_IA32_SYSENTER_ESP, 0);
	vmwrite(HOST_IA32_SYSENTER_EIP, 0);
	vmwrite(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmwrite(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmwrite(HOST_RSP, (u64)(uintptr_t)&v->host_stack_top);
	vmwrite(HOST_RIP, (u64)(uintptr_t)vmx_exit_stub);
}

static void setup_controls(struct vcpu *v)
{
	const struct vmx_caps *c = &vmx_caps;
	struct partition *p = v->partition;

	vmwrite(PIN_BASED_VM_EXEC_CONTROL, c->pin_ctls);
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, c->proc_ctls);
	/* RDTSCP reads the hardware's TSC_AUX, which is only the vCPU's if it owns it. */
	vmwrite(SECONDARY_VM_EXEC_CONTROL, lazy_state_owns_syscall_msrs(v) ?
						   c->proc2_ctls :
						   c->proc2_ctls & ~(u32)SECONDARY_ENABLE_RDTSCP);
	vmwrite(VM_EXIT_CONTROLS, c->exit_ctls);
	vmwrite(VM_ENTRY_CONTROLS, c->entry_ctls);
	/* Machine checks are hv's (hv/core/mce.h); every other exception is the guest's. */
	vmwrite(EXCEPTION_BITMAP, BIT(X86_EXC_MC));
	vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VM_EXIT_MSR_STORE_ADDR, 0);
	vmwrite(VM_EXIT_MSR_LOAD_ADDR, 0);
	vmwrite(VM_ENTRY_MSR_LOAD_ADDR, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
	vmwrite(VM_ENTRY_INSTRUCTION_LEN, 0);
	vmwrite(TSC_OFFSET, 0);
	/* With XSAVES on: IA32_XSS is 0 anyway, but no state component makes XSAVES exit. */
	if (c->xsaves)
		vmwrite(XSS_EXIT_BITMAP, 0);
	vmwrite(IO_BITMAP_A, virt_to_phys(p->io_bitmap));
	vmwrite(IO_BITMAP_B, virt_to_phys(p->io_bitmap) + PAGE_SIZE);
	vmwrite(MSR_BITMAP, virt_to_phys(p->msr_bitmap));
	vmwrite(EPT_POINTER, p->ept.eptp);
	if (c->vpid)
		vmwrite(VIRTUAL_PROCESSOR_ID, v->vpid);
	vmwrite(CR0_GUEST_HOST_MASK, cr0_owned);
	vmwrite(CR4_GUEST_HOST_MASK, cr4_owned);
	vmwrite(VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE);
}

static void set_segment(enum vmx_segment seg, u16 selector, u32 limit, u32 ar)
{
	vmwrite(GUEST_SEG_SELECTOR(seg), selector);
	vmwrite(GUEST_SEG_BASE(seg), 0);
	vmwrite(GUEST_SEG_LIMIT(seg), limit);
	vmwrite(GUEST_SEG_AR_BYTES(seg), ar);
}

/*
 * The state the boot protocol asks for (hv/loader/loader.h): the Multiboot
 * and PVH machine state (Multiboot 0.6.96, 3.2; Xen's docs/misc/pvh.pandoc):
 * 32-bit protected mode, paging off, flat segments; or the 64-bit Linux
 * boot protocol's (Documentation/arch/x86/boot.rst, "64-bit Boot
 * Protocol"): 64-bit mode with the loader's identity-mapped page tables,
 * CS and the data segments from the loader's GDT. IA-32e mode needs PAE,
 * EFER.LME and LMA and the IA-32e mode entry control (SDM Vol. 3C 27.3.1.1).
 */
static void setup_guest_start_state(const struct guest_start *s)
{
	u64 cr0 = X86_CR0_PE | X86_CR0_ET | (s->long_mode ? X86_CR0_PG : 0);
	u64 cr4 = s->long_mode ? X86_CR4_PAE : 0;
	enum vmx_segment seg;

	vmwrite(CR0_READ_SHADOW, cr0);
	vmwrite(GUEST_CR0, (cr0 | (vmx_caps.cr0_fixed0 & ~X86_CR0_PG)) & vmx_caps.cr0_fixed1);
	vmwrite(CR4_READ_SHADOW, cr4);
	vmwrite(GUEST_CR4, (cr4 | vmx_caps.cr4_fixed0 | CR4_HOST_FORCED) & vmx_caps.cr4_fixed1);
	vmwrite(GUEST_CR3, s->long_mode ? s->cr3 : 0);
	/* Loaded on entries with PAE paging (hv/vmx/cr.c fills them when the guest turns it on). */
	vmwrite(GUEST_PDPTE0, 0);
	vmwrite(GUEST_PDPTE1, 0);
	vmwrite(GUEST_PDPTE2, 0);
	vmwrite(GUEST_PDPTE3, 0);
	for (seg = SEG_ES; seg <= SEG_GS; seg++)
		set_segment(seg, s->long_mode ? s->data_selector : START_DS_SELECTOR, 0xffffffff,
			    AR_DATA32_FLAT);
	if (s->long_mode)
		set_segment(SEG_CS, s->code_selector, 0xffffffff, AR_CODE64_FLAT);
	else
		set_segment(SEG_CS, START_CS_SELECTOR, 0xffffffff, AR_CODE32_FLAT);
	set_segment(SEG_LDTR, 0, 0, SEG_AR_UNUSABLE);
	set_segment(SEG_TR, 0, 0xffff, AR_TSS32_BUSY);
	vmwrite(GUEST_GDTR_BASE, s->long_mode ? s->gdt_base : 0);
	vmwrite(GUEST_GDTR_LIMIT, s->long_mode ? s->gdt_limit : 0xffff);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	vmwrite(GUEST_DR7, DR7_RESET_VALUE);
	vmwrite(GUEST_RSP, 0);
	vmwrite(GUEST_RIP, s->rip);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	vmwrite(GUEST_IA32_EFER, 0);
	if (s->long_mode)
		vmx_update_long_mode(cr0, EFER_LME);
	vmwrite(GUEST_IA32_PAT, PAT_RESET_VALUE);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
}

/* Real-mode segments after INIT (SDM Vol. 3A Table 10-1): present, accessed, read/write. */
#define AR_REAL_MODE (SEG_AR_P | SEG_AR_S | 0x3)
#define AR_LDT (SEG_AR_P | 0x2)
#define LIMIT_64K 0xffff

void vmx_init_state(struct vcpu *v, u16 cs_selector, u32 cs_base, u32 rip)
{
	/* CD and NW keep their values, ET is set, the rest is 0 (Table 10-1, note 2). */
	u64 cr0 = X86_CR0_ET | (vmx_guest_cr0() & (X86_CR0_CD | X86_CR0_NW));
	enum vmx_segment seg;

	memset(v->gpr, 0, sizeof(v->gpr));
	/* EDX: the processor's family, model and stepping, as CPUID.1:EAX gives them. */
	v->gpr[GPR_RDX] = cpuid(1, 0).eax;
	v->exception.valid = false;
	__atomic_store_n(&v->nmi_pending, false, __ATOMIC_SEQ_CST);
	vmwrite(CR0_READ_SHADOW, cr0);
	vmwrite(GUEST_CR0, ((cr0 & ~(X86_CR0_CD | X86_CR0_NW)) |
			    (vmx_caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG))) &
				   vmx_caps.cr0_fixed1);
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(GUEST_CR4, (vmx_caps.cr4_fixed0 | CR4_HOST_FORCED) & vmx_caps.cr4_fixed1);
	vmwrite(GUEST_CR3, 0);
	vmx_update_long_mode(cr0, 0);
	for (seg = SEG_ES; seg <= SEG_GS; seg++)
		set_segment(seg, 0, LIMIT_64K, AR_REAL_MODE);
	set_segment(SEG_CS, cs_selector, LIMIT_64K, AR_REAL_MODE);
	vmwrite(GUEST_CS_BASE, cs_base);
	set_segment(SEG_LDTR, 0, LIMIT_64K, AR_LDT);
	set_segment(SEG_TR, 0, LIMIT_64K, AR_TSS32_BUSY);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, LIMIT_64K);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, LIMIT_64K);
	vmwrite(GUEST_DR7, DR7_RESET_VALUE);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_RSP, 0);
	vmwrite(GUEST_RIP, rip);
	vmwrite(GUEST_RFLAGS, X86_RFLAGS_FIXED);
	vmwrite(GUEST_PDPTE0, 0);
	vmwrite(GUEST_PDPTE1, 0);
	vmwrite(GUEST_PDPTE2, 0);
	vmwrite(GUEST_PDPTE3, 0);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
	lazy_state_init_reset(v);
	vmx_flush_guest_tlb(v);
}

int vmx_vcpu_alloc(struct vcpu *v)
{
	u64 pa = frame_alloc_charged(&v->partition->hv_frames, 1, PAGE_SIZE);
	u8 *region;

	if (!pa)
		return -1;
	/*
	 * Software VMWRITEs every field before the VMCS is used (SDM Vol. 3C
	 * 25.11.3). Past the header (revision identifier, VMX-abort
	 * indicator) the region is filled with all-ones: where the CPU keeps
	 * fields in the region (Bochs does), one hv forgot holds an
	 * implausible value instead of a zero that happens to work.
	 */
	region = phys_to_virt(pa);
	memset(region, 0, VMCS_HEADER_SIZE);
	memset(region + VMCS_HEADER_SIZE, 0xff, PAGE_SIZE - VMCS_HEADER_SIZE);
	*(u32 *)region = vmx_caps.revision_id;
	v->vmcs_pa = pa;
	return 0;
}

void vmx_vcpu_free(struct vcpu *v)
{
	if (v->vmcs_pa)
		frame_free_charged(&v->partition->hv_frames, v->vmcs_pa, 1);
	v->vmcs_pa = 0;
}

void vmx_vcpu_setup(struct vcpu *v)
{
	if (vmclear(v->vmcs_pa) != VMX_OK || vmptrld(v->vmcs_pa) != VMX_OK)
		panic("VMCLEAR/VMPTRLD of a new VMCS failed (vCPU %u of %s)", v->id,
		      v->partition->name);
	v->launched = 0;
	v->vmcs_built = true;
	v->home->loaded_vcpu = v;
	setup_host_state(v);
	setup_controls(v);
	setup_guest_start_state(&v->start);
}

void vmx_vcpu_retire(struct vcpu *v)
{
	if (v->vmcs_built)
		vmclear(v->vmcs_pa);
	if (v->home->loaded_vcpu == v)
		v->home->loaded_vcpu = NULL;
	/* The VPID is reused by a later vCPU: nothing of this one's may remain. */
	vmx_flush_guest_tlb(v);
	/* This CPU may cache translations tagged with the EPTP: drop them before it is reused. */
	invept(vmx_caps.invept_single ? INVEPT_SINGLE_CONTEXT : INVEPT_ALL_CONTEXT,
	       v->partition->ept.eptp);
}

void vmx_flush_guest_tlb(const struct vcpu *v)
{
	/* Without VPIDs every VM entry and exit flushes them (SDM Vol. 3C 29.4.3.1). */
	if (!vmx_caps.vpid)
		return;
	if (vmx_caps.invvpid_single)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid, 0);
	else
		invvpid(INVVPID_ALL_CONTEXT, 0, 0);
}

void vmx_skip_instruction(void)
{
	vmx_advance_rip(vmread(VM_EXIT_INSTRUCTION_LEN));
}

void vmx_advance_rip(u64 len)
{
	u64 intr = vmread(GUEST_INTERRUPTIBILITY_INFO);

	vmwrite(GUEST_RIP, vmread(GUEST_RIP) + len);
	/* The emulated instruction ends any STI or MOV-SS interrupt shadow. */
	if (unlikely(intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)))
		vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			intr & ~(u64)(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

bool vmx_reinject_vectoring_event(void)
{
	u32 info = (u32)vmread(IDT_VECTORING_INFO);
	u32 type = info & INTR_INFO_TYPE_MASK;

	if (likely(!(info & INTR_INFO_VALID)))
		return false;
	vmwrite(VM_ENTRY_INTR_INFO, info & ~INTR_INFO_NMI_UNBLOCKED_BY_IRET);
	if (info & INTR_INFO_DELIVER_ERROR_CODE)
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
	/* Software events need their instruction length again (SDM Vol. 3C 27.6.1.3). */
	if (type == INTR_TYPE_SW_INTERRUPT || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SW_EXCEPTION)
		vmwrite(VM_ENTRY_INSTRUCTION_LEN, vmread(VM_EXIT_INSTRUCTION_LEN));
	return true;
}
