// SPDX-License-Identifier: GPL-2.0
/*
 * hv/pmu against a model of the PMU and the LBR stack written from the SDM
 * (tests/model/pmu_model.h): the probe, and what vCPUs of partitions with
 * and without hv.pmu=on see as they claim the PMU and the LBRs and as one
 * CPU switches between them. The test plays the CPU and hv's run loop: a
 * guest's RDMSR, WRMSR or RDPMC exits as the vCPU's MSR bitmap and controls
 * say, and then reaches the feature's handlers between a VM exit and a VM
 * entry of the model; otherwise it reaches the model directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/core/feature.h>
#include <hv/core/frame.h>
#include <hv/core/partition.h>
#include <hv/core/percpu.h>
#include <hv/pmu/pmu.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/exit_reasons.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#include "../model/ept_env.h"
#include "../model/pmu_model.h"

extern const struct feature pmu_feature;

#define GP 13
#define NO_EXCEPTION (-1)
#define EVTSEL_OS BIT(17)
#define EVTSEL_INT BIT(20)
#define EVTSEL_ANY BIT(21)
#define EVTSEL_EN BIT(22)
#define EVENT_INSTRUCTIONS 0xc0
#define FIXED_OS 1ULL
#define FIXED_ANY 4ULL
#define RDPMC_FIXED BIT(30)
#define CPL0 0
#define LBR_SELECT_CPL_NEQ_0 BIT(1)

/* ---- what hv/core and hv/vmx give the feature in hv ---- */

static char printed[1024];
static int injected = NO_EXCEPTION;

void printk(const char *fmt, ...)
{
	size_t len = strlen(printed);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(printed + len, sizeof(printed) - len, fmt, ap);
	va_end(ap);
}

void vmx_inject_exception(u8 vector, bool has_error_code, u32 error_code)
{
	injected = vector;
}

/* ---- partitions and vCPUs as partition_create() and vmx_vcpu_setup() build them ---- */

struct env_vcpu {
	struct vcpu v;
	unsigned int vmcs; /* its model VMCS slot */
};

static struct env_vcpu vcpus[MODEL_VMCS_SLOTS];
static unsigned int nr_env_vcpus;
static struct percpu *cpu;
/* The partitions a test made and did not tear down yet (teardown() does, if it failed). */
static struct partition *live[MODEL_VMCS_SLOTS + 1]; /* NULL-terminated */

static struct partition *partition(const char *name, bool pmu, u32 nr_vcpus)
{
	struct partition *p = calloc(1, sizeof(*p));
	u64 bitmap = frame_alloc(1, PAGE_SIZE);
	u32 i;

	assert_non_null(p);
	assert_true(bitmap && nr_env_vcpus + nr_vcpus <= MODEL_VMCS_SLOTS);
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->pmu = pmu;
	p->hv_frames.limit = UINT64_MAX; /* the bound is test_frame's; here it is not the subject */
	p->msr_bitmap = memset(phys_to_virt(bitmap), 0xff, PAGE_SIZE);
	for (i = 0; i < nr_vcpus; i++) {
		struct env_vcpu *e = &vcpus[nr_env_vcpus];
		struct vcpu *v = &e->v;

		memset(e, 0, sizeof(*e));
		e->vmcs = nr_env_vcpus++;
		v->partition = p;
		v->id = i;
		v->home = cpu;
		p->vcpus[p->nr_vcpus++] = v;
		assert_int_equal(pmu_feature.vcpu_init(v), 0);
	}
	if (pmu_feature.partition_init(p)) {
		for (i = 0; i < p->nr_vcpus; i++)
			pmu_feature.vcpu_destroy(p->vcpus[i]);
		return NULL;
	}
	for (i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = p->vcpus[i];

		model_vmcs_load(container_of(v, struct env_vcpu, v)->vmcs);
		model_vmcs_reset();
		vmwrite(CPU_BASED_VM_EXEC_CONTROL, CPU_RDPMC_EXITING | CPU_USE_MSR_BITMAPS);
		vmwrite(VM_ENTRY_CONTROLS, ENTRY_LOAD_DEBUG_CONTROLS);
		vmwrite(VM_EXIT_CONTROLS, EXIT_SAVE_DEBUG_CONTROLS);
		vmwrite(MSR_BITMAP, virt_to_phys(p->msr_bitmap));
		vmwrite(GUEST_IA32_DEBUGCTL, 0);
		pmu_feature.vmcs_init(v);
	}
	cpu->loaded_vcpu = NULL;
	for (i = 0; live[i]; i++)
		;
	live[i] = p;
	return p;
}

