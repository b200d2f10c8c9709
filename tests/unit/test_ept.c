// SPDX-License-Identifier: GPL-2.0
/*
 * hv/ept and hv/core/epoch over a fake physical memory (tests/model/ept_env.h).
 * The tests read the tables as a CPU walks them (SDM Vol. 3C 29.3.2), with
 * their own constants, and check ept_check() after every operation. One
 * CPU unless a test says otherwise; other CPUs are simulated in the thread
 * that kicks them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <hv/core/epoch.h>
#include <hv/core/frame.h>
#include <hv/ept/ept.h>
#include <hv/vmx/caps.h>
#include <hv/vmx/vmx_controls.h>
#include <x86/hw.h>

#include "../model/ept_env.h"

/* EPT entries (SDM Vol. 3C 29.3.2), written down here independently of ept.c. */
#define R EPT_ACCESS_READ
#define W EPT_ACCESS_WRITE
#define X EPT_ACCESS_EXEC
#define RWX (R | W | X)
#define MEMTYPE_MASK GENMASK(5, 3)
#define MEMTYPE_WB (6ULL << 3)
#define LARGE BIT(7)
#define ACCESSED BIT(8)
#define DIRTY BIT(9)
#define ADDR_MASK GENMASK(51, 12)
#define ENTRIES 512U
#define LEVEL_SIZE(level) (PAGE_SIZE << (9 * ((level)-1)))

/* EPTP (SDM Vol. 3C 25.6.11) */
#define EPTP_WB 6ULL
#define EPTP_WALK_4 (3ULL << 3)
#define EPTP_AD BIT(6)

/* Slots are backed by host frames the EPT only names, never touches. */
#define HPA (64 * GiB)

/* A test that waits forever is a failure, not a hung test binary. */
#define WATCHDOG_SECONDS 20

static struct ept ept;
static u64 free_at_start;
static u64 drained[EPT_ENV_PHYS_SIZE / PAGE_SIZE];
static u64 nr_drained;

static void watchdog(int sig)
{
	static const char msg[] = "test_ept: the test did not finish: hv waits forever\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	abort();
}

static int setup(void **state)
{
	ept_env_reset(1);
	vmx_caps.ept_2m = true;
	vmx_caps.ept_1g = true;
	vmx_caps.ept_ad = false;
	model_invept_hook = NULL;
	model_phys_access_hook = NULL;
	memset(&ept, 0, sizeof(ept));
	nr_drained = 0;
	free_at_start = ept_env_nr_free();
	signal(SIGALRM, watchdog);
	alarm(WATCHDOG_SECONDS);
	return 0;
}

/* Every test ends with the pool as it began: nothing leaked, nothing pending. */
static int teardown(void **state)
{
	struct epoch_stats e;
	u32 i;

	if (ept.root_pa)
		ept_destroy(&ept);
	ept_env_kick_hook = NULL;
	for (i = 1; i < nr_cpus; i++)
		percpu_area[i].online = false;
	epoch_synchronize(BIT(0));
	epoch_reclaim();
	epoch_get_stats(&e);
	alarm(0);
	assert_int_equal(e.pending, 0);
	assert_int_equal(ept_env_nr_free(), free_at_start);
	return 0;
}

static void init(unsigned int max_level, u64 cpus)
{
	assert_int_equal(ept_init(&ept, max_level, cpus, NULL), 0);
}

static void add_slot(u64 gpa, u64 size, u64 hpa, enum ept_page_type type)
{
	struct mem_slot s = { .gpa = gpa, .size = size, .hpa = hpa, .type = type };

	assert_int_equal(ept_add_slot(&ept, &s), 0);
}

static void check(void)
{
	assert_int_equal(ept_check(&ept), 0);
}

static unsigned int index_of(u64 gpa, unsigned int level)
{
	return (gpa >> (12 + 9 * (level - 1))) % ENTRIES;
}

static bool present(u64 e)
{
	return e & EPT_ACCESS_MASK;
}

/* The entry a CPU reads at @level when it translates @gpa; NULL if its walk ends above. */
static u64 *entry_at(u64 gpa, unsigned int level)
{
	u64 *table = phys_to_virt(ept.root_pa);
	unsigned int l;

	for (l = EPT_LEVELS; l > level; l--) {
		u64 e = table[index_of(gpa, l)];

		if (!present(e) || (e & LARGE))
			return NULL;
		table = phys_to_virt(e & ADDR_MASK);
	}
	return &table[index_of(gpa, level)];
}

/* The leaf that maps @gpa, and its level; 0 when @gpa is not mapped. */
static u64 leaf_of(u64 gpa, unsigned int *level)
{
	unsigned int l;

	for (l = EPT_LEVELS; l >= 1; l--) {
		u64 *entry = entry_at(gpa, l);

		if (!entry || !present(*entry))
			break;
		if (l == 1 || (*entry & LARGE)) {
			*level = l;
			return *entry;
		}
	}
	*level = 0;
	return 0;
}

static bool mapped(u64 gpa)
{
	unsigned int level;

	return leaf_of(gpa, &level) != 0;
}

/* @gpa is mapped by a write-back leaf at @level for the frame @hpa with exactly @access. */
static void assert_leaf(u64 gpa, unsigned int level, u64 hpa, u32 access)
{
	unsigned int l;
	u64 e = leaf_of(gpa, &l);

	assert_int_equal(l, level);
	assert_int_equal(e & ADDR_MASK, hpa);
	assert_int_equal(e & EPT_ACCESS_MASK, access);
	assert_int_equal(e & MEMTYPE_MASK, MEMTYPE_WB);
	assert_int_equal(!!(e & LARGE), level > 1);
}

static void assert_faults(u64 f4k, u64 f2m, u64 f1g)
{
	assert_int_equal(ept.stats.faults_4k, f4k);
	assert_int_equal(ept.stats.faults_2m, f2m);
	assert_int_equal(ept.stats.faults_1g, f1g);
}

static void fault_ok(u64 gpa, u32 access)
{
	assert_int_equal(ept_fault(&ept, gpa, access, NULL), EPT_FAULT_MAPPED);
	check();
}

/* Takes every free frame out of the pool, as if hv's memory had run out. */
static void drain_pool(void)
{
	u64 pa;

	while ((pa = frame_alloc(1, PAGE_SIZE)))
		drained[nr_drained++] = pa;
	assert_int_equal(ept_env_nr_free(), 0);
}

static void refill_pool(void)
{
	while (nr_drained)
		frame_free(drained[--nr_drained], 1);
}

static void nothing_is_mapped_before_the_first_fault(void **state)
{
	init(3, BIT(0));
	add_slot(0, 2 * GiB, HPA, EPT_TYPE_RAM_RW);

	check();
	assert_int_equal(ept.stats.tables, 1);
	assert_faults(0, 0, 0);
	assert_false(mapped(0));
	assert_false(mapped(GiB + 5 * MiB));
	assert_int_equal(ept_env_nr_free(), free_at_start - 1);
	assert_int_equal(ept.eptp, ept.root_pa | EPTP_WB | EPTP_WALK_4);
}

