// SPDX-License-Identifier: GPL-2.0
/*
 * hv/apic as a feature (hv/core/feature.h): each partition's APIC-access
 * page, PID-pointer table and x2APIC MSR bitmap; each vCPU's virtual-APIC
 * page and posted-interrupt descriptor; the VMCS controls (SDM Vol. 3C
 * 25.6.8, 30), which follow the APIC's mode; the APIC exits, MSRs and
 * CPUID bits; the timer's deadlines; and the two physical vectors hv's
 * posted interrupts use.
 *
 * Two ways of delivering interrupts, chosen per partition at its start:
 *  - virtual-interrupt delivery (the CPU has APICv: TPR shadow, APIC-
 *    register virtualization, virtual-interrupt delivery, virtualize
 *    x2APIC mode): hv puts what was posted into VIRR and RVI; the CPU
 *    delivers, virtualizes EOI (level-triggered vectors exit, for their
 *    EOI) and most register accesses. With posted-interrupt processing
 *    and IPI virtualization on top when the CPU has them.
 *  - injection (no APICv): hv keeps IRR, ISR and PPR and delivers through
 *    the event path (hv/vmx/event.c) with interrupt-window exits; TPR
 *    changes through CR8 or the TPR shadow exit only below the threshold
 *    hv sets for the highest interrupt the TPR masks.
 */
#include <hv/apic/vapic.h>
#include <hv/core/console.h>
#include <hv/core/frame.h>
#include <hv/core/lapic.h>
#include <hv/core/percpu.h>
#include <hv/core/platform.h>
#include <hv/core/run.h>
#include <hv/core/sched.h>
#include <hv/core/vcpu.h>
#include <hv/ioreq/ioreq.h>
#include <hv/lib/string.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <public/hv.h>
#include <public/hypercall.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

/*
 * The physical vectors of posted interrupts (hv/core/feature.h): the
 * posted-interrupt notification vector of every VMCS (a running vCPU's
 * notifications), and the one a halted vCPU's descriptor names instead
 * (the CPU that gets it wakes the vCPU, apic_irq()).
 */
#define VECTOR_POSTED_NOTIFICATION 0xe0U
#define VECTOR_POSTED_WAKEUP 0xe1U

/* APIC-access exit qualification (SDM Vol. 3C Table 28-6). */
#define APIC_ACCESS_OFFSET_MASK 0xfffU
#define APIC_ACCESS_TYPE(q) (((q) >> 12) & 0xfU)
#define APIC_ACCESS_LINEAR_READ 0U
#define APIC_ACCESS_LINEAR_WRITE 1U
#define APIC_REGISTER_SLOT 0x10U /* each register owns 16 bytes, of which it uses 4 */
#define APIC_REGISTER_BYTES 4U
#define PRIORITY_CLASS(v) ((u32)(v) >> 4)
#define INTR_STATUS_RVI_MASK 0xffU
#define CPUID_1_EBX_LOGICAL_COUNT_SHIFT 16
#define CPUID_1_EBX_LOGICAL_COUNT_MASK GENMASK(23, 16)
#define CPUID_1_EDX_HTT BIT(28)
#define TOPOLOGY_LEAF 0xbU
#define TOPOLOGY_LEAF_V2 0x1fU
#define TOPOLOGY_LEVEL_SMT 1U
#define TOPOLOGY_LEVEL_CORE 2U
#define TOPOLOGY_LEVEL_TYPE_SHIFT 8
#define TSC_LEAF 0x15U

static const u8 apic_vectors[] = { VECTOR_POSTED_NOTIFICATION, VECTOR_POSTED_WAKEUP };

/* ---- Controls that follow the mode ---- */

