// SPDX-License-Identifier: GPL-2.0
/*
 * hv keeps the instructions of a vCPU's MMIO accesses decoded
 * (hv/ioreq/insn_cache.h). A hit must be what a fresh fetch would give:
 * this guest changes what its device-access instruction is behind hv's
 * back, in each way a fetch sees, and checks that hv emulates the new one.
 *
 *  - the same linear address mapped to another code page (a PTE change);
 *  - the instruction rewritten in place (self-modifying code);
 *  - a higher-level entry pointing elsewhere (a PDE change).
 *
 * Each instruction runs twice after every change: the first run fills
 * the cache, the second hits it. A stale hit loads the wrong register.
 */
#include <hv.h>
#include <string.h>
#include <testdev.h>
#include "libguest.h"

#define PAGE_SIZE 4096U
#define PTE_PRESENT 0x1ULL
#define PTE_WRITABLE 0x2ULL
/* The linear 2 MiB region the test maps with its own page table: 3 GiB. */
#define ALIAS_BASE 0xc0000000ULL
#define ALIAS_CODE (ALIAS_BASE + 0x100)
#define SENTINEL 0x5a5a5a5aU
#define VALUE 0x1234abcdU
#define SCRATCH (HV_TESTDEV_MMIO + HV_TESTDEV_MMIO_SCRATCH)

/* mov eax/ecx/edx, [rbx]; ret */
static const uint8_t load_eax[] = { 0x8b, 0x03, 0xc3 };
static const uint8_t load_ecx[] = { 0x8b, 0x0b, 0xc3 };
static const uint8_t load_edx[] = { 0x8b, 0x13, 0xc3 };

static uint8_t code_a[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t code_b[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint64_t alias_pt[2][512] __attribute__((aligned(PAGE_SIZE)));

struct regs {
	uint32_t eax, ecx, edx;
};

static struct regs call_alias(void)
{
	struct regs r = { SENTINEL, SENTINEL, SENTINEL };

	asm volatile("call *%[fn]"
		     : "+a"(r.eax), "+c"(r.ecx), "+d"(r.edx)
		     : [fn] "S"(ALIAS_CODE), "b"(SCRATCH)
		     : "memory");
	return r;
}

static void set_pde(uint64_t *pt)
{
	guest_pd[ALIAS_BASE >> 21] = (uintptr_t)pt | PTE_PRESENT | PTE_WRITABLE;
	invlpg(ALIAS_CODE);
}

static void set_pte(uint64_t *pt, uint8_t *page)
{
	pt[0] = (uintptr_t)page | PTE_PRESENT | PTE_WRITABLE;
	invlpg(ALIAS_CODE);
}

/* Twice: the run that fills the cache, then the one that hits it. */
static void expect(const char *what, char reg)
{
	unsigned int run;

	for (run = 0; run < 2; run++) {
		struct regs r = call_alias();
		uint32_t got = reg == 'a' ? r.eax : reg == 'c' ? r.ecx : r.edx;
		unsigned int others = (reg != 'a' && r.eax != SENTINEL) +
				      (reg != 'c' && r.ecx != SENTINEL) +
				      (reg != 'd' && r.edx != SENTINEL);

		report(got == VALUE && !others,
		       "%s, run %u: e%cx = %#x, %u other register(s) changed", what, run + 1, reg,
		       got, others);
	}
}

int main(void)
{
	uint64_t saved_pde = guest_pd[ALIAS_BASE >> 21];

	report_begin(__FILE__);
	*(volatile uint32_t *)SCRATCH = VALUE;
	memcpy(code_a + 0x100, load_eax, sizeof(load_eax));
	memcpy(code_b + 0x100, load_ecx, sizeof(load_ecx));

	set_pte(alias_pt[0], code_a);
	set_pde(alias_pt[0]);
	expect("code page A (mov eax)", 'a');

	set_pte(alias_pt[0], code_b);
	expect("the PTE remapped to code page B (mov ecx)", 'c');

	set_pte(alias_pt[0], code_a);
	expect("the PTE back to code page A", 'a');

	memcpy(code_a + 0x100, load_edx, sizeof(load_edx));
	expect("code page A rewritten in place (mov edx)", 'd');

	/* Another page table whose PTE maps code page B: only the PDE changes. */
	set_pte(alias_pt[1], code_b);
	set_pde(alias_pt[1]);
	expect("the PDE pointing to another page table (mov ecx)", 'c');

	guest_pd[ALIAS_BASE >> 21] = saved_pde;
	invlpg(ALIAS_CODE);
	return report_summary();
}
