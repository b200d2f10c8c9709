// SPDX-License-Identifier: GPL-2.0
#include <hv/core/frame.h>
#include <hv/ept/ept.h>
#include <hv/lib/string.h>
#include <hv/vmx/caps.h>
#include <x86/hw.h>

/* EPT paging-structure entries (SDM Vol. 3C 29.3.2) */
#define EPT_READ BIT(0)
#define EPT_WRITE BIT(1)
#define EPT_EXEC BIT(2)
#define EPT_MEMTYPE_SHIFT 3
#define EPT_MEMTYPE_UC (0ULL << EPT_MEMTYPE_SHIFT)
#define EPT_MEMTYPE_WB (6ULL << EPT_MEMTYPE_SHIFT)
#define EPT_LARGE BIT(7)
#define EPT_ADDR_MASK GENMASK(51, 12)
/* hv's page type in the software-available bits 54:52 */
#define EPT_SW_TYPE_SHIFT 52
#define EPT_SW_TYPE_MASK GENMASK(54, 52)
#define EPT_TABLE_PERMS (EPT_READ | EPT_WRITE | EPT_EXEC)

/* EPTP (SDM Vol. 3C 25.6.11) */
#define EPTP_MEMTYPE_WB 6ULL
#define EPTP_WALK_LENGTH_4 (3ULL << 3)
#define EPTP_AD_ENABLE BIT(6)

#define EPT_ENTRIES 512U
#define LEVEL_SHIFT(level) (12 + 9 * ((level)-1)) /* level 1 maps 4 KiB */
#define LEVEL_SIZE(level) (1ULL << LEVEL_SHIFT(level))

static u64 *table_va(u64 entry)
{
	return phys_to_virt(entry & EPT_ADDR_MASK);
}

static u64 leaf_bits(enum ept_page_type type)
{
	u64 sw = (u64)type << EPT_SW_TYPE_SHIFT;

	switch (type) {
	case EPT_TYPE_RAM_RW:
		return sw | EPT_READ | EPT_WRITE | EPT_EXEC | EPT_MEMTYPE_WB;
	case EPT_TYPE_RAM_RO:
		return sw | EPT_READ | EPT_EXEC | EPT_MEMTYPE_WB;
	case EPT_TYPE_IOREQ:
		return sw | EPT_READ | EPT_MEMTYPE_WB;
	default:
		return 0;
	}
}

int ept_init(struct ept *ept)
{
	u64 root = frame_alloc(1, PAGE_SIZE);

	memset(ept, 0, sizeof(*ept));
	if (!root)
		return -1;
	memset(phys_to_virt(root), 0, PAGE_SIZE);
	ept->root_pa = root;
	ept->stats.table_pages = 1;
	ept->eptp = root | EPTP_MEMTYPE_WB | EPTP_WALK_LENGTH_4 |
		    (vmx_caps.ept_ad ? EPTP_AD_ENABLE : 0);
	return 0;
}

static void free_tables(u64 *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; level > 1 && i < EPT_ENTRIES; i++)
		if ((table[i] & EPT_TABLE_PERMS) && !(table[i] & EPT_LARGE))
			free_tables(table_va(table[i]), level - 1);
	frame_free(virt_to_phys(table), 1);
}

void ept_destroy(struct ept *ept)
{
	if (ept->root_pa)
		free_tables(phys_to_virt(ept->root_pa), 4);
	ept->root_pa = 0;
}

int ept_add_slot(struct ept *ept, const struct mem_slot *slot)
{
	u32 i;

	if (ept->nr_slots == EPT_MAX_SLOTS || !IS_ALIGNED(slot->gpa | slot->size, PAGE_SIZE))
		return -1;
	for (i = 0; i < ept->nr_slots; i++) {
		const struct mem_slot *s = &ept->slots[i];

		if (slot->gpa < s->gpa + s->size && s->gpa < slot->gpa + slot->size)
			return -1;
	}
	ept->slots[ept->nr_slots++] = *slot;
	return 0;
}

const struct mem_slot *ept_find_slot(const struct ept *ept, u64 gpa)
{
	u32 i;

	for (i = 0; i < ept->nr_slots; i++) {
		const struct mem_slot *s = &ept->slots[i];

		if (gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/* The largest page level (3, 2 or 1) the slot allows at @gpa. */
static unsigned int leaf_level(const struct mem_slot *s, u64 gpa)
{
	unsigned int level;

	if (s->type != EPT_TYPE_RAM_RW && s->type != EPT_TYPE_RAM_RO)
		return 1;
	for (level = vmx_caps.ept_1g ? 3 : vmx_caps.ept_2m ? 2 : 1; level > 1; level--) {
		u64 size = LEVEL_SIZE(level), base = ALIGN_DOWN(gpa, size);

		if (base >= s->gpa && base + size <= s->gpa + s->size &&
		    IS_ALIGNED(s->hpa + (base - s->gpa), size))
			return level;
	}
	return 1;
}

/* Returns the next-level table under @entry, installing an empty one if needed. */
static u64 *get_table(struct ept *ept, u64 *entry)
{
	u64 old = __atomic_load_n(entry, __ATOMIC_ACQUIRE), pa, new;

	if (old & EPT_TABLE_PERMS)
		return table_va(old);
	pa = frame_alloc(1, PAGE_SIZE);
	if (!pa)
		return NULL;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	new = pa | EPT_TABLE_PERMS;
	/* Another vCPU may have installed one meanwhile: then use that one. */
	if (!__atomic_compare_exchange_n(entry, &old, new, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		frame_free(pa, 1);
		return table_va(old);
	}
	__atomic_fetch_add(&ept->stats.table_pages, 1, __ATOMIC_RELAXED);
	return table_va(new);
}

int ept_map(struct ept *ept, u64 gpa)
{
	const struct mem_slot *s = ept_find_slot(ept, gpa);
	unsigned int level, target;
	u64 *table, *entry, base, leaf, expected = 0;

	if (!s || !leaf_bits(s->type))
		return -1;
	target = leaf_level(s, gpa);
	table = phys_to_virt(ept->root_pa);
	for (level = 4; level > target; level--) {
		table = get_table(ept, &table[(gpa >> LEVEL_SHIFT(level)) % EPT_ENTRIES]);
		if (!table)
			return -1;
	}
	base = ALIGN_DOWN(gpa, LEVEL_SIZE(target));
	entry = &table[(gpa >> LEVEL_SHIFT(target)) % EPT_ENTRIES];
	leaf = (s->hpa + (base - s->gpa)) | leaf_bits(s->type) | (target > 1 ? EPT_LARGE : 0);
	/* A concurrent fault on the same page may have won: its leaf is as good. */
	if (__atomic_compare_exchange_n(entry, &expected, leaf, false, __ATOMIC_RELEASE,
					__ATOMIC_RELAXED)) {
		u64 *counter = target == 3 ? &ept->stats.maps_1g :
			       target == 2 ? &ept->stats.maps_2m :
					     &ept->stats.maps_4k;

		__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

int ept_map_all(struct ept *ept)
{
	u32 i;

	for (i = 0; i < ept->nr_slots; i++) {
		const struct mem_slot *s = &ept->slots[i];
		u64 gpa;

		if (!leaf_bits(s->type))
			continue;
		for (gpa = s->gpa; gpa < s->gpa + s->size;
		     gpa = ALIGN_DOWN(gpa, LEVEL_SIZE(leaf_level(s, gpa))) +
			   LEVEL_SIZE(leaf_level(s, gpa)))
			if (ept_map(ept, gpa))
				return -1;
	}
	return 0;
}

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