void apic_mode_changed(struct vcpu *v)
{
	struct partition *p = v->partition;
	u64 proc2 = vmread(SECONDARY_VM_EXEC_CONTROL) &
		    ~(u64)(SECONDARY_VIRTUALIZE_APIC_ACCESSES | SECONDARY_VIRTUALIZE_X2APIC_MODE);
	u8 *bitmap = p->msr_bitmap;

	/* SDM Vol. 3C 27.2.1.1: the two cannot both be 1; the xAPIC page exists in xAPIC mode only. */
	if (apic_mode(v) == APIC_MODE_XAPIC) {
		proc2 |= SECONDARY_VIRTUALIZE_APIC_ACCESSES;
	} else if (apic_mode(v) == APIC_MODE_X2APIC) {
		proc2 |= SECONDARY_VIRTUALIZE_X2APIC_MODE;
		bitmap = p->apic.x2apic_msr_bitmap;
	}
	vmwrite(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmwrite(MSR_BITMAP, virt_to_phys(bitmap));
}

void apic_want_event(struct vcpu *v)
{
	if (!v->partition->apic.vid)
		vcpu_request(v, VCPU_REQUEST_EVENT);
}

void apic_level_eoi(struct vcpu *v, u8 vector)
{
	ioreq_report_eoi(v->partition, vector);
}

void apic_reset(struct vcpu *v)
{
	u32 i;

	apic_regs_reset(v);
	if (v->partition->apic.vid) {
		vmwrite(GUEST_INTR_STATUS, 0);
		for (i = 0; i < VECTOR_WORDS; i++)
			vmwrite(EOI_EXIT_BITMAP0 + 2 * i, 0);
	}
	vmwrite(TPR_THRESHOLD, 0);
}

/* ---- IA32_APIC_BASE (11.4.4, 11.12.1, 11.12.5) ---- */

static int apic_base_read(struct vcpu *v, u32 msr, u64 *value)
{
	*value = v->apic.base;
	return 0;
}

static int apic_base_write(struct vcpu *v, u32 msr, u64 value)
{
	u64 reserved = ~(APIC_BASE_BSP | APIC_BASE_X2APIC_ENABLE | APIC_BASE_XAPIC_ENABLE |
			 APIC_BASE_ADDR_MASK) |
		       GENMASK(63, vmx_caps.pa_bits);
	enum apic_mode old = apic_mode(v), new;

	/* BSP is the processor's to say: writes keep it. */
	value = (value & ~APIC_BASE_BSP) | (v->apic.base & APIC_BASE_BSP);
	if (value & reserved)
		return -1;
	/* x2APIC without xAPIC is invalid; x2APIC -> xAPIC and disabled -> x2APIC #GP (11.12.5). */
	if ((value & (APIC_BASE_X2APIC_ENABLE | APIC_BASE_XAPIC_ENABLE)) == APIC_BASE_X2APIC_ENABLE)
		return -1;
	new = !(value & APIC_BASE_XAPIC_ENABLE) ? APIC_MODE_DISABLED :
	      (value & APIC_BASE_X2APIC_ENABLE) ? APIC_MODE_X2APIC :
						  APIC_MODE_XAPIC;
	if ((old == APIC_MODE_X2APIC && new == APIC_MODE_XAPIC) ||
	    (old == APIC_MODE_DISABLED && new == APIC_MODE_X2APIC))
		return -1;
	if ((value & APIC_BASE_ADDR_MASK) != HV_LOCAL_APIC_GPA) {
		printk("hv: %s: vCPU %u moves its local APIC to 0x%llx: hv keeps it at 0x%llx "
		       "(include/public/hv.h)\n",
		       v->partition->name, v->id, (unsigned long long)(value & APIC_BASE_ADDR_MASK),
		       (unsigned long long)HV_LOCAL_APIC_GPA);
		partition_stop(v->partition, "local APIC moved (not supported)", -1);
		return 0;
	}
	v->apic.base = value;
	if (new == old)
		return 0;
	/* Disabled: the APIC's state is lost, as at reset (11.4.3); x2APIC: IDs of that mode. */
	if (new == APIC_MODE_DISABLED) {
		apic_reset(v);
	} else {
		apic_regs_set_mode_ids(v);
		reg_set(v, APIC_ICR, 0);
		reg_set(v, APIC_ICR + 4, 0);
		reg_set(v, APIC_ICR_HIGH, 0);
	}
	apic_mode_changed(v);
	return 0;
}

/* ---- The x2APIC MSRs (11.12.1.2): #GP outside x2APIC mode ---- */

static int x2apic_read(struct vcpu *v, u32 msr, u64 *value)
{
	if (apic_mode(v) != APIC_MODE_X2APIC)
		return -1;
	return apic_reg_read(v, X2APIC_OFFSET(msr), value);
}

static int x2apic_write(struct vcpu *v, u32 msr, u64 value)
{
	if (apic_mode(v) != APIC_MODE_X2APIC)
		return -1;
	return apic_reg_write(v, X2APIC_OFFSET(msr), value);
}

static const struct msr_handler apic_msrs[] = {
	{ MSR_IA32_APIC_BASE, MSR_IA32_APIC_BASE, apic_base_read, apic_base_write },
	{ MSR_IA32_X2APIC_BASE, MSR_IA32_X2APIC_END, x2apic_read, x2apic_write },
	{ MSR_IA32_TSC_DEADLINE, MSR_IA32_TSC_DEADLINE, apic_tsc_deadline_read,
	  apic_tsc_deadline_write },
};

/* ---- Exits ---- */

/*
 * Trap-like (SDM Vol. 3C 30.4.3.3): the CPU wrote the value into the
 * virtual-APIC page and left RIP past the instruction; hv does the rest.
 */
static enum exit_action handle_apic_write(struct vcpu *v)
{
	u32 offset = vmread(EXIT_QUALIFICATION) & APIC_ACCESS_OFFSET_MASK & ~3U;
	u64 value = reg_get(v, offset);

	/* IPI virtualization stores a 64-bit x2APIC ICR at 300H (30.5). */
	if (offset == APIC_ICR && apic_mode(v) == APIC_MODE_X2APIC)
		value |= (u64)reg_get(v, APIC_ICR + 4) << 32;
	apic_reg_write(v, offset, value);
	return EXIT_RESUME;
}

/*
 * Fault-like (30.4): an xAPIC access the CPU did not virtualize (without
 * APIC-register virtualization: all but the TPR's). hv decodes the
 * instruction at RIP and emulates the access as the APIC's hardware
 * would: each register is the first 4 bytes of its 16-byte slot, the
 * rest reads 0 and ignores writes.
 */
static enum exit_action handle_apic_access(struct vcpu *v)
{
	u64 q = vmread(EXIT_QUALIFICATION), linear, value;
	u32 offset = q & APIC_ACCESS_OFFSET_MASK, type = APIC_ACCESS_TYPE(q);
	u32 reg = offset & ~(APIC_REGISTER_SLOT - 1), byte = offset % APIC_REGISTER_SLOT;
	enum exit_action action;
	struct mmio_insn insn;

	vmx_reinject_vectoring_event();
	if (type != APIC_ACCESS_LINEAR_READ && type != APIC_ACCESS_LINEAR_WRITE) {
		printk("hv: %s: vCPU %u: an access of type %u to the local APIC at offset 0x%x "
		       "(rip 0x%llx): hv emulates only instructions' reads and writes\n",
		       v->partition->name, v->id, type, offset,
		       (unsigned long long)vmread(GUEST_RIP));
		partition_stop(v->partition, "local APIC access hv does not emulate", -1);
		return EXIT_RESCHEDULE;
	}
	if (!ioreq_decode_at_rip(v, &insn, &linear, &action))
		return action;
	if ((insn.dir == MMIO_WRITE) != (type == APIC_ACCESS_LINEAR_WRITE) ||
	    linear % PAGE_SIZE != offset) {
		printk("hv: %s: vCPU %u: the instruction at rip 0x%llx does not make the local APIC "
		       "access that exited (offset 0x%x)\n",
		       v->partition->name, v->id, (unsigned long long)vmread(GUEST_RIP), offset);
		partition_stop(v->partition, "undecodable device access", -1);
		return EXIT_RESCHEDULE;
	}
	if (insn.dir == MMIO_READ) {
		value = 0;
		if (byte < APIC_REGISTER_BYTES && !apic_reg_read(v, reg, &value))
			value = (value & 0xffffffffULL) >> (8 * byte);
		mmio_complete_read(&insn, v->gpr, value & bytes_mask(insn.size));
		if (mmio_insn_uses_rsp(&insn))
			vmwrite(GUEST_RSP, v->gpr[GPR_RSP]);
	} else if (!byte && insn.size >= APIC_REGISTER_BYTES) {
		apic_reg_write(v, reg, (u32)mmio_write_value(&insn, v->gpr));
	}
	vmx_advance_rip(insn.len);
	return READ_ONCE(v->partition->state) == PARTITION_RUNNING ? EXIT_RESUME : EXIT_RESCHEDULE;
}

/* Virtual-interrupt delivery: the EOI of a level-triggered vector (EOI-exit bitmap, 30.1.4). */
static enum exit_action handle_eoi_induced(struct vcpu *v)
{
	u8 vector = (u8)vmread(EXIT_QUALIFICATION);
	u32 word = vector / 64;

	if (v->apic.level_in_service.w[word] & BIT(vector % 64)) {
		v->apic.level_in_service.w[word] &= ~BIT(vector % 64);
		vmwrite(EOI_EXIT_BITMAP0 + 2 * word,
			vmread(EOI_EXIT_BITMAP0 + 2 * word) & ~BIT(vector % 64));
		vec_clear(v, APIC_TMR, vector);
		apic_level_eoi(v, vector);
	}
	return EXIT_RESUME;
}

/* Injection: the guest lowered its TPR below an interrupt it masked (30.1.2 without VID). */
static enum exit_action handle_tpr_below_threshold(struct vcpu *v)
{
	apic_want_event(v);
	return EXIT_RESUME;
}

static const struct feature_exit apic_exits[] = {
	{ EXIT_REASON_APIC_ACCESS, handle_apic_access },
	{ EXIT_REASON_APIC_WRITE, handle_apic_write },
	{ EXIT_REASON_VIRTUALIZED_EOI, handle_eoi_induced },
	{ EXIT_REASON_TPR_BELOW_THRESHOLD, handle_tpr_below_threshold },
};

/* ---- Delivery by injection (no virtual-interrupt delivery) ---- */

static int apic_interrupt_pending(struct vcpu *v)
{
	int irr;
	u32 ppr, tpr;

	if (v->partition->apic.vid || !apic_accepts_interrupts(v))
		return -1;
	irr = vec_highest(v, APIC_IRR);
	ppr = apic_ppr(v);
	if (irr >= 0 && PRIORITY_CLASS(irr) > PRIORITY_CLASS(ppr)) {
		vmwrite(TPR_THRESHOLD, 0);
		return irr;
	}
	/*
	 * Masked by the TPR: the guest may lower it without an exit (CR8, or
	 * the TPR shadow), so it exits when it goes below the interrupt's
	 * class (30.1.2, 27.2.1.1: a threshold not above VTPR[7:4]); masked
	 * by one in service: its EOI (emulated) looks again.
	 */
	tpr = PRIORITY_CLASS(reg_get(v, APIC_TPR));
	vmwrite(TPR_THRESHOLD, irr >= 0 && PRIORITY_CLASS(irr) <= tpr ? PRIORITY_CLASS(irr) : 0);
	return -1;
}

/* The interrupt is acknowledged: IRR to ISR (11.8.4). */
static void apic_interrupt_injected(struct vcpu *v, u8 vector)
{
	vec_clear(v, APIC_IRR, vector);
	vec_set(v, APIC_ISR, vector);
}

/* ---- Waiting and waking ---- */

/* Whether an interrupt in the IRR (or RVI) gets through the PPR (11.8.3.1, 30.2.1). */
static bool interrupt_deliverable(struct vcpu *v)
{
	int irr = v->partition->apic.vid ? (int)(vmread(GUEST_INTR_STATUS) & INTR_STATUS_RVI_MASK) :
					   vec_highest(v, APIC_IRR);

	return apic_accepts_interrupts(v) && irr > 0 &&
	       PRIORITY_CLASS(irr) > PRIORITY_CLASS(apic_ppr(v));
}

static void notifications_to(struct vcpu *v, u8 vector)
{
	u64 want = (u64)vector << PI_DESC_NV_SHIFT;

	if ((READ_ONCE(v->apic.pi_desc.control) & (PI_DESC_NV_MASK | PI_DESC_SN)) != want)
		pi_desc_set_notification(&v->apic.pi_desc, vector);
}

static bool apic_wake_pending(struct vcpu *v, enum vcpu_state state)
{
	u32 events = __atomic_load_n(&v->apic.events, __ATOMIC_SEQ_CST);

	if (state == VCPU_WAIT_FOR_SIPI)
		return events & APIC_EVENT_SIPI;
	if (events & APIC_EVENT_INIT)
		return true;
	if (state != VCPU_BLOCKED_HLT)
		return false;
	/* On its CPU, its VMCS current: while it halts, its notifications are wakeups. */
	if (v->partition->apic.posted) {
		notifications_to(v, VECTOR_POSTED_WAKEUP);
		vcpu_request(v, feature_request(&apic_feature));
	}
	apic_sync(v);
	return interrupt_deliverable(v);
}

/*
 * A notification or wakeup vector came to hv itself (root mode): for a
 * vCPU of this CPU that was not in VMX non-root operation then. Each
 * vCPU here with something posted takes it before it enters, and wakes
 * if it halted.
 */
static void apic_irq(struct percpu *cpu, u8 vector)
{
	struct vcpu *v;

	for_each_vcpu_on(cpu, v) {
		if (!(READ_ONCE(v->apic.pi_desc.control) & PI_DESC_ON) &&
		    !pi_desc_pending(&v->apic.pi_desc))
			continue;
		vcpu_request(v, feature_request(&apic_feature));
		vcpu_wake(v, VCPU_BLOCKED_HLT, false);
	}
}

/* ---- The run loop's steps ---- */

static void apic_pre_entry(struct vcpu *v)
{
	apic_init_sipi(v);
	if (READ_ONCE(v->state) != VCPU_RUNNABLE)
		return;
	if (v->partition->apic.posted)
		notifications_to(v, VECTOR_POSTED_NOTIFICATION);
	apic_sync(v);
}

/*
 * With posted interrupts a vCPU's notifications always go to its CPU
 * (NDST never changes: vCPUs do not migrate) with the notification
 * vector, or the wakeup vector while it halts; hv never suppresses them
 * (SN stays 0). One that arrives while the CPU runs another vCPU makes
 * the CPU process that vCPU's descriptor (SDM Vol. 3C 30.6: its ON and
 * PIR; an empty PIR leaves RVI alone), one that arrives in hv goes to
 * apic_irq(): nothing is lost, the vCPU it was for keeps ON set, and this
 * hook takes its PIR when it is switched in. A switch writes no descriptor: the
 * wakeup vector is set together with a request, whose apic_pre_entry()
 * puts the notification vector back before the vCPU's next entry.
 * Without posted interrupts nothing happens at a switch: every post that
 * set ON also left a request, which takes PIR before the vCPU's next entry.
 */
static void apic_switch_in(struct percpu *cpu, struct vcpu *next)
{
	/* SN is never set: a post left ON set, or sets it and notifies after this look. */
	if (next->partition->apic.posted && (READ_ONCE(next->apic.pi_desc.control) & PI_DESC_ON))
		apic_sync(next);
}

static u64 apic_deadline(const struct vcpu *v)
{
	return apic_timer_deadline(v);
}

/* ---- CPUID ---- */

/* The bits an APIC ID needs below the package level for @n vCPUs. */
static u32 id_bits(u32 n)
{
	return n > 1 ? 32 - (u32)__builtin_clz(n - 1) : 0;
}

/*
 * The APIC and x2APIC, the TSC-deadline timer (CPUID.01H), the topology
 * (leaves 0BH and 1FH: one thread per core, the partition's vCPUs as the
 * cores of one package, so x2APIC IDs are the vCPU indexes), and the
 * timer's clock (leaf 15H: the crystal clock is the TSC's).
 */
static void apic_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	u32 n = v->partition->nr_vcpus;

	switch (leaf) {
	case 1:
		r->ecx |= CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE;
		/* The APIC flag follows IA32_APIC_BASE's global enable (11.4.3). */
		r->edx = apic_mode(v) == APIC_MODE_DISABLED ? r->edx & ~CPUID_1_EDX_APIC :
							      r->edx | CPUID_1_EDX_APIC;
		r->edx = n > 1 ? r->edx | CPUID_1_EDX_HTT : r->edx & ~CPUID_1_EDX_HTT;
		r->ebx = (r->ebx & ~CPUID_1_EBX_LOGICAL_COUNT_MASK) |
			 (BIT(id_bits(n)) << CPUID_1_EBX_LOGICAL_COUNT_SHIFT);
		break;
	case TSC_LEAF:
		if (cpuid(0, 0).eax >= TSC_LEAF)
			*r = (struct cpuid_regs){ 1, 1, (u32)(tsc_khz * 1000), 0 };
		break;
	case TOPOLOGY_LEAF:
	case TOPOLOGY_LEAF_V2:
		if (subleaf == 0)
			*r = (struct cpuid_regs){ 0, 1,
						  TOPOLOGY_LEVEL_SMT << TOPOLOGY_LEVEL_TYPE_SHIFT,
						  v->id };
		else if (subleaf == 1)
			*r = (struct cpuid_regs){
				id_bits(n), n,
				(TOPOLOGY_LEVEL_CORE << TOPOLOGY_LEVEL_TYPE_SHIFT) | 1, v->id
			};
		else
			*r = (struct cpuid_regs){ 0, 0, subleaf & 0xff, v->id };
		break;
	}
}

