// SPDX-License-Identifier: GPL-2.0
/*
 * PAE paging without long mode (SDM Vol. 3A 4.4). The guest leaves long
 * mode (lib/legacy.S) and turns PAE paging on with MOV to CR0. hv emulates
 * that MOV (it owns CR0.PG) and must load the four PDPTEs from CR3 as the
 * CPU would (SDM Vol. 3A 4.4.1): under EPT, VM entry takes them from the
 * VMCS, not from memory (SDM Vol. 3C 27.3.2.4). A present PDPTE with a
 * reserved bit set makes the MOV raise #GP and enables nothing.
 *
 * The PAE tables map the whole first GiB as the boot code's identity map
 * does, except one page, "probe", which they map to a marker page: what the
 * guest reads at probe's address says whose translation it got, the
 * guest's PDPTEs' or the long-mode identity map's, which was used just
 * before (a MOV to CR0 that changes PG flushes the TLBs, SDM Vol. 3A
 * 4.10.4.1; hv must do it for the MOV it emulates).
 */
#include <stdint.h>
#include "libguest.h"

#define PAGE 4096UL
#define PAGE_2M_SHIFT 21
#define ENTRIES 512
#define PTE_P 1ULL
#define PTE_RW 2ULL
#define PDPTE_RESERVED_BIT1 2ULL /* R/W is reserved in a PAE PDPTE */
#define IDT32_INTERRUPT_GATE 0x8e00U /* present, DPL 0, 32-bit interrupt gate */
#define IDT32_GP_VECTORS 14 /* vectors 0..13: #GP is the last one filled */
#define PROBE 0x0bad0badU
#define MARKER_A 0xa11ce5a5U
#define MARKER_B 0xb0b0cafeU
#define PG_STILL_ON 0x100U /* pae_reserved32(): paging was on after the MOV */

/* Used by the 32-bit code below by name: not static. */
volatile uint32_t pae_probe[PAGE / 4] __attribute__((aligned(PAGE)));
uint32_t pae_marker_a[PAGE / 4] __attribute__((aligned(PAGE)));
uint32_t pae_marker_b[PAGE / 4] __attribute__((aligned(PAGE)));
uint64_t pae_pd_a[ENTRIES] __attribute__((aligned(PAGE)));
uint64_t pae_pt_a[ENTRIES] __attribute__((aligned(PAGE)));
uint64_t pae_pd_b[ENTRIES] __attribute__((aligned(PAGE)));
uint64_t pae_pt_b[ENTRIES] __attribute__((aligned(PAGE)));
uint64_t pae_pdpt_a[4] __attribute__((aligned(32)));
uint64_t pae_pdpt_b[4] __attribute__((aligned(32)));
uint64_t pae_pdpt_bad[4] __attribute__((aligned(32)));
uint64_t pae_idt32[IDT32_GP_VECTORS] __attribute__((aligned(8)));
struct {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed)) pae_idt32_desc;
volatile uint32_t pae_gp_count;

uint32_t pae_read32(uint32_t pdpt);
uint32_t pae_switch32(uint32_t pdpt);
uint32_t pae_reserved32(uint32_t pdpt);
void pae_gp32(void);

/*
 * 32-bit protected mode, paging off on entry and exit (legacy_call()).
 *  pae_read32(pdpt):     CR3 = pdpt, paging on, read the probe, paging off.
 *  pae_switch32(pdpt):   the same, then MOV to CR3 of pae_pdpt_b (the CPU
 *                        loads its PDPTEs), CPUID (a VM exit), read the probe.
 *  pae_reserved32(pdpt): with an IDT whose #GP handler skips the MOV to CR0
 *                        (3 bytes: 0f 22 c0), try to turn paging on; returns
 *                        the #GP count, | PG_STILL_ON if paging came on.
 */
