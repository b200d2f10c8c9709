// SPDX-License-Identifier: GPL-2.0
/*
 * The decoded-instruction cache (hv/ioreq/insn_cache.c) over a fake guest
 * memory: a hit must be exactly what a fresh fetch and decode would give,
 * so every change a fresh fetch would see (a paging-structure entry, an
 * instruction byte, a paging register, the CPL, the mode) must miss.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/ioreq/insn_cache.h>
#include <x86/cpu.h>
#include <x86/msr.h>

#define MEM_SIZE (64 * KiB)

#define P BIT(0)
#define RW BIT(1)
#define US BIT(2)
#define A BIT(5)

#define ROOT 0x1000ULL
#define L2 0x2000ULL
#define L3 0x3000ULL
#define L4 0x4000ULL
#define CODE 0x9000ULL
#define OTHER_CODE 0x7000ULL

#define CR0_PAGING (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP)
#define EFER_4LEVEL (EFER_LME | EFER_LMA | EFER_NXE)
#define RIP 0x400100ULL

/* mov eax, [rbx] and mov [rbx], ecx, padded with NOPs to 15 bytes */
static const u8 load_insn[15] = { 0x8b, 0x03, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
				  0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 };
static const u8 store_insn[15] = { 0x89, 0x0b, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
				   0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 };

static u8 mem[MEM_SIZE];
static struct insn_cache cache;

static void *map_gpa(void *ctx, u64 gpa, u32 len, bool write)
{
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return NULL;
	return mem + gpa;
}

static void set64(u64 gpa, u64 value)
{
	memcpy(mem + gpa, &value, sizeof(value));
}

static u64 get64(u64 gpa)
{
	u64 value;

	memcpy(&value, mem + gpa, sizeof(value));
	return value;
}

static u64 index9(u64 linear, unsigned int shift)
{
	return (linear >> shift) & 511;
}

static void map_4k(u64 linear, u64 page)
{
	set64(ROOT + index9(linear, 39) * 8, L2 | P | RW | US);
	set64(L2 + index9(linear, 30) * 8, L3 | P | RW | US);
	set64(L3 + index9(linear, 21) * 8, L4 | P | RW | US);
	set64(L4 + index9(linear, 12) * 8, page | P | RW | US);
}

static u64 pte_gpa(u64 linear)
{
	return L4 + index9(linear, 12) * 8;
}

static struct guest_paging paging(void)
{
	return (struct guest_paging){ .cr0 = CR0_PAGING,
				      .cr3 = ROOT,
				      .cr4 = X86_CR4_PAE,
				      .efer = EFER_4LEVEL,
				      .map_gpa = map_gpa };
}

static int setup(void **state)
{
	memset(mem, 0, sizeof(mem));
	memset(&cache, 0, sizeof(cache));
	map_4k(RIP, CODE);
	memcpy(mem + CODE + (RIP & 0xfff), load_insn, sizeof(load_insn));
	return 0;
}

/* What hv does on a miss (hv/ioreq/ioreq.c): fetch, decode, fill. Returns the decode. */
static struct mmio_insn fetch_and_fill(const struct guest_paging *pg, u32 user,
				       enum mmio_cpu_mode mode, u64 linear)
{
	struct guest_walk_result res;
	struct guest_walk_path path;
	struct mmio_insn insn;
	u8 bytes[X86_MAX_INSN_LEN];
	u32 n = guest_fetch_insn(pg, linear, user, bytes, &res, &path);

	assert_int_equal(mmio_decode(bytes, n, mode, &insn, NULL), 0);
	if (n == X86_MAX_INSN_LEN)
		insn_cache_fill(&cache, pg, user, mode, linear, res.gpa, &path, bytes, &insn);
	return insn;
}

static const struct mmio_insn *find(const struct guest_paging *pg, u32 user,
				    enum mmio_cpu_mode mode, u64 linear)
{
	return insn_cache_find(&cache, pg, user, mode, linear);
}