/* Its last vCPU retired: as partition_reap() and free_partition() tear it down. */
static void partition_gone(struct partition *p)
{
	u32 i;

	for (i = 0; live[i] != p; i++)
		;
	for (; i + 1 < ARRAY_SIZE(live); i++)
		live[i] = live[i + 1];
	live[i] = NULL;
	for (i = 0; i < p->nr_vcpus; i++)
		pmu_feature.vcpu_retire(cpu, p->vcpus[i]);
	pmu_feature.partition_destroy(p);
	for (i = 0; i < p->nr_vcpus; i++)
		pmu_feature.vcpu_destroy(p->vcpus[i]);
	frame_free(virt_to_phys(p->msr_bitmap), 1);
	free(p);
	if (cpu->loaded_vcpu && cpu->loaded_vcpu->partition == p)
		cpu->loaded_vcpu = NULL;
}

/* ---- the run loop and the CPU ---- */

/* The CPU switches to @v (VMPTRLD and the switch_in hooks, when it changes) and enters it. */
static void run(struct vcpu *v)
{
	model_vmcs_load(container_of(v, struct env_vcpu, v)->vmcs);
	if (cpu->loaded_vcpu != v)
		pmu_feature.switch_in(cpu, v);
	cpu->loaded_vcpu = v;
	model_pmu_vm_entry();
}

static unsigned int exits;

/* A VM exit whose handler @fn runs in root operation; then the same vCPU is entered again. */
#define EXIT_TO_HV(stmt)              \
	do {                          \
		exits++;              \
		model_pmu_vm_exit();  \
		stmt;                 \
		model_pmu_vm_entry(); \
	} while (0)

static bool bitmap_exits(u32 msr, bool write)
{
	const u8 *bitmap = phys_to_virt(vmread(MSR_BITMAP));
	u32 base = write ? 2048 : 0;

	/* SDM Vol. 3C 25.6.9: low MSRs only here */
	assert_true(msr < 0x2000);
	return bitmap[base + msr / 8] & (1 << msr % 8);
}

static const struct msr_handler *handler(u32 msr)
{
	u32 i;

	for (i = 0; i < pmu_feature.nr_msrs; i++)
		if (msr >= pmu_feature.msrs[i].first && msr <= pmu_feature.msrs[i].last)
			return &pmu_feature.msrs[i];
	return NULL;
}

/* The guest's RDMSR: NO_EXCEPTION or GP. */
static int guest_rdmsr(struct vcpu *v, u32 msr, u64 *val)
{
	const struct msr_handler *h = handler(msr);
	int r = 0;

	if (!bitmap_exits(msr, false))
		return rdmsr_safe(msr, val) ? GP : NO_EXCEPTION;
	EXIT_TO_HV(r = h && h->read ? h->read(v, msr, val) : -1);
	return r ? GP : NO_EXCEPTION;
}

static int guest_wrmsr(struct vcpu *v, u32 msr, u64 val)
{
	const struct msr_handler *h = handler(msr);
	int r = 0;

	if (!bitmap_exits(msr, true))
		return wrmsr_safe(msr, val) ? GP : NO_EXCEPTION;
	EXIT_TO_HV(r = h && h->write ? h->write(v, msr, val) : -1);
	return r ? GP : NO_EXCEPTION;
}

static u64 guest_read(struct vcpu *v, u32 msr)
{
	u64 val = 0;

	assert_int_equal(guest_rdmsr(v, msr, &val), NO_EXCEPTION);
	return val;
}

static void guest_write(struct vcpu *v, u32 msr, u64 val)
{
	assert_int_equal(guest_wrmsr(v, msr, val), NO_EXCEPTION);
}

/* RDPMC: exits while RDPMC exiting is on; the handler claims, or injects #GP. */
static int guest_rdpmc(struct vcpu *v, u32 ecx, u64 *val)
{
	while (vmread(CPU_BASED_VM_EXEC_CONTROL) & CPU_RDPMC_EXITING) {
		injected = NO_EXCEPTION;
		EXIT_TO_HV(pmu_feature.exits[0].handle(v));
		if (injected != NO_EXCEPTION)
			return injected;
	}
	return model_pmu_rdpmc(ecx, val) ? GP : NO_EXCEPTION;
}

/* CPUID @leaf as hv answers it: the host's, then the feature's adjustment. */
static struct cpuid_regs guest_cpuid(struct vcpu *v, u32 leaf)
{
	struct cpuid_regs r = cpuid(leaf, 0);

	if (leaf == 1)
		r.ecx &= ~(u32)CPUID_1_ECX_PDCM; /* hv/vmx/cpuid.c hides it for everyone */
	pmu_feature.cpuid(v, leaf, 0, &r);
	return r;
}

/* IA32_PMC0 counts instructions at CPL 0, enabled globally. */
static void count_instructions(struct vcpu *v)
{
	guest_write(v, MSR_IA32_PERFEVTSEL0, EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_EN);
	guest_write(v, MSR_IA32_PERF_GLOBAL_CTRL, BIT(0));
}

/* ---- setup ---- */

static void probe(const struct model_pmu_config *c)
{
	struct vmx_caps_error err;

	model_cpuid_reset();
	model_set_bochs_sapphire_rapids_vmx_msrs();
	assert_int_equal(vmx_read_caps(&vmx_caps), 0);
	assert_int_equal(vmx_compute_controls(&vmx_caps, &err), 0);
	model_pmu_install(c);
	memset(&pmu_caps, 0, sizeof(pmu_caps));
	printed[0] = 0;
	pmu_probe();
}

