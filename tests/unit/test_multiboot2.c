// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot2 information parsing (Multiboot2 specification 1.0, section 3.6).
 * Each test builds an information structure tag by tag, then hands mb2_parse()
 * an exact-size heap copy so that any read past the end is an ASan error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <boot/boot_info.h>
#include <boot/multiboot2.h>

#define MBI_MAX (16 * 1024)
#define MMAP_ENTRY_SIZE 24U
#define RSDP_V1_LEN 20U

struct mbi {
	u8 buf[MBI_MAX] __aligned(8);
	u32 len;
};

struct mmap_entry {
	u64 base;
	u64 length;
	u32 type;
	u32 reserved;
};

static struct mbi m;
static struct boot_info bi;

static void put32(u32 off, u32 v)
{
	memcpy(m.buf + off, &v, 4);
}

static void mbi_begin(void)
{
	memset(&m, 0, sizeof(m));
	m.len = 8;
}

/* Appends a tag of @size bytes (header included); returns its offset. */
static u32 mbi_tag(u32 type, u32 size, const void *payload, u32 payload_len)
{
	u32 off = m.len;

	assert_true(off + 8 + payload_len <= MBI_MAX);
	put32(off, type);
	put32(off + 4, size);
	if (payload_len)
		memcpy(m.buf + off + 8, payload, payload_len);
	m.len = ALIGN_UP(off + 8 + payload_len, 8);
	return off;
}

/* A tag whose size covers exactly its payload. */
static u32 mbi_add(u32 type, const void *payload, u32 payload_len)
{
	return mbi_tag(type, 8 + payload_len, payload, payload_len);
}

static void mbi_string(u32 type, const char *s)
{
	mbi_add(type, s, strlen(s) + 1);
}

static void mbi_module(u32 start, u32 end, const char *cmdline)
{
	u8 payload[256];
	u32 n = strlen(cmdline) + 1;

	memcpy(payload, &start, 4);
	memcpy(payload + 4, &end, 4);
	memcpy(payload + 8, cmdline, n);
	mbi_add(MB2_TAG_MODULE, payload, 8 + n);
}

/*
 * A memory map tag with @entry_size bytes per entry (extra bytes zero), then
 * @trailing bytes of 0x11 that do not make up a whole entry.
 */
static void mbi_mmap_raw(const struct mmap_entry *e, u32 n, u32 entry_size, u32 trailing)
{
	static u8 payload[MBI_MAX];
	u32 i, version = 0;

	memset(payload, 0, sizeof(payload));
	memcpy(payload, &entry_size, 4);
	memcpy(payload + 4, &version, 4);
	for (i = 0; i < n; i++)
		memcpy(payload + 8 + i * entry_size, &e[i], MIN(entry_size, MMAP_ENTRY_SIZE));
	memset(payload + 8 + n * entry_size, 0x11, trailing);
	mbi_add(MB2_TAG_MMAP, payload, 8 + n * entry_size + trailing);
}

static void mbi_mmap_sized(const struct mmap_entry *e, u32 n, u32 entry_size)
{
	mbi_mmap_raw(e, n, entry_size, 0);
}

static void mbi_mmap(const struct mmap_entry *e, u32 n)
{
	mbi_mmap_sized(e, n, MMAP_ENTRY_SIZE);
}

static const struct mmap_entry qemu_e820[] = {
	{ 0x0, 0x9fc00, BOOT_MEM_USABLE, 0 },	      { 0x9fc00, 0x400, BOOT_MEM_RESERVED, 0 },
	{ 0xf0000, 0x10000, BOOT_MEM_RESERVED, 0 },   { 0x100000, 0x7ee0000, BOOT_MEM_USABLE, 0 },
	{ 0x7fe0000, 0x20000, BOOT_MEM_RESERVED, 0 }, { 0xfffc0000, 0x40000, BOOT_MEM_RESERVED, 0 },
};

static void mbi_default_mmap(void)
{
	mbi_mmap(qemu_e820, ARRAY_SIZE(qemu_e820));
}

/* An RSDP whose revision byte tells the two apart; contents are not checked here. */
static void mbi_rsdp(u32 type, u8 revision, u32 len)
{
	u8 rsdp[ACPI_RSDP_V2_LEN] = "RSD PTR ";

	rsdp[15] = revision;
	mbi_add(type, rsdp, len);
}