/* ---- Partitions and vCPUs ---- */

/* What the CPU reads and writes without exits in x2APIC mode (30.5). */
static void x2apic_bitmap_init(struct partition *p)
{
	static const u16 readable[] = { APIC_ID,	  APIC_VERSION, APIC_TPR,
					APIC_PPR,	  APIC_LDR,	APIC_SVR,
					APIC_ESR,	  APIC_ICR,	APIC_TIMER_INITIAL,
					APIC_TIMER_DIVIDE };
	u8 *bitmap = p->apic.x2apic_msr_bitmap;
	u32 i;

	memcpy(bitmap, p->msr_bitmap, PAGE_SIZE);
	/* The TPR shadow serves the TPR on every path (30.5). */
	vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_TPR), true, true);
	if (!p->apic.vid)
		return;
	/* APIC-register virtualization reads the page; ICR 64 bits at 300H. */
	for (i = 0; i < ARRAY_SIZE(readable); i++)
		vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(readable[i]), true, false);
	for (i = 0; i < 8; i++) {
		vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_ISR) + i, true, false);
		vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_TMR) + i, true, false);
		vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_IRR) + i, true, false);
	}
	for (i = 0; i < NR_APIC_LVTS; i++)
		vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_LVT(i)), true, false);
	/* EOI and self-IPI virtualization (30.1.4, 30.1.5); IPI virtualization (30.1.6). */
	vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_EOI), false, true);
	vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_SELF_IPI), false, true);
	if (p->apic.ipiv)
		vmx_msr_bitmap_allow(bitmap, X2APIC_MSR(APIC_ICR), false, true);
}

