// SPDX-License-Identifier: GPL-2.0
#include <hv/core/mb1_loader.h>
#include <hv/lib/string.h>
#include <hv/lib/unaligned.h>

/* Multiboot header flags (Multiboot 0.6.96, 3.1.2) */
#define MB1_FLAG_PAGE_ALIGN BIT(0)
#define MB1_FLAG_MEMORY_INFO BIT(1)
#define MB1_FLAG_VIDEO_MODE BIT(2)
#define MB1_FLAG_ADDRESS_FIELDS BIT(16)
/* Required-feature bits 15:0 hv satisfies; video mode is accepted and not provided (QEMU too). */
#define MB1_FLAGS_SUPPORTED (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMORY_INFO | MB1_FLAG_VIDEO_MODE)
#define MB1_FLAGS_REQUIRED_MASK 0xffffU

#define ELF_MAGIC "\177ELF"
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1

/* Offset of a valid Multiboot header, or -1. */
static long find_header(const u8 *img, size_t len)
{
	size_t off, limit = MIN(len, (size_t)MB1_SEARCH_LIMIT);

	for (off = 0; off + 12 <= limit; off += 4) {
		u32 magic = get32(img + off), flags = get32(img + off + 4);

		if (magic == MB1_HEADER_MAGIC && magic + flags + get32(img + off + 8) == 0)
			return (long)off;
	}
	return -1;
}

static int add_segment(struct mb1_image *im, u64 gpa, u64 offset, u64 filesz, u64 memsz,
		       const char **error)
{
	struct load_segment *s;

	if (!memsz)
		return 0;
	if (im->nr_segments == MB1_MAX_SEGMENTS) {
		*error = "more loadable segments than hv handles (16)";
		return -1;
	}
	if (filesz > memsz || gpa + memsz < gpa) {
		*error = "a segment's file size exceeds its memory size, or it wraps around";
		return -1;
	}
	s = &im->segments[im->nr_segments++];
	*s = (struct load_segment){ gpa, offset, filesz, memsz };
	im->end = MAX(im->end, gpa + memsz);
	return 0;
}

/* The "a.out kludge": load addresses come from the header itself. */
static int parse_address_fields(const u8 *img, size_t len, size_t hdr, struct mb1_image *im,
				const char **error)
{
	u32 header_addr, load_addr, load_end, bss_end;
	u64 offset, filesz;

	if (hdr + 32 > len) {
		*error = "the Multiboot header's address fields run past the image";
		return -1;
	}
	header_addr = get32(img + hdr + 12);
	load_addr = get32(img + hdr + 16);
	load_end = get32(img + hdr + 20);
	bss_end = get32(img + hdr + 24);
	im->entry = get32(img + hdr + 28);
	if (load_addr > header_addr || header_addr - load_addr > hdr) {
		*error = "header_addr/load_addr do not place the header inside the image";
		return -1;
	}
	offset = hdr - (header_addr - load_addr);
	filesz = load_end ? (u64)load_end - load_addr : len - offset;
	if (load_end && load_end < load_addr) {
		*error = "load_end_addr is below load_addr";
		return -1;
	}
	if (offset + filesz > len) {
		*error = "load_end_addr asks for more bytes than the image has";
		return -1;
	}
	if (bss_end && bss_end < load_addr + filesz) {
		*error = "bss_end_addr is below the end of the loaded data";
		return -1;
	}
	return add_segment(im, load_addr, offset, filesz,
			   bss_end ? (u64)bss_end - load_addr : filesz, error);
}

static int parse_elf(const u8 *img, size_t len, struct mb1_image *im, const char **error)
{
	bool is64;
	u64 phoff, entry;
	u16 phentsize, phnum, i;

	if (len < 52 || memcmp(img, ELF_MAGIC, 4)) {
		*error = "not an ELF file, and the Multiboot header has no address fields";
		return -1;
	}
	if (img[4] != ELFCLASS32 && img[4] != ELFCLASS64) {
		*error = "unknown ELF class";
		return -1;
	}
	is64 = img[4] == ELFCLASS64;
	if (img[5] != ELFDATA2LSB || get16(img + 16) != ET_EXEC ||
	    (get16(img + 18) != EM_386 && get16(img + 18) != EM_X86_64)) {
		*error = "not a little-endian x86 ELF executable";
		return -1;
	}
	if (is64 && len < 64) {
		*error = "truncated ELF64 header";
		return -1;
	}
	entry = is64 ? get64(img + 24) : get32(img + 24);
	phoff = is64 ? get64(img + 32) : get32(img + 28);
	phentsize = get16(img + (is64 ? 54 : 42));
	phnum = get16(img + (is64 ? 56 : 44));
	if (phentsize < (is64 ? 56 : 32) || phoff > len || (u64)phnum * phentsize > len - phoff) {
		*error = "ELF program headers lie outside the file";
		return -1;
	}
	if (entry > 0xffffffffULL) {
		*error = "the entry point is above 4 GiB: a Multiboot kernel starts in 32-bit mode";
		return -1;
	}
	im->entry = (u32)entry;
	for (i = 0; i < phnum; i++) {
		const u8 *ph = img + phoff + (u64)i * phentsize;
		u64 offset, paddr, filesz, memsz;

		if (get32(ph) != PT_LOAD)
			continue;
		offset = is64 ? get64(ph + 8) : get32(ph + 4);
		paddr = is64 ? get64(ph + 24) : get32(ph + 12);
		filesz = is64 ? get64(ph + 32) : get32(ph + 16);
		memsz = is64 ? get64(ph + 40) : get32(ph + 20);
		if (offset > len || filesz > len - offset) {
			*error = "an ELF segment lies outside the file";
			return -1;
		}
		if (add_segment(im, paddr, offset, filesz, memsz, error))
			return -1;
	}
	return 0;
}

bool mb1_has_header(const u8 *img, size_t len)
{
	return find_header(img, len) >= 0;
}

int mb1_parse(const u8 *img, size_t len, struct mb1_image *im, const char **error)
{
	long hdr = find_header(img, len);
	u32 flags;

	memset(im, 0, sizeof(*im));
	if (hdr < 0) {
		*error = "no Multiboot header (magic 0x1BADB002 with a valid checksum) in the "
			 "first 8 KiB";
		return -1;
	}
	flags = get32(img + hdr + 4);
	im->header_flags = flags;
	if (flags & MB1_FLAGS_REQUIRED_MASK & ~MB1_FLAGS_SUPPORTED) {
		*error = "the Multiboot header requires a feature hv does not provide";
		return -1;
	}
	if (flags & MB1_FLAG_ADDRESS_FIELDS ? parse_address_fields(img, len, hdr, im, error) :
					      parse_elf(img, len, im, error))
		return -1;
	return loader_check_entry(im->segments, im->nr_segments, im->entry,
				  "the entry point is outside every loaded segment", error);
}
