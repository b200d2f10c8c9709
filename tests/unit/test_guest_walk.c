// SPDX-License-Identifier: GPL-2.0
/*
 * Guest page walk and instruction fetch (hv/ioreq/guest_walk.c), on a fake
 * guest memory with hand-built paging structures (SDM Vol. 3A chapter 4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/ioreq/guest_walk.h>
#include <x86/cpu.h>
#include <x86/msr.h>

#define MEM_SIZE (64 * KiB)

/* Paging-structure entry bits */
#define P BIT(0)
#define RW BIT(1)
#define US BIT(2)
#define A BIT(5)
#define D BIT(6)
#define PS BIT(7)
#define XD BIT(63)

/* Where the tables go: the root at CR3, then one page per level. */
#define ROOT 0x1000ULL
#define L2 0x2000ULL
#define L3 0x3000ULL
#define L4 0x4000ULL
#define L5 0x5000ULL
/* Data pages, and an address beyond the guest's memory. */
#define PAGE_A 0x9000ULL
#define PAGE_B 0x7000ULL
#define OUTSIDE 0x10000000ULL

#define CR0_PAGING (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP)
#define CR4_4LEVEL X86_CR4_PAE
#define EFER_4LEVEL (EFER_LME | EFER_LMA | EFER_NXE)

/* Paging structures at or above this address are in memory hv may not write (read-only RAM). */
#define READ_ONLY_FROM 0xc000ULL

static u8 mem[MEM_SIZE];
static unsigned int nr_reads, nr_flag_updates;
/* Runs before each flag update: a test changes the entry the way another vCPU would. */
static void (*before_flag_update)(u64 gpa);

/* The contract of guest_paging.map_gpa, over mem; @write: the walk is about to set flags. */
static void *map_gpa(void *ctx, u64 gpa, u32 len, bool write)
{
	if (write) {
		if (before_flag_update)
			before_flag_update(gpa);
		if (gpa >= READ_ONLY_FROM)
			return NULL;
		nr_flag_updates++;
	} else {
		nr_reads++;
	}
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return NULL;
	return mem + gpa;
}

static int clear_memory(void **state)
{
	memset(mem, 0, sizeof(mem));
	nr_reads = 0;
	nr_flag_updates = 0;
	before_flag_update = NULL;
	return 0;
}

static void set32(u64 gpa, u32 value)
{
	memcpy(mem + gpa, &value, sizeof(value));
}

static void set64(u64 gpa, u64 value)
{
	memcpy(mem + gpa, &value, sizeof(value));
}

/* Entry @index of the 8-byte-entry table at @table. */
static void set_entry(u64 table, u64 index, u64 value)
{
	set64(table + index * 8, value);
}

static u64 index9(u64 linear, unsigned int shift)
{
	return (linear >> shift) & 511;
}

static struct guest_paging paging(u64 cr0, u64 cr4, u64 efer)
{
	return (struct guest_paging){
		.cr0 = cr0, .cr3 = ROOT, .cr4 = cr4, .efer = efer, .map_gpa = map_gpa
	};
}

static struct guest_walk_result walk(const struct guest_paging *pg, u64 linear, u32 access)
{
	struct guest_walk_result res;
	enum guest_walk_status status = guest_walk(pg, linear, access, &res);

	assert_int_equal(status, res.status);
	return res;
}

static void expect_gpa(const struct guest_paging *pg, u64 linear, u32 access, u64 gpa)
{
	struct guest_walk_result res = walk(pg, linear, access);

	if (res.status != GUEST_WALK_OK || res.gpa != gpa)
		fail_msg("linear 0x%llx, access 0x%x: status %d gpa 0x%llx error 0x%x, "
			 "expected gpa 0x%llx",
			 (unsigned long long)linear, access, res.status,
			 (unsigned long long)res.gpa, res.pf_error, (unsigned long long)gpa);
}

static void expect_page_fault(const struct guest_paging *pg, u64 linear, u32 access, u32 error)
{
	struct guest_walk_result res = walk(pg, linear, access);

	if (res.status != GUEST_WALK_PAGE_FAULT || res.pf_error != error || res.linear != linear)
		fail_msg("linear 0x%llx, access 0x%x: status %d error 0x%x, expected #PF 0x%x",
			 (unsigned long long)linear, access, res.status, res.pf_error, error);
}

