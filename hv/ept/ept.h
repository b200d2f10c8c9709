/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EPT: a partition's guest-physical address space. Memory slots describe it
 * (RAM backed by contiguous host frames, MMIO holes); EPT tables translate
 * it for the CPU (SDM Vol. 3C 29.3).
 */
#ifndef HV_EPT_EPT_H
#define HV_EPT_EPT_H

#include <types.h>

#define EPT_MAX_SLOTS 16U

/* hv's page types, kept in software-available bits of each EPT leaf. */
enum ept_page_type {
	EPT_TYPE_NONE = 0, /* not mapped */
	EPT_TYPE_RAM_RW,
	EPT_TYPE_RAM_RO,
	EPT_TYPE_MMIO, /* an emulated device range: every access exits */
	EPT_TYPE_IOREQ, /* readable RAM whose writes go to the ioreq server */
};

struct mem_slot {
	u64 gpa; /* first guest-physical address, 4 KiB aligned */
	u64 size;
	u64 hpa; /* backing host frames, contiguous; 0 for MMIO */
	enum ept_page_type type;
};

struct ept_stats {
	u64 maps_4k, maps_2m, maps_1g;
	u64 table_pages; /* EPT table pages currently allocated */
};

struct ept {
	u64 root_pa; /* the PML4 table */
	u64 eptp; /* EPT pointer as the VMCS holds it */
	u32 nr_slots;
	struct mem_slot slots[EPT_MAX_SLOTS];
	struct ept_stats stats;
};

int ept_init(struct ept *ept);
/* Frees every table page; the caller made sure no CPU can still use them. */
void ept_destroy(struct ept *ept);
int ept_add_slot(struct ept *ept, const struct mem_slot *slot);
const struct mem_slot *ept_find_slot(const struct ept *ept, u64 gpa);
/* Maps the page at @gpa with the largest page its slot allows. */
int ept_map(struct ept *ept, u64 gpa);
/* Maps every slot now (until mapping on EPT violations arrives). */
int ept_map_all(struct ept *ept);

/* Translates a guest-physical address of RAM to a host pointer, NULL if none. */
void *ept_gpa_to_hva(const struct ept *ept, u64 gpa, u64 len);

/* Copies to/from guest RAM through the slots; returns 0, or -1 if not all RAM. */
int ept_write_guest(const struct ept *ept, u64 gpa, const void *src, u64 len);
int ept_read_guest(const struct ept *ept, u64 gpa, void *dst, u64 len);

#endif /* HV_EPT_EPT_H */