static void a_filled_entry_hits_with_the_same_decode(void **state)
{
	struct guest_paging pg = paging();
	struct mmio_insn fresh;
	const struct mmio_insn *hit;

	assert_null(find(&pg, 0, MMIO_MODE_64, RIP));
	fresh = fetch_and_fill(&pg, 0, MMIO_MODE_64, RIP);
	hit = find(&pg, 0, MMIO_MODE_64, RIP);
	assert_non_null(hit);
	assert_memory_equal(hit, &fresh, sizeof(fresh));
	assert_int_equal(hit->dir, MMIO_READ);
	/* The walk set A in every entry; the entry holds the values with A. */
	assert_true(get64(pte_gpa(RIP)) & A);
}

static void a_changed_instruction_byte_misses(void **state)
{
	struct guest_paging pg = paging();
	const struct mmio_insn *hit;

	fetch_and_fill(&pg, 0, MMIO_MODE_64, RIP);
	/* Self-modifying code: the load becomes a store. */
	memcpy(mem + CODE + (RIP & 0xfff), store_insn, sizeof(store_insn));
	assert_null(find(&pg, 0, MMIO_MODE_64, RIP));
	fetch_and_fill(&pg, 0, MMIO_MODE_64, RIP);
	hit = find(&pg, 0, MMIO_MODE_64, RIP);
	assert_non_null(hit);
	assert_int_equal(hit->dir, MMIO_WRITE);
	/* The last of the 15 bytes counts too. */
	mem[CODE + (RIP & 0xfff) + 14] = 0xcc;
	assert_null(find(&pg, 0, MMIO_MODE_64, RIP));
}

static void a_changed_paging_entry_at_any_level_misses(void **state)
{
	struct guest_paging pg = paging();
	u64 entries[] = { ROOT + index9(RIP, 39) * 8, L2 + index9(RIP, 30) * 8,
			  L3 + index9(RIP, 21) * 8, pte_gpa(RIP) };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(entries); i++) {
		u64 old;

		fetch_and_fill(&pg, 0, MMIO_MODE_64, RIP);
		assert_non_null(find(&pg, 0, MMIO_MODE_64, RIP));
		old = get64(entries[i]);
		/* The guest clears A: a fresh walk would set it again, a write. */
		set64(entries[i], old & ~A);
		assert_null(find(&pg, 0, MMIO_MODE_64, RIP));
		set64(entries[i], old);
		assert_non_null(find(&pg, 0, MMIO_MODE_64, RIP));
	}
}

static void a_remapped_code_page_misses_and_refills_with_the_new_instruction(void **state)
{
	struct guest_paging pg = paging();
	const struct mmio_insn *hit;

	fetch_and_fill(&pg, 0, MMIO_MODE_64, RIP);
	/* The same linear address now maps another page, holding a store. */
	memcpy(mem + OTHER_CODE + (RIP & 0xfff), store_insn, sizeof(store_insn));
	set64(pte_gpa(RIP), OTHER_CODE | P | RW | US | A);
	assert_null(find(&pg, 0, MMIO_MODE_64, RIP));
	fetch_and_fill(&pg, 0, MMIO_MODE_64, RIP);
	hit = find(&pg, 0, MMIO_MODE_64, RIP);
	assert_non_null(hit);
	assert_int_equal(hit->dir, MMIO_WRITE);
}

static void other_registers_cpl_or_mode_miss(void **state)
{
	struct guest_paging pg = paging(), other;

	fetch_and_fill(&pg, 0, MMIO_MODE_64, RIP);
	other = pg;
	other.cr3 = L3;
	assert_null(find(&other, 0, MMIO_MODE_64, RIP));
	other = pg;
	other.cr4 |= X86_CR4_SMEP;
	assert_null(find(&other, 0, MMIO_MODE_64, RIP));
	other = pg;
	other.cr0 &= ~X86_CR0_WP;
	assert_null(find(&other, 0, MMIO_MODE_64, RIP));
	other = pg;
	other.efer &= ~EFER_NXE;
	assert_null(find(&other, 0, MMIO_MODE_64, RIP));
	assert_null(find(&pg, GUEST_ACCESS_USER, MMIO_MODE_64, RIP));
	assert_null(find(&pg, 0, MMIO_MODE_32, RIP));
	assert_null(find(&pg, 0, MMIO_MODE_64, RIP + 1));
	/* RFLAGS does not change a fetch. */
	other = pg;
	other.rflags ^= X86_RFLAGS_AC;
	assert_non_null(find(&other, 0, MMIO_MODE_64, RIP));
}