asm(".pushsection .text\n"
    ".code32\n"
    "pae_paging_on:\n"
    "	mov %eax, %cr3\n"
    "	mov %cr0, %eax\n"
    "	or $0x80000000, %eax\n"
    "	mov %eax, %cr0\n"
    "	ret\n"
    "pae_paging_off:\n"
    "	mov %cr0, %ecx\n"
    "	and $0x7fffffff, %ecx\n"
    "	mov %ecx, %cr0\n"
    "	ret\n"
    "pae_read32:\n"
    "	mov 4(%esp), %eax\n"
    "	call pae_paging_on\n"
    "	mov pae_probe, %eax\n"
    "	call pae_paging_off\n"
    "	ret\n"
    "pae_switch32:\n"
    "	push %ebx\n"
    "	mov 8(%esp), %eax\n"
    "	call pae_paging_on\n"
    "	mov $pae_pdpt_b, %eax\n"
    "	mov %eax, %cr3\n"
    "	xor %eax, %eax\n"
    "	cpuid\n"
    "	mov pae_probe, %eax\n"
    "	call pae_paging_off\n"
    "	pop %ebx\n"
    "	ret\n"
    "pae_reserved32:\n"
    "	lidt pae_idt32_desc\n"
    "	mov 4(%esp), %eax\n"
    "	call pae_paging_on\n"
    "	mov pae_gp_count, %eax\n"
    "	mov %cr0, %ecx\n"
    "	test %ecx, %ecx\n"
    "	jns 1f\n"
    "	or $0x100, %eax\n"
    "	call pae_paging_off\n"
    "1:	ret\n"
    "pae_gp32:\n"
    "	add $4, %esp\n"
    "	addl $3, (%esp)\n"
    "	incl pae_gp_count\n"
    "	iret\n"
    ".code64\n"
    ".popsection");

/* PAE tables: the first GiB as the boot code maps it, but the probe's page is @target. */
static void build_tables(uint64_t *pdpt, uint64_t *pd, uint64_t *pt, const void *target)
{
	uintptr_t probe = (uintptr_t)pae_probe, region = probe >> PAGE_2M_SHIFT;

	for (unsigned int i = 0; i < ENTRIES; i++) {
		pd[i] = guest_pd[i]; /* 2 MiB pages: the same format in PAE paging */
		pt[i] = ((region << PAGE_2M_SHIFT) + i * PAGE) | PTE_P | PTE_RW;
	}
	pt[(probe / PAGE) % ENTRIES] = (uintptr_t)target | PTE_P | PTE_RW;
	pd[region] = (uintptr_t)pt | PTE_P | PTE_RW;
	pdpt[0] = (uintptr_t)pd | PTE_P;
	pdpt[1] = pdpt[2] = pdpt[3] = 0;
}

static uint32_t run32(uint32_t (*fn)(uint32_t), const uint64_t *pdpt)
{
	/* The long-mode translation of the probe is in the TLB now. */
	(void)pae_probe[0];
	return legacy_call(fn, (uint32_t)(uintptr_t)pdpt);
}

int main(void)
{
	uintptr_t gp = (uintptr_t)pae_gp32;
	uint32_t v;

	report_start();
	pae_probe[0] = PROBE;
	pae_marker_a[0] = MARKER_A;
	pae_marker_b[0] = MARKER_B;
	build_tables(pae_pdpt_a, pae_pd_a, pae_pt_a, pae_marker_a);
	build_tables(pae_pdpt_b, pae_pd_b, pae_pt_b, pae_marker_b);
	pae_pdpt_bad[0] = pae_pdpt_a[0] | PDPTE_RESERVED_BIT1;
	pae_idt32[GP_VECTOR] = (gp & 0xffff) | (uint64_t)GDT_CODE32 << 16 |
			       (uint64_t)((gp & 0xffff0000) | IDT32_INTERRUPT_GATE) << 32;
	pae_idt32_desc.limit = sizeof(pae_idt32) - 1;
	pae_idt32_desc.base = (uint32_t)(uintptr_t)pae_idt32;

	v = run32(pae_read32, pae_pdpt_a);
	report(v == MARKER_A,
	       "MOV to CR0 turns PAE paging on with the guest's PDPTEs: probe reads %#x (%#x)", v,
	       MARKER_A);
	v = run32(pae_switch32, pae_pdpt_a);
	report(v == MARKER_B, "MOV to CR3 under PAE paging, then a VM exit: probe reads %#x (%#x)",
	       v, MARKER_B);
	v = run32(pae_reserved32, pae_pdpt_bad);
	report(v == 1,
	       "a present PDPTE with bit 1 set: MOV to CR0 raises #GP, paging stays off (%#x)", v);
	report(pae_probe[0] == PROBE, "back in long mode: probe reads %#x through the identity map",
	       pae_probe[0]);
	return report_summary();
}