static int setup(void **state)
{
	ept_env_reset(1);
	cpu = &percpu_area[0];
	nr_env_vcpus = 0;
	exits = 0;
	injected = NO_EXCEPTION;
	probe(&model_pmu_bochs3);
	printed[0] = 0;
	return 0;
}

/* What a failed test left behind must not fail the next ones. */
static int teardown(void **state)
{
	while (live[0])
		partition_gone(live[0]);
	pmu_hv_release();
	return 0;
}

/* ---- the probe ---- */

static void the_reference_engines_pmu_and_lbrs_are_given(void **state)
{
	assert_true(pmu_caps.pmu_usable && pmu_caps.guest_pmu && pmu_caps.guest_lbr);
	assert_int_equal(pmu_caps.version, 4);
	assert_int_equal(pmu_caps.nr_gp_counters, 8);
	assert_int_equal(pmu_caps.nr_fixed_counters, 3);
	assert_int_equal(pmu_caps.gp_width, 48);
	assert_int_equal(pmu_caps.lbr_depth, 32);
	assert_true(pmu_caps.lbr_info && pmu_caps.save_perf_global_ctrl && pmu_caps.any_thread);
	assert_int_equal(pmu_caps.guest_debugctl, DEBUGCTL_LBR | DEBUGCTL_FREEZE_LBRS_ON_PMI |
							  DEBUGCTL_FREEZE_PERFMON_ON_PMI);
	/* The probe leaves IA32_DEBUGCTL as it found it. */
	assert_int_equal(model_pmu_debugctl(), 0);
}

/* Bochs 2.7: CPUID.0AH announces a PMU whose MSRs all raise #GP. */
static void cpuid_alone_gives_no_pmu(void **state)
{
	model_cpuid_reset();
	probe(NULL);
	model_cpuid_set(0xa, 0, (struct cpuid_regs){ 0x07300805, 0, 0, 0x603 });
	memset(&pmu_caps, 0, sizeof(pmu_caps));
	pmu_probe();
	assert_false(pmu_caps.pmu_usable || pmu_caps.guest_pmu || pmu_caps.lbr_usable ||
		     pmu_caps.guest_lbr);
	assert_non_null(strstr(printed, "no PMU: no architectural PMU answers its MSRs"));
}

static void version_3_cannot_restore_a_status(void **state)
{
	struct model_pmu_config c = model_pmu_bochs3;

	c.version = 3;
	probe(&c);
	assert_true(pmu_caps.pmu_usable);
	assert_false(pmu_caps.guest_pmu || pmu_caps.guest_lbr);
	assert_non_null(strstr(printed, "version below 4"));
	assert_non_null(strstr(printed, "no LBRs: the PMU is not given"));
}

static void without_full_width_writes_no_count_can_be_restored(void **state)
{
	struct model_pmu_config c = model_pmu_bochs3;

	c.full_width_writes = false;
	probe(&c);
	assert_false(pmu_caps.guest_pmu);
	assert_non_null(strstr(printed, "full-width"));
}

static void without_the_load_controls_counting_would_not_stop_in_root(void **state)
{
	model_msr_set(MSR_IA32_VMX_TRUE_EXIT_CTLS,
		      rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS) & ~(EXIT_LOAD_PERF_GLOBAL_CTRL << 32));
	assert_int_equal(vmx_read_caps(&vmx_caps), 0);
	memset(&pmu_caps, 0, sizeof(pmu_caps));
	pmu_probe();
	assert_false(pmu_caps.guest_pmu);
	assert_non_null(strstr(printed, "load IA32_PERF_GLOBAL_CTRL"));
}

static void the_lbr_depth_and_the_debugctl_bits_are_what_the_msrs_take(void **state)
{
	struct model_pmu_config c = model_pmu_bochs3;

	c.lbr_depth = 16;
	c.lbr_info = false;
	c.debugctl_bits = DEBUGCTL_LBR | DEBUGCTL_FREEZE_PERFMON_ON_PMI;
	probe(&c);
	assert_true(pmu_caps.guest_lbr);
	assert_int_equal(pmu_caps.lbr_depth, 16);
	assert_false(pmu_caps.lbr_info);
	assert_int_equal(pmu_caps.guest_debugctl, DEBUGCTL_LBR | DEBUGCTL_FREEZE_PERFMON_ON_PMI);
}

/* ---- partitions without the PMU ---- */

