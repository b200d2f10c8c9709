/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest linear to guest-physical translation, by a software walk of the
 * guest's own paging structures (SDM Vol. 3A chapter 4), and the instruction
 * fetch built on it. hv uses it for every guest memory access it makes on
 * the guest's behalf (hv/ioreq/guest_mem.h).
 *
 * As the CPU does, a walk reads each entry once, in one access, and once
 * it succeeded sets the accessed flag of every paging-structure entry it
 * used and, for a write, the dirty flag of the entry that maps the page
 * (4.8), each with a locked compare-and-exchange; an entry that changed
 * meanwhile makes the walk start over. It caches nothing (the instruction
 * cache above it checks what it keeps against what a walk reads:
 * hv/ioreq/insn_cache.h).
 *
 * Checked: present flags, U/S, R/W with CR0.WP, XD with IA32_EFER.NXE,
 * SMEP, SMAP (with RFLAGS.AC, for explicit accesses), and the reserved bits
 * that do not depend on the CPU: PS in a PML5E or PML4E, bits 62:52 in PAE
 * entries, XD without NXE, bits 29:13 of a 1-GByte page, bits 20:13 of a
 * 2-MByte page and bit 21 of a 4-MByte page.
 *
 * Not checked: bits between MAXPHYADDR and 51, which the walk does not know
 * (such an address is then outside guest memory and map_gpa fails, or hv's
 * EPT refuses it); protection keys (CR4.PKE/PKS), shadow stacks (CET) and
 * linear-address masking (LAM): callers pass the address the CPU used.
 * 1-GByte pages are taken to be supported (CPUID.80000001H:EDX[26]).
 */
#ifndef HV_IOREQ_GUEST_WALK_H
#define HV_IOREQ_GUEST_WALK_H

#include <types.h>

/* #PF error code bits (SDM Vol. 3A 4.7, Figure 4-12) */
#define PF_ERROR_PRESENT BIT(0) /* a protection or reserved-bit fault, not a missing page */
#define PF_ERROR_WRITE BIT(1)
#define PF_ERROR_USER BIT(2)
#define PF_ERROR_RESERVED BIT(3)
#define PF_ERROR_FETCH BIT(4)

/*
 * The access a walk checks for: GUEST_ACCESS_READ, GUEST_ACCESS_WRITE or
 * GUEST_ACCESS_FETCH, with GUEST_ACCESS_USER or-ed in for CPL 3. They are the
 * #PF error code bits that describe the access.
 */
#define GUEST_ACCESS_READ 0U
#define GUEST_ACCESS_WRITE PF_ERROR_WRITE
#define GUEST_ACCESS_USER PF_ERROR_USER
#define GUEST_ACCESS_FETCH PF_ERROR_FETCH

/* The guest's translation state, as hv reads it from the VMCS after an exit. */
struct guest_paging {
	/** CR0: PG enables paging, WP write-protects for supervisor accesses. */
	u64 cr0;
	/** CR3: the root table; PCID bits are ignored. */
	u64 cr3;
	/** CR4: PSE, PAE, LA57, SMEP, SMAP. */
	u64 cr4;
	/** IA32_EFER: LMA selects 4- or 5-level paging, NXE the XD bit. */
	u64 efer;
	/** RFLAGS: AC lets supervisor data accesses reach user pages under SMAP. */
	u64 rflags;
	/**
	 * PAE paging only: the four PDPTE registers, as the VMCS's
	 * GUEST_PDPTE0..3 hold them after an exit with EPT (SDM Vol. 3C
	 * 28.3.4). The CPU loaded them at the last MOV to CR3 (or CR0/CR4),
	 * rejecting reserved bits then (Vol. 3A 4.4.1), and does not re-read
	 * the PDPT in memory: neither does the walk.
	 */
	u64 pdpte[4];
	/**
	 * A host pointer to the @len bytes of guest-physical memory at @gpa
	 * (they never cross a page boundary), or NULL when they are not RAM
	 * or, with @write, not RAM the walk may write (for the flags). The
	 * walk loads entries and updates their flags through it with
	 * single-copy atomic accesses, as the CPU does (SDM Vol. 3A 4.8).
	 */
	void *(*map_gpa)(void *ctx, u64 gpa, u32 len, bool write);
	/** Passed to map_gpa. */
	void *ctx;
};

enum guest_walk_status {
	GUEST_WALK_OK,
	/** The guest gets #PF with @pf_error, CR2 = @linear. */
	GUEST_WALK_PAGE_FAULT,
	/** Not canonical (4- and 5-level paging): the CPU raises #GP(0) or #SS(0). */
	GUEST_WALK_NOT_CANONICAL,
	/** map_gpa refused @gpa: a paging structure or code outside guest RAM. */
	GUEST_WALK_UNREADABLE,
	/** map_gpa refused to write the entry at @gpa: a paging structure outside writable RAM. */
	GUEST_WALK_UNWRITABLE,
	/** Entries kept changing under the walk: the caller runs the instruction again. */
	GUEST_WALK_RETRY,
};

struct guest_walk_result {
	enum guest_walk_status status;
	/** The linear address translated (for #PF: the value of CR2). */
	u64 linear;
	/** OK: its guest-physical address. UNREADABLE, UNWRITABLE: the address refused. */
	u64 gpa;
	/** PAGE_FAULT: the #PF error code, PF_ERROR_* bits. */
	u32 pf_error;
};

/* The most paging-structure entries a walk uses: 5-level paging. */
#define GUEST_WALK_MAX_LEVELS 5U

/*
 * The paging-structure entries a successful walk used, from the root down
 * (the last one maps the page), with their values once the walk set their
 * flags. The translation is the same, and sets no flag, for as long as
 * these entries hold these values and the paging registers do not change.
 */
struct guest_walk_path {
	u32 nr;
	/** 4 for 32-bit paging, 8 otherwise. */
	u32 entry_size;
	u64 gpa[GUEST_WALK_MAX_LEVELS];
	u64 value[GUEST_WALK_MAX_LEVELS];
};

/*
 * Translates @linear for an access of kind @access (GUEST_ACCESS_*) and
 * returns res->status. Outside IA-32e mode linear addresses are 32 bits
 * wide: the bits above 31 of @linear are dropped.
 */
enum guest_walk_status guest_walk(const struct guest_paging *pg, u64 linear, u32 access,
				  struct guest_walk_result *res);

/*
 * Reads up to 15 instruction bytes at @linear (CS base + RIP) into @buf,
 * translating each page on its own: an instruction may cross into a page
 * mapped elsewhere, or not at all. @user: the fetch is made at CPL 3.
 *
 * Returns how many bytes were read, 0..15. Fewer than 15 when a translation
 * or a read failed: *res says why, for the first byte not read. hv
 * decodes what it got; only if the instruction needs more bytes is *res the
 * fault the guest must see. @first (may be NULL) gets the path of the first
 * page's walk, when it succeeded.
 */
u32 guest_fetch_insn(const struct guest_paging *pg, u64 linear, bool user, u8 *buf,
		     struct guest_walk_result *res, struct guest_walk_path *first);

#endif /* HV_IOREQ_GUEST_WALK_H */
