// SPDX-License-Identifier: GPL-2.0
/*
 * Software walk of the guest's paging structures. Paging modes: SDM Vol. 3A
 * 4.1; 32-bit paging 4.3, PAE paging 4.4, 4-level and 5-level paging 4.5;
 * access rights 4.6; #PF error codes 4.7.
 */
#include <hv/ioreq/decode.h>
#include <hv/ioreq/guest_walk.h>
#include <hv/lib/string.h>
#include <x86/cpu.h>
#include <x86/msr.h>

#define GUEST_PAGE_SHIFT 12
#define GUEST_PAGE_SIZE BIT(GUEST_PAGE_SHIFT)

/* Paging-structure entry bits, alike in every paging mode */
#define PTE_P BIT(0)
#define PTE_RW BIT(1)
#define PTE_US BIT(2)
#define PTE_A BIT(5)
#define PTE_D BIT(6) /* in the entry that maps a page */
#define PTE_PS BIT(7)
#define PTE_XD BIT(63) /* PAE, 4- and 5-level paging */

/* Where the next table or the page is: 64-bit entries (4.4.2, 4.5.4), 32-bit entries (4.3). */
#define PTE64_ADDR GENMASK(51, 12)
#define PTE32_ADDR GENMASK(31, 12)
/* A 4-MByte page (Table 4-4): bits 31:22 of the address, and with PSE-36 bits 20:13 are 39:32. */
#define PDE32_4M_ADDR_LOW GENMASK(31, 22)
#define PDE32_4M_ADDR_HIGH GENMASK(20, 13)
#define PDE32_4M_ADDR_HIGH_SHIFT (32 - 13)

/* Reserved bits the walk can check without knowing MAXPHYADDR */
#define PAE_RESERVED GENMASK(62, 52) /* PAE PDEs and PTEs: bits 62:M (Tables 4-9 to 4-11) */
#define PDE32_4M_RESERVED BIT(21) /* Table 4-4 */
#define PAGE_2M_RESERVED GENMASK(20, 13) /* between PAT (bit 12) and the address (4.4.2, 4.5.4) */
#define PAGE_1G_RESERVED GENMASK(29, 13) /* Table 4-16 */

/* Walks that found an entry changed before it could set its flags, before giving up. */
#define MAX_WALKS 4U

/* The PAE PDPTE registers are indexed by linear-address bits 31:30 (4.4.2). */
#define PAE_PDPTE_SHIFT 30
#define PAE_PDPTE_INDEX_MASK 3U

/* One level of paging structures, from the root down. */
struct level {
	u8 shift; /* the lowest linear-address bit the entry's index covers */
	u8 index_bits;
	u64 reserved; /* reserved in every present entry at this level */
	bool maps_page_with_ps; /* PS = 1 maps a page here rather than pointing to a table */
	u64 large_page_reserved; /* reserved when it does */
};

/* 4.3: with CR4.PSE = 0 the PS flag of a PDE is ignored. */
static const struct level levels_32bit[] = {
	{ .shift = 22, .index_bits = 10 },
	{ .shift = 12, .index_bits = 10 },
};

static const struct level levels_32bit_pse[] = {
	{ .shift = 22,
	  .index_bits = 10,
	  .maps_page_with_ps = true,
	  .large_page_reserved = PDE32_4M_RESERVED },
	{ .shift = 12, .index_bits = 10 },
};

/* Below the PDPTE registers, which the walk takes from struct guest_paging. */
static const struct level levels_pae[] = {
	{ .shift = 21,
	  .index_bits = 9,
	  .maps_page_with_ps = true,
	  .large_page_reserved = PAGE_2M_RESERVED },
	{ .shift = 12, .index_bits = 9 },
};

/* 5-level paging; 4-level paging starts at the PML4 (4.5.4). PS is reserved in a PML5E/PML4E. */
static const struct level levels_5level[] = {
	{ .shift = 48, .index_bits = 9, .reserved = PTE_PS },
	{ .shift = 39, .index_bits = 9, .reserved = PTE_PS },
	{ .shift = 30,
	  .index_bits = 9,
	  .maps_page_with_ps = true,
	  .large_page_reserved = PAGE_1G_RESERVED },
	{ .shift = 21,
	  .index_bits = 9,
	  .maps_page_with_ps = true,
	  .large_page_reserved = PAGE_2M_RESERVED },
	{ .shift = 12, .index_bits = 9 },
};