static void *alloc_page(void)
{
	u64 pa = frame_alloc(1, PAGE_SIZE);

	return pa ? memset(phys_to_virt(pa), 0, PAGE_SIZE) : NULL;
}

static void free_page(void *page)
{
	if (page)
		frame_free(virt_to_phys(page), 1);
}

static void apic_partition_destroy(struct partition *p)
{
	free_page(p->apic.access_page);
	free_page(p->apic.pid_table);
	free_page(p->apic.x2apic_msr_bitmap);
	p->apic.access_page = NULL;
	p->apic.pid_table = NULL;
	p->apic.x2apic_msr_bitmap = NULL;
}

static int apic_partition_init(struct partition *p)
{
	const struct vmx_caps *c = &vmx_caps;
	u32 i;

	p->apic.vid = c->apic_virtualization && c->x2apic_virtualization && !p->no_apicv;
	p->apic.posted = p->apic.vid && c->posted_interrupts;
	p->apic.ipiv = p->apic.posted && c->ipi_virtualization;
	p->apic.access_page = alloc_page();
	p->apic.pid_table = alloc_page();
	p->apic.x2apic_msr_bitmap = alloc_page();
	if (!p->apic.access_page || !p->apic.pid_table || !p->apic.x2apic_msr_bitmap ||
	    ept_add_slot(&p->ept, &(struct mem_slot){ .gpa = HV_LOCAL_APIC_GPA,
						      .size = PAGE_SIZE,
						      .hpa = virt_to_phys(p->apic.access_page),
						      .type = EPT_TYPE_RAM_RW,
						      .lent = true })) {
		printk("hv: %s: no memory for its local APICs\n", p->name);
		apic_partition_destroy(p);
		return -1;
	}
	for (i = 0; i < p->nr_vcpus; i++)
		p->apic.pid_table[i] = pid_table_entry(virt_to_phys(&p->vcpus[i]->apic.pi_desc));
	x2apic_bitmap_init(p);
	printk("hv: %s: local APICs: %s%s%s\n", p->name,
	       p->apic.vid ? "virtual-interrupt delivery" : "hv injects interrupts",
	       p->apic.posted ? ", posted interrupts" : "",
	       p->apic.ipiv ? ", IPI virtualization" : "");
	return 0;
}

