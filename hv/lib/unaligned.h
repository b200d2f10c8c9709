/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fields at any alignment in the images and tables hv parses (ELF, the
 * Linux boot protocol, ACPI): little-endian, the CPU's own order.
 */
#ifndef HV_LIB_UNALIGNED_H
#define HV_LIB_UNALIGNED_H

#include <hv/lib/string.h>
#include <types.h>

static inline u16 get16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u64 get64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif /* HV_LIB_UNALIGNED_H */