struct walk {
	const struct guest_paging *pg;
	u32 access; /* GUEST_ACCESS_* */
	struct guest_walk_result *res;
	u32 entry_size; /* 4 for 32-bit paging, 8 otherwise */
	u64 addr_mask; /* PTE32_ADDR or PTE64_ADDR */
	u64 reserved; /* reserved in every entry of the paging mode */
	/*
	 * The entries used, from the root down (the last one maps the page),
	 * and their AND and OR: the access rights (4.6.1: R/W and U/S must be
	 * set in every entry, XD in none) and whether every one has A set.
	 */
	u32 nr_used;
	u64 used_gpa[GUEST_WALK_MAX_LEVELS];
	u64 used_entry[GUEST_WALK_MAX_LEVELS];
	u64 all_used;
	u64 any_used;
	/* Where a successful walk reports its entries, or NULL. */
	struct guest_walk_path *path;
};

static enum guest_walk_status page_fault(struct walk *w, u32 cause)
{
	const struct guest_paging *pg = w->pg;
	u32 error = cause | (w->access & (PF_ERROR_WRITE | PF_ERROR_USER));

	/*
	 * 4.7: I/D is set for a fetch only when SMEP is on or when the XD bit
	 * exists and is enabled (CR4.PAE = 1 and IA32_EFER.NXE = 1).
	 */
	if ((w->access & GUEST_ACCESS_FETCH) &&
	    ((pg->cr4 & X86_CR4_SMEP) || ((pg->cr4 & X86_CR4_PAE) && (pg->efer & EFER_NXE))))
		error |= PF_ERROR_FETCH;
	w->res->pf_error = error;
	w->res->status = GUEST_WALK_PAGE_FAULT;
	return GUEST_WALK_PAGE_FAULT;
}

/*
 * 4.6.1: whether the access is allowed with the rights the entries give.
 * Without NXE, XD is a reserved bit and never gets here.
 */
static bool access_allowed(const struct walk *w)
{
	const struct guest_paging *pg = w->pg;
	bool write = w->access & GUEST_ACCESS_WRITE;
	bool writable = w->all_used & PTE_RW, user = w->all_used & PTE_US;
	bool executable = !(w->any_used & PTE_XD);

	if (w->access & GUEST_ACCESS_USER) {
		/* User-mode accesses reach only user-mode addresses. */
		if (!user)
			return false;
		if (w->access & GUEST_ACCESS_FETCH)
			return executable;
		return !write || writable;
	}
	if (w->access & GUEST_ACCESS_FETCH)
		return executable && !(user && (pg->cr4 & X86_CR4_SMEP));
	/* An explicit supervisor data access: SMAP lets it reach user pages only with AC = 1. */
	if (user && (pg->cr4 & X86_CR4_SMAP) && !(pg->rflags & X86_RFLAGS_AC))
		return false;
	/* With CR0.WP = 0 supervisor writes ignore R/W. */
	return !write || writable || !(pg->cr0 & X86_CR0_WP);
}

/* Loads the paging-structure entry at @gpa in one access; 32-bit entries are zero-extended. */
static int read_entry(struct walk *w, u64 gpa, u64 *entry)
{
	const void *p = w->pg->map_gpa(w->pg->ctx, gpa, w->entry_size, false);

	if (!p) {
		w->res->gpa = gpa;
		w->res->status = GUEST_WALK_UNREADABLE;
		return -1;
	}
	*entry = w->entry_size == 4 ? __atomic_load_n((const u32 *)p, __ATOMIC_RELAXED) :
				      __atomic_load_n((const u64 *)p, __ATOMIC_RELAXED);
	return 0;
}

/* Sets @flags in the entry that held @old: 0, 1 when it holds another value now, -1 if unwritable. */
static int set_entry_flags(struct walk *w, u64 gpa, u64 old, u64 flags)
{
	void *p = w->pg->map_gpa(w->pg->ctx, gpa, w->entry_size, true);
	u32 old32 = (u32)old;

	if (!p)
		return -1;
	if (w->entry_size == 4)
		return __atomic_compare_exchange_n((u32 *)p, &old32, (u32)(old | flags), false,
						   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) ?
			       0 :
			       1;
	return __atomic_compare_exchange_n((u64 *)p, &old, old | flags, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST) ?
		       0 :
		       1;
}

/* The address of the page a PS = 1 entry maps: 4.3 (4 MBytes), 4.4.2 and 4.5.4. */
static u64 large_page_base(const struct walk *w, u64 entry, u8 shift)
{
	if (w->entry_size == 4)
		return (entry & PDE32_4M_ADDR_LOW) |
		       ((entry & PDE32_4M_ADDR_HIGH) << PDE32_4M_ADDR_HIGH_SHIFT);
	return entry & PTE64_ADDR & ~(BIT(shift) - 1);
}

