// SPDX-License-Identifier: GPL-2.0
/*
 * MSR bitmaps (SDM Vol. 3C 25.6.9): four 1 KiB bitmaps, for reads of MSRs
 * 0-1FFFH, reads of C0000000H-C0001FFFH, then writes of the same two
 * ranges. A set bit makes the access exit; MSRs outside the ranges always do.
 */
#include <hv/vmx/vmx.h>

#define MSR_BITMAP_READ_LOW 0
#define MSR_BITMAP_READ_HIGH 1024
#define MSR_BITMAP_WRITE_LOW 2048
#define MSR_BITMAP_WRITE_HIGH 3072
#define MSR_HIGH_BASE 0xc0000000U
#define MSR_RANGE_SIZE 0x2000U

/* Sets (@exit) or clears the bits of @msr for the accesses asked for. */
static void set_bits(u8 *bitmap, u32 msr, bool read, bool write, bool exit)
{
	u32 base = msr >= MSR_HIGH_BASE ? MSR_HIGH_BASE : 0;
	u32 bit = msr - base;
	u8 mask = (u8)(1U << bit % 8);
	u8 *r = &bitmap[(base ? MSR_BITMAP_READ_HIGH : MSR_BITMAP_READ_LOW) + bit / 8];
	u8 *w = &bitmap[(base ? MSR_BITMAP_WRITE_HIGH : MSR_BITMAP_WRITE_LOW) + bit / 8];

	if (bit >= MSR_RANGE_SIZE)
		return; /* outside both ranges: it exits whatever the bitmap says */
	if (read)
		*r = exit ? *r | mask : *r & ~mask;
	if (write)
		*w = exit ? *w | mask : *w & ~mask;
}

void vmx_msr_bitmap_allow(u8 *bitmap, u32 msr, bool read, bool write)
{
	set_bits(bitmap, msr, read, write, false);
}

void vmx_msr_bitmap_intercept(u8 *bitmap, u32 msr, bool read, bool write)
{
	set_bits(bitmap, msr, read, write, true);
}
