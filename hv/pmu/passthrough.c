// SPDX-License-Identifier: GPL-2.0
/*
 * PMU and LBR passthrough (pmu.h): while a vCPU of a partition with
 * hv.pmu=on runs, the CPU's counters and LBR stack are its own.
 *
 * Who owns them. Each CPU's hardware holds the counter state of one vCPU
 * (owners[].counters) and the LBR stack of one (owners[].lbr), or of none.
 * Ownership changes hands on that CPU only, the vCPU's VMCS current, in two
 * places:
 *  - A vCPU's first access claims (claim_counters(), claim_lbr()): its first
 *    RDPMC or access to a PMU MSR, its first access to an LBR MSR or first
 *    setting of IA32_DEBUGCTL.LBR. These exit; hv saves the previous owner's
 *    state, loads the vCPU's (the reset state, the first time), and from then
 *    on the vCPU's own MSR bitmap passes those MSRs through and RDPMC does not
 *    exit. A vCPU that never used the PMU costs nothing at a switch.
 *  - switch_in(), when the CPU switches to another vCPU (never at a VM exit):
 *    a vCPU that claimed the counters gets them back if another took them.
 *    For the LBR stack this is the availability check, done as late as
 *    possible before the VM entry: after switch_in nothing but the vCPU's
 *    own claims changes who owns the stack on this CPU (hv never uses it:
 *    pmu_hv_claim()), so a pre-entry hook could only repeat the same
 *    comparison on every entry. A vCPU recording branches (its
 *    IA32_DEBUGCTL.LBR) takes the stack back; one that is not gets its LBR
 *    MSRs intercepted again, and its records stay saved until its next access
 *    claims the stack: it never sees another vCPU's records.
 *
 * Counting stops in VMX root operation: a claimant's VMCS loads its
 * IA32_PERF_GLOBAL_CTRL on entry (SDM Vol. 3C 27.3.2.1) and 0 on exit (28.5.1),
 * where it is saved first when the CPU can (28.3.1; otherwise the guest's
 * writes exit and hv keeps the value in the VMCS). Every VM exit clears
 * IA32_DEBUGCTL (28.5.1) and every entry loads the guest's (load debug
 * controls): no instruction or branch of hv's reaches a guest's counters or
 * records. Every other vCPU enters with IA32_PERF_GLOBAL_CTRL 0 and
 * IA32_DEBUGCTL.LBR clear: the counters and the stack it does not own stand
 * still while it runs.
 *
 * AnyThread: where the CPU has it, writes of the event selects and of
 * IA32_FIXED_CTR_CTRL exit and hv clears it, as the SDM recommends to VMMs
 * (Vol. 3B 20.2.3.1): it would count what the other logical processor of
 * the core runs, which may be another partition.
 *
 * Freeze_PerfMon_On_PMI and Freeze_LBRs_On_PMI: with version 4 the CPU
 * freezes by setting CTR_FRZ and LBR_FRZ in IA32_PERF_GLOBAL_STATUS (SDM
 * Vol. 3B 20.2.4.1, 18.4.7) when the PMI happens, in the guest's context
 * (its IA32_DEBUGCTL loaded). hv switches that status with the counters, so
 * a frozen vCPU stays frozen across switches, and the LBR stack's owner
 * owns the counters too (claim_lbr()).
 */
#include <hv/core/console.h>
#include <hv/core/feature.h>
#include <hv/core/frame.h>
#include <hv/core/percpu.h>
#include <hv/core/spinlock.h>
#include <hv/lib/string.h>
#include <hv/pmu/pmu.h>
#include <hv/vmx/exit_reasons.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define CPUID_PMU_LEAF 0xaU
/* CPUID.0AH:EAX[31:24]: the length of EBX's event vector, which stays the host's. */
#define PMU_LEAF_EVENT_VECTOR_LENGTH GENMASK(31, 24)
#define PMU_LEAF_FIXED_WIDTH_SHIFT 5
#define PMU_GUEST_MAX_VERSION 4U /* what hv implements and tests */
/* IA32_PERF_GLOBAL_STATUS bits that travel with the counters: STATUS_SET sets them. */
#define STATUS_FREEZE_BITS (PERF_GLOBAL_STATUS_LBR_FRZ | PERF_GLOBAL_STATUS_CTR_FRZ)

