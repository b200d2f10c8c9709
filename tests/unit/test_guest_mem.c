// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory accessed on the guest's behalf (hv/ioreq/guest_mem.c): a
 * guest with 4-level paging over RAM slots of hv/ept, whose page types the
 * tests change, in the model's physical memory (tests/model/ept_env.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include <hv/core/frame.h>
#include <hv/ioreq/guest_mem.h>
#include <hv/vmx/caps.h>
#include <x86/cpu.h>
#include <x86/hw.h>
#include <x86/msr.h>

#include "../model/ept_env.h"

/* Paging-structure entry bits (SDM Vol. 3A 4.5) */
#define P BIT(0)
#define RW BIT(1)
#define US BIT(2)
#define A BIT(5)
#define D BIT(6)

#define PAGE 0x1000ULL
/* Guest RAM: 1 MiB at 0; MMIO: one page at 3 GiB; nothing else. */
#define RAM_SIZE MiB
#define MMIO_GPA (3 * GiB)
/* The guest's 4-level tables, and its data pages */
#define ROOT 0x1000ULL
#define PDPT 0x2000ULL
#define PD 0x3000ULL
#define PT 0x4000ULL
#define PAGE_A 0x10000ULL
#define PAGE_B 0x20000ULL
#define PAGE_C 0x30000ULL

#define CR0_PAGING (X86_CR0_PE | X86_CR0_PG | X86_CR0_WP)

static struct ept ept;
static u64 ram_hpa;
static struct guest_mem gm;

static u8 *ram(u64 gpa)
{
	return phys_to_virt(ram_hpa + gpa);
}

static u64 get64(u64 gpa)
{
	u64 v;

	memcpy(&v, ram(gpa), sizeof(v));
	return v;
}

static void set64(u64 gpa, u64 v)
{
	memcpy(ram(gpa), &v, sizeof(v));
}

/* Maps linear page @linear (below 2 MiB) to @page with @flags in the PTE. */
static void map(u64 linear, u64 page, u64 flags)
{
	set64(PT + (linear >> 12) * 8, page | flags);
}

static int setup(void **state)
{
	struct mem_slot ram_slot = { .gpa = 0, .size = RAM_SIZE, .type = EPT_TYPE_RAM_RW };
	struct mem_slot mmio = { .gpa = MMIO_GPA, .size = PAGE, .type = EPT_TYPE_MMIO };

	ept_env_reset(1);
	vmx_caps.ept_2m = true;
	assert_int_equal(ept_init(&ept, 1, BIT(0), NULL), 0);
	ram_hpa = frame_alloc(RAM_SIZE / PAGE, PAGE);
	assert_true(ram_hpa);
	memset(ram(0), 0, RAM_SIZE);
	ram_slot.hpa = ram_hpa;
	assert_int_equal(ept_add_slot(&ept, &ram_slot), 0);
	assert_int_equal(ept_add_slot(&ept, &mmio), 0);

	/* Linear 0..2 MiB through one page table; every upper level allows everything. */
	set64(ROOT, PDPT | P | RW | US);
	set64(PDPT, PD | P | RW | US);
	set64(PD, PT | P | RW | US);
	gm.pg = (struct guest_paging){ .cr0 = CR0_PAGING,
				       .cr3 = ROOT,
				       .cr4 = X86_CR4_PAE,
				       .efer = EFER_LME | EFER_LMA | EFER_NXE };
	guest_mem_bind(&gm, &ept, false);
	return 0;
}

static int teardown(void **state)
{
	ept_destroy(&ept);
	frame_free(ram_hpa, RAM_SIZE / PAGE);
	return 0;
}

static void set_type(u64 gpa, enum ept_page_type type)
{
	assert_int_equal(ept_set_type(&ept, gpa, PAGE, type), 0);
}

static struct guest_mem_result translate(u64 linear, u32 len, u32 access,
					 struct guest_mem_span *span)
{
	struct guest_mem_result res;
	enum guest_mem_status status = guest_mem_translate(&gm, linear, len, access, span, &res);

	assert_int_equal(status, res.status);
	return res;
}

static void expect_status(u64 linear, u32 len, u32 access, enum guest_mem_status status, u64 gpa)
{
	struct guest_mem_span span;
	struct guest_mem_result res = translate(linear, len, access, &span);

	assert_int_equal(res.status, status);
	assert_int_equal(res.gpa, gpa);
}