static const u32 pmu_and_lbr_msrs[] = {
	MSR_IA32_PMC0,
	MSR_IA32_A_PMC0 + 7,
	MSR_IA32_PERFEVTSEL0,
	MSR_IA32_FIXED_CTR0 + 2,
	MSR_IA32_FIXED_CTR_CTRL,
	MSR_IA32_PERF_GLOBAL_STATUS,
	MSR_IA32_PERF_GLOBAL_CTRL,
	MSR_IA32_PERF_GLOBAL_STATUS_RESET,
	MSR_IA32_PERF_GLOBAL_STATUS_SET,
	MSR_IA32_PERF_GLOBAL_INUSE,
	MSR_IA32_PERF_CAPABILITIES,
	MSR_IA32_LBR_SELECT,
	MSR_IA32_LASTBRANCH_TOS,
	MSR_IA32_LASTBRANCH_0_FROM_IP,
	MSR_IA32_LASTBRANCH_0_TO_IP + 31,
	MSR_IA32_LBR_INFO_0,
};

static void assert_sees_no_pmu(struct vcpu *v)
{
	struct cpuid_regs r = guest_cpuid(v, 0xa);
	u64 val;
	u32 i;

	assert_null(v->pmu);
	assert_true(!r.eax && !r.ebx && !r.ecx && !r.edx);
	assert_false(guest_cpuid(v, 1).ecx & CPUID_1_ECX_PDCM);
	for (i = 0; i < ARRAY_SIZE(pmu_and_lbr_msrs); i++) {
		assert_int_equal(guest_rdmsr(v, pmu_and_lbr_msrs[i], &val), GP);
		assert_int_equal(guest_wrmsr(v, pmu_and_lbr_msrs[i], 0), GP);
	}
	assert_int_equal(guest_rdpmc(v, 0, &val), GP);
	assert_int_equal(guest_read(v, MSR_IA32_DEBUGCTL), 0);
	assert_int_equal(guest_wrmsr(v, MSR_IA32_DEBUGCTL, 0), NO_EXCEPTION);
	assert_int_equal(guest_wrmsr(v, MSR_IA32_DEBUGCTL, DEBUGCTL_LBR), GP);
	/* hv never touched the hardware for it. */
	assert_int_equal(model_pmu_msr_accesses, 0);
}

static void without_hv_pmu_a_partition_sees_no_pmu(void **state)
{
	struct partition *p = partition("plain", false, 1);

	model_pmu_msr_accesses = 0;
	run(p->vcpus[0]);
	assert_sees_no_pmu(p->vcpus[0]);
	partition_gone(p);
}

static void hv_pmu_on_a_cpu_that_cannot_give_it_says_so_and_gives_none(void **state)
{
	struct model_pmu_config c = model_pmu_bochs3;
	struct partition *p;

	c.version = 3;
	probe(&c);
	printed[0] = 0;
	p = partition("asks", true, 1);
	assert_non_null(p);
	assert_non_null(strstr(printed, "asks: hv.pmu=on, but hv cannot give this CPU's PMU"));
	model_pmu_msr_accesses = 0;
	run(p->vcpus[0]);
	assert_sees_no_pmu(p->vcpus[0]);
	partition_gone(p);
}

/* ---- claims ---- */

static void the_first_access_claims_the_counters_and_passes_them_through(void **state)
{
	struct partition *p = partition("g", true, 1);
	struct vcpu *v = p->vcpus[0];
	struct cpuid_regs r;

	run(v);
	r = guest_cpuid(v, 0xa);
	assert_int_equal(r.eax, 0x07300804);
	assert_int_equal(r.edx, 0x603);
	assert_true(guest_cpuid(v, 1).ecx & CPUID_1_ECX_PDCM);
	/* Unclaimed: the counter MSRs exit, RDPMC exits, the guest's IA32_PERF_GLOBAL_CTRL is 0. */
	assert_true(bitmap_exits(MSR_IA32_PMC0, false) && bitmap_exits(MSR_IA32_PERFEVTSEL0, true));
	assert_true(vmread(CPU_BASED_VM_EXEC_CONTROL) & CPU_RDPMC_EXITING);
	assert_int_equal(vmread(GUEST_IA32_PERF_GLOBAL_CTRL), 0);
	assert_true(vmread(VM_ENTRY_CONTROLS) & ENTRY_LOAD_PERF_GLOBAL_CTRL);
	assert_true(vmread(VM_EXIT_CONTROLS) & EXIT_LOAD_PERF_GLOBAL_CTRL);
	assert_true(vmread(VM_EXIT_CONTROLS) & EXIT_SAVE_PERF_GLOBAL_CTRL);
	assert_int_equal(vmread(HOST_IA32_PERF_GLOBAL_CTRL), 0);

	exits = 0;
	assert_int_equal(guest_read(v, MSR_IA32_PMC0 + 3), 0);
	assert_int_equal(exits, 1);
	/* Claimed: its reset IA32_PERF_GLOBAL_CTRL; no exit for counters, RDPMC or GLOBAL_CTRL. */
	assert_int_equal(guest_read(v, MSR_IA32_PERF_GLOBAL_CTRL), 0xff);
	assert_int_equal(vmread(GUEST_IA32_PERF_GLOBAL_CTRL), 0xff);
	guest_write(v, MSR_IA32_A_PMC0 + 7, 0x123456789abcULL);
	guest_write(v, MSR_IA32_FIXED_CTR0 + 2, 77);
	guest_write(v, MSR_IA32_PERF_GLOBAL_CTRL, BIT(7));
	assert_int_equal(guest_read(v, MSR_IA32_PMC0 + 7), 0x123456789abcULL);
	assert_int_equal(guest_read(v, MSR_IA32_PERF_GLOBAL_STATUS), 0);
	assert_int_equal(exits, 1);
	/* Counters that CPUID does not report stay out of reach. */
	assert_true(bitmap_exits(MSR_IA32_PMC0 + 8, false) &&
		    bitmap_exits(MSR_IA32_FIXED_CTR0 + 3, false));
	assert_false(vmread(CPU_BASED_VM_EXEC_CONTROL) & CPU_RDPMC_EXITING);
	partition_gone(p);
}