struct pmu_counters {
	u64 pmc[PMU_MAX_GP_COUNTERS];
	u64 evtsel[PMU_MAX_GP_COUNTERS];
	u64 fixed[PMU_MAX_FIXED_COUNTERS];
	u64 fixed_ctrl; /* IA32_FIXED_CTR_CTRL */
	u64 status; /* IA32_PERF_GLOBAL_STATUS, its restorable bits */
};

struct lbr_stack {
	u64 select, tos;
	u64 from[LBR_MAX_RECORDS], to[LBR_MAX_RECORDS], info[LBR_MAX_RECORDS];
};

/*
 * A vCPU's PMU and LBR state, in two frames: its MSR bitmap (page-aligned,
 * as the VMCS wants it) and this.
 */
struct pmu_vcpu {
	bool counters_claimed; /* since its first access; then its counters go with it */
	bool lbr_claimed; /* it used the LBRs: they go with it while it records */
	bool lbr_passthrough; /* its LBR MSRs pass through: the CPU's stack is its */
	u32 counter_loads, lbr_loads; /* times its state went into the hardware */
	u8 *msr_bitmap; /* its own copy of the partition's: passthrough follows ownership */
	struct pmu_counters counters; /* while another vCPU's are in the hardware */
	struct lbr_stack lbr;
};

struct pmu_owners {
	struct vcpu *counters, *lbr; /* whose state each CPU's hardware holds */
};

static struct pmu_owners owners[MAX_CPUS];

/* hv's own use of the PMU and the partitions that may own it: see pmu_hv_claim(). */
static struct spinlock users_lock = SPINLOCK_INIT;
static const char *hv_user;
static u32 pmu_partitions;

static u32 guest_gp_counters(void)
{
	return MIN(pmu_caps.nr_gp_counters, PMU_MAX_GP_COUNTERS);
}

static u32 guest_fixed_counters(void)
{
	return MIN(pmu_caps.nr_fixed_counters, PMU_MAX_FIXED_COUNTERS);
}

/* IA32_PERF_GLOBAL_CTRL's bits for the counters guests see; also their status bits. */
static u64 counter_bits(void)
{
	u32 gp = guest_gp_counters(), fixed = guest_fixed_counters();

	return (gp ? GENMASK(gp - 1, 0) : 0) |
	       (fixed ? GENMASK(fixed - 1, 0) << PERF_GLOBAL_FIXED_SHIFT : 0);
}

/* IA32_PERF_GLOBAL_CTRL at reset: bits n-1:0 for the n general-purpose counters (SDM Vol. 3A 10.1). */
static u64 global_ctrl_reset(void)
{
	return GENMASK(guest_gp_counters() - 1, 0);
}

static bool in_range(u32 msr, u32 first, u32 count)
{
	return msr - first < count;
}

/* ---- saving and loading the hardware's state (VMX root: nothing counts) ---- */

static void save_counters(struct pmu_counters *s)
{
	u32 i;

	for (i = 0; i < guest_gp_counters(); i++) {
		s->pmc[i] = rdmsr(MSR_IA32_PMC0 + i);
		s->evtsel[i] = rdmsr(MSR_IA32_PERFEVTSEL0 + i);
	}
	for (i = 0; i < guest_fixed_counters(); i++)
		s->fixed[i] = rdmsr(MSR_IA32_FIXED_CTR0 + i);
	s->fixed_ctrl = rdmsr(MSR_IA32_FIXED_CTR_CTRL);
	s->status = rdmsr(MSR_IA32_PERF_GLOBAL_STATUS) & (counter_bits() | STATUS_FREEZE_BITS);
}

/* Full-width writes (IA32_A_PMCn): IA32_PMCn would take only 32 bits sign-extended. */
static void load_counters(const struct pmu_counters *s)
{
	u32 i;

	for (i = 0; i < guest_gp_counters(); i++) {
		wrmsr(MSR_IA32_A_PMC0 + i, s->pmc[i]);
		wrmsr(MSR_IA32_PERFEVTSEL0 + i, s->evtsel[i]);
	}
	for (i = 0; i < guest_fixed_counters(); i++)
		wrmsr(MSR_IA32_FIXED_CTR0 + i, s->fixed[i]);
	wrmsr(MSR_IA32_FIXED_CTR_CTRL, s->fixed_ctrl);
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_RESET, counter_bits() | STATUS_FREEZE_BITS);
	wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_SET, s->status);
}