static void mbi_end(void)
{
	mbi_add(MB2_TAG_END, NULL, 0);
	put32(0, m.len);
}

/* Parses the first @len bytes from an exact-size heap copy, at @misalign. */
static int parse_len_at(u32 len, u32 misalign)
{
	u8 *copy = malloc(len + misalign);
	int ret;

	assert_non_null(copy);
	memcpy(copy + misalign, m.buf, len);
	ret = mb2_parse(copy + misalign, len, &bi);
	free(copy);
	return ret;
}

static int parse(void)
{
	return parse_len_at(m.len, 0);
}

static void grub_like_information_is_parsed(void **state)
{
	mbi_begin();
	mbi_string(MB2_TAG_CMDLINE, "console=com1 loglevel=7");
	mbi_string(MB2_TAG_BOOTLOADER_NAME, "GRUB 2.06-13+deb12u1");
	mbi_module(0x200000, 0x201000, "guest.bin root=/dev/sda");
	mbi_module(0x300000, 0x300000, "");
	mbi_default_mmap();
	mbi_rsdp(MB2_TAG_ACPI_OLD, 0, RSDP_V1_LEN);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "console=com1 loglevel=7");
	assert_string_equal(bi.loader, "GRUB 2.06-13+deb12u1");
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x201000);
	assert_string_equal(bi.modules[0].cmdline, "guest.bin root=/dev/sda");
	assert_int_equal(bi.modules[1].start, 0x300000);
	assert_string_equal(bi.modules[1].cmdline, "");
	assert_int_equal(bi.nr_mem_ranges, ARRAY_SIZE(qemu_e820));
	assert_int_equal(bi.mem[3].base, 0x100000);
	assert_int_equal(bi.mem[3].length, 0x7ee0000);
	assert_int_equal(bi.mem[3].type, BOOT_MEM_USABLE);
	assert_int_equal(bi.mem[5].type, BOOT_MEM_RESERVED);
	assert_true(bi.has_rsdp);
	assert_memory_equal(bi.rsdp, "RSD PTR ", 8);
	assert_false(bi.booted_by_uefi);
	assert_false(bi.mem_truncated);
	assert_int_equal(bi.modules_dropped, 0);
}

static void information_at_an_unaligned_address_is_parsed(void **state)
{
	mbi_begin();
	mbi_string(MB2_TAG_CMDLINE, "x");
	mbi_default_mmap();
	mbi_end();

	assert_int_equal(parse_len_at(m.len, 1), 0);
	assert_int_equal(bi.nr_mem_ranges, ARRAY_SIZE(qemu_e820));
	assert_int_equal(parse_len_at(m.len, 4), 0);
	assert_string_equal(bi.cmdline, "x");
}

static void buffer_shorter_than_the_fixed_header_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_end();

	assert_int_equal(parse_len_at(0, 0), -1);
	assert_int_equal(parse_len_at(7, 0), -1);
}

static void total_size_larger_than_the_buffer_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_end();

	assert_int_equal(parse_len_at(m.len - 1, 0), -1);
	put32(0, m.len + 8);
	assert_int_equal(parse(), -1);
}

static void total_size_below_eight_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_end();
	put32(0, 4);

	assert_int_equal(parse(), -1);
}

static void buffer_longer_than_total_size_is_parsed_up_to_total_size(void **state)
{
	u32 total;

	mbi_begin();
	mbi_default_mmap();
	mbi_end();
	total = m.len;
	/* Junk after the structure: an unterminated command line tag. */
	mbi_tag(MB2_TAG_CMDLINE, 16, "xxxxxxxx", 8);

	assert_int_equal(parse_len_at(m.len, 0), 0);
	assert_int_equal(parse_len_at(total, 0), 0);
	assert_string_equal(bi.cmdline, "");
}

static void tag_size_below_eight_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_tag(MB2_TAG_BASIC_MEMINFO, 7, NULL, 0);
	mbi_end();
	assert_int_equal(parse(), -1);

	/* Size 0 would otherwise loop on the same tag forever. */
	mbi_begin();
	mbi_default_mmap();
	mbi_tag(MB2_TAG_BASIC_MEMINFO, 0, NULL, 0);
	mbi_end();
	assert_int_equal(parse(), -1);
}

