/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instructions behind a vCPU's device accesses, decoded once.
 *
 * A driver reaches its device from a handful of instructions, again and
 * again. Fetching one (a walk of the guest's paging structures, the bytes)
 * and decoding it costs about 700 instructions in Bochs; checking that a
 * decoded one still holds, about 50.
 *
 * An entry keeps everything a fresh fetch depends on, and a hit reads it
 * all again: the paging registers, the CPL and the code segment's mode;
 * the value of every paging-structure entry the walk used (through a host
 * pointer to it); the 15 bytes at the instruction. With the same registers
 * and the same entry values, a walk reaches the same page with the same
 * rights and has no flag left to set; with the same bytes and mode, the
 * decoder returns the same instruction. A hit is what a fresh fetch would
 * give, not a stale one: nothing else has to invalidate an entry. Host
 * pointers stay valid because a partition's RAM keeps its host frames while
 * it lives (struct mem_slot), and the cache lives in its vCPU.
 *
 * Not kept: instructions that cross a page or lie in its last 14 bytes,
 * and PAE paging outside IA-32e mode (the walk starts at the PDPTE
 * registers, which would be four more keys).
 *
 * Pure logic: builds into hv and into the host tests.
 */
#ifndef HV_IOREQ_INSN_CACHE_H
#define HV_IOREQ_INSN_CACHE_H

#include <hv/ioreq/decode.h>
#include <hv/ioreq/guest_walk.h>
#include <types.h>

/* Direct-mapped by the instruction's linear address. */
#define INSN_CACHE_ENTRIES 4U

struct insn_cache_entry {
	/** The key: CS base + RIP, and the state the fetch and decode depended on. */
	u64 linear;
	u64 cr0, cr3, cr4, efer;
	u32 user; /* GUEST_ACCESS_USER or 0 */
	u8 mode; /* enum mmio_cpu_mode */
	/** The paging-structure entries, as struct guest_walk_path has them. */
	u8 nr_entries;
	u8 entry_size;
	const void *entry[GUEST_WALK_MAX_LEVELS];
	u64 value[GUEST_WALK_MAX_LEVELS];
	/** The instruction's bytes in guest memory, or NULL: the entry is empty. */
	const u8 *code;
	u8 bytes[X86_MAX_INSN_LEN];
	struct mmio_insn insn;
};

struct insn_cache {
	struct insn_cache_entry entries[INSN_CACHE_ENTRIES];
};

/*
 * The decoded instruction at @linear, fetched with @pg and @user
 * (GUEST_ACCESS_USER or 0) in @mode, if an entry for it still holds;
 * NULL otherwise.
 */
const struct mmio_insn *insn_cache_find(const struct insn_cache *cache,
					const struct guest_paging *pg, u32 user,
					enum mmio_cpu_mode mode, u64 linear);

/*
 * Keeps @insn, decoded from the 15 @bytes that guest_fetch_insn() read at
 * @linear, the guest-physical @code_gpa, through the walk @path, if an
 * entry can check it later.
 */
void insn_cache_fill(struct insn_cache *cache, const struct guest_paging *pg, u32 user,
		     enum mmio_cpu_mode mode, u64 linear, u64 code_gpa,
		     const struct guest_walk_path *path, const u8 *bytes,
		     const struct mmio_insn *insn);

#endif /* HV_IOREQ_INSN_CACHE_H */