static void save_lbr(struct lbr_stack *s)
{
	u32 i;

	s->select = rdmsr(MSR_IA32_LBR_SELECT);
	s->tos = rdmsr(MSR_IA32_LASTBRANCH_TOS);
	for (i = 0; i < pmu_caps.lbr_depth; i++) {
		s->from[i] = rdmsr(MSR_IA32_LASTBRANCH_0_FROM_IP + i);
		s->to[i] = rdmsr(MSR_IA32_LASTBRANCH_0_TO_IP + i);
		if (pmu_caps.lbr_info)
			s->info[i] = rdmsr(MSR_IA32_LBR_INFO_0 + i);
	}
}

/*
 * A record the CPU does not take back as it gave it (some CPUs check bits
 * of FROM_IP a read may show otherwise) is cleared rather than left: it
 * would be another vCPU's.
 */
static void write_or_clear(u32 msr, u64 val)
{
	if (wrmsr_safe(msr, val))
		wrmsr(msr, 0);
}

static void load_lbr(const struct lbr_stack *s)
{
	u32 i;

	for (i = 0; i < pmu_caps.lbr_depth; i++) {
		write_or_clear(MSR_IA32_LASTBRANCH_0_FROM_IP + i, s->from[i]);
		write_or_clear(MSR_IA32_LASTBRANCH_0_TO_IP + i, s->to[i]);
		if (pmu_caps.lbr_info)
			write_or_clear(MSR_IA32_LBR_INFO_0 + i, s->info[i]);
	}
	write_or_clear(MSR_IA32_LBR_SELECT, s->select);
	write_or_clear(MSR_IA32_LASTBRANCH_TOS, s->tos);
}

/* ---- ownership ---- */

static void take_counters(struct pmu_owners *o, struct vcpu *v)
{
	if (o->counters == v)
		return;
	if (o->counters)
		save_counters(&o->counters->pmu->counters);
	load_counters(&v->pmu->counters);
	v->pmu->counter_loads++;
	o->counters = v;
}

static void take_lbr(struct pmu_owners *o, struct vcpu *v)
{
	if (o->lbr == v)
		return;
	if (o->lbr)
		save_lbr(&o->lbr->pmu->lbr);
	load_lbr(&v->pmu->lbr);
	v->pmu->lbr_loads++;
	o->lbr = v;
}

/* The MSRs of the counters the guest sees: read and write without exits, or exit again. */
static void counters_passthrough(u8 *bitmap)
{
	bool controls = !pmu_caps.any_thread; /* else their writes clear AnyThread */
	u32 i;

	for (i = 0; i < guest_gp_counters(); i++) {
		vmx_msr_bitmap_allow(bitmap, MSR_IA32_PMC0 + i, true, true);
		vmx_msr_bitmap_allow(bitmap, MSR_IA32_A_PMC0 + i, true, true);
		vmx_msr_bitmap_allow(bitmap, MSR_IA32_PERFEVTSEL0 + i, true, controls);
	}
	for (i = 0; i < guest_fixed_counters(); i++)
		vmx_msr_bitmap_allow(bitmap, MSR_IA32_FIXED_CTR0 + i, true, true);
	vmx_msr_bitmap_allow(bitmap, MSR_IA32_FIXED_CTR_CTRL, true, controls);
	vmx_msr_bitmap_allow(bitmap, MSR_IA32_PERF_GLOBAL_STATUS, true, false);
	vmx_msr_bitmap_allow(bitmap, MSR_IA32_PERF_GLOBAL_STATUS_RESET, true, true);
	/* Writes are checked (set_status()): only bits hv switches may be set. */
	vmx_msr_bitmap_allow(bitmap, MSR_IA32_PERF_GLOBAL_STATUS_SET, true, false);
	vmx_msr_bitmap_allow(bitmap, MSR_IA32_PERF_GLOBAL_INUSE, true, false);
	vmx_msr_bitmap_allow(bitmap, MSR_IA32_PERF_GLOBAL_CTRL, true,
			     pmu_caps.save_perf_global_ctrl);
}

