// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory accessed on the guest's behalf (see guest_mem.h).
 *
 * A type checked here may change right after the check (a type change on
 * another CPU). That change waits for this CPU to pass a quiescent point,
 * a VM entry, before it returns (ept_set_type()): the access lands before
 * the change, as the guest's own access would have.
 */
#include <hv/ioreq/guest_mem.h>
#include <x86/hw.h>

void *guest_mem_map(void *ctx, u64 gpa, u32 len, bool write)
{
	struct guest_mem *gm = ctx;
	const struct mem_slot *s = gm->slot;

	if (!s || gpa - s->gpa >= s->size) {
		s = ept_find_slot(gm->ept, gpa);
		if (!s || !s->hpa)
			return NULL;
		gm->slot = s;
	}
	if (len > s->size - (gpa - s->gpa))
		return NULL;
	/* The CPU's flag updates are writes (SDM Vol. 3A 4.8): only to writable RAM. */
	if (write && ept_page_type(gm->ept, gpa) != EPT_TYPE_RAM_RW)
		return NULL;
	return phys_to_virt(s->hpa + (gpa - s->gpa));
}

static enum guest_mem_status result(struct guest_mem_result *res, enum guest_mem_status status)
{
	res->status = status;
	return status;
}

/* What the page types let the guest do with a page (SDM Vol. 3C 29.3.3.2, by hv's EPT). */
static enum guest_mem_status page_allows(enum ept_page_type type, bool write)
{
	switch (type) {
	case EPT_TYPE_RAM_RW:
		return GUEST_MEM_OK;
	case EPT_TYPE_RAM_RO:
		return write ? GUEST_MEM_DENIED : GUEST_MEM_OK;
	case EPT_TYPE_IOREQ:
		return write ? GUEST_MEM_DEVICE : GUEST_MEM_OK;
	case EPT_TYPE_MMIO:
		return GUEST_MEM_DEVICE;
	default:
		return GUEST_MEM_DENIED;
	}
}

enum guest_mem_status guest_mem_check_gpa(const struct ept *ept, u64 gpa, u64 len, u32 access,
					  struct guest_mem_result *res)
{
	bool write = access & GUEST_ACCESS_WRITE;
	u64 page = ALIGN_DOWN(gpa, GUEST_PAGE_SIZE), last = gpa + len - 1;

	*res = (struct guest_mem_result){ .status = GUEST_MEM_OK };
	if (!len)
		return GUEST_MEM_OK;
	/* A range that wraps past 2^64 ends in no memory. */
	if (last < gpa) {
		res->gpa = 0;
		res->type = EPT_TYPE_NONE;
		return result(res, GUEST_MEM_DENIED);
	}
	for (;;) {
		enum ept_page_type type = ept_page_type(ept, page);
		enum guest_mem_status status = page_allows(type, write);

		if (status != GUEST_MEM_OK) {
			res->gpa = MAX(page, gpa);
			res->type = type;
			return result(res, status);
		}
		if (last - page < GUEST_PAGE_SIZE)
			return GUEST_MEM_OK;
		page += GUEST_PAGE_SIZE;
	}
}

static enum guest_mem_status walk_failed(const struct guest_walk_result *w,
					 struct guest_mem_result *res)
{
	switch (w->status) {
	case GUEST_WALK_PAGE_FAULT:
		res->linear = w->linear;
		res->pf_error = w->pf_error;
		return result(res, GUEST_MEM_FAULT);
	case GUEST_WALK_NOT_CANONICAL:
		res->linear = w->linear;
		res->non_canonical = true;
		return result(res, GUEST_MEM_FAULT);
	case GUEST_WALK_RETRY:
		return result(res, GUEST_MEM_RETRY);
	default:
		res->gpa = w->gpa;
		return result(res, GUEST_MEM_PAGING);
	}
}

enum guest_mem_status guest_mem_translate(const struct guest_mem *gm, u64 linear, u32 len,
					  u32 access, struct guest_mem_span *span,
					  struct guest_mem_result *res)
{
	u32 done = 0;

	span->nr = 0;
	*res = (struct guest_mem_result){ .status = GUEST_MEM_OK };
	/* At most two pages: up to the page boundary, then the rest. */
	while (done < len) {
		struct guest_walk_result w;
		u32 chunk;

		if (guest_walk(&gm->pg, linear, access | gm->user, &w) != GUEST_WALK_OK)
			return walk_failed(&w, res);
		/* w.linear: the address wrapped to 32 bits outside IA-32e mode */
		chunk = MIN(len - done, GUEST_PAGE_SIZE - (u32)(w.linear % GUEST_PAGE_SIZE));
		if (guest_mem_check_gpa(gm->ept, w.gpa, chunk, access, res) != GUEST_MEM_OK)
			return res->status;
		span->gpa[span->nr] = w.gpa;
		span->len[span->nr++] = chunk;
		done += chunk;
		linear = w.linear + chunk;
	}
	return GUEST_MEM_OK;
}

static enum guest_mem_status check_span(const struct ept *ept, const struct guest_mem_span *span,
					u32 access, struct guest_mem_result *res)
{
	u32 i;

	for (i = 0; i < span->nr; i++)
		if (guest_mem_check_gpa(ept, span->gpa[i], span->len[i], access, res))
			return res->status;
	return GUEST_MEM_OK;
}

enum guest_mem_status guest_mem_read_span(const struct ept *ept, const struct guest_mem_span *span,
					  void *buf, struct guest_mem_result *res)
{
	u8 *to = buf;
	u32 i;

	if (check_span(ept, span, GUEST_ACCESS_READ, res))
		return res->status;
	for (i = 0; i < span->nr; i++) {
		ept_read_guest(ept, span->gpa[i], to, span->len[i]);
		to += span->len[i];
	}
	return GUEST_MEM_OK;
}

enum guest_mem_status guest_mem_write_span(const struct ept *ept, const struct guest_mem_span *span,
					   const void *buf, struct guest_mem_result *res)
{
	const u8 *from = buf;
	u32 i;

	if (check_span(ept, span, GUEST_ACCESS_WRITE, res))
		return res->status;
	for (i = 0; i < span->nr; i++) {
		ept_write_guest(ept, span->gpa[i], from, span->len[i]);
		from += span->len[i];
	}
	return GUEST_MEM_OK;
}

int guest_mem_write_gpa(const struct ept *ept, u64 gpa, const void *src, u64 len)
{
	struct guest_mem_result res;

	if (guest_mem_check_gpa(ept, gpa, len, GUEST_ACCESS_WRITE, &res))
		return -1;
	return ept_write_guest(ept, gpa, src, len);
}
