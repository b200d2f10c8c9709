// SPDX-License-Identifier: GPL-2.0
/*
 * Device memory the CPU accesses for an instruction, not the instruction
 * itself (issue 8, items 8 and 17): hv must not decode the instruction at
 * RIP and emulate its access, but stop this guest and say what happened.
 * The command line says which:
 *   pt-mmio   a page table in MMIO (a load used to return the PTE's value)
 *   cr3-mmio  CR3 in MMIO (was an "undecodable device access", no bytes)
 *   pt-wp     a page table in a write-forwarded page (with EPT A/D flags
 *             the CPU's walk writes it: hv used to livelock)
 *   idt-mmio  the IDT in MMIO while a #GP is delivered (the #GP was lost
 *             and the faulting MOV "emulated")
 *   stack-wp  the stack in a write-forwarded page while #UD is delivered
 *   wp-cross  a write that starts in RAM and ends in a write-forwarded page
 *             (was forwarded as if it started there, its bytes shifted)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv.h>
#include <testdev.h>
#include "libguest.h"

#define PAGE 4096UL
#define REGION (64UL << 20) /* a 2 MiB region the test maps itself */
#define PT_PAGE (90UL << 20) /* a RAM page that becomes the region's page table */
#define PTE_P (1UL << 0)
#define PTE_RW (1UL << 1)
#define UNCLAIMED_MMIO HV_MMIO_WINDOW_START

extern uint64_t guest_pd[];

static int32_t command(uint32_t cmd, uint32_t arg)
{
	outl(HV_TESTDEV_PORT + HV_TESTDEV_ARG, arg);
	outl(HV_TESTDEV_PORT + HV_TESTDEV_CMD, cmd);
	return (int32_t)inl(HV_TESTDEV_PORT + HV_TESTDEV_ARG);
}

/*
 * Makes @page forward writes to the service. The type stays claimed once a
 * guest that hv stops claimed it: a claim by an earlier guest is fine.
 */
static bool forward_writes(uintptr_t page)
{
	int32_t claimed = command(HV_TESTDEV_CMD_WP_CLAIM, 0);

	return (claimed == 0 || claimed == -HV_EBUSY) &&
	       command(HV_TESTDEV_CMD_WP_MARK, page / PAGE) == 0;
}

/* The region's page directory entry points to a page table at @pt. */
static void region_table_at(uint64_t pt)
{
	guest_pd[REGION >> 21] = pt | PTE_P | PTE_RW;
	for (unsigned int i = 0; i < 512; i++)
		invlpg(REGION + i * PAGE);
}

static void page_table_in_mmio(void)
{
	uint64_t value;

	*(volatile uint64_t *)HV_TESTDEV_MMIO = 0x1234;
	region_table_at(HV_TESTDEV_MMIO);
	printf("a load through a page table in MMIO: hv must stop this guest\n");
	value = *(volatile uint64_t *)(REGION + 0x10);
	region_table_at(PT_PAGE);
	report(false, "the load went on and read %#lx", (unsigned long)value);
}

static void cr3_in_mmio(void)
{
	uint64_t cr3;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	printf("CR3 in MMIO: hv must stop this guest at the next fetch\n");
	asm volatile("mov %0, %%cr3; nop; mov %1, %%cr3"
		     :
		     : "r"(UNCLAIMED_MMIO), "r"(cr3)
		     : "memory");
	report(false, "the guest ran with CR3 in MMIO");
}

static void page_table_in_a_write_forwarded_page(void)
{
	uint64_t *pt = (uint64_t *)PT_PAGE;

	for (unsigned int i = 0; i < 512; i++)
		pt[i] = (REGION + i * PAGE) | PTE_P | PTE_RW;
	report(forward_writes(PT_PAGE), "the page table's page forwards writes to the service");
	region_table_at(PT_PAGE);
	printf("a load through a page table in a write-forwarded page: hv must stop this guest\n");
	(void)*(volatile uint64_t *)(REGION + 0x10);
	report(false, "the load through a write-forwarded page table went on");
}

static void idt_in_mmio(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr, mmio_idtr = { 0xfff, UNCLAIMED_MMIO };
	uint64_t rbx = 0x5a5a;

	asm volatile("sidt %0" : "=m"(idtr));
	printf("a #GP delivered through an IDT in MMIO: hv must stop this guest\n");
	/* A load from a non-canonical address raises #GP; its delivery reads the IDT. */
	asm volatile("lidt %1; mov (%2), %0; lidt %3"
		     : "+r"(rbx)
		     : "m"(mmio_idtr), "r"(0x8000000000000000UL), "m"(idtr)
		     : "memory");
	report(false, "the #GP was lost: the MOV went on and read %#lx", (unsigned long)rbx);
}

static void stack_in_a_write_forwarded_page(void)
{
	uintptr_t stack_page = PT_PAGE + PAGE;

	report(forward_writes(stack_page), "a page for the stack forwards writes to the service");
	printf("a #UD delivered onto a write-forwarded stack: hv must stop this guest\n");
	asm volatile("mov %%rsp, %%rbx; mov %0, %%rsp; " ASM_TRY("ud2") "mov %%rbx, %%rsp"
		     :
		     : "r"(stack_page + PAGE)
		     : "rbx", "memory");
	report(false, "the #UD was delivered onto the write-forwarded stack (vector %d)",
	       caught_exception.vector);
}

static void write_across_into_a_write_forwarded_page(void)
{
	uintptr_t page = PT_PAGE + 2 * PAGE;

	*(volatile uint32_t *)page = 0;
	report(forward_writes(page), "a page forwards writes to the service");
	printf("a write from RAM across into a write-forwarded page: hv must stop this guest\n");
	*(volatile uint32_t *)(page - 2) = 0x44332211;
	report(false, "the write went on: the forwarded page holds %#x",
	       *(volatile uint32_t *)page);
}

int main(void)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} modes[] = {
		{ "pt-mmio", page_table_in_mmio },
		{ "cr3-mmio", cr3_in_mmio },
		{ "pt-wp", page_table_in_a_write_forwarded_page },
		{ "idt-mmio", idt_in_mmio },
		{ "stack-wp", stack_in_a_write_forwarded_page },
		{ "wp-cross", write_across_into_a_write_forwarded_page },
	};
	const char *cmdline = (const char *)(uintptr_t)multiboot_info->cmdline;
	const char *mode = strchr(cmdline, ' ');

	report_start();
	mode = mode ? mode + 1 : "";
	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(mode, modes[i].name)) {
			modes[i].run();
			return report_summary();
		}
	}
	printf("ABORT: the command line must name a mode (pt-mmio, cr3-mmio, pt-wp, idt-mmio, "
	       "stack-wp, wp-cross)\n");
	return HV_EXIT_ABORT;
}