static void lbr_bitmap(u8 *bitmap, bool passthrough)
{
	void (*set)(u8 *, u32, bool, bool) =
		passthrough ? vmx_msr_bitmap_allow : vmx_msr_bitmap_intercept;
	u32 i;

	set(bitmap, MSR_IA32_LBR_SELECT, true, true);
	set(bitmap, MSR_IA32_LASTBRANCH_TOS, true, true);
	for (i = 0; i < pmu_caps.lbr_depth; i++) {
		set(bitmap, MSR_IA32_LASTBRANCH_0_FROM_IP + i, true, true);
		set(bitmap, MSR_IA32_LASTBRANCH_0_TO_IP + i, true, true);
		if (pmu_caps.lbr_info)
			set(bitmap, MSR_IA32_LBR_INFO_0 + i, true, true);
	}
}

/* @v's first use of the counters, or a use that exits anyway; on its CPU, VMCS current. */
static void claim_counters(struct vcpu *v)
{
	struct pmu_vcpu *pv = v->pmu;

	take_counters(&owners[this_cpu_id()], v);
	if (pv->counters_claimed)
		return;
	pv->counters_claimed = true;
	counters_passthrough(pv->msr_bitmap);
	vmwrite(CPU_BASED_VM_EXEC_CONTROL,
		vmread(CPU_BASED_VM_EXEC_CONTROL) & ~(u64)CPU_RDPMC_EXITING);
	vmwrite(GUEST_IA32_PERF_GLOBAL_CTRL, global_ctrl_reset());
}

/* The LBR stack's freeze bit is in the counters' status: its owner owns them too. */
static void claim_lbr(struct vcpu *v)
{
	struct pmu_vcpu *pv = v->pmu;

	claim_counters(v);
	take_lbr(&owners[this_cpu_id()], v);
	pv->lbr_claimed = true;
	if (!pv->lbr_passthrough) {
		lbr_bitmap(pv->msr_bitmap, true);
		pv->lbr_passthrough = true;
	}
}

/* The LBR availability check (see the top of this file); @v is not the stack's owner. */
static void lbr_check(struct pmu_owners *o, struct vcpu *v)
{
	struct pmu_vcpu *pv = v->pmu;

	if (vmread(GUEST_IA32_DEBUGCTL) & DEBUGCTL_LBR) {
		take_lbr(o, v);
		return;
	}
	if (pv->lbr_passthrough) {
		lbr_bitmap(pv->msr_bitmap, false);
		pv->lbr_passthrough = false;
	}
}

static __attribute__((noinline)) void switch_in_claimant(struct percpu *cpu, struct vcpu *next)
{
	struct pmu_owners *o = &owners[cpu->cpu_id];

	if (next->pmu->counters_claimed)
		take_counters(o, next);
	if (next->pmu->lbr_claimed && o->lbr != next)
		lbr_check(o, next);
}

/* Every switch of every CPU comes here: the common case (no PMU) is one test. */
static void pmu_switch_in(struct percpu *cpu, struct vcpu *next)
{
	if (likely(!next->pmu))
		return;
	switch_in_claimant(cpu, next);
}

/* @v leaves its CPU for good: whoever claims next loads its own state over @v's. */
static void pmu_vcpu_retire(struct percpu *cpu, struct vcpu *v)
{
	struct pmu_owners *o = &owners[cpu->cpu_id];

	if (o->counters == v)
		o->counters = NULL;
	if (o->lbr == v)
		o->lbr = NULL;
}

/* ---- MSRs, RDPMC, CPUID ---- */

/* The counter MSRs a vCPU with the PMU has, as CPUID tells it, but IA32_PERF_GLOBAL_CTRL. */
static bool counter_msr(const struct vcpu *v, u32 msr)
{
	u32 gp = guest_gp_counters();

	return v->pmu &&
	       (in_range(msr, MSR_IA32_PMC0, gp) || in_range(msr, MSR_IA32_A_PMC0, gp) ||
		in_range(msr, MSR_IA32_PERFEVTSEL0, gp) ||
		in_range(msr, MSR_IA32_FIXED_CTR0, guest_fixed_counters()) ||
		msr == MSR_IA32_FIXED_CTR_CTRL || msr == MSR_IA32_PERF_GLOBAL_STATUS ||
		msr == MSR_IA32_PERF_GLOBAL_STATUS_RESET ||
		msr == MSR_IA32_PERF_GLOBAL_STATUS_SET || msr == MSR_IA32_PERF_GLOBAL_INUSE);
}

/* After the claim the hardware holds the vCPU's counters: it answers, #GP included. */
static int counter_read(struct vcpu *v, u32 msr, u64 *val)
{
	if (!counter_msr(v, msr))
		return -1;
	claim_counters(v);
	return rdmsr_safe(msr, val);
}