/* 4-level tables mapping the 4-KByte page at @linear to @page, every level P|RW|US. */
static void map_4level_4k(u64 linear, u64 page, u64 pte_flags)
{
	set_entry(ROOT, index9(linear, 39), L2 | P | RW | US);
	set_entry(L2, index9(linear, 30), L3 | P | RW | US);
	set_entry(L3, index9(linear, 21), L4 | P | RW | US);
	set_entry(L4, index9(linear, 12), page | pte_flags);
}

/* Paging off (SDM Vol. 3A 4.1.1) */

static void without_paging_linear_is_physical(void **state)
{
	struct guest_paging pg = paging(X86_CR0_PE, 0, 0);

	expect_gpa(&pg, 0x12345, GUEST_ACCESS_FETCH, 0x12345);
	expect_gpa(&pg, 0xfffff000, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER, 0xfffff000);
	/* Outside IA-32e mode a linear address has 32 bits. */
	expect_gpa(&pg, 0x100001234ULL, GUEST_ACCESS_READ, 0x1234);
	assert_int_equal(nr_reads, 0);
}

/* 32-bit paging (4.3) */

static void paging_32bit_translates_4k_pages(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, 0, 0);

	/* 0x00403abc: PDE 1, PTE 3, offset 0xabc */
	set32(ROOT + 1 * 4, L2 | P | RW | US);
	set32(L2 + 3 * 4, PAGE_A | P | RW | US);
	expect_gpa(&pg, 0x00403abc, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER, PAGE_A | 0xabc);
	assert_int_equal(nr_reads, 2);
}

static void paging_32bit_maps_4m_pages_with_pse_and_pse36(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, X86_CR4_PSE, 0);

	set32(ROOT + 2 * 4, 0x00c00000 | PS | P | RW);
	expect_gpa(&pg, 0x00812345, GUEST_ACCESS_READ, 0x00c12345);
	/* PSE-36: PDE bits 20:13 are physical-address bits 39:32. */
	set32(ROOT + 3 * 4, 0x00400000 | (0x12 << 13) | PS | P);
	expect_gpa(&pg, 0x00c00123, GUEST_ACCESS_READ, 0x1200400123ULL);
	assert_int_equal(nr_reads, 2);
}

static void paging_32bit_ignores_ps_without_cr4_pse(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, 0, 0);

	/* PS = 1 but CR4.PSE = 0: the PDE points to a page table at 0x2000. */
	set32(ROOT + 4 * 4, L2 | PS | P | RW);
	set32(L2 + 5 * 4, PAGE_A | P | RW);
	expect_gpa(&pg, 0x01005010, GUEST_ACCESS_READ, PAGE_A | 0x010);
}

static void paging_32bit_4m_page_with_bit_21_is_a_reserved_bit_fault(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, X86_CR4_PSE, 0);

	set32(ROOT + 2 * 4, 0x00c00000 | BIT(21) | PS | P | RW);
	expect_page_fault(&pg, 0x00812345, GUEST_ACCESS_READ, PF_ERROR_PRESENT | PF_ERROR_RESERVED);
}

static void paging_32bit_not_present_entries_fault_with_p_clear(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, 0, 0);

	expect_page_fault(&pg, 0x00403000, GUEST_ACCESS_READ, 0);
	set32(ROOT + 1 * 4, L2 | P | RW | US);
	expect_page_fault(&pg, 0x00403000, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER,
			  PF_ERROR_WRITE | PF_ERROR_USER);
	/* No XD bit and no SMEP: a fetch does not set I/D (4.7), even with EFER.NXE. */
	expect_page_fault(&pg, 0x00403000, GUEST_ACCESS_FETCH, 0);
	pg.efer = EFER_NXE;
	expect_page_fault(&pg, 0x00403000, GUEST_ACCESS_FETCH, 0);
}

/* PAE paging (4.4) */

