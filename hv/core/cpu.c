// SPDX-License-Identifier: GPL-2.0
/* Per-CPU descriptor tables and GS base. */
#include <hv/core/mm.h>
#include <hv/core/percpu.h>
#include <hv/core/trap.h>
#include <x86/hw.h>
#include <x86/msr.h>

#define EMERGENCY_STACK_PAGES 2
#define DESC_CODE64 0x00af9a000000ffffULL
#define DESC_DATA 0x00cf92000000ffffULL
#define DESC_TSS_AVAILABLE 0x89ULL /* present, DPL 0, 64-bit TSS (available) */

struct percpu percpu_area[MAX_CPUS];
u32 nr_cpus = 1;

static void load_gdt(struct percpu *cpu)
{
	struct {
		u16 limit;
		u64 base;
	} __packed desc = { sizeof(cpu->gdt) - 1, (u64)(uintptr_t)cpu->gdt };

	__asm__ __volatile__("lgdt %0\n\t"
			     "pushq %1\n\t"
			     "lea 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "mov %2, %%ds\n\t"
			     "mov %2, %%es\n\t"
			     "mov %2, %%ss\n\t"
			     "ltr %w3"
			     :
			     : "m"(desc), "i"((u64)SEL_CODE64), "r"((u32)SEL_DATA), "r"(SEL_TSS)
			     : "rax", "memory");
}

void percpu_setup(struct percpu *cpu)
{
	u64 tss = (u64)(uintptr_t)&cpu->tss;

	cpu->self = cpu;
	cpu->gdt[GDT_NULL] = 0;
	cpu->gdt[GDT_CODE64] = DESC_CODE64;
	cpu->gdt[GDT_DATA] = DESC_DATA;
	cpu->gdt[GDT_TSS] = (sizeof(cpu->tss) - 1) | ((tss & 0xffffff) << 16) |
			    (DESC_TSS_AVAILABLE << 40) | ((tss >> 24) & 0xff) << 56;
	cpu->gdt[GDT_TSS + 1] = tss >> 32;
	cpu->tss.iomap_base = sizeof(cpu->tss);
	if (!cpu->tss.ist[IST_EMERGENCY])
		cpu->tss.ist[IST_EMERGENCY] = stack_alloc(EMERGENCY_STACK_PAGES);

	load_gdt(cpu);
	idt_load();
	/* Data segment loads above cleared nothing we need: GS base is set after. */
	__asm__ __volatile__("mov %0, %%fs\n\tmov %0, %%gs" ::"r"(0));
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)cpu);
}