static u64 any_thread_bits(u32 msr)
{
	u64 bits = 0;
	u32 i;

	if (!pmu_caps.any_thread)
		return 0;
	if (in_range(msr, MSR_IA32_PERFEVTSEL0, guest_gp_counters()))
		return PERFEVTSEL_ANY_THREAD;
	if (msr == MSR_IA32_FIXED_CTR_CTRL)
		for (i = 0; i < guest_fixed_counters(); i++)
			bits |= FIXED_CTR_CTRL_ANY_THREAD(i);
	return bits;
}

static int counter_write(struct vcpu *v, u32 msr, u64 val)
{
	if (!counter_msr(v, msr))
		return -1;
	/* Only the status bits hv switches: any other would stay for the next owner. */
	if (msr == MSR_IA32_PERF_GLOBAL_STATUS_SET &&
	    (val & ~(counter_bits() | STATUS_FREEZE_BITS)))
		return -1;
	claim_counters(v);
	return wrmsr_safe(msr, val & ~any_thread_bits(msr));
}

/* In the VMCS: the hardware's is 0 while hv runs. */
static int global_ctrl_read(struct vcpu *v, u32 msr, u64 *val)
{
	if (!v->pmu)
		return -1;
	claim_counters(v);
	*val = vmread(GUEST_IA32_PERF_GLOBAL_CTRL);
	return 0;
}

static int global_ctrl_write(struct vcpu *v, u32 msr, u64 val)
{
	if (!v->pmu || (val & ~counter_bits()))
		return -1;
	claim_counters(v);
	vmwrite(GUEST_IA32_PERF_GLOBAL_CTRL, val);
	return 0;
}

/* Read-only: full-width writes, and the LBR format where the LBRs are given. */
static int perf_capabilities_read(struct vcpu *v, u32 msr, u64 *val)
{
	if (!v->pmu)
		return -1;
	*val = pmu_caps.perf_capabilities &
	       (PERF_CAP_FULL_WIDTH_WRITE | (pmu_caps.guest_lbr ? PERF_CAP_LBR_FORMAT_MASK : 0));
	return 0;
}

/* In the VMCS (load/save debug controls); without the PMU it holds only 0. */
static int debugctl_read(struct vcpu *v, u32 msr, u64 *val)
{
	*val = vmread(GUEST_IA32_DEBUGCTL);
	return 0;
}

static int debugctl_write(struct vcpu *v, u32 msr, u64 val)
{
	if (val & ~(v->pmu ? pmu_caps.guest_debugctl : 0))
		return -1;
	if (val & DEBUGCTL_LBR)
		claim_lbr(v);
	vmwrite(GUEST_IA32_DEBUGCTL, val);
	return 0;
}

static bool lbr_msr(const struct vcpu *v, u32 msr)
{
	u32 depth = pmu_caps.lbr_depth;

	return v->pmu && pmu_caps.guest_lbr &&
	       (msr == MSR_IA32_LBR_SELECT || msr == MSR_IA32_LASTBRANCH_TOS ||
		in_range(msr, MSR_IA32_LASTBRANCH_0_FROM_IP, depth) ||
		in_range(msr, MSR_IA32_LASTBRANCH_0_TO_IP, depth) ||
		(pmu_caps.lbr_info && in_range(msr, MSR_IA32_LBR_INFO_0, depth)));
}

static int lbr_read(struct vcpu *v, u32 msr, u64 *val)
{
	if (!lbr_msr(v, msr))
		return -1;
	claim_lbr(v);
	return rdmsr_safe(msr, val);
}

static int lbr_write(struct vcpu *v, u32 msr, u64 val)
{
	if (!lbr_msr(v, msr))
		return -1;
	claim_lbr(v);
	return wrmsr_safe(msr, val);
}

/*
 * The first RDPMC claims the counters; it then runs again, without exiting
 * (its #GP for a counter that does not exist is the CPU's). Its #GP for
 * CPL > 0 without CR4.PCE comes before the exit (SDM Vol. 3C 26.1.1).
 */
static enum exit_action handle_rdpmc(struct vcpu *v)
{
	if (!v->pmu) {
		vmx_inject_gp();
		return EXIT_RESUME;
	}
	claim_counters(v);
	return EXIT_RESUME;
}