static void pae_paging_uses_the_pdpte_registers_not_memory(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, X86_CR4_PAE, EFER_NXE);

	/* The PDPT in memory at CR3 says not present: the registers count. */
	pg.pdpte[0] = L2 | P;
	pg.pdpte[3] = L3 | P;
	set_entry(L2, 0, L4 | P | RW | US);
	set_entry(L4, 5, PAGE_A | P | RW | US);
	expect_gpa(&pg, 0x00005123, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER, PAGE_A | 0x123);
	/* 2-MByte page: PDE 1 */
	set_entry(L2, 1, 0x40000000 | PS | P | RW);
	expect_gpa(&pg, 0x00212345, GUEST_ACCESS_READ, 0x40012345);
	/* Linear bits 31:30 pick PDPTE 3; PDE 511 maps a 2-MByte page. */
	set_entry(L3, 511, 0x80000000ULL | PS | P);
	expect_gpa(&pg, 0xfff00001, GUEST_ACCESS_FETCH, 0x80100001);
	assert_int_equal(nr_reads, 2 + 1 + 1);
}

static void pae_paging_not_present_pdpte_faults_without_reading_memory(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, X86_CR4_PAE, EFER_NXE);

	pg.pdpte[0] = L2 | P;
	expect_page_fault(&pg, 0x40000000, GUEST_ACCESS_WRITE, PF_ERROR_WRITE);
	/* A fetch sets I/D: PAE with NXE. */
	expect_page_fault(&pg, 0x40000000, GUEST_ACCESS_FETCH, PF_ERROR_FETCH);
	assert_int_equal(nr_reads, 0);
}

static void pae_paging_checks_xd_and_its_reserved_bits(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, X86_CR4_PAE, EFER_NXE);

	pg.pdpte[0] = L2 | P;
	set_entry(L2, 0, L4 | P | RW);
	set_entry(L4, 0, PAGE_A | P | RW | XD);
	expect_gpa(&pg, 0x10, GUEST_ACCESS_READ, PAGE_A | 0x10);
	expect_page_fault(&pg, 0x10, GUEST_ACCESS_FETCH, PF_ERROR_PRESENT | PF_ERROR_FETCH);
	/* Without NXE, XD is a reserved bit, for any access. */
	pg.efer = 0;
	expect_page_fault(&pg, 0x10, GUEST_ACCESS_READ, PF_ERROR_PRESENT | PF_ERROR_RESERVED);
	/* Bits 62:52 are reserved in PAE entries. */
	pg.efer = EFER_NXE;
	set_entry(L4, 0, PAGE_A | P | RW | BIT(52));
	expect_page_fault(&pg, 0x10, GUEST_ACCESS_READ, PF_ERROR_PRESENT | PF_ERROR_RESERVED);
	/* Bits 20:13 of a 2-MByte page are reserved. */
	set_entry(L2, 1, 0x40000000 | BIT(13) | PS | P);
	expect_page_fault(&pg, 0x00200000, GUEST_ACCESS_READ, PF_ERROR_PRESENT | PF_ERROR_RESERVED);
}

/* 4-level paging (4.5) */

static void level4_paging_translates_4k_2m_and_1g_pages(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	u64 high = 0xffff800000001000ULL; /* PML4 entry 256 */

	map_4level_4k(0x00007f0012345678ULL, PAGE_A, P | RW | US);
	expect_gpa(&pg, 0x00007f0012345678ULL, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER,
		   PAGE_A | 0x678);
	assert_int_equal(nr_reads, 4);

	/* 2-MByte page in the same page directory */
	set_entry(L3, index9(0x00007f0012400000ULL, 21), 0x40000000 | PS | P | RW | US);
	expect_gpa(&pg, 0x00007f00124abcdeULL, GUEST_ACCESS_READ, 0x400abcde);

	/* 1-GByte page, and the upper half of the address space */
	set_entry(ROOT, 256, L5 | P | RW);
	set_entry(L5, 0, 0x3c0000000ULL | PS | P | RW);
	expect_gpa(&pg, high, GUEST_ACCESS_FETCH, 0x3c0001000ULL);
	expect_gpa(&pg, 0xffff80003ffff123ULL, GUEST_ACCESS_READ, 0x3fffff123ULL);
}

