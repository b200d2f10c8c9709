// SPDX-License-Identifier: GPL-2.0
/*
 * String port I/O (INS/OUTS) whose memory hv accesses for the guest
 * (issue 8, items 2 and 5): an item that straddles two pages moves whole
 * and every exit makes progress (REP used to livelock the CPU); the memory
 * is accessed with the guest's paging rights, at CPL 3 as a user access,
 * setting the accessed and dirty flags; a page that is not mapped is the
 * guest's #PF, with nothing moved.
 *
 * The library maps memory with 2 MiB pages: the test maps one 2 MiB region
 * with its own 4 KiB page table, and builds ring 3 (GDT, TSS, a DPL 3 gate
 * back to ring 0) for the user-mode checks.
 */
#include <stdio.h>
#include <string.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

#define PAGE 4096UL
#define REGION (64UL << 20) /* mapped by the test's page table */
#define PTE_P (1UL << 0)
#define PTE_RW (1UL << 1)
#define PTE_US (1UL << 2)
#define PTE_A (1UL << 5)
#define PTE_D (1UL << 6)
#define PTE_PS (1UL << 7)
#define PTE_ADDR 0x000ffffffffff000UL
#define SCRATCH_PORT (HV_TESTDEV_PORT + HV_TESTDEV_SCRATCH)
#define UNCLAIMED_PORT 0x1234
#define RFLAGS_IOPL3 (3UL << 12)
#define RFLAGS_AC (1UL << 18)
#define CR4_SMAP (1UL << 21)
#define CPUID_7_EBX_SMAP (1U << 20)

extern uint64_t guest_pd[];

