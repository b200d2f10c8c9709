// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for guest_walk() and guest_fetch_insn(). The input is
 * struct walk_input (little-endian, packed: CR0, CR3, CR4, EFER, RFLAGS, the
 * four PDPTEs, the linear address, then one byte for the access) followed
 * by the guest's memory, from guest-physical address 0, at most 64 KiB.
 *
 * The memory callback refuses anything outside that image, and writes to
 * its upper half when the access byte's bit 3 says so; it checks that the
 * walk maps whole aligned entries, at most one per level and walk, nothing
 * after a refusal, and only entries it read for writing. Beyond the
 * sanitizers, it checks that the result agrees with what the callback saw,
 * that #PF error codes describe the access, that a walk changes nothing but
 * the A and D flags of entries it read, that one that succeeds leaves A set
 * in every entry it read and D in the last one for a write while one that
 * faults changes nothing, that the walk is deterministic and monotonic in
 * the rights it grants, and that a fetch returns the bytes the translation
 * points to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/ioreq/decode.h>
#include <hv/ioreq/guest_walk.h>
#include <x86/cpu.h>
#include <x86/msr.h>
#include "fuzz_check.h"

#define MAX_MEMORY (64 * KiB)
#define MAX_LEVELS 5U
/*
 * A walk starts over when it finds an entry changed before it set its flag.
 * Without another CPU, only the walk itself changes one: when an entry
 * appears at two levels. Each such restart leaves one more of the at most
 * five entries with A set, and takes two uses of it: at most two restarts.
 */
#define MAX_WALKS 3U
#define PAGE_OFFSET_MASK 0xfffULL
#define PF_ERROR_ALL \
	(PF_ERROR_PRESENT | PF_ERROR_WRITE | PF_ERROR_USER | PF_ERROR_RESERVED | PF_ERROR_FETCH)

struct walk_input {
	u64 cr0, cr3, cr4, efer, rflags;
	u64 pdpte[4];
	u64 linear;
	/* bits 1:0: read, write or fetch (3 is read); bit 2: user; bit 3: upper half read-only */
	u8 access;
} __packed;

#define ACCESS_UPPER_HALF_READ_ONLY BIT(3)
#define PTE_A BIT(5)
#define PTE_D BIT(6)

struct guest_memory {
	u8 *bytes;
	size_t size;
	bool upper_half_read_only;
	bool walking; /* guest_walk(), not guest_fetch_insn(), is reading */
	u32 nr_reads;
	bool refused;
	u64 refused_gpa;
	/* The entries read since start_reads(), and the flag updates made */
	u32 nr_entries;
	u64 entry_gpa[4 * MAX_LEVELS], entry[4 * MAX_LEVELS];
	u32 entry_size[4 * MAX_LEVELS];
	u32 nr_updates;
	bool update_refused;
	u64 update_refused_gpa;
};

static void *map_gpa(void *ctx, u64 gpa, u32 len, bool write)
{
	struct guest_memory *m = ctx;
	u64 value = 0;
	u32 i;

	check(!m->refused && !m->update_refused);
	if (write) {
		/* Only an entry this walk read. */
		for (i = m->nr_entries; i > 0; i--)
			if (m->entry_gpa[i - 1] == gpa)
				break;
		check(i > 0 && m->entry_size[i - 1] == len);
		if (m->upper_half_read_only && gpa >= m->size / 2) {
			m->update_refused = true;
			m->update_refused_gpa = gpa;
			return NULL;
		}
		m->nr_updates++;
		return m->bytes + gpa;
	}
	if (m->walking) {
		check((len == 4 || len == 8) && gpa % len == 0);
		check(m->nr_reads < MAX_LEVELS * MAX_WALKS);
	} else {
		check(len >= 1 && len <= X86_MAX_INSN_LEN);
	}
	check((gpa & PAGE_OFFSET_MASK) + len <= PAGE_OFFSET_MASK + 1);
	m->nr_reads++;
	if (gpa >= m->size || len > m->size - gpa) {
		m->refused = true;
		m->refused_gpa = gpa;
		return NULL;
	}
	if ((len == 4 || len == 8) && gpa % len == 0 && m->nr_entries < ARRAY_SIZE(m->entry)) {
		memcpy(&value, m->bytes + gpa, len);
		m->entry_gpa[m->nr_entries] = gpa;
		m->entry_size[m->nr_entries] = len;
		m->entry[m->nr_entries++] = value;
	}
	return m->bytes + gpa;
}