static void an_access_inside_a_page_is_one_piece(void **state)
{
	struct guest_mem_span span;

	map(0x5000, PAGE_A, P | RW);
	assert_int_equal(translate(0x5ff8, 8, GUEST_ACCESS_WRITE, &span).status, GUEST_MEM_OK);
	assert_int_equal(span.nr, 1);
	assert_int_equal(span.gpa[0], PAGE_A + 0xff8);
	assert_int_equal(span.len[0], 8);
}

static void an_access_across_a_page_boundary_translates_each_page(void **state)
{
	struct guest_mem_span span;
	u8 in[4] = { 1, 2, 3, 4 }, out[4];
	struct guest_mem_result res;

	/* Linear pages 5 and 6 map to pages far apart, in reverse order. */
	map(0x5000, PAGE_B, P | RW);
	map(0x6000, PAGE_A, P | RW);
	assert_int_equal(translate(0x5ffe, 4, GUEST_ACCESS_WRITE, &span).status, GUEST_MEM_OK);
	assert_int_equal(span.nr, 2);
	assert_int_equal(span.gpa[0], PAGE_B + 0xffe);
	assert_int_equal(span.len[0], 2);
	assert_int_equal(span.gpa[1], PAGE_A);
	assert_int_equal(span.len[1], 2);
	assert_int_equal(guest_mem_write_span(&ept, &span, in, &res), GUEST_MEM_OK);
	assert_int_equal(ram(PAGE_B + 0xffe)[0], 1);
	assert_int_equal(ram(PAGE_B + 0xfff)[0], 2);
	assert_int_equal(ram(PAGE_A)[0], 3);
	assert_int_equal(ram(PAGE_A + 1)[0], 4);
	assert_int_equal(guest_mem_read_span(&ept, &span, out, &res), GUEST_MEM_OK);
	assert_memory_equal(in, out, 4);
}

static void a_fault_on_the_second_page_is_reported_at_its_first_byte(void **state)
{
	struct guest_mem_span span;
	struct guest_mem_result res;

	map(0x5000, PAGE_A, P | RW);
	res = translate(0x5ffe, 4, GUEST_ACCESS_WRITE, &span);
	assert_int_equal(res.status, GUEST_MEM_FAULT);
	assert_false(res.non_canonical);
	assert_int_equal(res.linear, 0x6000);
	assert_int_equal(res.pf_error, PF_ERROR_WRITE);
}

static void user_accesses_fault_on_supervisor_pages(void **state)
{
	struct guest_mem_span span;
	struct guest_mem_result res;

	map(0x5000, PAGE_A, P | RW);
	guest_mem_bind(&gm, &ept, true);
	res = translate(0x5010, 1, GUEST_ACCESS_READ, &span);
	assert_int_equal(res.status, GUEST_MEM_FAULT);
	assert_int_equal(res.linear, 0x5010);
	assert_int_equal(res.pf_error, PF_ERROR_PRESENT | PF_ERROR_USER);
	map(0x5000, PAGE_A, P | US);
	res = translate(0x5010, 1, GUEST_ACCESS_WRITE, &span);
	assert_int_equal(res.pf_error, PF_ERROR_PRESENT | PF_ERROR_WRITE | PF_ERROR_USER);
	map(0x5000, PAGE_A, P | RW | US);
	assert_int_equal(translate(0x5010, 1, GUEST_ACCESS_WRITE, &span).status, GUEST_MEM_OK);
}

static void smap_keeps_supervisor_accesses_off_user_pages_unless_ac(void **state)
{
	struct guest_mem_span span;
	struct guest_mem_result res;

	map(0x5000, PAGE_A, P | RW | US);
	gm.pg.cr4 |= X86_CR4_SMAP;
	res = translate(0x5010, 2, GUEST_ACCESS_WRITE, &span);
	assert_int_equal(res.status, GUEST_MEM_FAULT);
	assert_int_equal(res.pf_error, PF_ERROR_PRESENT | PF_ERROR_WRITE);
	gm.pg.rflags |= X86_RFLAGS_AC;
	assert_int_equal(translate(0x5010, 2, GUEST_ACCESS_WRITE, &span).status, GUEST_MEM_OK);
}

static void translation_sets_the_guests_accessed_and_dirty_flags(void **state)
{
	struct guest_mem_span span;

	map(0x5000, PAGE_A, P | RW);
	map(0x6000, PAGE_B, P | RW);
	assert_int_equal(translate(0x5000, 1, GUEST_ACCESS_READ, &span).status, GUEST_MEM_OK);
	assert_int_equal(get64(PT + 5 * 8), PAGE_A | P | RW | A);
	assert_int_equal(get64(ROOT), PDPT | P | RW | US | A);
	/* A write across the boundary dirties both pages. */
	assert_int_equal(translate(0x5fff, 2, GUEST_ACCESS_WRITE, &span).status, GUEST_MEM_OK);
	assert_int_equal(get64(PT + 5 * 8), PAGE_A | P | RW | A | D);
	assert_int_equal(get64(PT + 6 * 8), PAGE_B | P | RW | A | D);
	assert_int_equal(get64(PD), PT | P | RW | US | A);
}