/*
 * Leaf 0AH: the host's PMU, at most version 4 and the counters hv switches;
 * none without the PMU. Leaf 01H: PDCM, for IA32_PERF_CAPABILITIES.
 */
static void pmu_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	if (leaf == 1) {
		if (v->pmu)
			r->ecx |= CPUID_1_ECX_PDCM;
		return;
	}
	if (!v->pmu) {
		*r = (struct cpuid_regs){ 0, 0, 0, 0 };
		return;
	}
	r->eax = MIN(pmu_caps.version, PMU_GUEST_MAX_VERSION) | guest_gp_counters() << 8 |
		 (u32)pmu_caps.gp_width << 16 | (r->eax & PMU_LEAF_EVENT_VECTOR_LENGTH);
	r->ecx = 0;
	r->edx = guest_fixed_counters() | (u32)pmu_caps.fixed_width << PMU_LEAF_FIXED_WIDTH_SHIFT;
}

/* ---- the vCPU's and the partition's life ---- */

#define PMU_VCPU_FRAMES 2 /* the MSR bitmap, then struct pmu_vcpu */
_Static_assert(sizeof(struct pmu_vcpu) <= PAGE_SIZE, "struct pmu_vcpu fits its frame");

static int pmu_vcpu_init(struct vcpu *v)
{
	u64 pa;
	u8 *frames;

	v->pmu = NULL;
	if (!v->partition->pmu || !pmu_caps.guest_pmu)
		return 0;
	pa = frame_alloc_charged(&v->partition->hv_frames, PMU_VCPU_FRAMES, PAGE_SIZE);
	if (!pa)
		return -1;
	frames = memset(phys_to_virt(pa), 0, PMU_VCPU_FRAMES * PAGE_SIZE);
	v->pmu = (struct pmu_vcpu *)(frames + PAGE_SIZE);
	v->pmu->msr_bitmap = frames;
	return 0;
}

static void pmu_vcpu_destroy(struct vcpu *v)
{
	if (v->pmu)
		frame_free_charged(&v->partition->hv_frames, virt_to_phys(v->pmu->msr_bitmap),
				   PMU_VCPU_FRAMES);
	v->pmu = NULL;
}

/*
 * Its own MSR bitmap, a copy of the partition's final one; the controls
 * that keep counting out of VMX root operation, with IA32_PERF_GLOBAL_CTRL
 * 0 until it claims the counters.
 */
static void pmu_vmcs_init(struct vcpu *v)
{
	if (!v->pmu)
		return;
	memcpy(v->pmu->msr_bitmap, v->partition->msr_bitmap, PAGE_SIZE);
	vmwrite(MSR_BITMAP, virt_to_phys(v->pmu->msr_bitmap));
	vmwrite(VM_ENTRY_CONTROLS, vmread(VM_ENTRY_CONTROLS) | ENTRY_LOAD_PERF_GLOBAL_CTRL);
	vmwrite(VM_EXIT_CONTROLS,
		vmread(VM_EXIT_CONTROLS) | EXIT_LOAD_PERF_GLOBAL_CTRL |
			(pmu_caps.save_perf_global_ctrl ? EXIT_SAVE_PERF_GLOBAL_CTRL : 0));
	vmwrite(GUEST_IA32_PERF_GLOBAL_CTRL, 0);
	vmwrite(HOST_IA32_PERF_GLOBAL_CTRL, 0);
}

static bool gets_pmu(const struct partition *p)
{
	return p->pmu && pmu_caps.guest_pmu;
}

static int pmu_partition_init(struct partition *p)
{
	int ret = 0;

	if (p->pmu && !pmu_caps.guest_pmu)
		printk("hv: %s: hv.pmu=on, but hv cannot give this CPU's PMU (%s): it sees none\n",
		       p->name, pmu_caps.no_guest_pmu);
	if (!gets_pmu(p))
		return 0;
	spin_lock(&users_lock);
	if (hv_user) {
		printk("hv: %s: hv.pmu=on refused: hv's %s uses the PMU\n", p->name, hv_user);
		ret = -1;
	} else {
		pmu_partitions++;
	}
	spin_unlock(&users_lock);
	return ret;
}

static void pmu_partition_destroy(struct partition *p)
{
	if (!gets_pmu(p))
		return;
	spin_lock(&users_lock);
	pmu_partitions--;
	spin_unlock(&users_lock);
}