/* What changed in memory since @before: only A and D flags, of entries the walk read. */
static void check_only_flags_changed(const struct guest_memory *m, const u8 *before)
{
	size_t i;
	u32 j;

	for (i = 0; i < m->size; i++) {
		if (m->bytes[i] == before[i])
			continue;
		for (j = 0; j < m->nr_entries; j++)
			if (i - m->entry_gpa[j] < m->entry_size[j])
				break;
		check(j < m->nr_entries && i == m->entry_gpa[j]);
		check(!((m->bytes[i] ^ before[i]) & ~(PTE_A | PTE_D)));
	}
}

static void start_reads(struct guest_memory *m, bool walking)
{
	m->walking = walking;
	m->nr_reads = 0;
	m->refused = false;
	m->nr_entries = 0;
	m->nr_updates = 0;
	m->update_refused = false;
}

/* Every entry the walk read has A set now, and for a write the last one D. */
static void check_flags_set(const struct guest_memory *m, u32 access)
{
	u32 i;

	for (i = 0; i < m->nr_entries; i++) {
		u64 now = 0;

		memcpy(&now, m->bytes + m->entry_gpa[i], m->entry_size[i]);
		check(now & PTE_A);
		if (i == m->nr_entries - 1 && (access & GUEST_ACCESS_WRITE))
			check(now & PTE_D);
	}
}

static bool is_canonical(u64 linear, bool la57)
{
	u64 top = linear >> (la57 ? 56 : 47);

	return top == 0 || top == (la57 ? 0xff : 0x1ffff);
}

static struct guest_walk_result walk(const struct guest_paging *pg, struct guest_memory *m,
				     u64 linear, u32 access)
{
	struct guest_walk_result res, again;
	u8 *before = malloc(m->size ? m->size : 1);
	u32 nr_reads;

	check(before);
	memcpy(before, m->bytes, m->size);
	start_reads(m, true);
	check(guest_walk(pg, linear, access, &res) == res.status);
	nr_reads = m->nr_reads;
	check_only_flags_changed(m, before);
	if (res.status != GUEST_WALK_OK && res.status != GUEST_WALK_UNWRITABLE)
		check(!memcmp(before, m->bytes, m->size));
	free(before);

	check(res.linear == (pg->efer & EFER_LMA ? linear : (u32)linear));
	check((res.status == GUEST_WALK_UNREADABLE) == m->refused);
	check((res.status == GUEST_WALK_UNWRITABLE) == m->update_refused);
	/* Only the walk's own updates change the memory: a second walk always completes. */
	check(res.status != GUEST_WALK_RETRY);
	switch (res.status) {
	case GUEST_WALK_OK:
		check((res.gpa & PAGE_OFFSET_MASK) == (res.linear & PAGE_OFFSET_MASK));
		if (!(pg->cr0 & X86_CR0_PG))
			check(res.gpa == res.linear && nr_reads == 0);
		check_flags_set(m, access);
		break;
	case GUEST_WALK_UNWRITABLE:
		check(res.gpa == m->update_refused_gpa);
		break;
	case GUEST_WALK_PAGE_FAULT:
		check(pg->cr0 & X86_CR0_PG);
		check(!(res.pf_error & ~PF_ERROR_ALL));
		check((res.pf_error & (PF_ERROR_WRITE | PF_ERROR_USER)) ==
		      (access & (PF_ERROR_WRITE | PF_ERROR_USER)));
		check(!(res.pf_error & PF_ERROR_FETCH) || (access & GUEST_ACCESS_FETCH));
		check(!(res.pf_error & PF_ERROR_RESERVED) || (res.pf_error & PF_ERROR_PRESENT));
		break;
	case GUEST_WALK_NOT_CANONICAL:
		check(pg->efer & EFER_LMA);
		check(nr_reads == 0);
		break;
	case GUEST_WALK_UNREADABLE:
		check(res.gpa == m->refused_gpa);
		break;
	default:
		check(!"unknown status");
	}
	if (pg->efer & EFER_LMA)
		check((res.status == GUEST_WALK_NOT_CANONICAL) ==
		      !is_canonical(linear, pg->cr4 & X86_CR4_LA57));

	/* The same state gives the same answer; the flags it set need no update now. */
	start_reads(m, true);
	guest_walk(pg, linear, access, &again);
	check(again.status == res.status && again.linear == res.linear);
	check(m->nr_reads <= nr_reads);
	if (res.status == GUEST_WALK_OK)
		check(m->nr_updates == 0);
	if (res.status == GUEST_WALK_OK || res.status == GUEST_WALK_UNREADABLE ||
	    res.status == GUEST_WALK_UNWRITABLE)
		check(again.gpa == res.gpa);
	if (res.status == GUEST_WALK_PAGE_FAULT)
		check(again.pf_error == res.pf_error);
	return res;
}