static void rdpmc_claims_and_then_runs_without_exiting(void **state)
{
	struct partition *p = partition("g", true, 1);
	struct vcpu *v = p->vcpus[0];
	u64 val = 1;

	run(v);
	exits = 0;
	assert_int_equal(guest_rdpmc(v, RDPMC_FIXED | 1, &val), NO_EXCEPTION);
	assert_int_equal(val, 0);
	assert_int_equal(exits, 1);
	assert_int_equal(guest_rdpmc(v, 8, &val), GP); /* the CPU's own #GP now */
	assert_int_equal(exits, 1);
	partition_gone(p);
}

static void counting_stops_in_vmx_root_operation(void **state)
{
	struct partition *p = partition("g", true, 1);
	struct vcpu *v = p->vcpus[0];

	run(v);
	count_instructions(v);
	model_pmu_run(100, 0, 0, 0, CPL0);
	model_pmu_vm_exit();
	assert_int_equal(model_pmu_global_ctrl(), 0);
	model_pmu_run(1000, 10, 0x1000, 0x2000, CPL0); /* hv's instructions and branches */
	assert_int_equal(model_pmu_counter(0), 100);
	model_pmu_vm_entry();
	model_pmu_run(5, 0, 0, 0, CPL0);
	assert_int_equal(guest_read(v, MSR_IA32_PMC0), 105);
	assert_int_equal(vmread(GUEST_IA32_PERF_GLOBAL_CTRL), BIT(0));
	partition_gone(p);
}

/* ---- switches ---- */

static void counters_move_only_when_the_cpu_switches_vcpus(void **state)
{
	struct partition *pa = partition("a", true, 1), *pb = partition("b", true, 1);
	struct vcpu *a = pa->vcpus[0], *b = pb->vcpus[0];
	unsigned int accesses;
	int i;

	run(a);
	count_instructions(a);
	guest_write(a, MSR_IA32_A_PMC0 + 5, 0xaaaa);
	model_pmu_run(50, 0, 0, 0, CPL0);
	/* Exits and entries of the same vCPU move nothing. */
	accesses = model_pmu_msr_accesses;
	for (i = 0; i < 10; i++)
		EXIT_TO_HV(run(a));
	assert_int_equal(model_pmu_msr_accesses, accesses);

	model_pmu_vm_exit();
	run(b);
	assert_int_equal(guest_read(b, MSR_IA32_PMC0), 0);
	assert_int_equal(guest_read(b, MSR_IA32_PMC0 + 5), 0);
	assert_int_equal(guest_read(b, MSR_IA32_PERFEVTSEL0), 0);
	count_instructions(b);
	guest_write(b, MSR_IA32_A_PMC0 + 5, 0xbbbb);
	model_pmu_run(7, 0, 0, 0, CPL0);

	model_pmu_vm_exit();
	run(a);
	assert_int_equal(guest_read(a, MSR_IA32_PMC0), 50);
	assert_int_equal(guest_read(a, MSR_IA32_PMC0 + 5), 0xaaaa);
	assert_int_equal(guest_read(a, MSR_IA32_PERF_GLOBAL_CTRL), BIT(0));
	model_pmu_run(1, 0, 0, 0, CPL0);
	model_pmu_vm_exit();
	run(b);
	assert_int_equal(guest_read(b, MSR_IA32_PMC0), 7);
	assert_int_equal(guest_read(b, MSR_IA32_PMC0 + 5), 0xbbbb);
	partition_gone(pa);
	partition_gone(pb);
}

static void a_vcpu_that_never_used_the_pmu_costs_nothing_at_a_switch(void **state)
{
	struct partition *pa = partition("a", true, 2), *plain = partition("plain", false, 1);
	struct vcpu *a = pa->vcpus[0], *idle = pa->vcpus[1], *c = plain->vcpus[0];
	unsigned int accesses;

	run(a);
	count_instructions(a);
	model_pmu_run(10, 0, 0, 0, CPL0);
	model_pmu_vm_exit();
	accesses = model_pmu_msr_accesses;
	run(idle);
	model_pmu_run(1000, 0, 0, 0, CPL0);
	model_pmu_vm_exit();
	run(c);
	model_pmu_run(1000, 0, 0, 0, CPL0);
	model_pmu_vm_exit();
	run(a);
	assert_int_equal(model_pmu_msr_accesses, accesses);
	/* Nor did they count on a's counters, which stayed in the hardware. */
	assert_int_equal(guest_read(a, MSR_IA32_PMC0), 10);
	partition_gone(pa);
	partition_gone(plain);
}

