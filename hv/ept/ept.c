// SPDX-License-Identifier: GPL-2.0
/*
 * EPT tables, filled lazily (see ept.h for the concurrency rules). A walk
 * goes from the root (level 4) down; each entry is one of
 *   0           empty: a fault may fill it
 *   EPT_FROZEN  empty, in a table being retired: a fault that meets it retries
 *   a table     present and not a leaf
 *   a leaf      present: at level 1, or with EPT_LARGE at levels 2 and 3
 */
#include <hv/core/epoch.h>
#include <hv/core/frame.h>
#include <hv/ept/ept.h>
#include <hv/lib/string.h>
#include <hv/vmx/caps.h>
#include <x86/hw.h>

/* EPT paging-structure entries (SDM Vol. 3C 29.3.2); bits 2:0 are EPT_ACCESS_*. */
#define EPT_MEMTYPE_WB (6ULL << 3)
#define EPT_LARGE BIT(7)
#define EPT_ACCESSED BIT(8)
#define EPT_DIRTY BIT(9)
#define EPT_ADDR_MASK GENMASK(51, 12)
/* Software-available bits (ignored by the CPU) */
#define EPT_SW_TYPE_SHIFT 52
#define EPT_SW_TYPE_MASK GENMASK(55, 52)
#define EPT_FROZEN BIT(62)

/* EPTP (SDM Vol. 3C 25.6.11) */
#define EPTP_MEMTYPE_WB 6ULL
#define EPTP_WALK_LENGTH_4 (3ULL << 3)
#define EPTP_AD_ENABLE BIT(6)

#define EPT_ENTRIES 512U
/* 4-level EPT translates bits 47:0 of a guest-physical address (SDM Vol. 3C 29.3.2). */
#define EPT_GPA_LIMIT BIT(48)
#define LEVEL_SHIFT(level) (12 + 9 * ((level)-1))
#define LEVEL_SIZE(level) (1ULL << LEVEL_SHIFT(level))
#define REGION_SHIFT 21 /* changed_per_2m counts per 2 MiB */

/* What each type lets the guest do without an exit. */
static const u8 type_access[NR_EPT_TYPES] = {
	[EPT_TYPE_RAM_RW] = EPT_ACCESS_READ | EPT_ACCESS_WRITE | EPT_ACCESS_EXEC,
	[EPT_TYPE_RAM_RO] = EPT_ACCESS_READ | EPT_ACCESS_EXEC,
	[EPT_TYPE_IOREQ] = EPT_ACCESS_READ,
};

static const char *const type_names[NR_EPT_TYPES] = {
	[EPT_TYPE_NONE] = "none",
	[EPT_TYPE_RAM_RW] = "RAM",
	[EPT_TYPE_RAM_RO] = "read-only RAM",
	[EPT_TYPE_MMIO] = "MMIO",
	[EPT_TYPE_IOREQ] = "ioreq-server RAM",
};

/* Table pages an update unlinked, handed to the epoch code in batches. */
#define RETIRE_BATCH 64U
struct retired_tables {
	unsigned int n;
	u64 pages[RETIRE_BATCH];
};

const char *ept_type_name(enum ept_page_type type)
{
	return type < NR_EPT_TYPES ? type_names[type] : "?";
}

static u64 *table_of(u64 entry)
{
	return phys_to_virt(entry & EPT_ADDR_MASK);
}

static u64 *root_table(const struct ept *ept)
{
	return phys_to_virt(ept->root_pa);
}

static bool is_present(u64 entry)
{
	return entry & EPT_ACCESS_MASK;
}

static bool is_leaf(u64 entry, unsigned int level)
{
	return level == 1 || (entry & EPT_LARGE);
}

static unsigned int index_of(u64 gpa, unsigned int level)
{
	return (gpa >> LEVEL_SHIFT(level)) % EPT_ENTRIES;
}

static u64 load(const u64 *entry)
{
	return __atomic_load_n(entry, __ATOMIC_ACQUIRE);
}

static void stat_add(u64 *counter, s64 n)
{
	__atomic_fetch_add(counter, (u64)n, __ATOMIC_RELAXED);
}