/* The entries a successful walk used, with the flags it set in them. */
static void report_path(const struct walk *w)
{
	struct guest_walk_path *path = w->path;
	u32 i;

	path->nr = w->nr_used;
	path->entry_size = w->entry_size;
	for (i = 0; i < w->nr_used; i++) {
		bool maps_page = i == w->nr_used - 1;

		path->gpa[i] = w->used_gpa[i];
		path->value[i] = w->used_entry[i] | PTE_A |
				 (maps_page && (w->access & GUEST_ACCESS_WRITE) ? PTE_D : 0);
	}
}

/*
 * 4.8: the CPU sets the accessed flag of each entry it used, and for a
 * write the dirty flag of the one that maps the page, with locked updates.
 * Like Intel CPUs it does so once the walk succeeded (so a fault sets
 * none). Returns 0, or -1 with res->status RETRY (an entry changed since
 * it was read: walk again) or UNWRITABLE.
 */
static int set_accessed_dirty(struct walk *w)
{
	u64 leaf = w->nr_used ? w->used_entry[w->nr_used - 1] : 0;
	u32 i;

	/* The common case: the CPU set them when it last used this translation. */
	if ((w->all_used & PTE_A) && (!(w->access & GUEST_ACCESS_WRITE) || (leaf & PTE_D)))
		return 0;
	for (i = 0; i < w->nr_used; i++) {
		bool maps_page = i == w->nr_used - 1;
		u64 flags = PTE_A | (maps_page && (w->access & GUEST_ACCESS_WRITE) ? PTE_D : 0);
		int ret;

		if ((w->used_entry[i] & flags) == flags)
			continue;
		ret = set_entry_flags(w, w->used_gpa[i], w->used_entry[i], flags);
		if (ret) {
			w->res->gpa = w->used_gpa[i];
			w->res->status = ret > 0 ? GUEST_WALK_RETRY : GUEST_WALK_UNWRITABLE;
			return -1;
		}
	}
	return 0;
}

/*
 * Walks @nr levels from the table at @table. As the CPU does, the walk stops
 * with #PF at the first entry that is not present or sets a reserved bit
 * (4.3, 4.4.2, 4.5.4); the access rights, which come from every level
 * (4.6.1), are checked once the page is found.
 */
static enum guest_walk_status walk_levels(struct walk *w, u64 table, const struct level *levels,
					  u32 nr)
{
	u64 linear = w->res->linear, entry, entry_gpa, index;
	u64 page = 0;
	u8 shift = GUEST_PAGE_SHIFT;
	u32 i;

	for (i = 0; i < nr; i++) {
		const struct level *l = &levels[i];

		index = (linear >> l->shift) & (BIT(l->index_bits) - 1);
		entry_gpa = table + index * w->entry_size;
		if (read_entry(w, entry_gpa, &entry))
			return GUEST_WALK_UNREADABLE;
		if (!(entry & PTE_P))
			return page_fault(w, 0);
		if (entry & (w->reserved | l->reserved))
			return page_fault(w, PF_ERROR_PRESENT | PF_ERROR_RESERVED);
		w->used_gpa[w->nr_used] = entry_gpa;
		w->used_entry[w->nr_used++] = entry;
		w->all_used &= entry;
		w->any_used |= entry;

		shift = l->shift;
		if (shift == GUEST_PAGE_SHIFT) {
			page = entry & w->addr_mask;
			break;
		}
		if (l->maps_page_with_ps && (entry & PTE_PS)) {
			if (entry & l->large_page_reserved)
				return page_fault(w, PF_ERROR_PRESENT | PF_ERROR_RESERVED);
			page = large_page_base(w, entry, shift);
			break;
		}
		table = entry & w->addr_mask;
	}

	if (!access_allowed(w))
		return page_fault(w, PF_ERROR_PRESENT);
	if (set_accessed_dirty(w))
		return w->res->status;
	if (w->path)
		report_path(w);
	w->res->gpa = page | (linear & (BIT(shift) - 1));
	w->res->status = GUEST_WALK_OK;
	return GUEST_WALK_OK;
}

/* Vol. 1 3.3.7.1: bits 63 down to the top of the linear address are copies of that bit. */
static bool is_canonical(u64 linear, u32 width)
{
	return (u64)((s64)(linear << (64 - width)) >> (64 - width)) == linear;
}

static enum guest_walk_status walk_once(const struct guest_paging *pg, u64 linear, u32 access,
					struct guest_walk_result *res, struct guest_walk_path *path)
{
	struct walk w;
	bool la57 = pg->cr4 & X86_CR4_LA57;
	u64 pdpte;

	/* Field by field: the entry arrays are filled as the walk goes, not zeroed first. */
	w.pg = pg;
	w.access = access;
	w.res = res;
	w.entry_size = 8;
	w.addr_mask = PTE64_ADDR;
	w.reserved = 0;
	w.nr_used = 0;
	w.all_used = ~0ULL;
	w.any_used = 0;
	w.path = path;

