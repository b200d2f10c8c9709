/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the service partition claimed: port and MMIO ranges, and the
 * ioreq-server page type (include/public/hypercall.h), as pure logic.
 */
#ifndef HV_IOREQ_CLAIMS_H
#define HV_IOREQ_CLAIMS_H

#include <hv/ept/ept.h>
#include <types.h>

#define IOREQ_MAX_RANGES 16U

struct ioreq_range {
	u64 start;
	u64 end; /* exclusive */
	u32 flags; /* HV_IOREQ_CLAIM_* */
};

#define IOREQ_PORTS 0x10000U

struct ioreq_claims {
	struct ioreq_range pio[IOREQ_MAX_RANGES];
	struct ioreq_range mmio[IOREQ_MAX_RANGES];
	u32 nr_pio, nr_mmio;
	u32 page_type_flags; /* HV_IOREQ_FORWARD_WRITES while the page type is claimed, else 0 */
	/* Per port: 1 + the index in pio[] of the claim holding it, 0 if none (one load per exit). */
	u8 pio_claim[IOREQ_PORTS];
};

/*
 * Claims [start, start + size) of ports (kind HV_IOREQ_PIO, within 0..0xffff)
 * or guest-physical MMIO (HV_IOREQ_MMIO, 4 KiB aligned, inside
 * [@mmio_start, @mmio_end)). Returns 0, -HV_EBUSY if it overlaps a claimed
 * range or the table is full, -HV_EINVAL for a bad kind, range or flags.
 */
int ioreq_claim_range(struct ioreq_claims *c, u32 kind, u64 start, u64 size, u32 flags,
		      u64 mmio_start, u64 mmio_end);

/* The claimed range holding all of [addr, addr + len), or NULL. */
const struct ioreq_range *ioreq_find_range(const struct ioreq_claims *c, u32 kind, u64 addr,
					   u64 len);

/*
 * Claims (@flags = HV_IOREQ_FORWARD_WRITES) or disclaims (@flags = 0) the
 * ioreq-server page type. Returns 0, -HV_EBUSY (claimed already) or
 * -HV_EINVAL (unknown flags, disclaim without a claim).
 */
int ioreq_claim_page_type(struct ioreq_claims *c, u32 flags);

/*
 * Whether a page of type @from may become @to through HV_HC_IOREQ_SET_PAGE_TYPE:
 * only RAM <-> ioreq-server, and only while the type is claimed.
 * Returns 0, -HV_EPERM (not claimed) or -HV_EINVAL.
 */
int ioreq_page_type_change(const struct ioreq_claims *c, enum ept_page_type from,
			   enum ept_page_type to);

#endif /* HV_IOREQ_CLAIMS_H */
