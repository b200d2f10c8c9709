// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot2 information parser. The input comes from the boot loader and is
 * treated as untrusted bytes: every tag is bounds-checked against the total
 * size before it is read (tests/unit/test_multiboot2.c, tests/fuzz).
 */
#include <boot/boot_info.h>
#include <boot/multiboot2.h>
#include <hv/lib/string.h>

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 base;
	u64 length;
	u32 type;
	u32 reserved;
};

static u32 read_u32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Copies a string field that must be NUL-terminated within its tag. */
static int copy_tag_string(char *dst, size_t dst_len, const u8 *src, size_t src_len)
{
	size_t n = strnlen((const char *)src, src_len);

	if (n == src_len)
		return -1;
	strlcpy(dst, (const char *)src, dst_len);
	return 0;
}

static int parse_mmap(const u8 *tag, u32 size, struct boot_info *bi)
{
	u32 entry_size, off;

	if (size < 16)
		return -1;
	entry_size = read_u32(tag + 8);
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8)
		return -1;
	bi->nr_mem_ranges = 0;
	/* off <= size holds throughout: off + entry_size could wrap around. */
	for (off = 16; entry_size <= size - off; off += entry_size) {
		struct mb2_mmap_entry e;
		struct boot_mem_range *r;

		memcpy(&e, tag + off, sizeof(e));
		if (!e.length)
			continue;
		if (bi->nr_mem_ranges == BOOT_MAX_MEM_RANGES) {
			bi->mem_truncated = 1;
			break;
		}
		r = &bi->mem[bi->nr_mem_ranges++];
		r->base = e.base;
		r->length = e.length;
		/* Types the spec does not define are treated as reserved. */
		r->type = e.type >= BOOT_MEM_USABLE && e.type <= BOOT_MEM_BAD ? e.type :
										BOOT_MEM_RESERVED;
	}
	return 0;
}

static int parse_module(const u8 *tag, u32 size, struct boot_info *bi)
{
	struct boot_module *m;
	u32 start, end;

	if (size < 17)
		return -1;
	start = read_u32(tag + 8);
	end = read_u32(tag + 12);
	if (end < start)
		return -1;
	if (bi->nr_modules == BOOT_MAX_MODULES) {
		bi->modules_dropped++;
		return 0;
	}
	m = &bi->modules[bi->nr_modules];
	m->start = start;
	m->end = end;
	if (copy_tag_string(m->cmdline, sizeof(m->cmdline), tag + 16, size - 16))
		return -1;
	bi->nr_modules++;
	return 0;
}

static int parse_acpi(const u8 *tag, u32 size, struct boot_info *bi, bool v2)
{
	u32 len = size - 8;

	/* An ACPI 2.0 RSDP found earlier is not replaced by the 1.0 one. */
	if (bi->has_rsdp && !v2)
		return 0;
	if (len < 20)
		return -1;
	memset(bi->rsdp, 0, sizeof(bi->rsdp));
	memcpy(bi->rsdp, tag + 8, MIN(len, (u32)sizeof(bi->rsdp)));
	bi->has_rsdp = 1;
	return 0;
}

/*
 * Returns 0 on success, or a negative value when the structure is malformed;
 * @bi then holds whatever was parsed before the bad tag.
 */
int mb2_parse(const void *mbi, size_t len, struct boot_info *bi)
{
	const u8 *base = mbi;
	u32 total, off;
	bool saw_end = false;

	memset(bi, 0, sizeof(*bi));
	if (len < 8)
		return -1;
	total = read_u32(base);
	if (total < 8 || total > len)
		return -1;
	for (off = 8; off + 8 <= total; off = ALIGN_UP(off + read_u32(base + off + 4), 8)) {
		const u8 *tag = base + off;
		u32 type = read_u32(tag), size = read_u32(tag + 4);
		int err = 0;

		if (size < 8 || size > total - off)
			return -1;
		switch (type) {
		case MB2_TAG_END:
			saw_end = true;
			break;
		case MB2_TAG_CMDLINE:
			err = copy_tag_string(bi->cmdline, sizeof(bi->cmdline), tag + 8, size - 8);
			break;
		case MB2_TAG_BOOTLOADER_NAME:
			err = copy_tag_string(bi->loader, sizeof(bi->loader), tag + 8, size - 8);
			break;
		case MB2_TAG_MODULE:
			err = parse_module(tag, size, bi);
			break;
		case MB2_TAG_MMAP:
			err = parse_mmap(tag, size, bi);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			err = parse_acpi(tag, size, bi, type == MB2_TAG_ACPI_NEW);
			break;
		case MB2_TAG_EFI64:
			if (size < 16)
				return -1;
			memcpy(&bi->efi_system_table, tag + 8, sizeof(u64));
			bi->booted_by_uefi = 1;
			break;
		default:
			break;
		}
		if (err)
			return -1;
		if (saw_end)
			break;
	}
	if (!saw_end)
		return -1;
	if (!bi->nr_mem_ranges)
		return -2;
	return 0;
}