static void tag_running_past_the_end_is_rejected(void **state)
{
	u32 off;

	mbi_begin();
	mbi_default_mmap();
	off = mbi_add(MB2_TAG_CMDLINE, "abc", 4);
	mbi_end();
	/* The command line tag claims the end tag and 1 byte more. */
	put32(off + 4, m.len - off + 1);
	assert_int_equal(parse(), -1);

	/* The end tag itself claims more than there is. */
	mbi_begin();
	mbi_default_mmap();
	mbi_end();
	put32(m.len - 4, 16);
	assert_int_equal(parse(), -1);
}

static void tag_ending_exactly_at_total_size_without_end_tag_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	put32(0, m.len);
	assert_int_equal(parse(), -1);
}

static void missing_end_tag_is_rejected(void **state)
{
	mbi_begin();
	mbi_string(MB2_TAG_CMDLINE, "console=com1");
	mbi_default_mmap();
	mbi_add(MB2_TAG_BASIC_MEMINFO, "\0\0\0\0\0\0\0\0", 8);
	put32(0, m.len);

	assert_int_equal(parse(), -1);
}

static void tags_after_the_end_tag_are_ignored(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_end();
	/* Within total_size but after the end tag: would be rejected if read. */
	mbi_tag(MB2_TAG_CMDLINE, 12, "abcd", 4);
	put32(0, m.len);

	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "");
}

static void unknown_tags_are_skipped(void **state)
{
	mbi_begin();
	mbi_add(4242, "whatever it is", 15);
	mbi_add(MB2_TAG_BASIC_MEMINFO, "\x80\x02\0\0\x80\xfb\x01\0", 8);
	mbi_default_mmap();
	mbi_add(0xffffffff, NULL, 0);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem_ranges, ARRAY_SIZE(qemu_e820));
}

static void unterminated_cmdline_is_rejected(void **state)
{
	mbi_begin();
	mbi_add(MB2_TAG_CMDLINE, "console=com1", 12);
	mbi_default_mmap();
	mbi_end();
	assert_int_equal(parse(), -1);

	/* An empty tag has no room for the NUL either. */
	mbi_begin();
	mbi_add(MB2_TAG_CMDLINE, NULL, 0);
	mbi_default_mmap();
	mbi_end();
	assert_int_equal(parse(), -1);
}

static void unterminated_loader_name_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_add(MB2_TAG_BOOTLOADER_NAME, "GRUB", 4);
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void cmdline_nul_within_padding_but_outside_the_tag_is_rejected(void **state)
{
	u32 off;

	mbi_begin();
	/* The bytes after "abc" are zero padding, but the tag says it ends at "c". */
	off = mbi_add(MB2_TAG_CMDLINE, "abc", 4);
	put32(off + 4, 8 + 3);
	mbi_default_mmap();
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void long_cmdline_is_truncated_and_terminated(void **state)
{
	char s[BOOT_CMDLINE_LEN + 100];

	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	mbi_begin();
	mbi_string(MB2_TAG_CMDLINE, s);
	mbi_default_mmap();
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_LEN - 1);
	assert_memory_equal(bi.cmdline, s, BOOT_CMDLINE_LEN - 1);
}