static void record_branches(struct vcpu *v, u64 from, unsigned int n)
{
	model_pmu_run(n, n, from, from + 0x10, CPL0);
}

static void assert_own_records(struct vcpu *v, u64 from)
{
	u32 i;

	for (i = 0; i < 32; i++)
		assert_int_equal(guest_read(v, MSR_IA32_LASTBRANCH_0_FROM_IP + i), from);
}

static void the_lbr_stack_follows_the_vcpu_that_records(void **state)
{
	struct partition *pa = partition("a", true, 1), *pb = partition("b", true, 1);
	struct vcpu *a = pa->vcpus[0], *b = pb->vcpus[0];

	run(a);
	guest_write(a, MSR_IA32_DEBUGCTL, DEBUGCTL_LBR);
	record_branches(a, 0xa000, 40);
	model_pmu_vm_exit();
	run(b);
	guest_write(b, MSR_IA32_DEBUGCTL, DEBUGCTL_LBR);
	assert_int_equal(model_pmu_lbr_from(5), 0); /* b starts from an empty stack */
	record_branches(b, 0xb000, 40);
	model_pmu_vm_exit();
	/* a records: the switch gives it its stack back before it runs. */
	run(a);
	assert_int_equal(model_pmu_lbr_from(7), 0xa000);
	assert_own_records(a, 0xa000);
	guest_write(a, MSR_IA32_DEBUGCTL, 0);
	model_pmu_vm_exit();
	run(b);
	assert_own_records(b, 0xb000);
	model_pmu_vm_exit();
	/*
	 * a does not record: the availability check intercepts its LBR MSRs
	 * again instead of moving the stack; the hardware still holds b's.
	 */
	run(a);
	assert_int_equal(model_pmu_lbr_from(3), 0xb000);
	assert_true(bitmap_exits(MSR_IA32_LASTBRANCH_0_FROM_IP, false) &&
		    bitmap_exits(MSR_IA32_LASTBRANCH_TOS, false) &&
		    bitmap_exits(MSR_IA32_LBR_INFO_0 + 31, true));
	exits = 0;
	assert_own_records(a, 0xa000);
	assert_int_equal(exits, 1); /* the first read claimed the stack back */
	partition_gone(pa);
	partition_gone(pb);
}

static void the_next_partition_sees_the_reset_state_not_the_last_ones(void **state)
{
	struct partition *old = partition("old", true, 1), *new;
	struct vcpu *v;
	u32 i;

	run(old->vcpus[0]);
	v = old->vcpus[0];
	for (i = 0; i < 8; i++) {
		guest_write(v, MSR_IA32_A_PMC0 + i, 0x1000 + i);
		guest_write(v, MSR_IA32_PERFEVTSEL0 + i, 0x43002e);
	}
	guest_write(v, MSR_IA32_FIXED_CTR_CTRL, 0x333);
	guest_write(v, MSR_IA32_PERF_GLOBAL_STATUS_SET, BIT(3) | PERF_GLOBAL_STATUS_CTR_FRZ);
	guest_write(v, MSR_IA32_LBR_SELECT, 0x4);
	guest_write(v, MSR_IA32_DEBUGCTL, DEBUGCTL_LBR);
	record_branches(v, 0x5000, 32);
	model_pmu_vm_exit();
	partition_gone(old);

	new = partition("new", true, 1);
	v = new->vcpus[0];
	run(v);
	assert_int_equal(guest_read(v, MSR_IA32_PERF_GLOBAL_CTRL), 0xff);
	assert_int_equal(guest_read(v, MSR_IA32_PERF_GLOBAL_STATUS), 0);
	assert_int_equal(guest_read(v, MSR_IA32_FIXED_CTR_CTRL), 0);
	assert_int_equal(guest_read(v, MSR_IA32_PERF_GLOBAL_INUSE), 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(guest_read(v, MSR_IA32_PMC0 + i), 0);
		assert_int_equal(guest_read(v, MSR_IA32_PERFEVTSEL0 + i), 0);
	}
	assert_int_equal(guest_read(v, MSR_IA32_DEBUGCTL), 0);
	assert_int_equal(guest_read(v, MSR_IA32_LBR_SELECT), 0);
	assert_int_equal(guest_read(v, MSR_IA32_LASTBRANCH_TOS), 0);
	assert_own_records(v, 0);
	for (i = 0; i < 32; i++) {
		assert_int_equal(guest_read(v, MSR_IA32_LASTBRANCH_0_TO_IP + i), 0);
		assert_int_equal(guest_read(v, MSR_IA32_LBR_INFO_0 + i), 0);
	}
	partition_gone(new);
}