/* Rights are monotonic: what allows a write allows a read, a user fetch a user read. */
static void check_monotonic(const struct guest_paging *pg, struct guest_memory *m, u64 linear,
			    u32 access, const struct guest_walk_result *res)
{
	struct guest_walk_result read;

	if (res->status != GUEST_WALK_OK)
		return;
	if (!(access & GUEST_ACCESS_WRITE) &&
	    !((access & GUEST_ACCESS_FETCH) && (access & GUEST_ACCESS_USER)))
		return;
	read = walk(pg, m, linear, access & GUEST_ACCESS_USER);
	check(read.status == GUEST_WALK_OK && read.gpa == res->gpa);
}

static void check_fetch(const struct guest_paging *pg, struct guest_memory *m, u64 linear,
			bool user)
{
	struct guest_walk_result res, first;
	struct guest_walk_path path;
	u8 buf[X86_MAX_INSN_LEN];
	u32 count, on_first_page, i;

	start_reads(m, false);
	count = guest_fetch_insn(pg, linear, user, buf, &res, &path);
	check(count <= X86_MAX_INSN_LEN);
	check((count == X86_MAX_INSN_LEN) == (res.status == GUEST_WALK_OK));
	if (!count)
		return;
	/* The path holds the entries as the walk left them in memory (hv/ioreq/insn_cache.c). */
	check(path.nr <= GUEST_WALK_MAX_LEVELS);
	for (i = 0; i < path.nr; i++) {
		u64 now = 0;

		check(path.gpa[i] + path.entry_size <= m->size);
		memcpy(&now, m->bytes + path.gpa[i], path.entry_size);
		check(now == path.value[i]);
	}
	/* The bytes on the first page are those its translation points to. */
	first = walk(pg, m, linear, GUEST_ACCESS_FETCH | (user ? GUEST_ACCESS_USER : 0));
	check(first.status == GUEST_WALK_OK);
	on_first_page = MIN(count, 0x1000 - (first.linear & PAGE_OFFSET_MASK));
	check(!memcmp(buf, m->bytes + first.gpa, on_first_page));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u32 kinds[] = { GUEST_ACCESS_READ, GUEST_ACCESS_WRITE, GUEST_ACCESS_FETCH,
				     GUEST_ACCESS_READ };
	struct guest_memory m = { 0 };
	struct guest_walk_result res;
	struct guest_paging pg;
	struct walk_input in;
	bool user;
	u32 access;

	if (size < sizeof(in))
		return 0;
	memcpy(&in, data, sizeof(in));
	/* A heap block of exactly the memory's size: ASan sees any access past it. */
	m.size = MIN(size - sizeof(in), MAX_MEMORY);
	m.bytes = malloc(m.size ? m.size : 1);
	check(m.bytes);
	memcpy(m.bytes, data + sizeof(in), m.size);
	m.upper_half_read_only = in.access & ACCESS_UPPER_HALF_READ_ONLY;

	pg = (struct guest_paging){
		.cr0 = in.cr0,
		.cr3 = in.cr3,
		.cr4 = in.cr4,
		.efer = in.efer,
		.rflags = in.rflags,
		.map_gpa = map_gpa,
		.ctx = &m,
	};
	memcpy(pg.pdpte, in.pdpte, sizeof(pg.pdpte));
	user = in.access & BIT(2);
	access = kinds[in.access & 3] | (user ? GUEST_ACCESS_USER : 0);

	res = walk(&pg, &m, in.linear, access);
	check_monotonic(&pg, &m, in.linear, access, &res);
	check_fetch(&pg, &m, in.linear, user);
	free(m.bytes);
	return 0;
}
