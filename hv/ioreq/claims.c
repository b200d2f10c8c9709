// SPDX-License-Identifier: GPL-2.0
/*
 * The service partition's claims: which port and MMIO ranges it emulates,
 * and whether it took the ioreq-server page type. The rules for the page
 * type follow Xen's p2m_ioreq_server: one claimant at a time, and pages
 * change only between plain RAM and that type, so no other type is ever
 * lost or forged through it.
 */
#include <hv/ioreq/claims.h>
#include <public/hypercall.h>
#include <public/ioreq.h>

#define IOREQ_MMIO_ALIGN (4 * KiB)

static bool overlaps(const struct ioreq_range *r, u64 start, u64 end)
{
	return start < r->end && r->start < end;
}

int ioreq_claim_range(struct ioreq_claims *c, u32 kind, u64 start, u64 size, u32 flags,
		      u64 mmio_start, u64 mmio_end)
{
	struct ioreq_range *table;
	u32 *nr, i;

	if (flags & ~HV_IOREQ_CLAIM_BUFFERED)
		return -HV_EINVAL;
	if (size == 0)
		return -HV_EINVAL;
	if (kind == HV_IOREQ_PIO) {
		/* Written so that neither side can wrap. */
		if (start >= IOREQ_PORTS || size > IOREQ_PORTS - (u64)start)
			return -HV_EINVAL;
		table = c->pio;
		nr = &c->nr_pio;
	} else if (kind == HV_IOREQ_MMIO) {
		/* EPT marks whole pages as MMIO: a claim must not cut one. */
		if (!IS_ALIGNED(start, IOREQ_MMIO_ALIGN) || !IS_ALIGNED(size, IOREQ_MMIO_ALIGN))
			return -HV_EINVAL;
		if (start < mmio_start || start >= mmio_end || size > mmio_end - start)
			return -HV_EINVAL;
		table = c->mmio;
		nr = &c->nr_mmio;
	} else {
		return -HV_EINVAL;
	}

	for (i = 0; i < *nr; i++) {
		if (overlaps(&table[i], start, start + size))
			return -HV_EBUSY;
	}
	if (*nr == IOREQ_MAX_RANGES)
		return -HV_EBUSY;

	table[*nr] = (struct ioreq_range){ .start = start, .end = start + size, .flags = flags };
	/* The range before the ports that name it: readers take no lock. */
	if (kind == HV_IOREQ_PIO)
		for (i = 0; i < size; i++)
			__atomic_store_n(&c->pio_claim[start + i], (u8)(*nr + 1), __ATOMIC_RELEASE);
	(*nr)++;
	return 0;
}

const struct ioreq_range *ioreq_find_range(const struct ioreq_claims *c, u32 kind, u64 addr,
					   u64 len)
{
	const struct ioreq_range *table;
	u32 nr, i;

	if (kind == HV_IOREQ_PIO) {
		u8 claim = addr < IOREQ_PORTS ?
				   __atomic_load_n(&c->pio_claim[addr], __ATOMIC_ACQUIRE) :
				   0;

		if (!claim)
			return NULL;
		/* addr + len may wrap; end - addr cannot, addr being in the range. */
		return len <= c->pio[claim - 1].end - addr ? &c->pio[claim - 1] : NULL;
	}
	if (kind == HV_IOREQ_MMIO) {
		table = c->mmio;
		nr = c->nr_mmio;
	} else {
		return NULL;
	}

	for (i = 0; i < nr; i++) {
		const struct ioreq_range *r = &table[i];

		/* addr + len may wrap; end - addr cannot once addr < end. */
		if (addr >= r->start && addr < r->end && len <= r->end - addr)
			return r;
	}
	return NULL;
}

int ioreq_claim_page_type(struct ioreq_claims *c, u32 flags)
{
	if (flags & ~HV_IOREQ_FORWARD_WRITES)
		return -HV_EINVAL;
	if (!flags) {
		if (!c->page_type_flags)
			return -HV_EINVAL;
		/* The caller turns every page of the type back into RAM. */
		c->page_type_flags = 0;
		return 0;
	}
	if (c->page_type_flags)
		return -HV_EBUSY;
	c->page_type_flags = flags;
	return 0;
}

static bool ram_or_server_page(enum ept_page_type type)
{
	return type == EPT_TYPE_RAM_RW || type == EPT_TYPE_IOREQ;
}

int ioreq_page_type_change(const struct ioreq_claims *c, enum ept_page_type from,
			   enum ept_page_type to)
{
	/* Without a claimant a forwarded write would have nowhere to go. */
	if (!c->page_type_flags)
		return -HV_EPERM;
	if (!ram_or_server_page(from) || !ram_or_server_page(to))
		return -HV_EINVAL;
	return 0;
}
