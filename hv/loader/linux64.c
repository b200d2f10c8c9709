// SPDX-License-Identifier: GPL-2.0
/*
 * bzImages for the 64-bit Linux boot protocol (Linux's
 * Documentation/arch/x86/boot.rst, "The Linux/x86 Boot Protocol"). hv
 * skips the real-mode setup code: it loads the protected-mode kernel (the
 * part after the setup sectors) at the kernel's preferred address and
 * enters it at offset 0x200 in 64-bit mode, which needs protocol 2.12
 * (xloadflags) and XLF_KERNEL_64. The kernel decompresses itself.
 */
#include <hv/loader/image.h>
#include <hv/lib/string.h>
#include <hv/lib/unaligned.h>

/* Setup header offsets in the image (and in boot_params, which embeds it). */
#define HDR_SETUP_SECTS 0x1f1
#define HDR_SYSSIZE 0x1f4
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP 0x200 /* a short jump: its second byte is the header's length past 0x202 */
#define HDR_VERSION 0x206
#define HDR_LOADFLAGS 0x211
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_END_MAX 0x290 /* where boot_params' copy of the header ends */

#define BOOT_FLAG_MAGIC 0xaa55U
#define SECTOR 512U
#define DEFAULT_SETUP_SECTS 4U /* a 0 in setup_sects means 4 */
#define PROTOCOL_2_12 0x020cU
#define LOADFLAGS_LOADED_HIGH BIT(0)
#define XLF_KERNEL_64 BIT(0)

bool linux64_is_bzimage(const u8 *img, size_t len)
{
	return len >= LINUX_HDRS_OFFSET + 4 && get32(img + LINUX_HDRS_OFFSET) == LINUX_HDRS_MAGIC;
}

int linux64_parse(const u8 *img, size_t len, struct linux64_image *li, const char **error)
{
	u64 setup_len, syssize_bytes;
	u32 align, header_end;

	memset(li, 0, sizeof(*li));
	if (!linux64_is_bzimage(img, len) || len < HDR_INIT_SIZE + 4) {
		*error = "truncated bzImage: the file ends inside its setup header";
		return -1;
	}
	if (get16(img + HDR_BOOT_FLAG) != BOOT_FLAG_MAGIC) {
		*error = "corrupt bzImage: no boot flag 0xAA55 in its setup header";
		return -1;
	}
	li->version = get16(img + HDR_VERSION);
	if (li->version < PROTOCOL_2_12 || !(get16(img + HDR_XLOADFLAGS) & XLF_KERNEL_64)) {
		*error = "the bzImage has no 64-bit entry (boot protocol 2.12 with XLF_KERNEL_64), "
			 "the only one hv uses";
		return -1;
	}
	if (!(img[HDR_LOADFLAGS] & LOADFLAGS_LOADED_HIGH)) {
		*error = "the bzImage is a zImage (loaded low), which hv does not start";
		return -1;
	}
	setup_len = ((u64)(img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : DEFAULT_SETUP_SECTS) + 1) *
		    SECTOR;
	syssize_bytes = (u64)get32(img + HDR_SYSSIZE) * 16;
	if (setup_len >= len || syssize_bytes > len - setup_len || !syssize_bytes) {
		*error = "truncated bzImage: shorter than its setup header says (setup_sects, "
			 "syssize)";
		return -1;
	}
	header_end = LINUX_HDRS_OFFSET + img[HDR_JUMP + 1];
	li->setup_header_len = MIN(header_end, HDR_END_MAX) - LINUX_SETUP_HEADER;
	li->kernel = img + setup_len;
	li->kernel_len = len - setup_len;
	li->load_addr = get64(img + HDR_PREF_ADDRESS);
	li->init_size = get32(img + HDR_INIT_SIZE);
	li->initrd_addr_max = get32(img + HDR_INITRD_ADDR_MAX);
	li->cmdline_size = get32(img + HDR_CMDLINE_SIZE);
	align = get32(img + HDR_KERNEL_ALIGNMENT);
	if (img[HDR_RELOCATABLE] && (!align || (align & (align - 1)) || li->load_addr % align)) {
		*error = "corrupt bzImage: its preferred address is not aligned to its "
			 "kernel_alignment";
		return -1;
	}
	if (li->init_size < li->kernel_len || li->load_addr + li->init_size < li->load_addr ||
	    li->load_addr + li->init_size > 0xffffffffULL) {
		*error = "corrupt bzImage: init_size is smaller than the kernel, or the kernel "
			 "does not fit below 4 GiB";
		return -1;
	}
	return 0;
}