static void a_frozen_vcpu_stays_frozen_across_switches(void **state)
{
	struct partition *pa = partition("a", true, 1), *pb = partition("b", true, 1);
	struct vcpu *a = pa->vcpus[0], *b = pb->vcpus[0];
	const u64 mask = (1ULL << 48) - 1;

	run(a);
	guest_write(a, MSR_IA32_DEBUGCTL, DEBUGCTL_FREEZE_PERFMON_ON_PMI);
	guest_write(a, MSR_IA32_PERFEVTSEL0,
		    EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_EN | EVTSEL_INT);
	guest_write(a, MSR_IA32_A_PMC0, mask - 9);
	guest_write(a, MSR_IA32_PERF_GLOBAL_CTRL, BIT(0));
	model_pmu_run(20, 0, 0, 0, CPL0);
	assert_int_equal(model_pmu_pmis, 1);
	assert_int_equal(guest_read(a, MSR_IA32_PERF_GLOBAL_STATUS),
			 BIT(0) | PERF_GLOBAL_STATUS_CTR_FRZ);
	model_pmu_vm_exit();
	run(b);
	assert_int_equal(guest_read(b, MSR_IA32_PERF_GLOBAL_STATUS), 0);
	count_instructions(b);
	model_pmu_run(3, 0, 0, 0, CPL0);
	assert_int_equal(guest_read(b, MSR_IA32_PMC0), 3);
	model_pmu_vm_exit();
	run(a);
	model_pmu_run(100, 0, 0, 0, CPL0);
	assert_int_equal(guest_read(a, MSR_IA32_PERF_GLOBAL_STATUS),
			 BIT(0) | PERF_GLOBAL_STATUS_CTR_FRZ);
	assert_int_equal(guest_read(a, MSR_IA32_PMC0), 10);
	assert_int_equal(guest_read(a, MSR_IA32_DEBUGCTL), DEBUGCTL_FREEZE_PERFMON_ON_PMI);
	partition_gone(pa);
	partition_gone(pb);
}

/* ---- what hv filters ---- */

static void status_bits_hv_does_not_switch_cannot_be_set(void **state)
{
	struct partition *p = partition("g", true, 1);
	struct vcpu *v = p->vcpus[0];

	run(v);
	/* Ovf_Uncore and OvfBuf exist in the CPU (version 4) but hv gives neither. */
	assert_int_equal(guest_wrmsr(v, MSR_IA32_PERF_GLOBAL_STATUS_SET, BIT(61)), GP);
	assert_int_equal(guest_wrmsr(v, MSR_IA32_PERF_GLOBAL_STATUS_SET, BIT(62)), GP);
	assert_int_equal(guest_wrmsr(v, MSR_IA32_PERF_GLOBAL_STATUS_SET, BIT(34)), NO_EXCEPTION);
	assert_int_equal(guest_read(v, MSR_IA32_PERF_GLOBAL_STATUS), BIT(34));
	partition_gone(p);
}

static void any_thread_is_cleared(void **state)
{
	struct partition *p = partition("g", true, 1);
	struct vcpu *v = p->vcpus[0];

	run(v);
	guest_write(v, MSR_IA32_PERFEVTSEL0 + 3, EVENT_INSTRUCTIONS | EVTSEL_OS | EVTSEL_ANY);
	guest_write(v, MSR_IA32_FIXED_CTR_CTRL, (FIXED_OS | FIXED_ANY) << 8);
	assert_int_equal(guest_read(v, MSR_IA32_PERFEVTSEL0 + 3), EVENT_INSTRUCTIONS | EVTSEL_OS);
	assert_int_equal(guest_read(v, MSR_IA32_FIXED_CTR_CTRL), FIXED_OS << 8);
	assert_true(bitmap_exits(MSR_IA32_PERFEVTSEL0 + 3, true) &&
		    !bitmap_exits(MSR_IA32_PERFEVTSEL0 + 3, false));
	partition_gone(p);
}

static void debugctl_takes_only_what_hv_gives(void **state)
{
	struct partition *p = partition("g", true, 1);
	struct vcpu *v = p->vcpus[0];

	run(v);
	assert_int_equal(guest_wrmsr(v, MSR_IA32_DEBUGCTL, BIT(1)), GP); /* BTF */
	assert_int_equal(guest_wrmsr(v, MSR_IA32_DEBUGCTL, BIT(7)), GP); /* BTS */
	assert_int_equal(guest_wrmsr(v, MSR_IA32_DEBUGCTL, BIT(32)), GP);
	/* A freeze bit alone does not take the LBR stack. */
	guest_write(v, MSR_IA32_DEBUGCTL, DEBUGCTL_FREEZE_LBRS_ON_PMI);
	assert_true(bitmap_exits(MSR_IA32_LASTBRANCH_TOS, false));
	assert_int_equal(vmread(GUEST_IA32_DEBUGCTL), DEBUGCTL_FREEZE_LBRS_ON_PMI);
	/* Setting LBR does, and the MSRs pass through. */
	guest_write(v, MSR_IA32_DEBUGCTL, DEBUGCTL_LBR | DEBUGCTL_FREEZE_LBRS_ON_PMI);
	assert_false(bitmap_exits(MSR_IA32_LASTBRANCH_TOS, false));
	assert_true(bitmap_exits(MSR_IA32_DEBUGCTL, true));
	assert_int_equal(model_pmu_debugctl(), DEBUGCTL_LBR | DEBUGCTL_FREEZE_LBRS_ON_PMI);
	partition_gone(p);
}