static void level4_paging_refuses_reserved_bits(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	u32 rsvd = PF_ERROR_PRESENT | PF_ERROR_RESERVED;

	/* PS in a PML4E */
	set_entry(ROOT, 0, L2 | PS | P | RW);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_READ, rsvd);
	/* Bits 29:13 of a 1-GByte page */
	set_entry(ROOT, 0, L2 | P | RW);
	set_entry(L2, 0, 0x40000000 | BIT(29) | PS | P | RW);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE, rsvd | PF_ERROR_WRITE);
	/* Bits 20:13 of a 2-MByte page */
	set_entry(L2, 0, L3 | P | RW);
	set_entry(L3, 0, 0x40000000 | BIT(20) | PS | P | RW);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_READ, rsvd);
	/* XD without NXE, in a PTE */
	set_entry(L3, 0, L4 | P | RW);
	set_entry(L4, 1, PAGE_A | P | RW | XD);
	pg.efer = EFER_LME | EFER_LMA;
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_READ, rsvd);
	/* Bit 12 of a 2-MByte page is PAT, not part of the address. */
	pg.efer = EFER_4LEVEL;
	set_entry(L3, 1, 0x40000000 | BIT(12) | PS | P | RW);
	expect_gpa(&pg, 0x00200010, GUEST_ACCESS_READ, 0x40000010);
}

static void user_accesses_need_us_at_every_level(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);

	map_4level_4k(0x1000, PAGE_A, P | RW | US);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_READ | GUEST_ACCESS_USER, PAGE_A);
	/* U/S clear in the PML4E only */
	set_entry(ROOT, 0, L2 | P | RW);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_READ | GUEST_ACCESS_USER,
			  PF_ERROR_PRESENT | PF_ERROR_USER);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_FETCH | GUEST_ACCESS_USER,
			  PF_ERROR_PRESENT | PF_ERROR_USER | PF_ERROR_FETCH);
	/* Supervisor accesses do not care. */
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_WRITE, PAGE_A);
}

static void writes_need_rw_at_every_level_with_cr0_wp(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);

	map_4level_4k(0x1000, PAGE_A, P | RW | US);
	/* R/W clear in the PDE only */
	set_entry(L3, 0, L4 | P | US);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER,
			  PF_ERROR_PRESENT | PF_ERROR_WRITE | PF_ERROR_USER);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE, PF_ERROR_PRESENT | PF_ERROR_WRITE);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_READ | GUEST_ACCESS_USER, PAGE_A);
	/* CR0.WP = 0: supervisor writes ignore R/W, user writes do not. */
	pg.cr0 &= ~X86_CR0_WP;
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_WRITE, PAGE_A);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER,
			  PF_ERROR_PRESENT | PF_ERROR_WRITE | PF_ERROR_USER);
}

static void fetches_need_xd_clear_at_every_level_with_nxe(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);

	map_4level_4k(0x1000, PAGE_A, P | RW | US);
	/* XD in the PDPTE only */
	set_entry(L2, 0, L3 | P | RW | US | XD);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_FETCH, PF_ERROR_PRESENT | PF_ERROR_FETCH);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_FETCH | GUEST_ACCESS_USER,
			  PF_ERROR_PRESENT | PF_ERROR_USER | PF_ERROR_FETCH);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER, PAGE_A);
}

static void smep_stops_supervisor_fetches_from_user_pages(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_LME | EFER_LMA);

	map_4level_4k(0x1000, PAGE_A, P | RW | US);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_FETCH, PAGE_A);
	pg.cr4 |= X86_CR4_SMEP;
	/* I/D is set with SMEP even without NXE. */
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_FETCH, PF_ERROR_PRESENT | PF_ERROR_FETCH);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_FETCH | GUEST_ACCESS_USER, PAGE_A);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_READ, PAGE_A);
	/* A supervisor page stays executable. */
	set_entry(L4, 1, PAGE_A | P | RW);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_FETCH, PAGE_A);
}

static void smap_stops_supervisor_data_accesses_to_user_pages_unless_ac(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL | X86_CR4_SMAP, EFER_4LEVEL);

	map_4level_4k(0x1000, PAGE_A, P | RW | US);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_READ, PF_ERROR_PRESENT);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE, PF_ERROR_PRESENT | PF_ERROR_WRITE);
	/* SMAP does not apply to fetches nor to user accesses. */
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_FETCH, PAGE_A);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_READ | GUEST_ACCESS_USER, PAGE_A);
	pg.rflags = X86_RFLAGS_AC;
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_READ, PAGE_A);
	/* With AC, CR0.WP still protects a read-only user page. */
	set_entry(L4, 1, PAGE_A | P | US);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE, PF_ERROR_PRESENT | PF_ERROR_WRITE);
}