static void writes_obey_the_page_type(void **state)
{
	struct guest_mem_span span;
	struct guest_mem_result res;

	map(0x5000, PAGE_A, P | RW);
	map(0x6000, PAGE_B, P | RW);
	map(0x7000, MMIO_GPA, P | RW);
	map(0x8000, RAM_SIZE, P | RW); /* past the end of RAM */

	set_type(PAGE_A, EPT_TYPE_RAM_RO);
	res = translate(0x5008, 8, GUEST_ACCESS_WRITE, &span);
	assert_int_equal(res.status, GUEST_MEM_DENIED);
	assert_int_equal(res.gpa, PAGE_A + 8);
	assert_int_equal(res.type, EPT_TYPE_RAM_RO);
	assert_int_equal(translate(0x5008, 8, GUEST_ACCESS_READ, &span).status, GUEST_MEM_OK);

	set_type(PAGE_B, EPT_TYPE_IOREQ);
	res = translate(0x6ffc, 4, GUEST_ACCESS_WRITE, &span);
	assert_int_equal(res.status, GUEST_MEM_DEVICE);
	assert_int_equal(res.type, EPT_TYPE_IOREQ);
	assert_int_equal(translate(0x6ffc, 4, GUEST_ACCESS_READ, &span).status, GUEST_MEM_OK);

	expect_status(0x7000, 4, GUEST_ACCESS_READ, GUEST_MEM_DEVICE, MMIO_GPA);
	expect_status(0x7000, 4, GUEST_ACCESS_WRITE, GUEST_MEM_DEVICE, MMIO_GPA);
	expect_status(0x8010, 1, GUEST_ACCESS_READ, GUEST_MEM_DENIED, RAM_SIZE + 0x10);

	/* The second page decides for a write from writable RAM into read-only RAM. */
	map(0x4000, PAGE_C, P | RW);
	res = translate(0x4ffe, 4, GUEST_ACCESS_WRITE, &span);
	assert_int_equal(res.status, GUEST_MEM_DENIED);
	assert_int_equal(res.gpa, PAGE_A);
}

static void a_write_checks_the_types_again(void **state)
{
	struct guest_mem_span span;
	struct guest_mem_result res;
	u8 in[4] = { 1, 2, 3, 4 };

	map(0x5000, PAGE_A, P | RW);
	map(0x6000, PAGE_B, P | RW);
	assert_int_equal(translate(0x5ffe, 4, GUEST_ACCESS_WRITE, &span).status, GUEST_MEM_OK);
	/* While the device is read, say, the second page becomes read-only: nothing is written. */
	set_type(PAGE_B, EPT_TYPE_RAM_RO);
	assert_int_equal(guest_mem_write_span(&ept, &span, in, &res), GUEST_MEM_DENIED);
	assert_int_equal(res.gpa, PAGE_B);
	assert_int_equal(ram(PAGE_A + 0xffe)[0], 0);
	assert_int_equal(ram(PAGE_B)[0], 0);
}

static void paging_structures_outside_writable_ram_are_reported(void **state)
{
	struct guest_mem_span span;

	/* The page table itself becomes read-only while its entry still needs A. */
	map(0x5000, PAGE_A, P | RW);
	set_type(PT, EPT_TYPE_RAM_RO);
	expect_status(0x5000, 1, GUEST_ACCESS_READ, GUEST_MEM_PAGING, PT + 5 * 8);
	/* In an ioreq-server page likewise: the flags cannot be set in place. */
	set_type(PT, EPT_TYPE_RAM_RW);
	set_type(PT, EPT_TYPE_IOREQ);
	expect_status(0x5000, 1, GUEST_ACCESS_READ, GUEST_MEM_PAGING, PT + 5 * 8);
	/* With every flag set, nothing needs writing: the walk reads them in place. */
	set64(PT + 5 * 8, PAGE_A | P | RW | A | D);
	set64(ROOT, get64(ROOT) | A);
	set64(PDPT, get64(PDPT) | A);
	set64(PD, get64(PD) | A);
	assert_int_equal(translate(0x5000, 1, GUEST_ACCESS_WRITE, &span).status, GUEST_MEM_OK);
	/* A page table in MMIO cannot even be read. */
	set64(PD, MMIO_GPA | P | RW | A);
	expect_status(0x5000, 1, GUEST_ACCESS_READ, GUEST_MEM_PAGING, MMIO_GPA + 5 * 8);
}

