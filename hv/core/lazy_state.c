// SPDX-License-Identifier: GPL-2.0
#include <hv/core/frame.h>
#include <hv/core/lazy_state.h>
#include <hv/lib/string.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define XSAVE_LEAF 0xd
#define FXSAVE_AREA_SIZE 512U
#define FPU_AREA_OFF_FCW 0
#define FPU_AREA_OFF_MXCSR 24
#define FCW_RESET_VALUE 0x37f /* FNINIT state */
#define MXCSR_RESET_VALUE 0x1f80

static const u32 lazy_msr_numbers[NR_LAZY_MSRS] = {
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
	have_rdtscp = cpuid(0x80000001, 0).edx & BIT(27);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
		  (have_xsave ? X86_CR4_OSXSAVE : 0));
	if (have_xsave) {
		r = cpuid(XSAVE_LEAF, 0);
		xcr0_all = ((u64)r.edx << 32) | r.eax;
		size = r.ecx; /* the size for every supported component */
		xsetbv_safe(0, X86_XCR0_X87);
	}
	area_pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
}

int lazy_state_init(struct vcpu *v)
{
	u64 pa = frame_alloc(area_pages, PAGE_SIZE);
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
	return 0;
}

void lazy_state_free(struct vcpu *v)
{
	if (v->fpu_area)
		frame_free(virt_to_phys(v->fpu_area), area_pages);
	v->fpu_area = NULL;
}

/* XCR0 holds every component: nothing of one vCPU's state survives into the next. */
static void save(struct vcpu *v)
{
	unsigned int i;

	if (have_xsave)
		__asm__ __volatile__("xsave64 (%0)" ::"r"(v->fpu_area), "a"((u32)xcr0_all),
				     "d"((u32)(xcr0_all >> 32))
				     : "memory");
	else
		__asm__ __volatile__("fxsave64 (%0)" ::"r"(v->fpu_area) : "memory");
	for (i = 0; i < NR_LAZY_MSRS; i++)
		if (i != LAZY_TSC_AUX || have_rdtscp)
			v->lazy_msrs[i] = rdmsr(lazy_msr_numbers[i]);
}

/* @prev: whose MSR values the CPU holds now (NULL: unknown); equal ones are not written. */
static void restore(struct vcpu *v, const struct vcpu *prev)
{
	unsigned int i;

	if (have_xsave) {
		__asm__ __volatile__("xrstor64 (%0)" ::"r"(v->fpu_area), "a"((u32)xcr0_all),
				     "d"((u32)(xcr0_all >> 32))
				     : "memory");
		xsetbv_safe(0, v->xcr0);
	} else {
		__asm__ __volatile__("fxrstor64 (%0)" ::"r"(v->fpu_area) : "memory");
	}
	for (i = 0; i < NR_LAZY_MSRS; i++)
		if ((i != LAZY_TSC_AUX || have_rdtscp) &&
		    (!prev || prev->lazy_msrs[i] != v->lazy_msrs[i]))
			wrmsr(lazy_msr_numbers[i], v->lazy_msrs[i]);
}

void lazy_state_switch(struct percpu *cpu, struct vcpu *next)
{
	struct vcpu *prev = cpu->lazy_owner;

	if (prev == next)
		return;
	if (have_xsave)
		xsetbv_safe(0, xcr0_all);
	if (prev)
		save(prev);
	restore(next, prev);
	cpu->lazy_owner = next;
}

void lazy_state_forget(struct percpu *cpu, struct vcpu *v)
{
	if (cpu->lazy_owner == v)
		cpu->lazy_owner = NULL;
}