static void not_present_fetch_sets_id_only_with_nxe_or_smep(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);

	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_FETCH | GUEST_ACCESS_USER,
			  PF_ERROR_USER | PF_ERROR_FETCH);
	pg.efer = EFER_LME | EFER_LMA;
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_FETCH | GUEST_ACCESS_USER, PF_ERROR_USER);
	pg.cr4 |= X86_CR4_SMEP;
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_FETCH | GUEST_ACCESS_USER,
			  PF_ERROR_USER | PF_ERROR_FETCH);
}

static void non_canonical_addresses_are_not_walked(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;

	res = walk(&pg, 0x0000800000000000ULL, GUEST_ACCESS_READ);
	assert_int_equal(res.status, GUEST_WALK_NOT_CANONICAL);
	res = walk(&pg, 0xffff7fffffffffffULL, GUEST_ACCESS_READ);
	assert_int_equal(res.status, GUEST_WALK_NOT_CANONICAL);
	assert_int_equal(nr_reads, 0);
}

static void table_outside_guest_memory_is_unreadable_not_a_page_fault(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;

	set_entry(ROOT, 0, L2 | P | RW);
	set_entry(L2, 0, OUTSIDE | P | RW);
	res = walk(&pg, 0x201000, GUEST_ACCESS_READ);
	assert_int_equal(res.status, GUEST_WALK_UNREADABLE);
	/* The PDE the walk tried to read: index 1 of the table at OUTSIDE */
	assert_int_equal(res.gpa, OUTSIDE + 1 * 8);

	/* CR3 itself */
	pg.cr3 = OUTSIDE;
	res = walk(&pg, 0x1000, GUEST_ACCESS_READ);
	assert_int_equal(res.status, GUEST_WALK_UNREADABLE);
	assert_int_equal(res.gpa, OUTSIDE);
}

/* 5-level paging (4.5) */

static void level5_paging_walks_the_pml5(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL | X86_CR4_LA57, EFER_4LEVEL);
	u64 linear = 0x0012345678abc123ULL; /* PML5 index 0x12 */

	set_entry(ROOT, index9(linear, 48), L2 | P | RW);
	set_entry(L2, index9(linear, 39), L3 | P | RW);
	set_entry(L3, index9(linear, 30), L4 | P | RW);
	set_entry(L4, index9(linear, 21), L5 | P | RW);
	set_entry(L5, index9(linear, 12), PAGE_A | P | RW);
	expect_gpa(&pg, linear, GUEST_ACCESS_WRITE, PAGE_A | 0x123);
	assert_int_equal(nr_reads, 5);

	/* Canonical for 57 bits, not for 48. */
	pg.cr4 &= ~X86_CR4_LA57;
	assert_int_equal(walk(&pg, linear, GUEST_ACCESS_READ).status, GUEST_WALK_NOT_CANONICAL);
	pg.cr4 |= X86_CR4_LA57;
	assert_int_equal(walk(&pg, 0x0100000000000000ULL, GUEST_ACCESS_READ).status,
			 GUEST_WALK_NOT_CANONICAL);

	/* PS in a PML5E is reserved. */
	set_entry(ROOT, index9(linear, 48), L2 | PS | P | RW);
	expect_page_fault(&pg, linear, GUEST_ACCESS_READ, PF_ERROR_PRESENT | PF_ERROR_RESERVED);
}

/* Accessed and dirty flags (4.8) */

static u64 entry_at(u64 table, u64 index)
{
	u64 value;

	memcpy(&value, mem + table + index * 8, sizeof(value));
	return value;
}

static u32 entry32_at(u64 table, u64 index)
{
	u32 value;

	memcpy(&value, mem + table + index * 4, sizeof(value));
	return value;
}