static int apic_vcpu_init(struct vcpu *v)
{
	v->apic.page = alloc_page();
	if (!v->apic.page)
		return -1;
	/* xAPIC mode at the architectural base, as after reset (11.4.4); vCPU 0 the BSP. */
	v->apic.base = HV_LOCAL_APIC_GPA | APIC_BASE_XAPIC_ENABLE | (v->id ? 0 : APIC_BASE_BSP);
	pi_desc_init(&v->apic.pi_desc, VECTOR_POSTED_NOTIFICATION,
		     pi_desc_ndst(v->home->apic_id, lapic_is_x2apic()));
	apic_regs_reset(v);
	v->apic.events = v->id ? APIC_EVENT_WAITING : 0;
	return 0;
}

static void apic_vcpu_destroy(struct vcpu *v)
{
	free_page(v->apic.page);
	v->apic.page = NULL;
}

static void apic_vmcs_init(struct vcpu *v)
{
	struct partition *p = v->partition;
	u64 proc = vmread(CPU_BASED_VM_EXEC_CONTROL);
	u64 proc2 = vmread(SECONDARY_VM_EXEC_CONTROL);
	u32 i;

	/* CR8 and the TPR are the TPR shadow's (30.3), never hv's exits. */
	proc = (proc | CPU_USE_TPR_SHADOW) & ~(u64)(CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING);
	vmwrite(VIRTUAL_APIC_PAGE_ADDR, virt_to_phys(v->apic.page));
	vmwrite(APIC_ACCESS_ADDR, virt_to_phys(p->apic.access_page));
	vmwrite(TPR_THRESHOLD, 0);
	if (p->apic.vid) {
		proc2 |= SECONDARY_APIC_REGISTER_VIRTUALIZATION |
			 SECONDARY_VIRTUAL_INTERRUPT_DELIVERY;
		vmwrite(GUEST_INTR_STATUS, 0);
		for (i = 0; i < VECTOR_WORDS; i++)
			vmwrite(EOI_EXIT_BITMAP0 + 2 * i, 0);
	}
	if (p->apic.posted) {
		vmwrite(PIN_BASED_VM_EXEC_CONTROL,
			vmread(PIN_BASED_VM_EXEC_CONTROL) | PIN_POSTED_INTERRUPTS);
		vmwrite(POSTED_INTR_NOTIFICATION_VECTOR, VECTOR_POSTED_NOTIFICATION);
		vmwrite(POSTED_INTR_DESC_ADDR, virt_to_phys(&v->apic.pi_desc));
	}
	if (p->apic.ipiv) {
		proc |= CPU_ACTIVATE_TERTIARY_CONTROLS;
		vmwrite(TERTIARY_VM_EXEC_CONTROL, TERTIARY_IPI_VIRTUALIZATION);
		vmwrite(PID_POINTER_TABLE, virt_to_phys(p->apic.pid_table));
		vmwrite(LAST_PID_POINTER_INDEX, p->nr_vcpus - 1);
	}
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmwrite(SECONDARY_VM_EXEC_CONTROL, proc2);
	apic_mode_changed(v);
}

