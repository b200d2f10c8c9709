// SPDX-License-Identifier: GPL-2.0
/* The decoded-instruction cache of a vCPU's device accesses (insn_cache.h). */
#include <hv/ioreq/insn_cache.h>
#include <x86/cpu.h>
#include <x86/msr.h>

#define PAGE_OFFSET(a) ((a)&0xfffULL)
#define LAST_WHOLE_INSN_OFFSET (0x1000U - X86_MAX_INSN_LEN)
/* The 15 bytes, as two overlapping 8-byte words: bytes 0..7 and 7..14. */
#define SECOND_WORD_OFFSET (X86_MAX_INSN_LEN - sizeof(u64))

static struct insn_cache_entry *entry_for(const struct insn_cache *cache, u64 linear)
{
	return (struct insn_cache_entry *)&cache->entries[linear % INSN_CACHE_ENTRIES];
}

static u64 word_at(const u8 *p)
{
	u64 w;

	__builtin_memcpy(&w, p, sizeof(w));
	return w;
}

/* Single-copy atomic, as the walk reads the entry (guest_walk.h). */
static u64 entry_value(const void *entry, u8 size)
{
	return size == 4 ? __atomic_load_n((const u32 *)entry, __ATOMIC_RELAXED) :
			   __atomic_load_n((const u64 *)entry, __ATOMIC_RELAXED);
}

const struct mmio_insn *insn_cache_find(const struct insn_cache *cache,
					const struct guest_paging *pg, u32 user,
					enum mmio_cpu_mode mode, u64 linear)
{
	const struct insn_cache_entry *e = entry_for(cache, linear);
	u32 i;

	if (!e->code || e->linear != linear || e->cr3 != pg->cr3 || e->cr0 != pg->cr0 ||
	    e->cr4 != pg->cr4 || e->efer != pg->efer || e->user != user || e->mode != mode)
		return NULL;
	for (i = 0; i < e->nr_entries; i++)
		if (entry_value(e->entry[i], e->entry_size) != e->value[i])
			return NULL;
	if (word_at(e->code) != word_at(e->bytes) ||
	    word_at(e->code + SECOND_WORD_OFFSET) != word_at(e->bytes + SECOND_WORD_OFFSET))
		return NULL;
	return &e->insn;
}

void insn_cache_fill(struct insn_cache *cache, const struct guest_paging *pg, u32 user,
		     enum mmio_cpu_mode mode, u64 linear, u64 code_gpa,
		     const struct guest_walk_path *path, const u8 *bytes,
		     const struct mmio_insn *insn)
{
	struct insn_cache_entry *e = entry_for(cache, linear);
	bool pae_legacy =
		(pg->cr0 & X86_CR0_PG) && (pg->cr4 & X86_CR4_PAE) && !(pg->efer & EFER_LMA);
	u32 i;

	e->code = NULL;
	/* One walk, one page: what the page offset of @linear, and so of @code_gpa, says. */
	if (pae_legacy || PAGE_OFFSET(linear) > LAST_WHOLE_INSN_OFFSET ||
	    PAGE_OFFSET(code_gpa) != PAGE_OFFSET(linear))
		return;
	for (i = 0; i < path->nr; i++) {
		e->entry[i] = pg->map_gpa(pg->ctx, path->gpa[i], path->entry_size, false);
		if (!e->entry[i])
			return;
		e->value[i] = path->value[i];
	}
	e->nr_entries = (u8)path->nr;
	e->entry_size = (u8)path->entry_size;
	e->linear = linear;
	e->cr0 = pg->cr0;
	e->cr3 = pg->cr3;
	e->cr4 = pg->cr4;
	e->efer = pg->efer;
	e->user = user;
	e->mode = (u8)mode;
	__builtin_memcpy(e->bytes, bytes, X86_MAX_INSN_LEN);
	e->insn = *insn;
	e->code = pg->map_gpa(pg->ctx, code_gpa, X86_MAX_INSN_LEN, false);
}
