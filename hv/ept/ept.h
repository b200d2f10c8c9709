/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EPT: a partition's guest-physical address space. Memory slots describe it
 * (RAM backed by contiguous host frames, emulated MMIO ranges) together with
 * a page type for every 4 KiB page; the EPT tables (SDM Vol. 3C 29.3) are
 * only a cache of that description, filled lazily on EPT violations with the
 * largest pages the backing allows, and emptied again by zaps.
 *
 * Concurrency: faults take no lock. They only ever fill empty entries, with
 * compare-and-exchange. Updates (zap, type change, dirty-log clear) are
 * serialized per EPT; they unlink whole subtrees, wait for the CPUs that may
 * still hold them (hv/core/epoch.h), and only then free them.
 */
#ifndef HV_EPT_EPT_H
#define HV_EPT_EPT_H

#include <hv/core/frame.h>
#include <types.h>

#define EPT_MAX_SLOTS 16U
#define EPT_LEVELS 4U /* 4-level EPT: level 1 maps 4 KiB, 2 maps 2 MiB, 3 maps 1 GiB */

/* hv's page types; an EPT leaf keeps its page's type in software-available bits. */
enum ept_page_type {
	EPT_TYPE_NONE = 0, /* nothing there */
	EPT_TYPE_RAM_RW, /* RAM: read, write, execute */
	EPT_TYPE_RAM_RO, /* RAM the guest may read and execute but not write */
	EPT_TYPE_MMIO, /* an emulated device range: every access exits (UC, never mapped) */
	EPT_TYPE_IOREQ, /* RAM readable in place, writes forwarded to the ioreq server; 4 KiB */
	NR_EPT_TYPES
};

/* Accesses, as EPT entries and EPT-violation exit qualifications number them. */
#define EPT_ACCESS_READ BIT(0)
#define EPT_ACCESS_WRITE BIT(1)
#define EPT_ACCESS_EXEC BIT(2)
#define EPT_ACCESS_MASK (EPT_ACCESS_READ | EPT_ACCESS_WRITE | EPT_ACCESS_EXEC)

struct mem_slot {
	u64 gpa; /* first guest-physical address, 4 KiB aligned */
	u64 size;
	u64 hpa; /* backing host frames, contiguous; 0 for MMIO */
	enum ept_page_type type; /* the type of every page not in @page_types */
	bool lent; /* the frames are hv's, lent to the partition: not freed with it */
	/* Set up by the first type change inside the slot, NULL before: */
	u8 *page_types; /* one enum ept_page_type per 4 KiB page */
	u16 *changed_per_2m; /* per 2 MiB-aligned range: pages whose type is not @type */
	u64 nr_changed; /* all such pages of the slot */
};

struct ept_stats {
	u64 faults_4k, faults_2m, faults_1g; /* leaves the fault handler installed */
	u64 spurious; /* faults another vCPU had already resolved */
	u64 retries; /* faults that raced with an update and re-ran the instruction */
	u64 splits; /* huge leaves replaced by a table of smaller ones */
	u64 zaps; /* updates: zaps, type changes, dirty-state clears */
	u64 tables; /* table pages linked now, the root included */
	u64 tables_retired; /* table pages unlinked and handed to the epoch code */
};

struct ept {
	u64 root_pa; /* the PML4 table */
	u64 eptp; /* EPT pointer as the VMCS holds it */
	unsigned int max_level; /* the largest leaf this EPT uses: 1, 2 or 3 */
	u64 cpus; /* cpu_ids of the CPUs that may cache its translations */
	struct frame_quota *quota; /* its tables and type arrays count here (NULL: no bound) */
	u64 update_seq; /* odd while an update runs; a fault that sees it change retries */
	u32 updating; /* the update lock; faults never take it */
	u32 nr_slots;
	struct mem_slot slots[EPT_MAX_SLOTS];
	struct ept_stats stats;
};

enum ept_fault_result {
	EPT_FAULT_MAPPED, /* the access is permitted now: run the instruction again */
	EPT_FAULT_RETRY, /* raced with an update: run it again, it may fault again */
	EPT_FAULT_DENIED, /* the page's type does not permit the access */
	EPT_FAULT_UNBACKED, /* no slot holds the address */
	EPT_FAULT_NO_MEMORY, /* no frame for a table page */
};

/*
 * An empty EPT whose leaves are at most @max_level (clamped to what the CPU
 * offers) and whose translations CPUs @cpus may cache; its table pages and
 * type arrays are charged to @quota (NULL: no bound). Returns 0 or -1.
 */
int ept_init(struct ept *ept, unsigned int max_level, u64 cpus, struct frame_quota *quota);
/* Frees every table page and type array; no CPU may use the EPT any more. */
void ept_destroy(struct ept *ept);
/*
 * Adds a slot before the EPT is in use; slots never change afterwards. A
 * slot lies below 2^48, the guest-physical addresses 4-level EPT translates.
 */
int ept_add_slot(struct ept *ept, const struct mem_slot *slot);
const struct mem_slot *ept_find_slot(const struct ept *ept, u64 gpa);
enum ept_page_type ept_page_type(const struct ept *ept, u64 gpa);
const char *ept_type_name(enum ept_page_type type);

/*
 * Resolves an EPT violation at @gpa for @access (EPT_ACCESS_*). Lock-free.
 * DENIED also stores the page's type in *@denied_type (when not NULL): the
 * caller tells a device access from a forbidden one without a second lookup.
 */
enum ept_fault_result ept_fault(struct ept *ept, u64 gpa, u32 access,
				enum ept_page_type *denied_type);

/*
 * Updates. Each returns when every CPU sees the result, and 0, or -1 when
 * the range is not 4 KiB aligned, not inside RAM slots (zap: any slots), or
 * hv has no memory for a type array or (dirty log) a split. A zap or type
 * change that cannot split a huge leaf unmaps all of it.
 */
int ept_zap(struct ept *ept, u64 gpa, u64 size);
/* Sets the type of RAM pages to RAM_RW, RAM_RO or IOREQ. */
int ept_set_type(struct ept *ept, u64 gpa, u64 size, enum ept_page_type type);
/*
 * Sets bit i of @bitmap for each page i of [@gpa, @gpa + @nr_pages * 4 KiB)
 * the guest wrote since the last clear (EPT dirty flags); with @clear, also
 * clears those flags. -1 when the CPU has no EPT A/D flags, or the range is
 * not 4 KiB aligned or not inside RAM slots.
 */
int ept_dirty_log(struct ept *ept, u64 gpa, u64 nr_pages, u64 *bitmap, bool clear);

/*
 * Checks every entry reachable from the root against the slots and types:
 * leaves map the slot's frames with no more than their pages' types permit,
 * no entry is poisoned or frozen, the table count matches. Returns the
 * number of problems (0: consistent). Not for concurrent use with updates.
 */
u64 ept_check(const struct ept *ept);

/* One line of figures for a partition's report. */
void ept_print_stats(const struct ept *ept, const char *name);

/* Translates a guest-physical address of RAM to a host pointer, NULL if none. */
void *ept_gpa_to_hva(const struct ept *ept, u64 gpa, u64 len);

/* Copies to/from guest RAM through the slots; returns 0, or -1 if not all RAM. */
int ept_write_guest(const struct ept *ept, u64 gpa, const void *src, u64 len);
int ept_read_guest(const struct ept *ept, u64 gpa, void *dst, u64 len);

#endif /* HV_EPT_EPT_H */