static void instructions_near_a_page_end_are_not_kept(void **state)
{
	struct guest_paging pg = paging();
	u64 last = (RIP & ~0xfffULL) + 0x1000 - X86_MAX_INSN_LEN;

	map_4k(RIP + 0x1000, OTHER_CODE);
	memcpy(mem + CODE + 0xff1, load_insn, sizeof(load_insn));
	fetch_and_fill(&pg, 0, MMIO_MODE_64, last);
	assert_non_null(find(&pg, 0, MMIO_MODE_64, last));
	/* One byte further the 15 bytes cross into the next page: a second walk. */
	mem[CODE + 0xff2] = 0x8b;
	mem[CODE + 0xff3] = 0x03;
	fetch_and_fill(&pg, 0, MMIO_MODE_64, last + 1);
	assert_null(find(&pg, 0, MMIO_MODE_64, last + 1));
}

static void without_paging_only_the_bytes_are_checked(void **state)
{
	struct guest_paging pg = paging();

	pg.cr0 = X86_CR0_PE;
	pg.cr4 = 0;
	pg.efer = 0;
	memcpy(mem + CODE + 0x100, load_insn, sizeof(load_insn));
	fetch_and_fill(&pg, 0, MMIO_MODE_32, CODE + 0x100);
	assert_non_null(find(&pg, 0, MMIO_MODE_32, CODE + 0x100));
	mem[CODE + 0x101] = 0x0b;
	assert_null(find(&pg, 0, MMIO_MODE_32, CODE + 0x100));
}

static void pae_paging_outside_ia32e_mode_is_not_kept(void **state)
{
	struct guest_paging pg = paging();

	/* PAE: the walk starts at PDPTE register 0, then the PD at L3, the PT at L4. */
	pg.efer = 0;
	pg.pdpte[0] = L3 | P;
	set64(L3 + index9(RIP, 21) * 8, L4 | P | RW | US);
	fetch_and_fill(&pg, 0, MMIO_MODE_32, RIP);
	assert_null(find(&pg, 0, MMIO_MODE_32, RIP));
}

static void thirty_two_bit_entries_are_compared_as_such(void **state)
{
	struct guest_paging pg = paging();
	u32 pde = L2 | P | RW | US, pte = CODE | P | RW | US;

	pg.cr4 = 0;
	pg.efer = 0;
	memset(mem + ROOT, 0, 0x1000);
	memcpy(mem + ROOT + (RIP >> 22) * 4, &pde, 4);
	memcpy(mem + L2 + ((RIP >> 12) & 1023) * 4, &pte, 4);
	fetch_and_fill(&pg, 0, MMIO_MODE_32, RIP);
	assert_non_null(find(&pg, 0, MMIO_MODE_32, RIP));
	/* The next entry in memory is not part of the path. */
	mem[L2 + ((RIP >> 12) & 1023) * 4 + 4] = 0xff;
	assert_non_null(find(&pg, 0, MMIO_MODE_32, RIP));
	mem[L2 + ((RIP >> 12) & 1023) * 4 + 1] ^= 0x10;
	assert_null(find(&pg, 0, MMIO_MODE_32, RIP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_filled_entry_hits_with_the_same_decode, setup),
		cmocka_unit_test_setup(a_changed_instruction_byte_misses, setup),
		cmocka_unit_test_setup(a_changed_paging_entry_at_any_level_misses, setup),
		cmocka_unit_test_setup(
			a_remapped_code_page_misses_and_refills_with_the_new_instruction, setup),
		cmocka_unit_test_setup(other_registers_cpl_or_mode_miss, setup),
		cmocka_unit_test_setup(instructions_near_a_page_end_are_not_kept, setup),
		cmocka_unit_test_setup(without_paging_only_the_bytes_are_checked, setup),
		cmocka_unit_test_setup(pae_paging_outside_ia32e_mode_is_not_kept, setup),
		cmocka_unit_test_setup(thirty_two_bit_entries_are_compared_as_such, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
