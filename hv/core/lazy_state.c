// SPDX-License-Identifier: GPL-2.0
#include <hv/core/feature.h>
#include <hv/core/frame.h>
#include <hv/core/lazy_state.h>
#include <hv/lib/string.h>
#include <hv/vmx/vmcs_fields.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define XSAVE_LEAF 0xd
#define FXSAVE_AREA_SIZE 512U
#define FPU_AREA_OFF_FCW 0
#define FPU_AREA_OFF_MXCSR 24
#define FCW_RESET_VALUE 0x37f /* FNINIT state */
#define MXCSR_RESET_VALUE 0x1f80
#define DR6_RESET_VALUE 0xffff0ff0ULL

const u32 lazy_msr_numbers[NR_LAZY_MSRS] = {
	[LAZY_KERNEL_GS_BASE] = MSR_KERNEL_GS_BASE,
	[LAZY_STAR] = MSR_STAR,
	[LAZY_LSTAR] = MSR_LSTAR,
	[LAZY_CSTAR] = MSR_CSTAR,
	[LAZY_SFMASK] = MSR_SFMASK,
	[LAZY_TSC_AUX] = MSR_TSC_AUX,
};

static bool have_xsave;
static bool have_rdtscp;
static u64 xcr0_all; /* every state component the CPU supports */
static u32 area_pages;

void lazy_state_cpu_init(void)
{
	struct cpuid_regs r = cpuid(1, 0);
	u32 size = FXSAVE_AREA_SIZE;

	have_xsave = r.ecx & CPUID_1_ECX_XSAVE;
	have_rdtscp = cpuid(CPUID_LEAF_EXT_FEATURES, 0).edx & CPUID_80000001_EDX_RDTSCP;
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
		  (have_xsave ? X86_CR4_OSXSAVE : 0));
	if (have_xsave) {
		r = cpuid(XSAVE_LEAF, 0);
		xcr0_all = ((u64)r.edx << 32) | r.eax;
		size = r.ecx; /* the size for every supported component */
		xsetbv_safe(0, X86_XCR0_X87);
		/* Guests' XSAVES use it; they get no supervisor state (hv/vmx/msr.c). */
		if (cpuid(XSAVE_LEAF, 1).eax & CPUID_D_1_EAX_XSAVES)
			wrmsr_safe(MSR_IA32_XSS, 0);
	}
	area_pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
}

static int lazy_state_init(struct vcpu *v)
{
	u64 pa = frame_alloc_charged(&v->partition->hv_frames, area_pages, PAGE_SIZE);
	u8 *area;

	if (!pa)
		return -1;
	area = memset(phys_to_virt(pa), 0, area_pages * PAGE_SIZE);
	/* An XSAVE header of zeroes restores every component's init state. */
	*(u16 *)(area + FPU_AREA_OFF_FCW) = FCW_RESET_VALUE;
	*(u32 *)(area + FPU_AREA_OFF_MXCSR) = MXCSR_RESET_VALUE;
	v->fpu_area = area;
	v->xcr0 = X86_XCR0_X87;
	memset(v->lazy_msrs, 0, sizeof(v->lazy_msrs));
	v->cr2 = 0;
	memset(v->dr, 0, sizeof(v->dr));
	v->dr6 = DR6_RESET_VALUE;
	return 0;
}

static void lazy_state_free(struct vcpu *v)
{
	if (v->fpu_area)
		frame_free_charged(&v->partition->hv_frames, virt_to_phys(v->fpu_area), area_pages);
	v->fpu_area = NULL;
}

/*
 * Only guests reach the syscall MSRs directly; the service partition's are
 * emulated (hv/vmx/msr.c), so switching to it and back leaves them alone.
 */
bool lazy_state_owns_syscall_msrs(const struct vcpu *v)
{
	return v->partition->kind == PARTITION_GUEST;
}

static bool msr_switched(unsigned int i)
{
	return i != LAZY_TSC_AUX || have_rdtscp;
}

