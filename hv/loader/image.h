/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parsers of the two Linux image formats (hv/loader/loader.h says how
 * an image is recognised). Like mb1_parse(), each checks every offset of
 * the untrusted image and says in one line what is wrong.
 */
#ifndef HV_LOADER_IMAGE_H
#define HV_LOADER_IMAGE_H

#include <hv/loader/loader.h>

#define PVH_MAX_SEGMENTS 16U
#define XEN_ELFNOTE_PHYS32_ENTRY 18U /* Xen's public/elfnote.h */

/* An ELF kernel with a PVH entry: its loadable segments by physical address. */
struct pvh_image {
	u32 entry; /* the PHYS32_ENTRY note: a 32-bit physical address */
	u32 nr_segments;
	struct load_segment segments[PVH_MAX_SEGMENTS];
	u64 end; /* one past the highest byte loaded */
};

/* Whether @img is an ELF file (then only PVH can start it). */
bool pvh_is_elf(const u8 *img, size_t len);
int pvh_parse(const u8 *img, size_t len, struct pvh_image *out, const char **error);

/* The Linux setup header (Documentation/arch/x86/boot.rst), at 0x1f1 of a bzImage. */
#define LINUX_SETUP_HEADER 0x1f1U
#define LINUX_HDRS_OFFSET 0x202U
#define LINUX_HDRS_MAGIC 0x53726448U /* "HdrS" */

/* A bzImage the 64-bit boot protocol can start. */
struct linux64_image {
	const u8 *kernel; /* the protected-mode kernel, after the setup sectors */
	u64 kernel_len;
	u64 load_addr; /* where it goes: the kernel's preferred address */
	u64 init_size; /* memory it needs from load_addr before it looks at the map */
	u64 initrd_addr_max; /* the highest address an initrd byte may have */
	u32 cmdline_size; /* the longest command line, without its NUL */
	u32 setup_header_len; /* bytes of the setup header from 0x1f1 */
	u16 version;
};

/* Whether @img starts with a Linux setup header (the bzImage's "HdrS"). */
bool linux64_is_bzimage(const u8 *img, size_t len);
int linux64_parse(const u8 *img, size_t len, struct linux64_image *out, const char **error);

#endif /* HV_LOADER_IMAGE_H */