static void pmu_report(const struct partition *p)
{
	u32 i, counters = 0, lbr = 0;

	if (!gets_pmu(p))
		return;
	for (i = 0; i < p->nr_vcpus; i++) {
		counters += p->vcpus[i]->pmu->counter_loads;
		lbr += p->vcpus[i]->pmu->lbr_loads;
	}
	printk("hv: %s: PMU: counters loaded %u times, LBR stack %u times\n", p->name, counters,
	       lbr);
}

int pmu_hv_claim(const char *who)
{
	int ret = -1;

	spin_lock(&users_lock);
	if (pmu_partitions)
		printk("hv: %s wants the PMU, which %u partition(s) with hv.pmu=on own: refused\n",
		       who, pmu_partitions);
	else if (hv_user)
		printk("hv: %s wants the PMU, which hv's %s uses: refused\n", who, hv_user);
	else
		ret = 0;
	if (!ret)
		hv_user = who;
	spin_unlock(&users_lock);
	return ret;
}

void pmu_hv_release(void)
{
	spin_lock(&users_lock);
	hv_user = NULL;
	spin_unlock(&users_lock);
}

static const struct msr_handler pmu_msrs[] = {
	{ MSR_IA32_PMC0, MSR_IA32_PMC0 + PMU_MAX_GP_COUNTERS - 1, counter_read, counter_write },
	{ MSR_IA32_A_PMC0, MSR_IA32_A_PMC0 + PMU_MAX_GP_COUNTERS - 1, counter_read, counter_write },
	{ MSR_IA32_PERFEVTSEL0, MSR_IA32_PERFEVTSEL0 + PMU_MAX_GP_COUNTERS - 1, counter_read,
	  counter_write },
	{ MSR_IA32_FIXED_CTR0, MSR_IA32_FIXED_CTR0 + PMU_MAX_FIXED_COUNTERS - 1, counter_read,
	  counter_write },
	{ MSR_IA32_FIXED_CTR_CTRL, MSR_IA32_PERF_GLOBAL_STATUS, counter_read, counter_write },
	{ MSR_IA32_PERF_GLOBAL_CTRL, MSR_IA32_PERF_GLOBAL_CTRL, global_ctrl_read,
	  global_ctrl_write },
	{ MSR_IA32_PERF_GLOBAL_STATUS_RESET, MSR_IA32_PERF_GLOBAL_INUSE, counter_read,
	  counter_write },
	{ MSR_IA32_PERF_CAPABILITIES, MSR_IA32_PERF_CAPABILITIES, perf_capabilities_read, NULL },
	{ MSR_IA32_DEBUGCTL, MSR_IA32_DEBUGCTL, debugctl_read, debugctl_write },
	{ MSR_IA32_LBR_SELECT, MSR_IA32_LASTBRANCH_TOS, lbr_read, lbr_write },
	{ MSR_IA32_LASTBRANCH_0_FROM_IP, MSR_IA32_LASTBRANCH_0_FROM_IP + LBR_MAX_RECORDS - 1,
	  lbr_read, lbr_write },
	{ MSR_IA32_LASTBRANCH_0_TO_IP, MSR_IA32_LASTBRANCH_0_TO_IP + LBR_MAX_RECORDS - 1, lbr_read,
	  lbr_write },
	{ MSR_IA32_LBR_INFO_0, MSR_IA32_LBR_INFO_0 + LBR_MAX_RECORDS - 1, lbr_read, lbr_write },
};

static const struct feature_exit pmu_exits[] = {
	{ EXIT_REASON_RDPMC, handle_rdpmc },
};

DEFINE_FEATURE(pmu_feature) = {
	.name = "pmu",
	.partition_init = pmu_partition_init,
	.partition_destroy = pmu_partition_destroy,
	.report = pmu_report,
	.vcpu_init = pmu_vcpu_init,
	.vcpu_destroy = pmu_vcpu_destroy,
	.vmcs_init = pmu_vmcs_init,
	.switch_in = pmu_switch_in,
	.vcpu_retire = pmu_vcpu_retire,
	.exits = pmu_exits,
	.nr_exits = ARRAY_SIZE(pmu_exits),
	.msrs = pmu_msrs,
	.nr_msrs = ARRAY_SIZE(pmu_msrs),
	.cpuid = pmu_cpuid,
	.cpuid_leaves = BIT(1) | BIT(CPUID_PMU_LEAF),
};