static void walk_sets_accessed_at_every_level_and_dirty_only_for_writes(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	u64 linear = 0x00007f0012345678ULL;

	map_4level_4k(linear, PAGE_A, P | RW | US);
	expect_gpa(&pg, linear, GUEST_ACCESS_READ, PAGE_A | 0x678);
	assert_int_equal(entry_at(ROOT, index9(linear, 39)), L2 | P | RW | US | A);
	assert_int_equal(entry_at(L2, index9(linear, 30)), L3 | P | RW | US | A);
	assert_int_equal(entry_at(L3, index9(linear, 21)), L4 | P | RW | US | A);
	assert_int_equal(entry_at(L4, index9(linear, 12)), PAGE_A | P | RW | US | A);
	assert_int_equal(nr_flag_updates, 4);
	/* Set already: nothing is written again. */
	expect_gpa(&pg, linear, GUEST_ACCESS_FETCH, PAGE_A | 0x678);
	assert_int_equal(nr_flag_updates, 4);
	/* A write dirties the entry that maps the page, and only it. */
	expect_gpa(&pg, linear, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER, PAGE_A | 0x678);
	assert_int_equal(entry_at(L4, index9(linear, 12)), PAGE_A | P | RW | US | A | D);
	assert_int_equal(entry_at(L3, index9(linear, 21)), L4 | P | RW | US | A);
	assert_int_equal(nr_flag_updates, 5);

	/* A 2-MByte page: its PDE maps it and is the one dirtied. */
	set_entry(L3, index9(0x00007f0012400000ULL, 21), 0x40000000 | PS | P | RW);
	expect_gpa(&pg, 0x00007f0012400010ULL, GUEST_ACCESS_WRITE, 0x40000010);
	assert_int_equal(entry_at(L3, index9(0x00007f0012400000ULL, 21)),
			 0x40000000 | PS | P | RW | A | D);
}

static void walk_sets_the_flags_of_32bit_entries_in_4_bytes(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, 0, 0);

	set32(ROOT + 1 * 4, L2 | P | RW);
	set32(L2 + 3 * 4, PAGE_A | P | RW);
	set32(L2 + 4 * 4, 0xdeadb000); /* the next entry stays as it is */
	expect_gpa(&pg, 0x00403abc, GUEST_ACCESS_WRITE, PAGE_A | 0xabc);
	assert_int_equal(entry32_at(ROOT, 1), L2 | P | RW | A);
	assert_int_equal(entry32_at(L2, 3), PAGE_A | P | RW | A | D);
	assert_int_equal(entry32_at(L2, 4), 0xdeadb000);
}

static void a_walk_that_faults_sets_no_flags(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);

	map_4level_4k(0x1000, PAGE_A, P | US);
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER,
			  PF_ERROR_PRESENT | PF_ERROR_WRITE | PF_ERROR_USER);
	set_entry(L4, 2, 0);
	expect_page_fault(&pg, 0x2000, GUEST_ACCESS_READ, 0);
	assert_int_equal(nr_flag_updates, 0);
	assert_int_equal(entry_at(ROOT, 0), L2 | P | RW | US);
}

/* Another vCPU makes the PTE not present between the walk's read and its flag update. */
static void unmap_pte_of_page_1(u64 gpa)
{
	if (gpa == L4 + 1 * 8)
		set_entry(L4, 1, 0);
}

static void an_entry_that_changed_before_its_flag_was_set_is_walked_again(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);

	map_4level_4k(0x1000, PAGE_A, P | RW);
	before_flag_update = unmap_pte_of_page_1;
	/* The second walk sees the PTE not present: #PF, not the old translation. */
	expect_page_fault(&pg, 0x1000, GUEST_ACCESS_WRITE, PF_ERROR_WRITE);
	assert_int_equal(entry_at(L4, 1), 0);
}

static u64 flips;

/* Another vCPU rewrites the PTE every time: the entry never holds what was read. */
static void rewrite_pte_of_page_1(u64 gpa)
{
	if (gpa == L4 + 1 * 8)
		set_entry(L4, 1, (PAGE_A | P | RW) ^ (++flips & 1 ? PAGE_B ^ PAGE_A : 0));
}

static void entries_that_keep_changing_give_retry_after_a_few_walks(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;

	map_4level_4k(0x1000, PAGE_A, P | RW);
	flips = 0;
	before_flag_update = rewrite_pte_of_page_1;
	res = walk(&pg, 0x1000, GUEST_ACCESS_READ);
	assert_int_equal(res.status, GUEST_WALK_RETRY);
	assert_true(flips >= 2 && flips <= 8);
}

static void paging_structures_in_read_only_memory_are_unwritable(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;

	/* The page table lies in memory hv may not write: the PTE's accessed flag cannot be set. */
	set_entry(ROOT, 0, L2 | P | RW | A);
	set_entry(L2, 0, L3 | P | RW | A);
	set_entry(L3, 0, READ_ONLY_FROM | P | RW | A);
	set_entry(READ_ONLY_FROM, 1, PAGE_A | P | RW);
	res = walk(&pg, 0x1000, GUEST_ACCESS_READ);
	assert_int_equal(res.status, GUEST_WALK_UNWRITABLE);
	assert_int_equal(res.gpa, READ_ONLY_FROM + 1 * 8);
	/* With the flags set already, nothing needs writing: the walk succeeds. */
	set_entry(READ_ONLY_FROM, 1, PAGE_A | P | RW | A | D);
	expect_gpa(&pg, 0x1000, GUEST_ACCESS_WRITE, PAGE_A);
}