static void an_access_past_the_canonical_boundary_is_a_gp(void **state)
{
	struct guest_mem_span span;
	struct guest_mem_result res;
	u64 last = 0x00007ffffffff000ULL;

	/* Map the last canonical lower-half page: PML4 255, PDPT 511, PD 511, PT 511. */
	set64(ROOT + 255 * 8, PDPT | P | RW);
	set64(PDPT + 511 * 8, PD | P | RW);
	set64(PD + 511 * 8, PT | P | RW);
	set64(PT + 511 * 8, PAGE_A | P | RW);
	assert_int_equal(translate(last + 0xffc, 4, GUEST_ACCESS_READ, &span).status, GUEST_MEM_OK);
	res = translate(last + 0xffe, 4, GUEST_ACCESS_READ, &span);
	assert_int_equal(res.status, GUEST_MEM_FAULT);
	assert_true(res.non_canonical);
}

static void legacy_linear_addresses_wrap_at_4g(void **state)
{
	struct guest_mem_span span;

	/* Paging off, 32-bit mode: linear is physical, and 0xffffffff + 1 is 0. */
	gm.pg = (struct guest_paging){ .cr0 = X86_CR0_PE };
	guest_mem_bind(&gm, &ept, false);
	expect_status(0xfffffffe, 4, GUEST_ACCESS_READ, GUEST_MEM_DENIED, 0xfffffffe);
	assert_int_equal(translate(0x100000ffeULL, 4, GUEST_ACCESS_READ, &span).status,
			 GUEST_MEM_OK);
	assert_int_equal(span.gpa[0], 0xffe);
	assert_int_equal(span.nr, 2);
	assert_int_equal(span.gpa[1], 0x1000);
}

static void hypercall_results_go_to_writable_ram_only(void **state)
{
	u64 value = 0x1122334455667788ULL;

	assert_int_equal(guest_mem_write_gpa(&ept, PAGE_A + 8, &value, 8), 0);
	assert_int_equal(get64(PAGE_A + 8), value);
	set_type(PAGE_B, EPT_TYPE_RAM_RO);
	assert_int_equal(guest_mem_write_gpa(&ept, PAGE_B, &value, 8), -1);
	/* Partly writable: nothing at all is written. */
	assert_int_equal(guest_mem_write_gpa(&ept, PAGE_B - 4, &value, 8), -1);
	assert_int_equal(get64(PAGE_B - 8), 0);
	assert_int_equal(get64(PAGE_B), 0);
	set_type(PAGE_C, EPT_TYPE_IOREQ);
	assert_int_equal(guest_mem_write_gpa(&ept, PAGE_C, &value, 8), -1);
	assert_int_equal(guest_mem_write_gpa(&ept, MMIO_GPA, &value, 8), -1);
	assert_int_equal(guest_mem_write_gpa(&ept, RAM_SIZE - 4, &value, 8), -1);
	assert_int_equal(guest_mem_write_gpa(&ept, -4ULL, &value, 8), -1);
	assert_int_equal(guest_mem_write_gpa(&ept, 1ULL << 48, &value, 8), -1);
	assert_int_equal(get64(RAM_SIZE - 8), 0);
}

#define GUEST_MEM_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		GUEST_MEM_TEST(an_access_inside_a_page_is_one_piece),
		GUEST_MEM_TEST(an_access_across_a_page_boundary_translates_each_page),
		GUEST_MEM_TEST(a_fault_on_the_second_page_is_reported_at_its_first_byte),
		GUEST_MEM_TEST(user_accesses_fault_on_supervisor_pages),
		GUEST_MEM_TEST(smap_keeps_supervisor_accesses_off_user_pages_unless_ac),
		GUEST_MEM_TEST(translation_sets_the_guests_accessed_and_dirty_flags),
		GUEST_MEM_TEST(writes_obey_the_page_type),
		GUEST_MEM_TEST(a_write_checks_the_types_again),
		GUEST_MEM_TEST(paging_structures_outside_writable_ram_are_reported),
		GUEST_MEM_TEST(an_access_past_the_canonical_boundary_is_a_gp),
		GUEST_MEM_TEST(legacy_linear_addresses_wrap_at_4g),
		GUEST_MEM_TEST(hypercall_results_go_to_writable_ram_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