static uint64_t cr3(void)
{
	uint64_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static uint64_t page_table[512] __attribute__((aligned(4096)));

static uint64_t *pte(uintptr_t addr)
{
	return &page_table[(addr - REGION) / PAGE];
}

static void set_pte(uintptr_t addr, uint64_t value)
{
	*pte(addr) = value;
	invlpg(addr);
}

/*
 * The region [REGION, REGION + 2 MiB) through page_table: identity, present,
 * writable. A page of it is a user page (U/S in every level, SDM Vol. 3A
 * 4.6) when its PTE says so: the levels above allow user accesses.
 */
static void map_region(void)
{
	uint64_t *pml4 = (uint64_t *)(cr3() & PTE_ADDR), *pdpt;

	pml4[0] |= PTE_US;
	pdpt = (uint64_t *)(pml4[0] & PTE_ADDR);
	pdpt[0] |= PTE_US;
	asm volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
	for (unsigned int i = 0; i < 512; i++)
		page_table[i] = (REGION + i * PAGE) | PTE_P | PTE_RW;
	guest_pd[REGION >> 21] = (uintptr_t)page_table | PTE_P | PTE_RW | PTE_US;
	for (unsigned int i = 0; i < 512; i++)
		invlpg(REGION + i * PAGE);
}

/* ---- Ring 3 ---- */

#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_USER_DATA (0x18 | 3)
#define SEL_USER_CODE (0x20 | 3)
#define SEL_TSS 0x28
#define BACK_TO_RING0_VECTOR 0x81

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2, reserved1, ist[7], reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

static struct tss64 tss;
static uint64_t gdt[7];
static uint8_t ring0_stack[16384] __attribute__((aligned(16)));
static uint8_t user_stack[16384] __attribute__((aligned(16)));
/* Where enter_user() left ring 0: its stack pointer, restored by the DPL 3 gate. */
uint64_t ring0_saved_rsp;

/*
 * enter_user(fn): runs fn() in ring 3 with IOPL 3 (so it may do port I/O) on
 * user_stack; fn ends with INT 0x81, whose handler returns from enter_user().
 */
void enter_user(void (*fn)(void), uint64_t user_rsp);
void back_to_ring0(void);
asm(".text\n"
    "enter_user:\n\t"
    "push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n\t"
    "mov %rsp, ring0_saved_rsp(%rip)\n\t"
    "pushq $0x1b\n\t" /* SS: user data, RPL 3 */
    "pushq %rsi\n\t"
    "pushq $0x3002\n\t" /* RFLAGS: IOPL 3, IF clear */
    "pushq $0x23\n\t" /* CS: user code, RPL 3 */
    "pushq %rdi\n\t"
    "iretq\n"
    "back_to_ring0:\n\t"
    "mov ring0_saved_rsp(%rip), %rsp\n\t"
    "mov $0x10, %eax; mov %eax, %ds; mov %eax, %es; mov %eax, %ss\n\t"
    "pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n\t"
    "ret\n");

struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

static void setup_ring3(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uintptr_t)gdt }, idtr;
	uintptr_t t = (uintptr_t)&tss, back = (uintptr_t)back_to_ring0;
	struct idt_gate *idt;

	gdt[1] = 0x00af9a000000ffffUL; /* 64-bit code, DPL 0 */
	gdt[2] = 0x00cf92000000ffffUL; /* data, DPL 0 */
	gdt[3] = 0x00cff2000000ffffUL; /* data, DPL 3 */
	gdt[4] = 0x00affa000000ffffUL; /* 64-bit code, DPL 3 */
	gdt[5] = (sizeof(tss) - 1) | ((t & 0xffffff) << 16) | (0x89UL << 40) |
		 ((t >> 24 & 0xff) << 56); /* available 64-bit TSS */
	gdt[6] = t >> 32;
	tss.rsp0 = (uintptr_t)(ring0_stack + sizeof(ring0_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: IOPL 3 decides */
	asm volatile("lgdt %0; ltr %w1" : : "m"(gdtr), "r"(SEL_TSS) : "memory");

	/* The gate back: DPL 3, so INT 0x81 from ring 3 may use it. */
	asm volatile("sidt %0" : "=m"(idtr));
	idt = (struct idt_gate *)idtr.base;
	idt[BACK_TO_RING0_VECTOR] = (struct idt_gate){
		.offset_low = back,
		.selector = SEL_KERNEL_CODE,
		.type_attr = 0xee, /* present, DPL 3, 64-bit interrupt gate */
		.offset_mid = back >> 16,
		.offset_high = back >> 32,
	};

	/* The image (code, data, stacks) in ring 3 too: its 2 MiB pages become user pages. */
	for (uintptr_t a = 0; a < (16UL << 20); a += 2UL << 20)
		guest_pd[a >> 21] |= PTE_US;
	asm volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
}

/* ---- The checks ---- */

static void outsl_across_a_page_boundary(void)
{
	uintptr_t src = REGION + PAGE - 2;
	uint32_t value = 0x44332211;
	uintptr_t rsi = src;

	memcpy((void *)src, &value, 4);
	outl(SCRATCH_PORT, 0);
	asm volatile("outsl" : "+S"(rsi) : "d"(SCRATCH_PORT) : "memory");
	report(inl(SCRATCH_PORT) == value && rsi == src + 4,
	       "OUTSL of an item across two pages moves it whole (%#x) and advances RSI",
	       inl(SCRATCH_PORT));
}

static void rep_insl_across_a_page_boundary(void)
{
	uintptr_t dst = REGION + 2 * PAGE - 2, rdi = dst;
	uint64_t rcx = 3;

	outl(SCRATCH_PORT, 0xddccbbaa);
	memset((void *)(dst - 8), 0, 32);
	asm volatile("cld; rep insl" : "+D"(rdi), "+c"(rcx) : "d"(SCRATCH_PORT) : "memory");
	report(rcx == 0 && rdi == dst + 12 && ((uint32_t *)(dst + 8))[0] == 0xddccbbaa &&
		       *(volatile uint32_t *)dst == 0xddccbbaa &&
		       *(volatile uint32_t *)(dst + 4) == 0xddccbbaa,
	       "REP INSL starting across two pages moves every item (RCX %lu)", (unsigned long)rcx);
}

/* Issue 8: with REP, an item across two pages livelocked hv (1 CPU: everything stopped). */
static void rep_insw_unclaimed_across_a_page_boundary(void)
{
	uintptr_t dst = REGION + 3 * PAGE - 1, rdi = dst;
	uint64_t rcx = 3;

	memset((void *)(dst - 7), 0, 16);
	asm volatile("cld; rep insw" : "+D"(rdi), "+c"(rcx) : "d"(UNCLAIMED_PORT) : "memory");
	report(rcx == 0 && rdi == dst + 6 && *(volatile uint8_t *)(dst - 1) == 0 &&
		       *(volatile uint8_t *)dst == 0xff && *(volatile uint8_t *)(dst + 5) == 0xff &&
		       *(volatile uint8_t *)(dst + 6) == 0,
	       "REP INSW from a port nobody claimed, across two pages, ends (all-ones)");
}

static void rep_outsb_downwards_across_a_page_boundary(void)
{
	uintptr_t src = REGION + 4 * PAGE + 1, rsi = src;
	uint64_t rcx = 4;

	memcpy((void *)(src - 3), "\x01\x02\x03\x04", 4);
	asm volatile("std; rep outsb; cld" : "+S"(rsi), "+c"(rcx) : "d"(SCRATCH_PORT) : "memory");
	report(rcx == 0 && rsi == src - 4 && inb(SCRATCH_PORT) == 0x01,
	       "REP OUTSB with DF set goes down across two pages, the last item written last");
}

static void ins_into_a_page_not_present(void)
{
	uintptr_t dst = REGION + 5 * PAGE + 0x10, rdi = dst;

	set_pte(REGION + 5 * PAGE, 0);
	asm volatile(ASM_TRY("insb") : "+D"(rdi) : "d"(SCRATCH_PORT) : "memory");
	report(caught_exception.vector == PF_VECTOR && caught_exception.cr2 == dst &&
		       caught_exception.error_code == 2 && rdi == dst,
	       "INSB into a page not present: #PF, error code %#x (write), CR2 %#lx, RDI kept",
	       caught_exception.error_code, (unsigned long)caught_exception.cr2);
	set_pte(REGION + 5 * PAGE, (REGION + 5 * PAGE) | PTE_P | PTE_RW);
}

static void accessed_and_dirty_flags(void)
{
	uintptr_t dst = REGION + 6 * PAGE, src = REGION + 7 * PAGE, rdi = dst, rsi = src;

	set_pte(dst, dst | PTE_P | PTE_RW);
	set_pte(src, src | PTE_P | PTE_RW);
	asm volatile("insb" : "+D"(rdi) : "d"(SCRATCH_PORT) : "memory");
	asm volatile("outsb" : "+S"(rsi) : "d"(SCRATCH_PORT) : "memory");
	report((*pte(dst) & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
	       "INSB sets the accessed and dirty flags of the page it writes (PTE %#lx)",
	       (unsigned long)*pte(dst));
	report((*pte(src) & (PTE_A | PTE_D)) == PTE_A,
	       "OUTSB sets the accessed flag of the page it reads, not the dirty flag (PTE %#lx)",
	       (unsigned long)*pte(src));
}

static uintptr_t user_dst;
static uint64_t user_rdi;

static void user_insb(void)
{
	uint64_t rdi = user_dst;

	asm volatile(ASM_TRY("insb") : "+D"(rdi) : "d"(SCRATCH_PORT) : "memory");
	user_rdi = rdi;
	asm volatile("int $0x81");
}

static void ins_at_cpl3(void)
{
	uintptr_t page = REGION + 8 * PAGE;

	setup_ring3();
	/* A supervisor page: a user write faults with U, W and P set. */
	set_pte(page, page | PTE_P | PTE_RW);
	user_dst = page + 0x20;
	enter_user(user_insb, (uintptr_t)(user_stack + sizeof(user_stack)));
	report(caught_exception.vector == PF_VECTOR && caught_exception.error_code == 7 &&
		       caught_exception.cr2 == user_dst && user_rdi == user_dst,
	       "INSB at CPL 3 into a supervisor page: #PF, error code %#x (user, write, present)",
	       caught_exception.error_code);
	/* A user page: the write happens. */
	set_pte(page, page | PTE_P | PTE_RW | PTE_US);
	outb(SCRATCH_PORT, 0x5c);
	enter_user(user_insb, (uintptr_t)(user_stack + sizeof(user_stack)));
	report(caught_exception.vector == NO_EXCEPTION && *(volatile uint8_t *)user_dst == 0x5c &&
		       user_rdi == user_dst + 1,
	       "INSB at CPL 3 into a user page works");
	/* Read-only for the user: faults without W allowed. */
	set_pte(page, page | PTE_P | PTE_US);
	enter_user(user_insb, (uintptr_t)(user_stack + sizeof(user_stack)));
	report(caught_exception.vector == PF_VECTOR && caught_exception.error_code == 7,
	       "INSB at CPL 3 into a read-only user page: #PF, error code %#x",
	       caught_exception.error_code);
	set_pte(page, page | PTE_P | PTE_RW);
}

static void smap(void)
{
	uintptr_t page = REGION + 9 * PAGE, rdi = page;

	if (!(cpuid_count(7, 0).b & CPUID_7_EBX_SMAP)) {
		report_skip("the CPU has no SMAP");
		return;
	}
	set_pte(page, page | PTE_P | PTE_RW | PTE_US);
	write_cr4(read_cr4() | CR4_SMAP);
	asm volatile(ASM_TRY("insb") : "+D"(rdi) : "d"(SCRATCH_PORT) : "memory");
	report(caught_exception.vector == PF_VECTOR && caught_exception.error_code == 3,
	       "with SMAP, INSB at CPL 0 into a user page: #PF, error code %#x",
	       caught_exception.error_code);
	asm volatile("stac; insb; clac" : "+D"(rdi) : "d"(SCRATCH_PORT) : "memory");
	report(rdi == page + 1, "and with RFLAGS.AC set (STAC) it works");
	write_cr4(read_cr4() & ~CR4_SMAP);
}

int main(void)
{
	report_start();
	map_region();
	outsl_across_a_page_boundary();
	rep_insl_across_a_page_boundary();
	rep_insw_unclaimed_across_a_page_boundary();
	rep_outsb_downwards_across_a_page_boundary();
	ins_into_a_page_not_present();
	accessed_and_dirty_flags();
	smap();
	ins_at_cpl3();
	return report_summary();
}