/* Instruction fetch */

static const u8 insn_bytes[15] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
				   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

static void fetch_within_one_page_reads_15_bytes(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;
	u8 buf[15];

	map_4level_4k(0x400000, PAGE_A, P);
	memcpy(mem + PAGE_A + 0x100, insn_bytes, 15);
	assert_int_equal(guest_fetch_insn(&pg, 0x400100, false, buf, &res, NULL), 15);
	assert_int_equal(res.status, GUEST_WALK_OK);
	assert_memory_equal(buf, insn_bytes, 15);
}

static void fetch_crossing_a_page_boundary_translates_each_page(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;
	u8 buf[15];

	/* 0x400ff9..0x400fff on PAGE_A, 0x401000..0x401007 on PAGE_B below it */
	map_4level_4k(0x400000, PAGE_A, P | US);
	map_4level_4k(0x401000, PAGE_B, P | US);
	memcpy(mem + PAGE_A + 0xff9, insn_bytes, 7);
	memcpy(mem + PAGE_B, insn_bytes + 7, 8);
	assert_int_equal(guest_fetch_insn(&pg, 0x400ff9, true, buf, &res, NULL), 15);
	assert_int_equal(res.status, GUEST_WALK_OK);
	assert_memory_equal(buf, insn_bytes, 15);
}

static void fetch_stops_where_the_second_page_faults(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;
	u8 buf[15];

	map_4level_4k(0x400000, PAGE_A, P | US);
	memcpy(mem + PAGE_A + 0xffa, insn_bytes, 6);
	assert_int_equal(guest_fetch_insn(&pg, 0x400ffa, true, buf, &res, NULL), 6);
	assert_memory_equal(buf, insn_bytes, 6);
	/* The fault to inject if the instruction needs the 7th byte: CR2 on the second page */
	assert_int_equal(res.status, GUEST_WALK_PAGE_FAULT);
	assert_int_equal(res.linear, 0x401000);
	assert_int_equal(res.pf_error, PF_ERROR_USER | PF_ERROR_FETCH);

	/* Present but XD */
	map_4level_4k(0x401000, PAGE_B, P | US | XD);
	assert_int_equal(guest_fetch_insn(&pg, 0x400ffa, true, buf, &res, NULL), 6);
	assert_int_equal(res.pf_error, PF_ERROR_PRESENT | PF_ERROR_USER | PF_ERROR_FETCH);
}

static void fetch_from_a_page_that_faults_reads_nothing(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;
	u8 buf[15];

	assert_int_equal(guest_fetch_insn(&pg, 0x400ffa, false, buf, &res, NULL), 0);
	assert_int_equal(res.status, GUEST_WALK_PAGE_FAULT);
	assert_int_equal(res.linear, 0x400ffa);
	assert_int_equal(res.pf_error, PF_ERROR_FETCH);
}

static void fetch_from_code_outside_guest_memory_is_unreadable(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;
	u8 buf[15];

	map_4level_4k(0x400000, OUTSIDE, P);
	assert_int_equal(guest_fetch_insn(&pg, 0x400010, false, buf, &res, NULL), 0);
	assert_int_equal(res.status, GUEST_WALK_UNREADABLE);
	assert_int_equal(res.gpa, OUTSIDE + 0x10);
}

static void fetch_in_32bit_paging_wraps_at_4g(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, 0, 0);
	struct guest_walk_result res;
	u8 buf[15];

	/* 0xfffffffa..0xffffffff on PAGE_A, then linear 0 on PAGE_B */
	set32(ROOT + 1023 * 4, L2 | P);
	set32(L2 + 1023 * 4, PAGE_A | P);
	set32(ROOT + 0 * 4, L3 | P);
	set32(L3 + 0 * 4, PAGE_B | P);
	memcpy(mem + PAGE_A + 0xffa, insn_bytes, 6);
	memcpy(mem + PAGE_B, insn_bytes + 6, 9);
	assert_int_equal(guest_fetch_insn(&pg, 0xfffffffa, false, buf, &res, NULL), 15);
	assert_memory_equal(buf, insn_bytes, 15);
}