static int find_slot_index(const struct ept *ept, u64 gpa)
{
	u32 i;

	for (i = 0; i < ept->nr_slots; i++)
		if (gpa - ept->slots[i].gpa < ept->slots[i].size)
			return (int)i;
	return -1;
}

const struct mem_slot *ept_find_slot(const struct ept *ept, u64 gpa)
{
	int i = find_slot_index(ept, gpa);

	return i < 0 ? NULL : &ept->slots[i];
}

static bool is_ram(enum ept_page_type type)
{
	return type == EPT_TYPE_RAM_RW || type == EPT_TYPE_RAM_RO || type == EPT_TYPE_IOREQ;
}

static enum ept_page_type slot_page_type(const struct mem_slot *s, u64 gpa)
{
	const u8 *types = __atomic_load_n(&s->page_types, __ATOMIC_ACQUIRE);

	if (likely(!types))
		return s->type;
	return (enum ept_page_type)READ_ONCE(types[(gpa - s->gpa) >> PAGE_SHIFT]);
}

enum ept_page_type ept_page_type(const struct ept *ept, u64 gpa)
{
	const struct mem_slot *s = ept_find_slot(ept, gpa);

	return s ? slot_page_type(s, gpa) : EPT_TYPE_NONE;
}

/* Whether every page of [base, base + size) (inside @s) has the slot's type. */
static bool range_uniform(const struct mem_slot *s, u64 base, u64 size)
{
	const u16 *changed;
	u64 i;

	if (likely(!__atomic_load_n(&s->nr_changed, __ATOMIC_ACQUIRE)))
		return true;
	changed = __atomic_load_n(&s->changed_per_2m, __ATOMIC_ACQUIRE);
	for (i = (base >> REGION_SHIFT) - (s->gpa >> REGION_SHIFT);
	     i <= ((base + size - 1) >> REGION_SHIFT) - (s->gpa >> REGION_SHIFT); i++)
		if (READ_ONCE(changed[i]))
			return false;
	return true;
}

/*
 * The huge-page adjustment: the largest leaf level for @gpa such that the
 * leaf lies inside the slot, its frames are aligned to its size, and all its
 * pages have one type (which allows huge leaves: RAM, read-only RAM).
 */
static unsigned int leaf_level(const struct ept *ept, const struct mem_slot *s, u64 gpa,
			       enum ept_page_type type)
{
	unsigned int level;

	if (type != EPT_TYPE_RAM_RW && type != EPT_TYPE_RAM_RO)
		return 1;
	for (level = ept->max_level; level > 1; level--) {
		u64 size = LEVEL_SIZE(level), base = ALIGN_DOWN(gpa, size);

		if (base >= s->gpa && base + size <= s->gpa + s->size &&
		    IS_ALIGNED(s->hpa + (base - s->gpa), size) && range_uniform(s, base, size))
			return level;
	}
	return 1;
}

/* RAM is write-back; with IPAT clear the guest's PAT still applies (SDM Vol. 3C 29.3.7.2). */
static u64 make_leaf(const struct mem_slot *s, u64 gpa, unsigned int level, enum ept_page_type type)
{
	u64 base = ALIGN_DOWN(gpa, LEVEL_SIZE(level));

	return (s->hpa + (base - s->gpa)) | type_access[type] | EPT_MEMTYPE_WB |
	       ((u64)type << EPT_SW_TYPE_SHIFT) | (level > 1 ? EPT_LARGE : 0);
}

/* A zeroed table page, not linked anywhere yet; 0 when memory or the quota is out. */
static u64 alloc_table(struct ept *ept)
{
	u64 pa = frame_alloc_charged(ept->quota, 1, PAGE_SIZE);

	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

/* Non-leaf entries allow everything: the leaves decide (SDM Vol. 3C 29.3.3). */
static u64 table_entry(u64 pa)
{
	return pa | EPT_ACCESS_MASK;
}

int ept_init(struct ept *ept, unsigned int max_level, u64 cpus, struct frame_quota *quota)
{
	u64 root;

	memset(ept, 0, sizeof(*ept));
	ept->quota = quota;
	root = alloc_table(ept);
	if (!root)
		return -1;
	if (max_level >= 3 && !vmx_caps.ept_1g)
		max_level = 2;
	if (max_level >= 2 && !vmx_caps.ept_2m)
		max_level = 1;
	ept->max_level = max_level ? MIN(max_level, 3U) : 1;
	ept->cpus = cpus;
	ept->root_pa = root;
	ept->stats.tables = 1;
	ept->eptp = root | EPTP_MEMTYPE_WB | EPTP_WALK_LENGTH_4 |
		    (vmx_caps.ept_ad ? EPTP_AD_ENABLE : 0);
	return 0;
}

static void free_tables(struct ept *ept, u64 *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; level > 1 && i < EPT_ENTRIES; i++)
		if (is_present(table[i]) && !is_leaf(table[i], level))
			free_tables(ept, table_of(table[i]), level - 1);
	frame_free_charged(ept->quota, virt_to_phys(table), 1);
}

