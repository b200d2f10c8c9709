/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory accesses hv makes on a guest's behalf: the memory operands
 * of string I/O, the instruction fetch behind an MMIO exit, the stores to
 * write-forwarded pages, the results hypercalls write. One way for all:
 *  - a linear address is translated by the guest's own paging structures
 *    with the rights of the access (a user access at CPL 3; SMEP, SMAP and
 *    CR0.WP apply), setting their accessed and dirty flags as the CPU does
 *    (guest_walk.h); a fault there is the guest's #PF (or #GP for a
 *    non-canonical address), handed back for the caller to inject;
 *  - every page the access touches must have a type that allows it, as
 *    EPT would check the guest's own access: reads need RAM of any kind,
 *    writes writable RAM. A device page (MMIO, or an ioreq-server page for
 *    a write) is reported apart: the access is a device's to emulate.
 *
 * Pure logic over hv/ept's slots and types: builds into hv and the host
 * tests.
 */
#ifndef HV_IOREQ_GUEST_MEM_H
#define HV_IOREQ_GUEST_MEM_H

#include <hv/ept/ept.h>
#include <hv/ioreq/guest_walk.h>
#include <types.h>

#define GUEST_PAGE_SIZE 4096U

/* A guest's view of memory for the accesses of one instruction. */
struct guest_mem {
	/** The paging registers (the caller fills them), callbacks through @ept. */
	struct guest_paging pg;
	const struct ept *ept;
	/** GUEST_ACCESS_USER when the access is made at CPL 3, else 0. */
	u32 user;
	/** The slot the last map found: a walk's entries and code are mostly in one. */
	const struct mem_slot *slot;
};

enum guest_mem_status {
	GUEST_MEM_OK,
	/** The guest gets #PF (CR2 = @linear, @pf_error), or #GP(0) with @non_canonical. */
	GUEST_MEM_FAULT,
	/** The guest's paging entries kept changing under the walk: run the instruction again. */
	GUEST_MEM_RETRY,
	/** A paging structure at @gpa is not in RAM hv may read, or write for its flags. */
	GUEST_MEM_PAGING,
	/** The page at @gpa forbids the access by its @type: no memory, or a write to read-only RAM. */
	GUEST_MEM_DENIED,
	/** The page at @gpa is a device's (@type): MMIO, or an ioreq-server page for a write. */
	GUEST_MEM_DEVICE,
};

struct guest_mem_result {
	enum guest_mem_status status;
	/** FAULT: the linear address that faulted. */
	u64 linear;
	/** FAULT by #PF: the error code, PF_ERROR_* bits. */
	u32 pf_error;
	/** FAULT: a non-canonical address, #GP(0) (#SS(0) for a stack access), not #PF. */
	bool non_canonical;
	/** PAGING, DENIED, DEVICE: the guest-physical address concerned. */
	u64 gpa;
	/** DENIED, DEVICE: the type of the page at @gpa. */
	enum ept_page_type type;
};

/* Where an access of at most a page lies: one piece, or two when it crosses a page boundary. */
struct guest_mem_span {
	u32 nr;
	u64 gpa[2];
	u32 len[2];
};

/* guest_paging.map_gpa over the EPT's slots of the struct guest_mem @ctx: RAM; to write, writable RAM. */
void *guest_mem_map(void *ctx, u64 gpa, u32 len, bool write);

/* Points @gm's paging callback at @ept's memory; @user: the accesses are made at CPL 3. */
static inline void guest_mem_bind(struct guest_mem *gm, const struct ept *ept, bool user)
{
	gm->pg.map_gpa = guest_mem_map;
	gm->pg.ctx = gm;
	gm->ept = ept;
	gm->user = user ? GUEST_ACCESS_USER : 0;
	gm->slot = NULL;
}

/*
 * Translates the @len bytes (1..GUEST_PAGE_SIZE) at @linear for @access
 * (GUEST_ACCESS_READ or GUEST_ACCESS_WRITE; gm->user is added) page by
 * page, each walk followed by its page's type check, in the order the CPU
 * makes them. Returns res->status; with GUEST_MEM_OK, *@span holds the
 * pieces. Outside IA-32e mode the address wraps at 4 GiB.
 */
enum guest_mem_status guest_mem_translate(const struct guest_mem *gm, u64 linear, u32 len,
					  u32 access, struct guest_mem_span *span,
					  struct guest_mem_result *res);

/* Reads @span (translated for a read) into @buf; the types are checked again. */
enum guest_mem_status guest_mem_read_span(const struct ept *ept, const struct guest_mem_span *span,
					  void *buf, struct guest_mem_result *res);

/*
 * Writes @buf to @span (translated for a write). The types are checked
 * again, as they may have changed since the translation: nothing is
 * written unless every piece is writable RAM.
 */
enum guest_mem_status guest_mem_write_span(const struct ept *ept, const struct guest_mem_span *span,
					   const void *buf, struct guest_mem_result *res);

/*
 * Checks that the guest may make @access (GUEST_ACCESS_READ or _WRITE) to
 * every page of guest-physical [@gpa, @gpa + @len) by their types; returns
 * res->status (GUEST_MEM_OK, _DENIED or _DEVICE).
 */
enum guest_mem_status guest_mem_check_gpa(const struct ept *ept, u64 gpa, u64 len, u32 access,
					  struct guest_mem_result *res);

/*
 * A hypercall's result: @len bytes to guest-physical @gpa. Returns 0, or
 * -1 with nothing written unless all of it is writable RAM.
 */
int guest_mem_write_gpa(const struct ept *ept, u64 gpa, const void *src, u64 len);

#endif /* HV_IOREQ_GUEST_MEM_H */