	*res = (struct guest_walk_result){ .linear = linear };
	/* 4.1.1: IA-32e mode only with CR0.PG = 1 and CR4.PAE = 1 (VM entry checks it). */
	if (!(pg->efer & EFER_LMA)) {
		/* Legacy linear addresses are 32 bits wide. */
		res->linear = linear = (u32)linear;
	} else if (!is_canonical(linear, la57 ? 57 : 48)) {
		res->status = GUEST_WALK_NOT_CANONICAL;
		return GUEST_WALK_NOT_CANONICAL;
	}

	/* 4.1.1: without paging, a linear address is the physical address. */
	if (!(pg->cr0 & X86_CR0_PG)) {
		if (path)
			path->nr = 0;
		res->gpa = linear;
		res->status = GUEST_WALK_OK;
		return GUEST_WALK_OK;
	}

	if (!(pg->cr4 & X86_CR4_PAE)) {
		/* 32-bit paging (4.3): no XD bit, no reserved bits but bit 21 of a 4-MByte page. */
		w.entry_size = 4;
		w.addr_mask = PTE32_ADDR;
		if (pg->cr4 & X86_CR4_PSE)
			return walk_levels(&w, pg->cr3 & PTE32_ADDR, levels_32bit_pse,
					   ARRAY_SIZE(levels_32bit_pse));
		return walk_levels(&w, pg->cr3 & PTE32_ADDR, levels_32bit,
				   ARRAY_SIZE(levels_32bit));
	}

	/* Without NXE the XD bit is reserved (4.4.2, 4.5.4). */
	if (!(pg->efer & EFER_NXE))
		w.reserved |= PTE_XD;

	if (!(pg->efer & EFER_LMA)) {
		/*
		 * PAE paging (4.4.2): a PDPTE register selects the page
		 * directory. It has no access-rights bits, and the load
		 * into the register refused reserved bits (4.4.1).
		 */
		pdpte = pg->pdpte[(linear >> PAE_PDPTE_SHIFT) & PAE_PDPTE_INDEX_MASK];
		if (!(pdpte & PTE_P))
			return page_fault(&w, 0);
		w.reserved |= PAE_RESERVED;
		return walk_levels(&w, pdpte & PTE64_ADDR, levels_pae, ARRAY_SIZE(levels_pae));
	}

	/* 4-level and 5-level paging (4.5.4): CR3 bits 11:0 are flags or the PCID. */
	if (la57)
		return walk_levels(&w, pg->cr3 & PTE64_ADDR, levels_5level,
				   ARRAY_SIZE(levels_5level));
	return walk_levels(&w, pg->cr3 & PTE64_ADDR, levels_5level + 1,
			   ARRAY_SIZE(levels_5level) - 1);
}

static enum guest_walk_status walk(const struct guest_paging *pg, u64 linear, u32 access,
				   struct guest_walk_result *res, struct guest_walk_path *path)
{
	u32 i;

	/* A guest that keeps rewriting its entries gets RETRY, and runs the instruction again. */
	for (i = 0; i < MAX_WALKS; i++)
		if (walk_once(pg, linear, access, res, path) != GUEST_WALK_RETRY)
			break;
	return res->status;
}

enum guest_walk_status guest_walk(const struct guest_paging *pg, u64 linear, u32 access,
				  struct guest_walk_result *res)
{
	return walk(pg, linear, access, res, NULL);
}

u32 guest_fetch_insn(const struct guest_paging *pg, u64 linear, bool user, u8 *buf,
		     struct guest_walk_result *res, struct guest_walk_path *first)
{
	u32 access = GUEST_ACCESS_FETCH | (user ? GUEST_ACCESS_USER : 0);
	u32 done = 0, chunk;
	const void *code;

	/* At most two pages: the bytes up to the page boundary, then the rest. */
	while (done < X86_MAX_INSN_LEN) {
		if (walk(pg, linear, access, res, done ? NULL : first) != GUEST_WALK_OK)
			break;
		/* res->linear: the address wrapped to 32 bits outside IA-32e mode */
		chunk = MIN(X86_MAX_INSN_LEN - done,
			    GUEST_PAGE_SIZE - (res->linear & (GUEST_PAGE_SIZE - 1)));
		code = pg->map_gpa(pg->ctx, res->gpa, chunk, false);
		if (!code) {
			res->status = GUEST_WALK_UNREADABLE;
			break;
		}
		/* The common case, all in one page: two loads, a snapshot the decoder reads. */
		if (chunk == X86_MAX_INSN_LEN)
			__builtin_memcpy(buf, code, X86_MAX_INSN_LEN);
		else
			memcpy(buf + done, code, chunk);
		done += chunk;
		linear = res->linear + chunk;
	}
	return done;
}