static void read_fault_maps_a_1g_leaf_when_slot_and_backing_are_1g_aligned(void **state)
{
	init(3, BIT(0));
	add_slot(GiB, 2 * GiB, HPA, EPT_TYPE_RAM_RW);

	fault_ok(GiB + 0x1234000, R);
	assert_faults(0, 0, 1);
	assert_int_equal(ept.stats.tables, 2);
	assert_leaf(GiB, 3, HPA, RWX);
	assert_leaf(2 * GiB - PAGE_SIZE, 3, HPA, RWX);

	fault_ok(2 * GiB + 5 * MiB, W);
	assert_faults(0, 0, 2);
	assert_int_equal(ept.stats.tables, 2);
	assert_leaf(2 * GiB, 3, HPA + GiB, RWX);
}

static void read_fault_maps_a_2m_leaf_when_the_cpu_has_no_1g_pages(void **state)
{
	vmx_caps.ept_1g = false;
	init(3, BIT(0));
	add_slot(GiB, 2 * GiB, HPA, EPT_TYPE_RAM_RW);

	assert_int_equal(ept.max_level, 2);
	fault_ok(GiB + 0x1234000, R);
	assert_faults(0, 1, 0);
	assert_int_equal(ept.stats.tables, 3);
	assert_leaf(GiB + 0x1234000, 2, HPA + 0x1200000, RWX);
}

static void read_fault_maps_a_2m_leaf_when_the_backing_is_only_2m_aligned(void **state)
{
	init(3, BIT(0));
	add_slot(GiB, GiB, HPA + 2 * MiB, EPT_TYPE_RAM_RW);

	fault_ok(GiB + 3 * MiB, R);
	assert_faults(0, 1, 0);
	assert_int_equal(ept.stats.tables, 3);
	assert_leaf(GiB + 2 * MiB, 2, HPA + 4 * MiB, RWX);
}

static void read_fault_maps_a_2m_leaf_when_the_slot_is_smaller_than_1g(void **state)
{
	init(3, BIT(0));
	add_slot(GiB, GiB - 2 * MiB, HPA, EPT_TYPE_RAM_RW);

	fault_ok(GiB, R);
	assert_faults(0, 1, 0);
	assert_leaf(GiB, 2, HPA, RWX);
}

static void read_fault_maps_a_4k_leaf_when_max_level_is_1(void **state)
{
	init(1, BIT(0));
	add_slot(GiB, GiB, HPA, EPT_TYPE_RAM_RW);

	assert_int_equal(ept.max_level, 1);
	fault_ok(GiB + 0x1234000, R);
	assert_faults(1, 0, 0);
	assert_int_equal(ept.stats.tables, 4);
	assert_leaf(GiB + 0x1234000, 1, HPA + 0x1234000, RWX);
	assert_false(mapped(GiB + 0x1235000));
}

static void read_fault_maps_a_4k_leaf_when_the_backing_is_not_2m_aligned(void **state)
{
	init(3, BIT(0));
	add_slot(GiB, GiB, HPA + PAGE_SIZE, EPT_TYPE_RAM_RW);

	fault_ok(GiB + 0x1234000, R);
	assert_faults(1, 0, 0);
	assert_int_equal(ept.stats.tables, 4);
	assert_leaf(GiB + 0x1234000, 1, HPA + PAGE_SIZE + 0x1234000, RWX);
}

static void slot_edges_that_cut_a_huge_page_give_smaller_leaves(void **state)
{
	/* [1 MiB, 1 GiB + 3 MiB); gpa 2 MiB is backed by a 2 MiB-aligned frame. */
	init(3, BIT(0));
	add_slot(MiB, GiB + 2 * MiB, HPA + MiB, EPT_TYPE_RAM_RW);

	/* [0, 2 MiB) begins below the slot. */
	fault_ok(MiB + 0x80000, R);
	assert_faults(1, 0, 0);
	assert_leaf(MiB + 0x80000, 1, HPA + MiB + 0x80000, RWX);
	/* [2 MiB, 4 MiB) is inside, [0, 1 GiB) is not. */
	fault_ok(3 * MiB, R);
	assert_faults(1, 1, 0);
	assert_leaf(3 * MiB, 2, HPA + 2 * MiB, RWX);
	/* [1 GiB, 2 GiB) runs past the end, [1 GiB, 1 GiB + 2 MiB) does not. */
	fault_ok(GiB + MiB, R);
	assert_faults(1, 2, 0);
	assert_leaf(GiB, 2, HPA + GiB, RWX);
	/* [1 GiB + 2 MiB, 1 GiB + 4 MiB) runs past the end. */
	fault_ok(GiB + 2 * MiB + 0x80000, R);
	assert_faults(2, 2, 0);
	assert_leaf(GiB + 2 * MiB + 0x80000, 1, HPA + GiB + 2 * MiB + 0x80000, RWX);
	assert_int_equal(ept_fault(&ept, GiB + 3 * MiB, R, NULL), EPT_FAULT_UNBACKED);
	assert_int_equal(ept_fault(&ept, MiB - PAGE_SIZE, R, NULL), EPT_FAULT_UNBACKED);
	check();
}