static void unterminated_module_string_is_rejected(void **state)
{
	u8 payload[12] = { 0, 0, 0x20, 0, 0, 0x10, 0x20, 0, 'a', 'b', 'c', 'd' };

	mbi_begin();
	mbi_default_mmap();
	mbi_add(MB2_TAG_MODULE, payload, sizeof(payload));
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void module_tag_without_room_for_a_string_is_rejected(void **state)
{
	u8 payload[8] = { 0, 0, 0x20, 0, 0, 0x10, 0x20, 0 };

	mbi_begin();
	mbi_default_mmap();
	mbi_add(MB2_TAG_MODULE, payload, sizeof(payload));
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void module_ending_before_its_start_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_module(0x201000, 0x200000, "guest");
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void long_module_string_is_truncated_and_terminated(void **state)
{
	char s[BOOT_MODULE_CMDLINE_LEN + 1];

	memset(s, 'm', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	mbi_begin();
	mbi_default_mmap();
	mbi_module(0x200000, 0x200001, s);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(strlen(bi.modules[0].cmdline), BOOT_MODULE_CMDLINE_LEN - 1);
}

static void more_modules_than_fit_are_dropped_and_flagged(void **state)
{
	u32 i;

	mbi_begin();
	mbi_default_mmap();
	for (i = 0; i < BOOT_MAX_MODULES + 3; i++)
		mbi_module(0x1000000 + i * 0x1000, 0x1000000 + (i + 1) * 0x1000, "mod");
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_modules, BOOT_MAX_MODULES);
	assert_int_equal(bi.modules_dropped, 3);
	assert_false(bi.mem_truncated);
	assert_int_equal(bi.modules[BOOT_MAX_MODULES - 1].start,
			 0x1000000 + (BOOT_MAX_MODULES - 1) * 0x1000);
}

static void mmap_with_entries_larger_than_the_spec_is_stepped_by_entry_size(void **state)
{
	mbi_begin();
	mbi_mmap_sized(qemu_e820, ARRAY_SIZE(qemu_e820), 40);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem_ranges, ARRAY_SIZE(qemu_e820));
	assert_int_equal(bi.mem[5].base, 0xfffc0000);
	assert_int_equal(bi.mem[5].length, 0x40000);
}

static void mmap_entry_size_smaller_than_an_entry_is_rejected(void **state)
{
	mbi_begin();
	mbi_mmap_sized(qemu_e820, ARRAY_SIZE(qemu_e820), 16);
	mbi_end();
	assert_int_equal(parse(), -1);

	mbi_begin();
	mbi_mmap_sized(qemu_e820, ARRAY_SIZE(qemu_e820), 0);
	mbi_end();
	assert_int_equal(parse(), -1);
}

static void mmap_entry_size_not_a_multiple_of_eight_is_rejected(void **state)
{
	mbi_begin();
	mbi_mmap_sized(qemu_e820, ARRAY_SIZE(qemu_e820), 28);
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void mmap_entry_size_beyond_the_tag_yields_no_ranges(void **state)
{
	/* Sizes whose sum with the entry offset wraps around 32 bits, and plain big ones. */
	static const u32 sizes[] = { 0xfffffff0, 0xfffffff8, 0xffffffe8, 0x80000000, 32 };
	u32 i, entries;

	for (entries = 0; entries <= 1; entries++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			mbi_begin();
			/* The mmap tag is first: its entry_size field is at offset 16. */
			mbi_mmap(qemu_e820, entries);
			put32(16, sizes[i]);
			mbi_end();
			assert_int_equal(parse(), -2);
			assert_int_equal(bi.nr_mem_ranges, 0);
		}
	}
}

static void mmap_tag_shorter_than_its_header_is_rejected(void **state)
{
	mbi_begin();
	mbi_add(MB2_TAG_MMAP, "\x18\0\0\0", 4);
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void mmap_partial_trailing_entry_is_ignored(void **state)
{
	mbi_begin();
	/* Five whole entries and 16 bytes of a sixth. */
	mbi_mmap_raw(qemu_e820, 5, MMAP_ENTRY_SIZE, 16);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem_ranges, 5);
}

static void mmap_zero_length_entries_are_skipped(void **state)
{
	static const struct mmap_entry e[] = {
		{ 0x0, 0x0, BOOT_MEM_USABLE, 0 },
		{ 0x100000, 0x100000, BOOT_MEM_USABLE, 0 },
		{ 0x200000, 0x0, BOOT_MEM_RESERVED, 0 },
	};

	mbi_begin();
	mbi_mmap(e, ARRAY_SIZE(e));
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem_ranges, 1);
	assert_int_equal(bi.mem[0].base, 0x100000);
}

static void mmap_types_the_spec_does_not_define_become_reserved(void **state)
{
	static const struct mmap_entry e[] = {
		{ 0x100000, 0x1000, 0, 0 },
		{ 0x200000, 0x1000, BOOT_MEM_ACPI_RECLAIMABLE, 0 },
		{ 0x300000, 0x1000, BOOT_MEM_ACPI_NVS, 0 },
		{ 0x400000, 0x1000, BOOT_MEM_BAD, 0 },
		{ 0x500000, 0x1000, 6, 0 },
		{ 0x600000, 0x1000, 0xffffffff, 0 },
	};

	mbi_begin();
	mbi_mmap(e, ARRAY_SIZE(e));
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem_ranges, 6);
	assert_int_equal(bi.mem[0].type, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem[1].type, BOOT_MEM_ACPI_RECLAIMABLE);
	assert_int_equal(bi.mem[2].type, BOOT_MEM_ACPI_NVS);
	assert_int_equal(bi.mem[3].type, BOOT_MEM_BAD);
	assert_int_equal(bi.mem[4].type, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem[5].type, BOOT_MEM_RESERVED);
}