/* XCR0 holds every component: nothing of one vCPU's state survives into the next. */
static void fpu_switch(struct vcpu *prev, struct vcpu *next)
{
	if (have_xsave) {
		xsetbv_safe(0, xcr0_all);
		if (prev)
			__asm__ __volatile__("xsave64 (%0)" ::"r"(prev->fpu_area),
					     "a"((u32)xcr0_all), "d"((u32)(xcr0_all >> 32))
					     : "memory");
		__asm__ __volatile__("xrstor64 (%0)" ::"r"(next->fpu_area), "a"((u32)xcr0_all),
				     "d"((u32)(xcr0_all >> 32))
				     : "memory");
		xsetbv_safe(0, next->xcr0);
		return;
	}
	if (prev)
		__asm__ __volatile__("fxsave64 (%0)" ::"r"(prev->fpu_area) : "memory");
	__asm__ __volatile__("fxrstor64 (%0)" ::"r"(next->fpu_area) : "memory");
}

static void load_breakpoints(const struct vcpu *v)
{
	write_dr0(v->dr[0]);
	write_dr1(v->dr[1]);
	write_dr2(v->dr[2]);
	write_dr3(v->dr[3]);
}

/*
 * CR2 and DR6, which the CPU changes while the guest runs (page faults,
 * debug exceptions), are switched every time. DR0-DR3 only once a vCPU
 * used the debug registers (lazy_state_handle_dr_access()): until then
 * MOV DR exits, and its DR7 (in the VMCS) arms none of the breakpoints
 * another vCPU's values left in the hardware.
 * @prev: whose values the CPU holds (NULL: unknown).
 */
static void fault_debug_switch(struct vcpu *prev, struct vcpu *next)
{
	u64 cr2 = read_cr2(), dr6 = read_dr6();

	if (prev) {
		prev->cr2 = cr2;
		prev->dr6 = dr6;
		if (prev->debug_regs_live) {
			prev->dr[0] = read_dr0();
			prev->dr[1] = read_dr1();
			prev->dr[2] = read_dr2();
			prev->dr[3] = read_dr3();
		}
	}
	if (!prev || cr2 != next->cr2)
		write_cr2(next->cr2);
	if (!prev || dr6 != next->dr6)
		write_dr6(next->dr6);
	if (next->debug_regs_live)
		load_breakpoints(next);
}

enum exit_action lazy_state_handle_dr_access(struct vcpu *v)
{
	load_breakpoints(v);
	v->debug_regs_live = true;
	vmwrite(CPU_BASED_VM_EXEC_CONTROL,
		vmread(CPU_BASED_VM_EXEC_CONTROL) & ~(u64)CPU_MOV_DR_EXITING);
	return EXIT_RESUME;
}

void lazy_state_init_reset(struct vcpu *v)
{
	v->cr2 = 0;
	memset(v->dr, 0, sizeof(v->dr));
	v->dr6 = DR6_RESET_VALUE;
	write_cr2(0);
	write_dr6(DR6_RESET_VALUE);
	if (v->debug_regs_live)
		load_breakpoints(v);
}

/* @prev: whose values the CPU holds (NULL: unknown); equal ones are not written again. */
static void msr_switch(struct vcpu *prev, struct vcpu *next)
{
	unsigned int i;

	for (i = 0; i < NR_LAZY_MSRS; i++) {
		if (!msr_switched(i))
			continue;
		if (prev)
			prev->lazy_msrs[i] = rdmsr(lazy_msr_numbers[i]);
		if (!prev || prev->lazy_msrs[i] != next->lazy_msrs[i])
			wrmsr(lazy_msr_numbers[i], next->lazy_msrs[i]);
	}
}

static void lazy_state_switch(struct percpu *cpu, struct vcpu *next)
{
	if (cpu->regs_owner != next) {
		fpu_switch(cpu->regs_owner, next);
		fault_debug_switch(cpu->regs_owner, next);
		cpu->regs_owner = next;
	}
	if (cpu->msr_owner != next && lazy_state_owns_syscall_msrs(next)) {
		msr_switch(cpu->msr_owner, next);
		cpu->msr_owner = next;
	}
}

/* @v leaves this CPU for good: its state need not be saved. */
static void lazy_state_forget(struct percpu *cpu, struct vcpu *v)
{
	if (cpu->regs_owner == v)
		cpu->regs_owner = NULL;
	if (cpu->msr_owner == v)
		cpu->msr_owner = NULL;
}

DEFINE_FEATURE(lazy_state_feature) = {
	.name = "lazy-state",
	.vcpu_init = lazy_state_init,
	.vcpu_destroy = lazy_state_free,
	.switch_in = lazy_state_switch,
	.vcpu_retire = lazy_state_forget,
};