static void ept_init_clamps_max_level_to_what_the_cpu_offers(void **state)
{
	static const struct {
		bool ept_2m, ept_1g;
		unsigned int asked, got;
	} cases[] = {
		{ true, true, 3, 3 },	{ true, true, 9, 3 },  { true, true, 0, 1 },
		{ true, true, 2, 2 },	{ true, false, 3, 2 }, { false, true, 3, 1 },
		{ false, false, 2, 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		vmx_caps.ept_2m = cases[i].ept_2m;
		vmx_caps.ept_1g = cases[i].ept_1g;
		init(cases[i].asked, BIT(0));
		assert_int_equal(ept.max_level, cases[i].got);
		ept_destroy(&ept);
		assert_int_equal(ept_env_nr_free(), free_at_start);
	}
	vmx_caps.ept_ad = true;
	init(3, BIT(0));
	assert_int_equal(ept.eptp, ept.root_pa | EPTP_WB | EPTP_WALK_4 | EPTP_AD);
}

static void a_second_fault_on_a_mapped_page_is_spurious(void **state)
{
	u64 leaf;
	unsigned int level;

	init(3, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(GiB, 2 * MiB, HPA + GiB + PAGE_SIZE, EPT_TYPE_RAM_RW);

	fault_ok(0x5000, R);
	leaf = leaf_of(0x5000, &level);
	fault_ok(0x5000, R);
	fault_ok(0x3ff000, W | X);
	assert_int_equal(ept.stats.spurious, 2);
	assert_faults(0, 0, 1);
	assert_int_equal(ept.stats.tables, 2);
	assert_int_equal(leaf_of(0x5000, &level), leaf);

	fault_ok(GiB + 0x7000, W);
	fault_ok(GiB + 0x7000, W);
	assert_int_equal(ept.stats.spurious, 3);
	assert_faults(1, 0, 1);
	assert_false(mapped(GiB + 0x8000));
	assert_int_equal(ept.stats.retries, 0);
}

static void access_rights_follow_the_page_type(void **state)
{
	init(3, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(GiB, 2 * MiB, HPA + GiB, EPT_TYPE_RAM_RO);
	add_slot(GiB + 2 * MiB, 2 * MiB, HPA + GiB + 2 * MiB, EPT_TYPE_IOREQ);
	add_slot(2 * GiB, MiB, 0, EPT_TYPE_MMIO);

	/* Read-only RAM: read and execute, in huge leaves. */
	assert_int_equal(ept_fault(&ept, GiB, W, NULL), EPT_FAULT_DENIED);
	assert_false(mapped(GiB));
	fault_ok(GiB + 0x1000, R);
	assert_leaf(GiB, 2, HPA + GiB, R | X);
	fault_ok(GiB + 0x2000, X);
	assert_int_equal(ept.stats.spurious, 1);
	assert_int_equal(ept_fault(&ept, GiB + 0x1000, W, NULL), EPT_FAULT_DENIED);

	/* ioreq-server RAM: read in place, nothing else. */
	assert_int_equal(ept_fault(&ept, GiB + 2 * MiB, W, NULL), EPT_FAULT_DENIED);
	assert_int_equal(ept_fault(&ept, GiB + 2 * MiB, X, NULL), EPT_FAULT_DENIED);
	assert_int_equal(ept_fault(&ept, GiB + 2 * MiB, R | W, NULL), EPT_FAULT_DENIED);
	assert_false(mapped(GiB + 2 * MiB));
	fault_ok(GiB + 2 * MiB, R);
	assert_leaf(GiB + 2 * MiB, 1, HPA + GiB + 2 * MiB, R);

	/* MMIO: every access exits, nothing is ever mapped. */
	assert_int_equal(ept_fault(&ept, 2 * GiB, R, NULL), EPT_FAULT_DENIED);
	assert_int_equal(ept_fault(&ept, 2 * GiB + 0x1000, W, NULL), EPT_FAULT_DENIED);
	assert_int_equal(ept_fault(&ept, 2 * GiB + 0x2000, X, NULL), EPT_FAULT_DENIED);
	assert_false(mapped(2 * GiB));

	/* No slot. */
	assert_int_equal(ept_fault(&ept, 2 * GiB + MiB, R, NULL), EPT_FAULT_UNBACKED);
	assert_int_equal(ept_fault(&ept, 512 * GiB, R, NULL), EPT_FAULT_UNBACKED);

	/* A type set on one page of RAM. */
	assert_int_equal(ept_set_type(&ept, 0x7000, PAGE_SIZE, EPT_TYPE_IOREQ), 0);
	assert_int_equal(ept_page_type(&ept, 0x7000), EPT_TYPE_IOREQ);
	assert_int_equal(ept_page_type(&ept, 0x8000), EPT_TYPE_RAM_RW);
	assert_int_equal(ept_fault(&ept, 0x7000, W, NULL), EPT_FAULT_DENIED);
	fault_ok(0x7000, R);
	assert_leaf(0x7000, 1, HPA + 0x7000, R);
	fault_ok(0x8000, W);
	assert_leaf(0x8000, 1, HPA + 0x8000, RWX);

	assert_faults(3, 1, 0);
	assert_int_equal(ept.stats.retries, 0);
	check();
}

static void set_type_on_one_page_splits_its_2m_leaf_and_keeps_the_rest_mapped(void **state)
{
	const u64 region = 4 * MiB, page = region + 7 * PAGE_SIZE;
	unsigned int i;

	init(2, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	fault_ok(region + 0x10000, R);
	assert_faults(0, 1, 0);
	assert_int_equal(ept.stats.tables, 3);

	assert_int_equal(ept_set_type(&ept, page, PAGE_SIZE, EPT_TYPE_RAM_RO), 0);
	check();
	assert_int_equal(ept.stats.splits, 1);
	assert_int_equal(ept.stats.tables, 4);
	assert_int_equal(ept.stats.zaps, 1);
	assert_int_equal(ept.stats.tables_retired, 0);
	assert_false(mapped(page));
	for (i = 0; i < ENTRIES; i++) {
		u64 gpa = region + i * PAGE_SIZE;

		if (gpa == page)
			continue;
		assert_leaf(gpa, 1, HPA + gpa, RWX);
		assert_int_equal(ept_fault(&ept, gpa, W, NULL), EPT_FAULT_MAPPED);
	}
	assert_int_equal(ept.stats.spurious, ENTRIES - 1);
	assert_faults(0, 1, 0);

	/* The changed page faults in as a 4 KiB leaf of its new type. */
	assert_int_equal(ept_fault(&ept, page, W, NULL), EPT_FAULT_DENIED);
	fault_ok(page, R);
	assert_faults(1, 1, 0);
	assert_leaf(page, 1, HPA + page, R | X);
	assert_int_equal(ept.stats.tables, 4);

	/* Back to RAM: uniform again, but the split table stays. */
	assert_int_equal(ept_set_type(&ept, page, PAGE_SIZE, EPT_TYPE_RAM_RW), 0);
	check();
	assert_false(mapped(page));
	assert_int_equal(ept.stats.splits, 1);
	assert_int_equal(ept.stats.tables, 4);
	fault_ok(page, W);
	assert_faults(2, 1, 0);
	assert_leaf(page, 1, HPA + page, RWX);

	/* Once the table is zapped, the uniform region faults in as one 2 MiB leaf again. */
	assert_int_equal(ept_zap(&ept, region, 2 * MiB), 0);
	check();
	assert_int_equal(ept.stats.tables, 3);
	assert_int_equal(ept.stats.tables_retired, 1);
	fault_ok(page, W);
	assert_faults(2, 2, 0);
	assert_leaf(page, 2, HPA + region, RWX);
}

static void splits_give_next_level_leaves_that_inherit_the_a_and_d_flags(void **state)
{
	const u64 zapped = GiB + 3 * 2 * MiB + 5 * PAGE_SIZE;
	unsigned int i;
	u64 *l3;

	vmx_caps.ept_ad = true;
	init(3, BIT(0));
	add_slot(0, 2 * GiB, HPA, EPT_TYPE_RAM_RW);
	fault_ok(GiB, R);
	fault_ok(0, R);
	assert_faults(0, 0, 2);
	/* The CPU sets the flags as the guest accesses the pages (SDM Vol. 3C 29.3.5). */
	*entry_at(GiB, 3) |= ACCESSED | DIRTY;
	*entry_at(0, 3) |= ACCESSED;

	/* 1 GiB -> a table of 2 MiB leaves, the cut one -> a table of 4 KiB leaves. */
	assert_int_equal(ept_zap(&ept, zapped, PAGE_SIZE), 0);
	check();
	assert_int_equal(ept.stats.splits, 2);
	assert_int_equal(ept.stats.tables, 4);
	assert_int_equal(ept.stats.tables_retired, 0);
	l3 = entry_at(GiB, 3);
	assert_true(present(*l3) && !(*l3 & LARGE));
	for (i = 0; i < ENTRIES; i++) {
		u64 gpa = GiB + i * 2 * MiB, e = *entry_at(gpa, 2);

		if (i == 3) {
			assert_false(e & LARGE);
			continue;
		}
		assert_leaf(gpa, 2, HPA + gpa, RWX);
		assert_int_equal(e & (ACCESSED | DIRTY), ACCESSED | DIRTY);
	}
	for (i = 0; i < ENTRIES; i++) {
		u64 gpa = GiB + 3 * 2 * MiB + i * PAGE_SIZE;

		if (gpa == zapped) {
			assert_false(mapped(gpa));
			continue;
		}
		assert_leaf(gpa, 1, HPA + gpa, RWX);
		assert_int_equal(*entry_at(gpa, 1) & (ACCESSED | DIRTY), ACCESSED | DIRTY);
	}

	/* Only what the huge leaf had: accessed, not dirty. */
	assert_int_equal(ept_zap(&ept, 2 * MiB - PAGE_SIZE, PAGE_SIZE), 0);
	check();
	assert_int_equal(ept.stats.splits, 4);
	assert_int_equal(ept.stats.tables, 6);
	assert_int_equal(*entry_at(2 * MiB, 2) & (ACCESSED | DIRTY), ACCESSED);
	assert_int_equal(*entry_at(0, 1) & (ACCESSED | DIRTY), ACCESSED);
	assert_false(mapped(2 * MiB - PAGE_SIZE));

	/* The zapped pages fault in again, without flags. */
	fault_ok(zapped, W);
	assert_faults(1, 0, 2);
	assert_int_equal(*entry_at(zapped, 1) & (ACCESSED | DIRTY), 0);
}

static void zap_of_a_whole_table_span_retires_the_table(void **state)
{
	struct epoch_stats e0, e;
	u64 l1_pa, free0;

	init(1, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	free0 = ept_env_nr_free();
	fault_ok(0, R);
	fault_ok(PAGE_SIZE, R);
	fault_ok(2 * MiB, R);
	assert_int_equal(ept.stats.tables, 5);
	assert_int_equal(ept_env_nr_free(), free0 - 4);
	l1_pa = *entry_at(0, 2) & ADDR_MASK;
	epoch_get_stats(&e0);

	assert_int_equal(ept_zap(&ept, 0, 2 * MiB), 0);
	check();
	assert_int_equal(ept.stats.tables, 4);
	assert_int_equal(ept.stats.tables_retired, 1);
	assert_false(mapped(0));
	assert_false(mapped(PAGE_SIZE));
	assert_leaf(2 * MiB, 1, HPA + 2 * MiB, RWX);
	assert_null(entry_at(0, 1));
	/* One CPU: the grace period ends with the zap, the page is free again. */
	epoch_get_stats(&e);
	assert_int_equal(e.pending, 0);
	assert_int_equal(e.freed, e0.freed + 1);
	assert_true(e.epoch > e0.epoch);
	assert_int_equal(ept_env_nr_free(), free0 - 3);
	assert_false(ept_env_gen_allocated(ept_env_frame_gen(l1_pa)));

	/* The whole 1 GiB: the level-2 table and the level-1 table below it. */
	assert_int_equal(ept_zap(&ept, 0, GiB), 0);
	check();
	assert_int_equal(ept.stats.tables, 2);
	assert_int_equal(ept.stats.tables_retired, 3);
	assert_false(mapped(2 * MiB));
	epoch_get_stats(&e);
	assert_int_equal(e.pending, 0);
	assert_int_equal(e.freed, e0.freed + 3);
	assert_int_equal(ept_env_nr_free(), free0 - 1);
	assert_int_equal(ept.stats.zaps, 2);

	/* A zap of what is not mapped changes nothing. */
	assert_int_equal(ept_zap(&ept, 0, GiB), 0);
	check();
	assert_int_equal(ept.stats.tables_retired, 3);
	assert_int_equal(ept_env_nr_free(), free0 - 1);
}

/* The kicked CPU leaves its guest: its entry path reports it quiescent. */
static void report_when_kicked(struct percpu *cpu, u32 work)
{
	epoch_report(cpu, epoch_read());
}

/*
 * A retired table waits for the CPUs that may still reach it: those of the
 * EPT's vCPUs (CPU 1 here, kicked out of its guest) and the retiring one.
 * A busy CPU that runs none of them (CPU 2, never quiescent) does not hold
 * it back, and an idle or offline CPU of the EPT needs no kick.
 */
static void retired_tables_wait_only_for_the_cpus_of_their_ept(void **state)
{
	struct epoch_stats e0, e;
	u64 free0, l1_pa;

	ept_env_reset(3);
	percpu_area[2].quiescent_epoch = 0; /* busy since boot */
	init(1, BIT(0) | BIT(1));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	fault_ok(0, R);
	free0 = ept_env_nr_free();
	l1_pa = *entry_at(0, 2) & ADDR_MASK;
	epoch_get_stats(&e0);

	ept_env_kick_hook = report_when_kicked;
	assert_int_equal(ept_zap(&ept, 0, 2 * MiB), 0);
	ept_env_kick_hook = NULL;
	check();
	epoch_get_stats(&e);
	assert_int_equal(e.pending, e0.pending);
	assert_int_equal(e.freed, e0.freed + 1);
	assert_int_equal(ept_env_nr_free(), free0 + 1);
	assert_false(ept_env_gen_allocated(ept_env_frame_gen(l1_pa)));
	assert_int_equal(percpu_area[2].quiescent_epoch, 0);

	percpu_area[1].idle = true;
	fault_ok(0, R);
	assert_int_equal(ept_zap(&ept, 0, 2 * MiB), 0);
	epoch_get_stats(&e);
	assert_int_equal(e.pending, e0.pending);
	assert_int_equal(e.freed, e0.freed + 2);
	percpu_area[1].idle = false;
	percpu_area[1].online = false;
	fault_ok(0, R);
	assert_int_equal(ept_zap(&ept, 0, 2 * MiB), 0);
	epoch_get_stats(&e);
	assert_int_equal(e.pending, e0.pending);
	assert_int_equal(e.freed, e0.freed + 3);
	assert_int_equal(ept_env_nr_free(), free0 + 1);
}

static void freed_table_pages_are_poisoned(void **state)
{
	const u64 *page;
	u64 l1_pa, l2_pa;
	unsigned int i;

	init(1, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	fault_ok(0x3000, W);
	l1_pa = *entry_at(0, 2) & ADDR_MASK;
	l2_pa = *entry_at(0, 3) & ADDR_MASK;

	assert_int_equal(ept_zap(&ept, 0, GiB), 0);
	check();
	assert_int_equal(ept.stats.tables_retired, 2);
	page = phys_to_virt(l1_pa);
	for (i = 0; i < ENTRIES; i++)
		assert_int_equal(page[i], EPOCH_PAGE_POISON);
	page = phys_to_virt(l2_pa);
	for (i = 0; i < ENTRIES; i++)
		assert_int_equal(page[i], EPOCH_PAGE_POISON);
	/* The poison is a present entry with a reserved memory type (SDM Vol. 3C 29.3.3.1). */
	assert_true(present(EPOCH_PAGE_POISON));
	assert_int_equal(EPOCH_PAGE_POISON & MEMTYPE_MASK, 2ULL << 3);
}

static void partial_zap_of_a_huge_leaf_splits_it_and_keeps_the_rest_mapped(void **state)
{
	const u64 region = 4 * MiB;
	unsigned int i;

	init(2, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	fault_ok(region, R);
	fault_ok(region + 2 * MiB, R);
	assert_faults(0, 2, 0);

	assert_int_equal(ept_zap(&ept, region + 2 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	check();
	assert_int_equal(ept.stats.splits, 1);
	assert_int_equal(ept.stats.tables, 4);
	for (i = 0; i < ENTRIES; i++) {
		u64 gpa = region + i * PAGE_SIZE;

		if (i == 2 || i == 3)
			assert_false(mapped(gpa));
		else
			assert_leaf(gpa, 1, HPA + gpa, RWX);
	}

	/* Across a 2 MiB boundary: the split table and the next huge leaf, split too. */
	assert_int_equal(ept_zap(&ept, region + 2 * MiB - PAGE_SIZE, 3 * PAGE_SIZE), 0);
	check();
	assert_int_equal(ept.stats.splits, 2);
	assert_int_equal(ept.stats.tables, 5);
	assert_false(mapped(region + 2 * MiB - PAGE_SIZE));
	assert_false(mapped(region + 2 * MiB));
	assert_false(mapped(region + 2 * MiB + PAGE_SIZE));
	assert_leaf(region + 2 * MiB - 2 * PAGE_SIZE, 1, HPA + region + 2 * MiB - 2 * PAGE_SIZE,
		    RWX);
	assert_leaf(region + 2 * MiB + 2 * PAGE_SIZE, 1, HPA + region + 2 * MiB + 2 * PAGE_SIZE,
		    RWX);
	assert_int_equal(ept.stats.tables_retired, 0);
}

static void zap_and_set_type_reject_bad_ranges_and_change_nothing(void **state)
{
	struct ept_stats before;
	u64 leaf;
	unsigned int level;

	init(2, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(2 * GiB, MiB, 0, EPT_TYPE_MMIO);
	fault_ok(GiB - PAGE_SIZE, R);
	leaf = leaf_of(GiB - PAGE_SIZE, &level);
	before = ept.stats;

	assert_int_equal(ept_zap(&ept, 0x800, PAGE_SIZE), -1);
	assert_int_equal(ept_zap(&ept, 0, 0x800), -1);
	assert_int_equal(ept_zap(&ept, 0, 0), -1);
	assert_int_equal(ept_zap(&ept, GiB - PAGE_SIZE, 2 * PAGE_SIZE), -1);
	assert_int_equal(ept_zap(&ept, GiB, PAGE_SIZE), -1);
	assert_int_equal(ept_zap(&ept, 2 * GiB + MiB - PAGE_SIZE, 2 * PAGE_SIZE), -1);
	assert_int_equal(ept_zap(&ept, 0ULL - PAGE_SIZE, 2 * PAGE_SIZE), -1);
	assert_int_equal(ept_zap(&ept, GiB - 2 * MiB, 0ULL - PAGE_SIZE), -1);

	assert_int_equal(ept_set_type(&ept, GiB - PAGE_SIZE, PAGE_SIZE, EPT_TYPE_MMIO), -1);
	assert_int_equal(ept_set_type(&ept, GiB - PAGE_SIZE, PAGE_SIZE, EPT_TYPE_NONE), -1);
	assert_int_equal(ept_set_type(&ept, GiB - PAGE_SIZE, PAGE_SIZE, NR_EPT_TYPES), -1);
	assert_int_equal(ept_set_type(&ept, GiB - PAGE_SIZE, 2 * PAGE_SIZE, EPT_TYPE_RAM_RO), -1);
	assert_int_equal(ept_set_type(&ept, 2 * GiB, PAGE_SIZE, EPT_TYPE_RAM_RO), -1);
	assert_int_equal(ept_set_type(&ept, GiB - 0x800, PAGE_SIZE, EPT_TYPE_RAM_RO), -1);
	assert_int_equal(ept_set_type(&ept, GiB - PAGE_SIZE, 0, EPT_TYPE_RAM_RO), -1);

	check();
	assert_memory_equal(&ept.stats, &before, sizeof(before));
	assert_int_equal(leaf_of(GiB - PAGE_SIZE, &level), leaf);
	assert_int_equal(ept_page_type(&ept, GiB - PAGE_SIZE), EPT_TYPE_RAM_RW);
	assert_null(ept.slots[0].page_types);

	/* A zap of MMIO is fine: there is nothing to unmap. */
	assert_int_equal(ept_zap(&ept, 2 * GiB, MiB), 0);
	check();
}

static void dirty_log_reports_and_clears_the_dirty_flags(void **state)
{
	const u64 small = 64 * MiB; /* 4 KiB leaves only: the backing is not 2 MiB aligned */
	u64 bitmap[ENTRIES / 64];
	unsigned int i, inv;

	vmx_caps.ept_ad = true;
	init(2, BIT(0));
	add_slot(0, 64 * MiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(small, 2 * MiB, HPA + 64 * MiB + PAGE_SIZE, EPT_TYPE_RAM_RW);
	for (i = 0; i < 8; i++)
		fault_ok(small + i * PAGE_SIZE, R);
	fault_ok(2 * MiB, R);
	*entry_at(small + 1 * PAGE_SIZE, 1) |= ACCESSED | DIRTY;
	*entry_at(small + 3 * PAGE_SIZE, 1) |= ACCESSED | DIRTY;
	*entry_at(small + 6 * PAGE_SIZE, 1) |= ACCESSED;
	*entry_at(2 * MiB, 2) |= ACCESSED | DIRTY;

	/* Reading leaves the flags. */
	memset(bitmap, 0xff, sizeof(bitmap));
	assert_int_equal(ept_dirty_log(&ept, small, 8, bitmap, false), 0);
	assert_int_equal(bitmap[0], BIT(1) | BIT(3));
	assert_true(*entry_at(small + PAGE_SIZE, 1) & DIRTY);

	/* Clearing clears them, and flushes what the CPUs cached with the flag set. */
	inv = model_invept_count;
	assert_int_equal(ept_dirty_log(&ept, small, 8, bitmap, true), 0);
	assert_int_equal(bitmap[0], BIT(1) | BIT(3));
	assert_int_equal(*entry_at(small + PAGE_SIZE, 1) & (ACCESSED | DIRTY), ACCESSED);
	assert_int_equal(*entry_at(small + 3 * PAGE_SIZE, 1) & (ACCESSED | DIRTY), ACCESSED);
	assert_true(model_invept_count > inv);
	assert_int_equal(model_invept_last_type, INVEPT_ALL_CONTEXT);
	assert_int_equal(ept_dirty_log(&ept, small, 8, bitmap, true), 0);
	assert_int_equal(bitmap[0], 0);
	check();

	/* A whole huge leaf is reported page by page. */
	assert_int_equal(ept_dirty_log(&ept, 2 * MiB, ENTRIES, bitmap, false), 0);
	for (i = 0; i < ARRAY_SIZE(bitmap); i++)
		assert_int_equal(bitmap[i], ~0ULL);
	/* Clearing part of it splits it: the rest keeps the flag. */
	assert_int_equal(ept_dirty_log(&ept, 2 * MiB + 10 * PAGE_SIZE, 20, bitmap, true), 0);
	assert_int_equal(bitmap[0], GENMASK(19, 0));
	assert_int_equal(ept.stats.splits, 1);
	check();
	assert_int_equal(ept_dirty_log(&ept, 2 * MiB, ENTRIES, bitmap, false), 0);
	assert_int_equal(bitmap[0], ~GENMASK(29, 10));
	for (i = 1; i < ARRAY_SIZE(bitmap); i++)
		assert_int_equal(bitmap[i], ~0ULL);

	/* Unmapped pages are clean. */
	assert_int_equal(ept_dirty_log(&ept, 8 * MiB, 64, bitmap, false), 0);
	assert_int_equal(bitmap[0], 0);

	assert_int_equal(ept_dirty_log(&ept, small, 0, bitmap, false), -1);
	assert_int_equal(ept_dirty_log(&ept, small + 0x800, 1, bitmap, false), -1);
	assert_int_equal(ept_dirty_log(&ept, small, 1ULL << 60, bitmap, false), -1);
	vmx_caps.ept_ad = false;
	assert_int_equal(ept_dirty_log(&ept, small, 8, bitmap, false), -1);
	check();
}

/*
 * Issue 8: a range at 2^48 indexed the tables modulo 2^48, onto GPA 0's
 * entries, and the split for a partial clear found no slot there (NULL).
 */
static void dirty_log_beyond_the_slots_fails_and_changes_nothing(void **state)
{
	u64 bitmap[1] = { 0 }, leaf;
	unsigned int level;

	vmx_caps.ept_ad = true;
	init(2, BIT(0));
	add_slot(0, 64 * MiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(3 * GiB, MiB, 0, EPT_TYPE_MMIO);
	fault_ok(0, R | W);
	*entry_at(0, 2) |= ACCESSED | DIRTY;
	leaf = leaf_of(0, &level);
	assert_int_equal(level, 2);

	assert_int_equal(ept_dirty_log(&ept, 1ULL << 48, 1, bitmap, true), -1);
	assert_int_equal(ept_dirty_log(&ept, (1ULL << 48) + PAGE_SIZE, 1, bitmap, true), -1);
	assert_int_equal(ept_dirty_log(&ept, 1ULL << 57, 1, bitmap, false), -1);
	assert_int_equal(ept_dirty_log(&ept, 64 * MiB - PAGE_SIZE, 2, bitmap, true), -1);
	assert_int_equal(ept_dirty_log(&ept, 3 * GiB, 1, bitmap, false), -1);
	assert_int_equal(ept_dirty_log(&ept, -PAGE_SIZE, 1, bitmap, true), -1);
	assert_int_equal(leaf_of(0, &level), leaf);
	assert_int_equal(level, 2);
	assert_int_equal(ept.stats.splits, 0);
	check();
}

static void slots_lie_below_the_addresses_ept_translates(void **state)
{
	struct mem_slot s = { .size = 2 * MiB, .hpa = HPA, .type = EPT_TYPE_RAM_RW };

	init(1, BIT(0));
	s.gpa = 1ULL << 48;
	assert_int_equal(ept_add_slot(&ept, &s), -1);
	s.gpa = (1ULL << 48) - MiB;
	assert_int_equal(ept_add_slot(&ept, &s), -1);
	s.gpa = -2 * MiB;
	assert_int_equal(ept_add_slot(&ept, &s), -1);
	s.gpa = (1ULL << 48) - 2 * MiB;
	assert_int_equal(ept_add_slot(&ept, &s), 0);
	assert_int_equal(ept.nr_slots, 1);
}

static void destroy_returns_every_frame_to_the_pool(void **state)
{
	u64 gpa;

	vmx_caps.ept_ad = true;
	init(3, BIT(0));
	add_slot(0, 2 * GiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(2 * GiB, 64 * MiB, HPA + 2 * GiB + PAGE_SIZE, EPT_TYPE_RAM_RW);
	add_slot(3 * GiB, 16 * MiB, HPA + 3 * GiB, EPT_TYPE_RAM_RO);
	for (gpa = 0; gpa < 2 * GiB + 64 * MiB; gpa += 3 * MiB + 5 * PAGE_SIZE)
		fault_ok(gpa, R);
	assert_int_equal(ept_set_type(&ept, 5 * MiB, 8 * PAGE_SIZE, EPT_TYPE_IOREQ), 0);
	assert_int_equal(ept_set_type(&ept, 2 * GiB, 8 * PAGE_SIZE, EPT_TYPE_RAM_RO), 0);
	assert_int_equal(ept_zap(&ept, GiB + 4 * PAGE_SIZE, PAGE_SIZE), 0);
	fault_ok(3 * GiB, X);
	fault_ok(5 * MiB, R);
	check();
	assert_true(ept.stats.tables > 20);
	assert_true(ept_env_nr_free() < free_at_start - ept.stats.tables);

	ept_destroy(&ept);
	assert_int_equal(ept.root_pa, 0);
	assert_int_equal(ept_env_nr_free(), free_at_start);
}

/* Every huge leaf spans pages of one type, and that type is its own. */
static void assert_huge_leaves_uniform(const u64 *table, unsigned int level, u64 base)
{
	unsigned int i;

	for (i = 0; i < ENTRIES; i++) {
		u64 e = table[i], gpa = base + i * LEVEL_SIZE(level), p;

		if (!present(e))
			continue;
		if (level > 1 && !(e & LARGE)) {
			assert_huge_leaves_uniform(phys_to_virt(e & ADDR_MASK), level - 1, gpa);
			continue;
		}
		if (level == 1)
			continue;
		assert_int_not_equal(ept_page_type(&ept, gpa), EPT_TYPE_IOREQ);
		for (p = gpa; p < gpa + LEVEL_SIZE(level); p += PAGE_SIZE)
			assert_int_equal(ept_page_type(&ept, p), ept_page_type(&ept, gpa));
	}
}

static void ioreq_pages_are_mapped_by_4k_leaves_only(void **state)
{
	const u64 region = GiB + 5 * 2 * MiB, page = region + 3 * PAGE_SIZE;

	init(3, BIT(0));
	add_slot(0, 2 * GiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(4 * GiB, 2 * MiB, HPA + 4 * GiB, EPT_TYPE_IOREQ);
	assert_int_equal(ept_set_type(&ept, page, PAGE_SIZE, EPT_TYPE_IOREQ), 0);

	fault_ok(page, R);
	assert_leaf(page, 1, HPA + page, R);
	assert_faults(1, 0, 0);
	/* Its neighbours: the 2 MiB and 1 GiB ranges around it are mixed. */
	fault_ok(region, W);
	assert_leaf(region, 1, HPA + region, RWX);
	assert_faults(2, 0, 0);
	fault_ok(region + 2 * 2 * MiB, W);
	assert_leaf(region + 2 * 2 * MiB, 2, HPA + region + 2 * 2 * MiB, RWX);
	assert_faults(2, 1, 0);
	fault_ok(0, W);
	assert_leaf(0, 3, HPA, RWX);
	assert_faults(2, 1, 1);
	/* A slot of ioreq pages. */
	fault_ok(4 * GiB + 2 * PAGE_SIZE, R);
	assert_leaf(4 * GiB + 2 * PAGE_SIZE, 1, HPA + 4 * GiB + 2 * PAGE_SIZE, R);
	assert_faults(3, 1, 1);

	/*
	 * A 1 GiB leaf over a page that becomes ioreq is split into 2 MiB
	 * leaves, but none over the mixed 2 MiB: its pages fault in as 4 KiB.
	 */
	assert_int_equal(ept_set_type(&ept, 7 * PAGE_SIZE, PAGE_SIZE, EPT_TYPE_IOREQ), 0);
	check();
	assert_int_equal(ept.stats.splits, 1);
	assert_false(mapped(7 * PAGE_SIZE));
	assert_false(mapped(6 * PAGE_SIZE));
	assert_leaf(2 * MiB, 2, HPA + 2 * MiB, RWX);
	fault_ok(7 * PAGE_SIZE, R);
	assert_leaf(7 * PAGE_SIZE, 1, HPA + 7 * PAGE_SIZE, R);
	fault_ok(6 * PAGE_SIZE, W);
	assert_leaf(6 * PAGE_SIZE, 1, HPA + 6 * PAGE_SIZE, RWX);
	assert_huge_leaves_uniform(phys_to_virt(ept.root_pa), EPT_LEVELS, 0);
	check();
}

static void a_whole_region_of_another_type_is_still_mapped_by_4k_leaves(void **state)
{
	init(3, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);

	assert_int_equal(ept_set_type(&ept, 2 * MiB, 2 * MiB, EPT_TYPE_RAM_RO), 0);
	fault_ok(2 * MiB, R);
	assert_leaf(2 * MiB, 1, HPA + 2 * MiB, R | X);
	fault_ok(6 * MiB, W);
	assert_leaf(6 * MiB, 2, HPA + 6 * MiB, RWX);
	assert_huge_leaves_uniform(phys_to_virt(ept.root_pa), EPT_LEVELS, 0);

	/* Back to the slot's type: huge leaves again where nothing is mapped. */
	assert_int_equal(ept_set_type(&ept, 2 * MiB, 2 * MiB, EPT_TYPE_RAM_RW), 0);
	assert_int_equal(ept.slots[0].nr_changed, 0);
	fault_ok(0, W);
	assert_leaf(0, 2, HPA, RWX);
	check();
}

/*
 * A fault that read a table's address just before an update unlinked the
 * table: the update freezes the table's empty entries, so the fault can
 * link nothing below it (no walk would ever find or free it) and retries.
 * The fault runs on CPU 1; when it reaches for the table, a zap starts on
 * CPU 0 (another thread), and the fault goes on once the table is frozen.
 * The zap's wait for the EPT's CPUs ends when CPU 1, done with the fault,
 * reports quiescence: only then are the tables freed.
 */
static u64 race_table_pa;
static bool race_started;
static bool race_zapped;
static pthread_t race_zapper;

static void *zap_on_cpu0(void *unused)
{
	ept_env_run_on(0);
	__atomic_store_n(&race_zapped, ept_zap(&ept, 0, GiB) == 0, __ATOMIC_RELEASE);
	return NULL;
}

#define FROZEN_ENTRY BIT(62) /* hv/ept/ept.c's EPT_FROZEN */

static void zap_when_the_fault_reaches_the_table(u64 pa)
{
	volatile u64 *entry;

	if (race_started || pa != race_table_pa)
		return;
	race_started = true;
	entry = (volatile u64 *)phys_to_virt(race_table_pa) + index_of(4 * MiB, 2);
	assert_int_equal(pthread_create(&race_zapper, NULL, zap_on_cpu0, NULL), 0);
	while (*entry != FROZEN_ENTRY)
		sched_yield();
}

static void a_fault_in_a_table_being_unlinked_links_nothing_below_it(void **state)
{
	struct epoch_stats e;

	ept_env_reset(2);
	init(1, BIT(0) | BIT(1));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	fault_ok(0, R);
	race_table_pa = *entry_at(0, 3) & ADDR_MASK;
	race_started = false;
	race_zapped = false;

	model_phys_access_hook = zap_when_the_fault_reaches_the_table;
	ept_env_run_on(1);
	assert_int_equal(ept_fault(&ept, 4 * MiB, R, NULL), EPT_FAULT_RETRY);
	/* Out of the fault: CPU 1 enters its guest again, the zap may finish. */
	while (!__atomic_load_n(&race_zapped, __ATOMIC_ACQUIRE)) {
		epoch_report(&percpu_area[1], epoch_read());
		sched_yield();
	}
	assert_int_equal(pthread_join(race_zapper, NULL), 0);
	ept_env_run_on(0);
	model_phys_access_hook = NULL;
	check();
	assert_int_equal(ept.stats.tables, 2);
	assert_int_equal(ept.stats.tables_retired, 2);
	epoch_get_stats(&e);
	assert_int_equal(e.pending, 0);

	fault_ok(4 * MiB, R);
	assert_int_equal(ept.stats.tables, 4);
}

static void fault_without_memory_for_a_table_reports_it(void **state)
{
	init(3, BIT(0));
	add_slot(0, GiB, HPA + PAGE_SIZE, EPT_TYPE_RAM_RW);
	drain_pool();
	assert_int_equal(ept_fault(&ept, 0, R, NULL), EPT_FAULT_NO_MEMORY);
	refill_pool();
	check();
	fault_ok(0, R);
	assert_faults(1, 0, 0);
}

/*
 * More than hv/core/epoch's ring of deferred pages (4096) in one zap: the
 * epoch code waits for a grace period when the ring is full, and must
 * return from that wait.
 */
#define RING_OVERFLOW_REGIONS 4200U

static void map_regions_with_4k_leaves(unsigned int n)
{
	unsigned int i;

	add_slot(0, 9 * GiB, HPA, EPT_TYPE_RAM_RW);
	for (i = 0; i < n; i++)
		assert_int_equal(ept_fault(&ept, i * 2 * MiB, R, NULL), EPT_FAULT_MAPPED);
	check();
	assert_int_equal(ept.stats.tables, 2 + 9 + n);
}

static void zap_of_more_tables_than_the_deferred_ring_holds_completes(void **state)
{
	struct epoch_stats e;

	init(1, BIT(0));
	map_regions_with_4k_leaves(RING_OVERFLOW_REGIONS);

	assert_int_equal(ept_zap(&ept, 0, 9 * GiB), 0);
	check();
	assert_int_equal(ept.stats.tables, 2);
	assert_int_equal(ept.stats.tables_retired, 9 + RING_OVERFLOW_REGIONS);
	epoch_get_stats(&e);
	assert_int_equal(e.pending, 0);
}

/*
 * A CPU that runs a vCPU of the partition, simulated when it is kicked: its
 * paging-structure cache keeps pointers to the last-level tables its guest
 * walked until it executes INVEPT (SDM Vol. 3C 29.4.1). Its guest may use
 * them at any time while it runs, so a table it caches must not be freed.
 */
#define SIM_CPU 1U
#define SIM_CACHE 8U

static struct {
	u64 table_pa[SIM_CACHE];
	u32 gen[SIM_CACHE];
	unsigned int n;
	unsigned int used_freed; /* cached tables found freed while the guest ran */
} sim;

static void sim_guest_walks(u64 gpa)
{
	u64 *entry = entry_at(gpa, 2);

	assert_true(sim.n < SIM_CACHE);
	sim.table_pa[sim.n] = *entry & ADDR_MASK;
	sim.gen[sim.n] = ept_env_frame_gen(sim.table_pa[sim.n]);
	sim.n++;
}

static void sim_guest_runs(void)
{
	unsigned int i;

	for (i = 0; i < sim.n; i++)
		if (ept_env_frame_gen(sim.table_pa[i]) != sim.gen[i])
			sim.used_freed++;
}

static void sim_invept(u64 type, u64 eptp)
{
	if (this_cpu()->cpu_id == SIM_CPU)
		sim.n = 0;
}

/* The kicked CPU exits, and enters its guest again as hv/core/sched.c does. */
static void sim_kicked(struct percpu *cpu, u32 work)
{
	struct percpu *kicker = this_cpu();
	u64 seen;

	if (cpu->cpu_id != SIM_CPU)
		return;
	sim_guest_runs();
	ept_env_run_on(SIM_CPU);
	seen = epoch_read();
	if (__atomic_exchange_n(&cpu->pending_work, 0, __ATOMIC_ACQ_REL) & PERCPU_WORK_INVEPT)
		invept(INVEPT_ALL_CONTEXT, 0);
	epoch_report(cpu, seen);
	model_gs_self = kicker;
}

static void tables_a_cpu_may_still_cache_are_not_freed_before_it_flushed(void **state)
{
	ept_env_reset(2);
	memset(&sim, 0, sizeof(sim));
	ept_env_kick_hook = sim_kicked;
	model_invept_hook = sim_invept;
	init(1, BIT(0) | BIT(SIM_CPU));
	map_regions_with_4k_leaves(RING_OVERFLOW_REGIONS);
	/* The guest touches the first and the last region the zap unlinks. */
	sim_guest_walks(0);
	sim_guest_walks((RING_OVERFLOW_REGIONS - 1) * 2 * MiB);

	assert_int_equal(ept_zap(&ept, 0, 9 * GiB), 0);
	check();
	sim_guest_runs();
	assert_int_equal(sim.used_freed, 0);
	assert_int_equal(sim.n, 0);
	assert_int_equal(ept.stats.tables_retired, 9 + RING_OVERFLOW_REGIONS);
}

/*
 * Out of memory in an update: the types and the tables must still agree.
 * The slot's type array exists already; the pool is empty when the page's
 * 2 MiB leaf would have to be split.
 */
static void set_type_without_memory_for_a_split_leaves_no_stale_leaf(void **state)
{
	const u64 page = 4 * MiB + PAGE_SIZE;

	init(2, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	assert_int_equal(ept_set_type(&ept, 8 * MiB, PAGE_SIZE, EPT_TYPE_RAM_RO), 0);
	fault_ok(4 * MiB, W);
	fault_ok(6 * MiB, W);
	drain_pool();

	/* The type changes; the huge leaf it cannot split goes as a whole. */
	assert_int_equal(ept_set_type(&ept, page, PAGE_SIZE, EPT_TYPE_RAM_RO), 0);
	assert_int_equal(ept_page_type(&ept, page), EPT_TYPE_RAM_RO);
	assert_false(mapped(page));
	assert_false(mapped(4 * MiB));
	assert_leaf(6 * MiB, 2, HPA + 6 * MiB, RWX);
	assert_int_equal(ept.stats.splits, 0);
	refill_pool();
	check();
	fault_ok(page, R);
	assert_leaf(page, 1, HPA + page, R | X);
}

/* The second slot's type array cannot be allocated: nothing changes in the first. */
static void set_type_without_memory_for_a_type_array_changes_nothing(void **state)
{
	const u64 page = GiB - PAGE_SIZE;

	init(2, BIT(0));
	add_slot(0, GiB, HPA, EPT_TYPE_RAM_RW);
	add_slot(GiB, GiB, HPA + GiB, EPT_TYPE_RAM_RW);
	assert_int_equal(ept_set_type(&ept, 8 * MiB, PAGE_SIZE, EPT_TYPE_RAM_RO), 0);
	fault_ok(page, W);
	drain_pool();

	assert_int_equal(ept_set_type(&ept, page, 2 * PAGE_SIZE, EPT_TYPE_RAM_RO), -1);
	refill_pool();
	check();
	assert_int_equal(ept_page_type(&ept, page), EPT_TYPE_RAM_RW);
	assert_int_equal(ept_page_type(&ept, GiB), EPT_TYPE_RAM_RW);
	assert_leaf(page, 2, HPA + GiB - 2 * MiB, RWX);
}

#define EPT_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		EPT_TEST(nothing_is_mapped_before_the_first_fault),
		EPT_TEST(read_fault_maps_a_1g_leaf_when_slot_and_backing_are_1g_aligned),
		EPT_TEST(read_fault_maps_a_2m_leaf_when_the_cpu_has_no_1g_pages),
		EPT_TEST(read_fault_maps_a_2m_leaf_when_the_backing_is_only_2m_aligned),
		EPT_TEST(read_fault_maps_a_2m_leaf_when_the_slot_is_smaller_than_1g),
		EPT_TEST(read_fault_maps_a_4k_leaf_when_max_level_is_1),
		EPT_TEST(read_fault_maps_a_4k_leaf_when_the_backing_is_not_2m_aligned),
		EPT_TEST(slot_edges_that_cut_a_huge_page_give_smaller_leaves),
		EPT_TEST(ept_init_clamps_max_level_to_what_the_cpu_offers),
		EPT_TEST(a_second_fault_on_a_mapped_page_is_spurious),
		EPT_TEST(access_rights_follow_the_page_type),
		EPT_TEST(set_type_on_one_page_splits_its_2m_leaf_and_keeps_the_rest_mapped),
		EPT_TEST(splits_give_next_level_leaves_that_inherit_the_a_and_d_flags),
		EPT_TEST(zap_of_a_whole_table_span_retires_the_table),
		EPT_TEST(retired_tables_wait_only_for_the_cpus_of_their_ept),
		EPT_TEST(freed_table_pages_are_poisoned),
		EPT_TEST(partial_zap_of_a_huge_leaf_splits_it_and_keeps_the_rest_mapped),
		EPT_TEST(zap_and_set_type_reject_bad_ranges_and_change_nothing),
		EPT_TEST(dirty_log_reports_and_clears_the_dirty_flags),
		EPT_TEST(dirty_log_beyond_the_slots_fails_and_changes_nothing),
		EPT_TEST(slots_lie_below_the_addresses_ept_translates),
		EPT_TEST(destroy_returns_every_frame_to_the_pool),
		EPT_TEST(ioreq_pages_are_mapped_by_4k_leaves_only),
		EPT_TEST(a_whole_region_of_another_type_is_still_mapped_by_4k_leaves),
		EPT_TEST(fault_without_memory_for_a_table_reports_it),
		EPT_TEST(a_fault_in_a_table_being_unlinked_links_nothing_below_it),
		EPT_TEST(zap_of_more_tables_than_the_deferred_ring_holds_completes),
		EPT_TEST(tables_a_cpu_may_still_cache_are_not_freed_before_it_flushed),
		EPT_TEST(set_type_without_memory_for_a_split_leaves_no_stale_leaf),
		EPT_TEST(set_type_without_memory_for_a_type_array_changes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