static u64 pages_for(u64 bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
}

static u64 nr_regions(const struct mem_slot *s)
{
	return ((s->gpa + s->size - 1) >> REGION_SHIFT) - (s->gpa >> REGION_SHIFT) + 1;
}

void ept_destroy(struct ept *ept)
{
	u32 i;

	if (ept->root_pa)
		free_tables(ept, root_table(ept), EPT_LEVELS);
	ept->root_pa = 0;
	for (i = 0; i < ept->nr_slots; i++) {
		struct mem_slot *s = &ept->slots[i];

		if (s->page_types)
			frame_free_charged(ept->quota, virt_to_phys(s->page_types),
					   pages_for(s->size / PAGE_SIZE));
		if (s->changed_per_2m)
			frame_free_charged(ept->quota, virt_to_phys(s->changed_per_2m),
					   pages_for(nr_regions(s) * sizeof(u16)));
	}
}

int ept_add_slot(struct ept *ept, const struct mem_slot *slot)
{
	u32 i;

	if (ept->nr_slots == EPT_MAX_SLOTS || !slot->size ||
	    !IS_ALIGNED(slot->gpa | slot->size, PAGE_SIZE) || slot->gpa >= EPT_GPA_LIMIT ||
	    slot->size > EPT_GPA_LIMIT - slot->gpa)
		return -1;
	for (i = 0; i < ept->nr_slots; i++) {
		const struct mem_slot *s = &ept->slots[i];

		if (slot->gpa < s->gpa + s->size && s->gpa < slot->gpa + slot->size)
			return -1;
	}
	ept->slots[ept->nr_slots] = *slot;
	ept->slots[ept->nr_slots].page_types = NULL;
	ept->slots[ept->nr_slots].changed_per_2m = NULL;
	ept->slots[ept->nr_slots].nr_changed = 0;
	ept->nr_slots++;
	return 0;
}

/* ---- The fault path: no lock, only compare-and-exchange on empty entries ---- */

static enum ept_fault_result retry(struct ept *ept)
{
	stat_add(&ept->stats.retries, 1);
	return EPT_FAULT_RETRY;
}

/* Fills the empty @entry with a new table; returns what @entry holds then, 0 without memory. */
static u64 install_table(struct ept *ept, u64 *entry)
{
	u64 pa = alloc_table(ept), old = 0, new;

	if (!pa)
		return 0;
	new = table_entry(pa);
	if (__atomic_compare_exchange_n(entry, &old, new, false, __ATOMIC_RELEASE,
					__ATOMIC_ACQUIRE)) {
		stat_add(&ept->stats.tables, 1);
		return new;
	}
	frame_free_charged(ept->quota, pa, 1); /* nobody ever saw it */
	return old;
}

static enum ept_fault_result already_mapped(struct ept *ept, u64 leaf, u32 access)
{
	if ((leaf & access) == access) {
		stat_add(&ept->stats.spurious, 1);
		return EPT_FAULT_MAPPED;
	}
	/* The leaf allows less than the page's type: an update is replacing it. */
	return retry(ept);
}

enum ept_fault_result ept_fault(struct ept *ept, u64 gpa, u32 access,
				enum ept_page_type *denied_type)
{
	u64 seq = __atomic_load_n(&ept->update_seq, __ATOMIC_ACQUIRE);
	const struct mem_slot *s = ept_find_slot(ept, gpa);
	u64 *table = root_table(ept), *entry, e, expected = 0;
	unsigned int level = EPT_LEVELS, goal;
	enum ept_page_type type;

