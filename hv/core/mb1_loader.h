/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest images: Multiboot (version 1) kernels, loaded the way QEMU's -kernel
 * does (Multiboot 0.6.96): ELF32 or ELF64 program headers by physical
 * address, or the header's address fields ("a.out kludge"). The image bytes
 * come from a boot module and are untrusted: mb1_parse() checks every offset.
 */
#ifndef HV_CORE_MB1_LOADER_H
#define HV_CORE_MB1_LOADER_H

#include <hv/loader/loader.h>
#include <types.h>

#define MB1_HEADER_MAGIC 0x1badb002U
#define MB1_BOOTLOADER_MAGIC 0x2badb002U
#define MB1_SEARCH_LIMIT 8192U
#define MB1_MAX_SEGMENTS 16U

struct mb1_image {
	u32 entry; /* 32-bit physical entry point */
	u32 header_flags;
	u32 nr_segments;
	struct load_segment segments[MB1_MAX_SEGMENTS];
	u64 end; /* one past the highest byte loaded */
};

/* Whether a valid Multiboot header is in the first 8 KiB. */
bool mb1_has_header(const u8 *image, size_t len);

/* Returns 0, or -1 with *error saying what is wrong with the image. */
int mb1_parse(const u8 *image, size_t len, struct mb1_image *out, const char **error);

#endif /* HV_CORE_MB1_LOADER_H */