static void without_the_save_control_global_ctrl_writes_exit_to_the_vmcs(void **state)
{
	struct partition *p;
	struct vcpu *v;

	pmu_caps.save_perf_global_ctrl = false;
	p = partition("g", true, 1);
	v = p->vcpus[0];
	run(v);
	assert_false(vmread(VM_EXIT_CONTROLS) & EXIT_SAVE_PERF_GLOBAL_CTRL);
	count_instructions(v);
	assert_true(bitmap_exits(MSR_IA32_PERF_GLOBAL_CTRL, true));
	assert_int_equal(vmread(GUEST_IA32_PERF_GLOBAL_CTRL), BIT(0));
	assert_int_equal(model_pmu_global_ctrl(), BIT(0));
	model_pmu_vm_exit();
	run(v);
	assert_int_equal(guest_read(v, MSR_IA32_PERF_GLOBAL_CTRL), BIT(0));
	assert_int_equal(guest_wrmsr(v, MSR_IA32_PERF_GLOBAL_CTRL, BIT(8)), GP);
	partition_gone(p);
}

static void cpuid_reports_at_most_version_4_and_the_counters_hv_switches(void **state)
{
	struct model_pmu_config c = model_pmu_bochs3;
	struct partition *p;
	struct cpuid_regs r;

	c.version = 5;
	probe(&c);
	p = partition("g", true, 1);
	r = guest_cpuid(p->vcpus[0], 0xa);
	assert_int_equal(r.eax & 0xff, 4);
	assert_int_equal((r.eax >> 8) & 0xff, 8);
	assert_int_equal(r.ecx, 0);
	partition_gone(p);
}

/* ---- hv's own use ---- */

static void hv_is_refused_the_pmu_while_partitions_may_own_it(void **state)
{
	struct partition *p = partition("g", true, 1);

	assert_int_equal(pmu_hv_claim("profiler"), -1);
	assert_non_null(strstr(printed, "profiler wants the PMU, which 1 partition(s)"));
	partition_gone(p);
	printed[0] = 0;
	assert_int_equal(pmu_hv_claim("profiler"), 0);
	assert_int_equal(pmu_hv_claim("watchdog"), -1);
	assert_non_null(strstr(printed, "watchdog wants the PMU, which hv's profiler uses"));
	/* While hv has it, a partition asking for it is refused, not quietly left without. */
	assert_null(partition("g2", true, 1));
	assert_non_null(strstr(printed, "g2: hv.pmu=on refused: hv's profiler uses the PMU"));
	/* One without hv.pmu=on starts. */
	p = partition("plain", false, 1);
	assert_non_null(p);
	partition_gone(p);
	pmu_hv_release();
	p = partition("g3", true, 1);
	assert_non_null(p);
	partition_gone(p);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(the_reference_engines_pmu_and_lbrs_are_given),
		T(cpuid_alone_gives_no_pmu),
		T(version_3_cannot_restore_a_status),
		T(without_full_width_writes_no_count_can_be_restored),
		T(without_the_load_controls_counting_would_not_stop_in_root),
		T(the_lbr_depth_and_the_debugctl_bits_are_what_the_msrs_take),
		T(without_hv_pmu_a_partition_sees_no_pmu),
		T(hv_pmu_on_a_cpu_that_cannot_give_it_says_so_and_gives_none),
		T(the_first_access_claims_the_counters_and_passes_them_through),
		T(rdpmc_claims_and_then_runs_without_exiting),
		T(counting_stops_in_vmx_root_operation),
		T(counters_move_only_when_the_cpu_switches_vcpus),
		T(a_vcpu_that_never_used_the_pmu_costs_nothing_at_a_switch),
		T(the_lbr_stack_follows_the_vcpu_that_records),
		T(the_next_partition_sees_the_reset_state_not_the_last_ones),
		T(a_frozen_vcpu_stays_frozen_across_switches),
		T(status_bits_hv_does_not_switch_cannot_be_set),
		T(any_thread_is_cleared),
		T(debugctl_takes_only_what_hv_gives),
		T(without_the_save_control_global_ctrl_writes_exit_to_the_vmcs),
		T(cpuid_reports_at_most_version_4_and_the_counters_hv_switches),
		T(hv_is_refused_the_pmu_while_partitions_may_own_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