	if (unlikely(!s))
		return EPT_FAULT_UNBACKED;
	/* An update is running: the type read now may be the old or the new one. */
	if (unlikely(seq & 1))
		return retry(ept);
	type = slot_page_type(s, gpa);
	if (unlikely(access & ~type_access[type])) {
		if (denied_type)
			*denied_type = type;
		return EPT_FAULT_DENIED;
	}
	goal = leaf_level(ept, s, gpa, type);
	for (;;) {
		entry = &table[index_of(gpa, level)];
		e = load(entry);
		if (is_present(e)) {
			if (is_leaf(e, level))
				return already_mapped(ept, e, access);
			/* Down, even below the goal: then the range was split. */
			table = table_of(e);
			level--;
			continue;
		}
		if (unlikely(e & EPT_FROZEN))
			return retry(ept);
		if (level <= goal)
			break;
		if (unlikely(!install_table(ept, entry)))
			return EPT_FAULT_NO_MEMORY;
	}
	/* The stale-fault check: an update that began after @seq may have changed @type. */
	if (unlikely(__atomic_load_n(&ept->update_seq, __ATOMIC_ACQUIRE) != seq))
		return retry(ept);
	/* A racing fault may fill the entry first: then re-run the access against its leaf. */
	if (__atomic_compare_exchange_n(entry, &expected, make_leaf(s, gpa, level, type), false,
					__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		stat_add(level == 1 ? &ept->stats.faults_4k :
			 level == 2 ? &ept->stats.faults_2m :
				      &ept->stats.faults_1g,
			 1);
	return EPT_FAULT_MAPPED;
}

/* ---- Updates: serialized per EPT, waiting for the CPUs before freeing ---- */

static void update_begin(struct ept *ept)
{
	while (__atomic_exchange_n(&ept->updating, 1, __ATOMIC_ACQUIRE))
		epoch_relax();
	__atomic_fetch_add(&ept->update_seq, 1, __ATOMIC_SEQ_CST); /* odd: faults retry */
	stat_add(&ept->stats.zaps, 1);
}

/*
 * Hands unlinked tables to the epoch code. The CPUs' paging-structure caches
 * may still point into them: the INVEPT requests come before the epoch that
 * tags them, so a CPU that reports that epoch no longer uses them.
 */
static void defer_retired(struct ept *ept, struct retired_tables *retired)
{
	epoch_request_flush(ept->cpus, ept->eptp);
	epoch_defer_free(retired->pages, retired->n, ept->cpus);
	frame_quota_release(ept->quota, retired->n);
	retired->n = 0;
}

/* Completes an update: every CPU drops old translations, then @retired is freed. */
static void update_end(struct ept *ept, struct retired_tables *retired)
{
	__atomic_fetch_add(&ept->update_seq, 1, __ATOMIC_SEQ_CST);
	if (retired->n)
		defer_retired(ept, retired);
	epoch_flush_ept(ept->cpus, ept->eptp); /* also the grace period of @retired */
	epoch_reclaim();
	__atomic_store_n(&ept->updating, 0, __ATOMIC_RELEASE);
}

static void retire(struct ept *ept, struct retired_tables *retired, u64 pa)
{
	if (retired->n == RETIRE_BATCH)
		defer_retired(ept, retired);
	retired->pages[retired->n++] = pa;
	stat_add(&ept->stats.tables, -1);
	stat_add(&ept->stats.tables_retired, 1);
}

/*
 * Retires an unlinked table and every table below it. Each entry is frozen
 * with an exchange, so a fault still walking in there either filled its
 * entry before (and the exchange returns what it put there) or fails and
 * retries: nothing it allocates can escape.
 */
static void retire_table(struct ept *ept, u64 *table, unsigned int level,
			 struct retired_tables *retired)
{
	unsigned int i;

	for (i = 0; i < EPT_ENTRIES; i++) {
		u64 old = __atomic_exchange_n(&table[i], EPT_FROZEN, __ATOMIC_ACQ_REL);

		if (is_present(old) && !is_leaf(old, level))
			retire_table(ept, table_of(old), level - 1, retired);
	}
	retire(ept, retired, virt_to_phys(table));
}

/*
 * Replaces the huge leaf in @entry (level @level, mapping @base) by a table
 * of next-level leaves, each with the type its pages have now; those whose
 * pages no longer fit one leaf of that size stay empty and fault. The rest
 * of the range stays mapped. Returns 0, or -1 without memory.
 */
static int split(struct ept *ept, u64 *entry, unsigned int level, u64 base)
{
	const struct mem_slot *s = ept_find_slot(ept, base);
	unsigned int child_level = level - 1, i;
	u64 pa = alloc_table(ept), *child, old = load(entry);

	if (!pa)
		return -1;
	child = phys_to_virt(pa);
	for (i = 0; i < EPT_ENTRIES; i++) {
		u64 gpa = base + i * LEVEL_SIZE(child_level);
		enum ept_page_type type = slot_page_type(s, gpa);

		if (type_access[type] && leaf_level(ept, s, gpa, type) >= child_level)
			child[i] = make_leaf(s, gpa, child_level, type);
	}
	/* The CPU may set the accessed and dirty flags meanwhile: the children inherit them. */
	do {
		for (i = 0; i < EPT_ENTRIES; i++)
			if (child[i])
				child[i] |= old & (EPT_ACCESSED | EPT_DIRTY);
	} while (!__atomic_compare_exchange_n(entry, &old, table_entry(pa), false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	stat_add(&ept->stats.splits, 1);
	stat_add(&ept->stats.tables, 1);
	return 0;
}

/*
 * Unlinks everything in [start, end) below @table; huge leaves it cuts are
 * split first. Without memory for a split, the whole huge leaf goes: the
 * tables are only a cache, and what must go is never left behind.
 */
static void zap_range(struct ept *ept, u64 *table, unsigned int level, u64 start, u64 end,
		      struct retired_tables *retired)
{
	u64 size = LEVEL_SIZE(level), base;

	for (base = ALIGN_DOWN(start, size); base < end; base += size) {
		u64 *entry = &table[index_of(base, level)], e = load(entry);

		if (!is_present(e))
			continue;
		if (start <= base && base + size <= end) {
			u64 old = __atomic_exchange_n(entry, 0, __ATOMIC_ACQ_REL);

			if (!is_leaf(old, level))
				retire_table(ept, table_of(old), level - 1, retired);
			continue;
		}
		if (is_leaf(e, level)) {
			if (split(ept, entry, level, base)) {
				__atomic_store_n(entry, 0, __ATOMIC_RELEASE);
				continue;
			}
			e = load(entry);
		}
		zap_range(ept, table_of(e), level - 1, MAX(start, base), MIN(end, base + size),
			  retired);
	}
}

/*
 * Whether [gpa, gpa + size) lies in slots (of RAM, with @ram_only). Slots
 * end below EPT_GPA_LIMIT: a range that passes indexes every table level
 * without wrapping onto other addresses' entries.
 */
static bool range_in_slots(const struct ept *ept, u64 gpa, u64 size, bool ram_only)
{
	while (size) {
		const struct mem_slot *s = ept_find_slot(ept, gpa);
		u64 chunk;

		if (!s || (ram_only && !is_ram(s->type)))
			return false;
		chunk = MIN(size, s->size - (gpa - s->gpa));
		gpa += chunk;
		size -= chunk;
	}
	return true;
}

static bool valid_range(u64 gpa, u64 size)
{
	return size && IS_ALIGNED(gpa | size, PAGE_SIZE) && gpa + size > gpa;
}

int ept_zap(struct ept *ept, u64 gpa, u64 size)
{
	struct retired_tables retired = { 0 };

	if (!valid_range(gpa, size) || !range_in_slots(ept, gpa, size, false))
		return -1;
	update_begin(ept);
	zap_range(ept, root_table(ept), EPT_LEVELS, gpa, gpa + size, &retired);
	update_end(ept, &retired);
	return 0;
}

/* Allocates the slot's per-page type array and per-2 MiB counters on first use. */
static int prepare_page_types(struct ept *ept, struct mem_slot *s)
{
	u64 types_pages = pages_for(s->size / PAGE_SIZE);
	u64 counts_pages = pages_for(nr_regions(s) * sizeof(u16));
	u64 types, counts;

	if (s->page_types)
		return 0;
	types = frame_alloc_charged(ept->quota, types_pages, PAGE_SIZE);
	counts = types ? frame_alloc_charged(ept->quota, counts_pages, PAGE_SIZE) : 0;
	if (!counts) {
		if (types)
			frame_free_charged(ept->quota, types, types_pages);
		return -1;
	}
	memset(phys_to_virt(types), s->type, s->size / PAGE_SIZE);
	memset(phys_to_virt(counts), 0, nr_regions(s) * sizeof(u16));
	__atomic_store_n(&s->changed_per_2m, (u16 *)phys_to_virt(counts), __ATOMIC_RELEASE);
	__atomic_store_n(&s->page_types, (u8 *)phys_to_virt(types), __ATOMIC_RELEASE);
	return 0;
}

static void set_page_type(struct mem_slot *s, u64 gpa, enum ept_page_type type)
{
	u64 page = (gpa - s->gpa) >> PAGE_SHIFT;
	u64 region = (gpa >> REGION_SHIFT) - (s->gpa >> REGION_SHIFT);
	enum ept_page_type old = s->page_types[page];
	int delta = (type != s->type) - (old != s->type);

	WRITE_ONCE(s->page_types[page], (u8)type);
	WRITE_ONCE(s->changed_per_2m[region], (u16)(s->changed_per_2m[region] + delta));
	__atomic_store_n(&s->nr_changed, s->nr_changed + (u64)(s64)delta, __ATOMIC_RELEASE);
}

int ept_set_type(struct ept *ept, u64 gpa, u64 size, enum ept_page_type type)
{
	struct retired_tables retired = { 0 };
	u64 end = gpa + size, addr;
	int ret = -1;

	if (!is_ram(type) || !valid_range(gpa, size) || !range_in_slots(ept, gpa, size, true))
		return -1;
	update_begin(ept);
	/* Every slot's type array first: without memory, no page changes its type. */
	for (addr = gpa; addr < end; addr += PAGE_SIZE)
		if (prepare_page_types(ept, &ept->slots[find_slot_index(ept, addr)]))
			goto out;
	for (addr = gpa; addr < end; addr += PAGE_SIZE)
		set_page_type(&ept->slots[find_slot_index(ept, addr)], addr, type);
	/*
	 * Faults that read the old types may still install leaves for them:
	 * wait until they have, then zap those pages.
	 */
	epoch_synchronize(ept->cpus);
	zap_range(ept, root_table(ept), EPT_LEVELS, gpa, end, &retired);
	ret = 0;
out:
	update_end(ept, &retired);
	return ret;
}

static void mark_dirty(u64 *bitmap, u64 first_gpa, u64 start, u64 end)
{
	u64 page;

	for (page = (start - first_gpa) >> PAGE_SHIFT; page < (end - first_gpa) >> PAGE_SHIFT;
	     page++)
		bitmap[page / 64] |= BIT(page % 64);
}

/* Collects (and with @clear, clears) the dirty flags of the leaves in [start, end). */
static int dirty_range(struct ept *ept, u64 *table, unsigned int level, u64 start, u64 end,
		       u64 first_gpa, u64 *bitmap, bool clear)
{
	u64 size = LEVEL_SIZE(level), base;

	for (base = ALIGN_DOWN(start, size); base < end; base += size) {
		u64 *entry = &table[index_of(base, level)], e = load(entry);
		bool inside = start <= base && base + size <= end;

		if (!is_present(e))
			continue;
		/* Clearing a huge leaf's flag for only part of it would lose the rest. */
		if (is_leaf(e, level) && clear && !inside) {
			if (split(ept, entry, level, base))
				return -1;
			e = load(entry);
		}
		if (!is_leaf(e, level)) {
			if (dirty_range(ept, table_of(e), level - 1, MAX(start, base),
					MIN(end, base + size), first_gpa, bitmap, clear))
				return -1;
			continue;
		}
		if (!(e & EPT_DIRTY))
			continue;
		mark_dirty(bitmap, first_gpa, MAX(start, base), MIN(end, base + size));
		if (clear)
			__atomic_fetch_and(entry, ~EPT_DIRTY, __ATOMIC_ACQ_REL);
	}
	return 0;
}

int ept_dirty_log(struct ept *ept, u64 gpa, u64 nr_pages, u64 *bitmap, bool clear)
{
	struct retired_tables retired = { 0 };
	u64 size = nr_pages * PAGE_SIZE;
	int ret;

	if (!vmx_caps.ept_ad || !valid_range(gpa, size) || size / PAGE_SIZE != nr_pages ||
	    !range_in_slots(ept, gpa, size, true))
		return -1;
	memset(bitmap, 0, ALIGN_UP(nr_pages, 64) / 8);
	/*
	 * An update even when only reading: it must not race with a split.
	 * The CPU sets a dirty flag again after the flush (SDM Vol. 3C 29.3.5):
	 * translations cached with the flag set are gone.
	 */
	update_begin(ept);
	ret = dirty_range(ept, root_table(ept), EPT_LEVELS, gpa, gpa + size, gpa, bitmap, clear);
	update_end(ept, &retired);
	return ret;
}

/* ---- Consistency check, for tests ---- */

static bool leaf_consistent(const struct ept *ept, u64 e, unsigned int level, u64 gpa)
{
	const struct mem_slot *s = ept_find_slot(ept, gpa);
	u64 size = LEVEL_SIZE(level);
	enum ept_page_type type;

	if (!s || gpa + size > s->gpa + s->size || level > ept->max_level)
		return false;
	type = slot_page_type(s, gpa);
	if (level > 1 && (!(e & EPT_LARGE) || !range_uniform(s, gpa, size)))
		return false;
	if (level == 1 && (e & EPT_LARGE))
		return false;
	return (e & EPT_ADDR_MASK) == s->hpa + (gpa - s->gpa) &&
	       (e & EPT_ACCESS_MASK) == type_access[type] &&
	       ((e & EPT_SW_TYPE_MASK) >> EPT_SW_TYPE_SHIFT) == type &&
	       (e & GENMASK(5, 3)) == EPT_MEMTYPE_WB;
}

static u64 check_table(const struct ept *ept, const u64 *table, unsigned int level, u64 base,
		       u64 *tables)
{
	u64 bad = 0;
	unsigned int i;

	(*tables)++;
	for (i = 0; i < EPT_ENTRIES; i++) {
		u64 e = load(&table[i]), gpa = base + i * LEVEL_SIZE(level);

		if (!is_present(e))
			bad += e != 0; /* frozen or poisoned: not in a linked table */
		else if (e == EPOCH_PAGE_POISON)
			bad++;
		else if (!is_leaf(e, level))
			bad += check_table(ept, table_of(e), level - 1, gpa, tables);
		else
			bad += !leaf_consistent(ept, e, level, gpa);
	}
	return bad;
}

u64 ept_check(const struct ept *ept)
{
	u64 tables = 0, bad = check_table(ept, root_table(ept), EPT_LEVELS, 0, &tables);

	return bad + (tables != ept->stats.tables);
}

/* ---- Guest memory through the slots (hv's own accesses, not through EPT) ---- */

void *ept_gpa_to_hva(const struct ept *ept, u64 gpa, u64 len)
{
	const struct mem_slot *s = ept_find_slot(ept, gpa);

	if (!s || !s->hpa || len > s->size - (gpa - s->gpa))
		return NULL;
	return phys_to_virt(s->hpa + (gpa - s->gpa));
}

static int copy_guest(const struct ept *ept, u64 gpa, void *buf, u64 len, bool to_guest)
{
	while (len) {
		const struct mem_slot *s = ept_find_slot(ept, gpa);
		u64 chunk;
		u8 *hva;

		if (!s || !s->hpa)
			return -1;
		chunk = MIN(len, s->size - (gpa - s->gpa));
		hva = phys_to_virt(s->hpa + (gpa - s->gpa));
		if (to_guest)
			memcpy(hva, buf, chunk);
		else
			memcpy(buf, hva, chunk);
		buf = (u8 *)buf + chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

int ept_write_guest(const struct ept *ept, u64 gpa, const void *src, u64 len)
{
	return copy_guest(ept, gpa, (void *)src, len, true);
}

int ept_read_guest(const struct ept *ept, u64 gpa, void *dst, u64 len)
{
	return copy_guest(ept, gpa, dst, len, false);
}