static void more_ranges_than_fit_are_dropped_and_flagged(void **state)
{
	static struct mmap_entry e[BOOT_MAX_MEM_RANGES + 20];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(e); i++)
		e[i] = (struct mmap_entry){ (u64)i << 21, 1 << 20, BOOT_MEM_USABLE, 0 };
	mbi_begin();
	mbi_mmap(e, ARRAY_SIZE(e));
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem_ranges, BOOT_MAX_MEM_RANGES);
	assert_true(bi.mem_truncated);
	assert_int_equal(bi.mem[BOOT_MAX_MEM_RANGES - 1].base, (u64)(BOOT_MAX_MEM_RANGES - 1)
								       << 21);
}

static void exactly_as_many_ranges_as_fit_are_not_flagged(void **state)
{
	static struct mmap_entry e[BOOT_MAX_MEM_RANGES + 1];
	u32 i;

	for (i = 0; i < BOOT_MAX_MEM_RANGES; i++)
		e[i] = (struct mmap_entry){ (u64)i << 21, 1 << 20, BOOT_MEM_USABLE, 0 };
	/* A zero-length entry past the limit is not a dropped range. */
	e[BOOT_MAX_MEM_RANGES] = (struct mmap_entry){ 0, 0, BOOT_MEM_USABLE, 0 };
	mbi_begin();
	mbi_mmap(e, ARRAY_SIZE(e));
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem_ranges, BOOT_MAX_MEM_RANGES);
	assert_false(bi.mem_truncated);
}

static void no_memory_map_returns_minus_two(void **state)
{
	mbi_begin();
	mbi_string(MB2_TAG_CMDLINE, "console=com1");
	mbi_end();
	assert_int_equal(parse(), -2);
	assert_string_equal(bi.cmdline, "console=com1");

	/* A map with only zero-length entries is no map either. */
	mbi_begin();
	mbi_mmap((const struct mmap_entry[]){ { 0x100000, 0, BOOT_MEM_USABLE, 0 } }, 1);
	mbi_end();
	assert_int_equal(parse(), -2);
}

static void acpi_2_rsdp_is_not_replaced_by_a_later_1_0_rsdp(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_rsdp(MB2_TAG_ACPI_NEW, 2, ACPI_RSDP_V2_LEN);
	mbi_rsdp(MB2_TAG_ACPI_OLD, 0, RSDP_V1_LEN);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_true(bi.has_rsdp);
	assert_int_equal(bi.rsdp[15], 2);
}

static void acpi_2_rsdp_replaces_an_earlier_1_0_rsdp(void **state)
{
	mbi_begin();
	mbi_rsdp(MB2_TAG_ACPI_OLD, 0, RSDP_V1_LEN);
	mbi_default_mmap();
	mbi_rsdp(MB2_TAG_ACPI_NEW, 2, ACPI_RSDP_V2_LEN);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_true(bi.has_rsdp);
	assert_int_equal(bi.rsdp[15], 2);
}

static void acpi_1_0_rsdp_is_copied_and_zero_extended(void **state)
{
	u8 zero[ACPI_RSDP_V2_LEN - RSDP_V1_LEN] = { 0 };

	mbi_begin();
	mbi_default_mmap();
	mbi_rsdp(MB2_TAG_ACPI_OLD, 0, RSDP_V1_LEN);
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_true(bi.has_rsdp);
	assert_memory_equal(bi.rsdp + RSDP_V1_LEN, zero, sizeof(zero));
}

static void longer_acpi_rsdp_tag_is_cut_to_the_copy_size(void **state)
{
	u8 rsdp[64];

	memset(rsdp, 0xaa, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	mbi_begin();
	mbi_default_mmap();
	mbi_add(MB2_TAG_ACPI_NEW, rsdp, sizeof(rsdp));
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_memory_equal(bi.rsdp, rsdp, ACPI_RSDP_V2_LEN);
}

static void acpi_tag_shorter_than_an_rsdp_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_rsdp(MB2_TAG_ACPI_OLD, 0, RSDP_V1_LEN - 1);
	mbi_end();

	assert_int_equal(parse(), -1);
}

