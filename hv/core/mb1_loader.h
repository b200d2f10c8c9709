/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest images: Multiboot (version 1) kernels, loaded the way QEMU's -kernel
 * does (Multiboot 0.6.96): ELF32 or ELF64 program headers by physical
 * address, or the header's address fields ("a.out kludge"). The image bytes
 * come from a boot module and are untrusted: mb1_parse() checks every offset.
 */
#ifndef HV_CORE_MB1_LOADER_H
#define HV_CORE_MB1_LOADER_H

#include <types.h>

#define MB1_HEADER_MAGIC 0x1badb002U
#define MB1_BOOTLOADER_MAGIC 0x2badb002U
#define MB1_SEARCH_LIMIT 8192U
#define MB1_MAX_SEGMENTS 16U

/* Where hv puts the Multiboot information in guest-physical memory. */
#define GUEST_BOOT_INFO_GPA 0x8000ULL
#define GUEST_BOOT_INFO_SIZE 0x8000ULL
#define GUEST_LOW_RAM_END 0x9fc00ULL /* conventional memory, as a PC reports it */
#define GUEST_HIGH_RAM_START 0x100000ULL

struct mb1_segment {
	u64 gpa; /* where it goes in guest-physical memory */
	u64 offset; /* where it starts in the image */
	u64 filesz; /* bytes copied from the image */
	u64 memsz; /* bytes in memory; the rest is zeroed */
};

struct mb1_image {
	u32 entry; /* 32-bit physical entry point */
	u32 header_flags;
	u32 nr_segments;
	struct mb1_segment segments[MB1_MAX_SEGMENTS];
	u64 end; /* one past the highest byte loaded */
};

/* Returns 0, or -1 with *error saying what is wrong with the image. */
int mb1_parse(const u8 *image, size_t len, struct mb1_image *out, const char **error);

/* Checks that every segment fits in [0, ram_size) outside hv's boot-info area. */
int mb1_check_fit(const struct mb1_image *im, u64 ram_size, const char **error);

#endif /* HV_CORE_MB1_LOADER_H */