static void fetch_into_non_canonical_addresses_stops(void **state)
{
	struct guest_paging pg = paging(CR0_PAGING, CR4_4LEVEL, EFER_4LEVEL);
	struct guest_walk_result res;
	u8 buf[15];

	map_4level_4k(0x00007ffffffff000ULL, PAGE_A, P | US);
	assert_int_equal(guest_fetch_insn(&pg, 0x00007ffffffffff9ULL, true, buf, &res, NULL), 7);
	assert_int_equal(res.status, GUEST_WALK_NOT_CANONICAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(without_paging_linear_is_physical, clear_memory),
		cmocka_unit_test_setup(paging_32bit_translates_4k_pages, clear_memory),
		cmocka_unit_test_setup(paging_32bit_maps_4m_pages_with_pse_and_pse36, clear_memory),
		cmocka_unit_test_setup(paging_32bit_ignores_ps_without_cr4_pse, clear_memory),
		cmocka_unit_test_setup(paging_32bit_4m_page_with_bit_21_is_a_reserved_bit_fault,
				       clear_memory),
		cmocka_unit_test_setup(paging_32bit_not_present_entries_fault_with_p_clear,
				       clear_memory),
		cmocka_unit_test_setup(pae_paging_uses_the_pdpte_registers_not_memory,
				       clear_memory),
		cmocka_unit_test_setup(pae_paging_not_present_pdpte_faults_without_reading_memory,
				       clear_memory),
		cmocka_unit_test_setup(pae_paging_checks_xd_and_its_reserved_bits, clear_memory),
		cmocka_unit_test_setup(level4_paging_translates_4k_2m_and_1g_pages, clear_memory),
		cmocka_unit_test_setup(level4_paging_refuses_reserved_bits, clear_memory),
		cmocka_unit_test_setup(user_accesses_need_us_at_every_level, clear_memory),
		cmocka_unit_test_setup(writes_need_rw_at_every_level_with_cr0_wp, clear_memory),
		cmocka_unit_test_setup(fetches_need_xd_clear_at_every_level_with_nxe, clear_memory),
		cmocka_unit_test_setup(smep_stops_supervisor_fetches_from_user_pages, clear_memory),
		cmocka_unit_test_setup(smap_stops_supervisor_data_accesses_to_user_pages_unless_ac,
				       clear_memory),
		cmocka_unit_test_setup(not_present_fetch_sets_id_only_with_nxe_or_smep,
				       clear_memory),
		cmocka_unit_test_setup(non_canonical_addresses_are_not_walked, clear_memory),
		cmocka_unit_test_setup(table_outside_guest_memory_is_unreadable_not_a_page_fault,
				       clear_memory),
		cmocka_unit_test_setup(level5_paging_walks_the_pml5, clear_memory),
		cmocka_unit_test_setup(walk_sets_accessed_at_every_level_and_dirty_only_for_writes,
				       clear_memory),
		cmocka_unit_test_setup(walk_sets_the_flags_of_32bit_entries_in_4_bytes,
				       clear_memory),
		cmocka_unit_test_setup(a_walk_that_faults_sets_no_flags, clear_memory),
		cmocka_unit_test_setup(
			an_entry_that_changed_before_its_flag_was_set_is_walked_again,
			clear_memory),
		cmocka_unit_test_setup(entries_that_keep_changing_give_retry_after_a_few_walks,
				       clear_memory),
		cmocka_unit_test_setup(paging_structures_in_read_only_memory_are_unwritable,
				       clear_memory),
		cmocka_unit_test_setup(fetch_within_one_page_reads_15_bytes, clear_memory),
		cmocka_unit_test_setup(fetch_crossing_a_page_boundary_translates_each_page,
				       clear_memory),
		cmocka_unit_test_setup(fetch_stops_where_the_second_page_faults, clear_memory),
		cmocka_unit_test_setup(fetch_from_a_page_that_faults_reads_nothing, clear_memory),
		cmocka_unit_test_setup(fetch_from_code_outside_guest_memory_is_unreadable,
				       clear_memory),
		cmocka_unit_test_setup(fetch_in_32bit_paging_wraps_at_4g, clear_memory),
		cmocka_unit_test_setup(fetch_into_non_canonical_addresses_stops, clear_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