static void efi64_tag_records_the_system_table(void **state)
{
	u64 st = 0x7f9ee018ULL;

	mbi_begin();
	mbi_default_mmap();
	mbi_add(MB2_TAG_EFI64, &st, sizeof(st));
	mbi_end();

	assert_int_equal(parse(), 0);
	assert_true(bi.booted_by_uefi);
	assert_int_equal(bi.efi_system_table, st);
}

static void efi64_tag_too_short_for_a_pointer_is_rejected(void **state)
{
	mbi_begin();
	mbi_default_mmap();
	mbi_add(MB2_TAG_EFI64, "\x18\xe0\x9e\x7f", 4);
	mbi_end();

	assert_int_equal(parse(), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grub_like_information_is_parsed),
		cmocka_unit_test(information_at_an_unaligned_address_is_parsed),
		cmocka_unit_test(buffer_shorter_than_the_fixed_header_is_rejected),
		cmocka_unit_test(total_size_larger_than_the_buffer_is_rejected),
		cmocka_unit_test(total_size_below_eight_is_rejected),
		cmocka_unit_test(buffer_longer_than_total_size_is_parsed_up_to_total_size),
		cmocka_unit_test(tag_size_below_eight_is_rejected),
		cmocka_unit_test(tag_running_past_the_end_is_rejected),
		cmocka_unit_test(tag_ending_exactly_at_total_size_without_end_tag_is_rejected),
		cmocka_unit_test(missing_end_tag_is_rejected),
		cmocka_unit_test(tags_after_the_end_tag_are_ignored),
		cmocka_unit_test(unknown_tags_are_skipped),
		cmocka_unit_test(unterminated_cmdline_is_rejected),
		cmocka_unit_test(unterminated_loader_name_is_rejected),
		cmocka_unit_test(cmdline_nul_within_padding_but_outside_the_tag_is_rejected),
		cmocka_unit_test(long_cmdline_is_truncated_and_terminated),
		cmocka_unit_test(unterminated_module_string_is_rejected),
		cmocka_unit_test(module_tag_without_room_for_a_string_is_rejected),
		cmocka_unit_test(module_ending_before_its_start_is_rejected),
		cmocka_unit_test(long_module_string_is_truncated_and_terminated),
		cmocka_unit_test(more_modules_than_fit_are_dropped_and_flagged),
		cmocka_unit_test(mmap_with_entries_larger_than_the_spec_is_stepped_by_entry_size),
		cmocka_unit_test(mmap_entry_size_smaller_than_an_entry_is_rejected),
		cmocka_unit_test(mmap_entry_size_not_a_multiple_of_eight_is_rejected),
		cmocka_unit_test(mmap_entry_size_beyond_the_tag_yields_no_ranges),
		cmocka_unit_test(mmap_tag_shorter_than_its_header_is_rejected),
		cmocka_unit_test(mmap_partial_trailing_entry_is_ignored),
		cmocka_unit_test(mmap_zero_length_entries_are_skipped),
		cmocka_unit_test(mmap_types_the_spec_does_not_define_become_reserved),
		cmocka_unit_test(more_ranges_than_fit_are_dropped_and_flagged),
		cmocka_unit_test(exactly_as_many_ranges_as_fit_are_not_flagged),
		cmocka_unit_test(no_memory_map_returns_minus_two),
		cmocka_unit_test(acpi_2_rsdp_is_not_replaced_by_a_later_1_0_rsdp),
		cmocka_unit_test(acpi_2_rsdp_replaces_an_earlier_1_0_rsdp),
		cmocka_unit_test(acpi_1_0_rsdp_is_copied_and_zero_extended),
		cmocka_unit_test(longer_acpi_rsdp_tag_is_cut_to_the_copy_size),
		cmocka_unit_test(acpi_tag_shorter_than_an_rsdp_is_rejected),
		cmocka_unit_test(efi64_tag_records_the_system_table),
		cmocka_unit_test(efi64_tag_too_short_for_a_pointer_is_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