DEFINE_FEATURE(apic_feature) = {
	.name = "apic",
	.partition_init = apic_partition_init,
	.partition_destroy = apic_partition_destroy,
	.vcpu_init = apic_vcpu_init,
	.vcpu_destroy = apic_vcpu_destroy,
	.vmcs_init = apic_vmcs_init,
	.switch_in = apic_switch_in,
	.pre_entry = apic_pre_entry,
	.deadline = apic_deadline,
	.deadline_passed = apic_timer_fire,
	.exits = apic_exits,
	.nr_exits = ARRAY_SIZE(apic_exits),
	.msrs = apic_msrs,
	.nr_msrs = ARRAY_SIZE(apic_msrs),
	.cpuid = apic_cpuid,
	.cpuid_leaves = BIT(1) | BIT(TOPOLOGY_LEAF) | BIT(TSC_LEAF) | BIT(TOPOLOGY_LEAF_V2),
	.wake_pending = apic_wake_pending,
	.interrupt_pending = apic_interrupt_pending,
	.interrupt_injected = apic_interrupt_injected,
	.irq_vectors = apic_vectors,
	.nr_irq_vectors = ARRAY_SIZE(apic_vectors),
	.irq = apic_irq,
};

/* ---- For other directories (apic.h) ---- */

void apic_local_interrupt(struct vcpu *v, enum apic_lvt lvt)
{
	u32 entry = reg_get(v, APIC_LVT(lvt));

	if ((entry & APIC_LVT_MASKED) || apic_mode(v) == APIC_MODE_DISABLED)
		return;
	if (lvt == APIC_LVT_PMC)
		reg_set(v, APIC_LVT(lvt), entry | APIC_LVT_MASKED);
	switch (entry & APIC_LVT_DELIVERY_MASK) {
	case APIC_LVT_DELIVERY_FIXED:
		if (apic_accepts_interrupts(v))
			apic_post(v, entry & APIC_LVT_VECTOR_MASK, false);
		break;
	case APIC_LVT_DELIVERY_NMI:
		vmx_raise_nmi(v);
		if (!vcpu_wake(v, VCPU_BLOCKED_HLT, false))
			vcpu_wake(v, VCPU_BLOCKED_HLT_NO_INTR, false);
		break;
	}
}

int apic_raise_irq(struct partition *p, u32 apic_id, u8 vector, bool level)
{
	struct vcpu *t;

	if (apic_id >= p->nr_vcpus)
		return -HV_ENOENT;
	t = p->vcpus[apic_id];
	if (apic_accepts_interrupts(t))
		apic_post(t, vector, level);
	return 0;
}
