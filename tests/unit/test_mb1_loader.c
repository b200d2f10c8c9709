// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot (version 1, spec 0.6.96) guest images: mb1_parse() and
 * loader_check_fit() (hv/loader/loader.c) on its result. Each test builds an image in memory (ELF32, ELF64 or the
 * header's address fields), then hands mb1_parse() an exact-size heap copy
 * so that any read past the end is an ASan error. A refused image must give
 * -1 and an error naming what is wrong, so a test fails if the wrong check
 * fires.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/core/mb1_loader.h>

#define IMG_MAX (16 * 1024)
#define IMG_LEN 0x3000U /* default image size */
#define PH_OFF 0x40U /* program headers, for ELF32 and ELF64 alike */
#define MB_OFF 0x800U /* the Multiboot header in ELF images */
#define VIRT_OFFSET 0xc0000000U /* p_vaddr = p_paddr + this: only p_paddr counts */

#define FLAG_VIDEO BIT(2)
#define FLAG_ADDRESS_FIELDS BIT(16)

#define PT_NULL 0
#define PT_LOAD 1
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551U

#define LOAD 0x100000U /* where the address-fields image loads */
#define AOUT_HDR 0x40U /* and where its header is in the file */

static u8 buf[IMG_MAX];
static size_t img_len;
static bool is64;
static u16 phnum;
static struct mb1_image im;
static const char *err;

static void put(size_t off, u64 v, size_t n)
{
	assert_true(off + n <= IMG_MAX);
	memcpy(buf + off, &v, n);
}

static void put16(size_t off, u16 v)
{
	put(off, v, 2);
}

static void put32(size_t off, u32 v)
{
	put(off, v, 4);
}

static void put64(size_t off, u64 v)
{
	put(off, v, 8);
}

static u16 get16(size_t off)
{
	u16 v;

	memcpy(&v, buf + off, 2);
	return v;
}

static void mb1_header_at(size_t off, u32 flags)
{
	put32(off, MB1_HEADER_MAGIC);
	put32(off + 4, flags);
	put32(off + 8, -(MB1_HEADER_MAGIC + flags));
}

/* ---- ELF builder: an ELF header, then program headers added one by one ---- */

static size_t e_phoff_at(void)
{
	return is64 ? 32 : 28;
}

static size_t e_phentsize_at(void)
{
	return is64 ? 54 : 42;
}

static size_t e_phnum_at(void)
{
	return is64 ? 56 : 44;
}

static void elf_begin(bool elf64, u64 entry)
{
	memset(buf, 0, sizeof(buf));
	img_len = IMG_LEN;
	is64 = elf64;
	phnum = 0;
	memcpy(buf, "\177ELF", 4);
	buf[4] = elf64 ? 2 : 1; /* EI_CLASS */
	buf[5] = 1; /* EI_DATA: little-endian */
	buf[6] = 1; /* EI_VERSION */
	put16(16, 2); /* ET_EXEC */
	put16(18, elf64 ? 62 : 3); /* EM_X86_64, EM_386 */
	put32(20, 1);
	if (elf64) {
		put64(24, entry);
		put64(32, PH_OFF);
		put16(52, 64);
	} else {
		put32(24, (u32)entry);
		put32(28, PH_OFF);
		put16(40, 52);
	}
	put16(e_phentsize_at(), elf64 ? 56 : 32);
	put16(e_phnum_at(), 0);
	mb1_header_at(MB_OFF, 0);
}

static void elf32_begin(u32 entry)
{
	elf_begin(false, entry);
}

static void elf64_begin(u64 entry)
{
	elf_begin(true, entry);
}

static void elf_phdr(u32 type, u64 offset, u64 paddr, u64 filesz, u64 memsz)
{
	size_t ph = PH_OFF + (size_t)phnum * get16(e_phentsize_at());

	put32(ph, type);
	if (is64) {
		put32(ph + 4, 7); /* p_flags */
		put64(ph + 8, offset);
		put64(ph + 16, paddr + VIRT_OFFSET);
		put64(ph + 24, paddr);
		put64(ph + 32, filesz);
		put64(ph + 40, memsz);
		put64(ph + 48, 0x1000);
	} else {
		put32(ph + 4, (u32)offset);
		put32(ph + 8, (u32)(paddr + VIRT_OFFSET));
		put32(ph + 12, (u32)paddr);
		put32(ph + 16, (u32)filesz);
		put32(ph + 20, (u32)memsz);
		put32(ph + 24, 7);
		put32(ph + 28, 0x1000);
	}
	put16(e_phnum_at(), ++phnum);
}

static void elf_load(u64 offset, u64 paddr, u64 filesz, u64 memsz)
{
	elf_phdr(PT_LOAD, offset, paddr, filesz, memsz);
}

/* The usual kernel: code at 1 MiB, data with .bss at 2 MiB. */
static void elf_kernel(bool elf64)
{
	elf_begin(elf64, 0x100010);
	elf_load(0x1000, 0x100000, 0x800, 0x800);
	elf_load(0x2000, 0x200000, 0x100, 0x3000);
}

/* ---- address-fields ("a.out kludge") builder ---- */

struct aout {
	u32 header_addr, load_addr, load_end, bss_end, entry;
};

/* The header at AOUT_HDR, the file loaded from offset 0 at LOAD. */
static struct aout aout_default(void)
{
	return (struct aout){ LOAD + AOUT_HDR, LOAD, LOAD + 0x800, LOAD + 0x2000, LOAD + 0x100 };
}

static void aout_build_at(size_t hdr, u32 flags, const struct aout *a, size_t len)
{
	memset(buf, 0, sizeof(buf));
	img_len = len;
	mb1_header_at(hdr, FLAG_ADDRESS_FIELDS | flags);
	put32(hdr + 12, a->header_addr);
	put32(hdr + 16, a->load_addr);
	put32(hdr + 20, a->load_end);
	put32(hdr + 24, a->bss_end);
	put32(hdr + 28, a->entry);
}

static void aout_build(const struct aout *a)
{
	aout_build_at(AOUT_HDR, 0, a, IMG_LEN);
}

/* ---- parsing and checking ---- */

/* Parses the first @len bytes from an exact-size heap copy. */
static int parse_len(size_t len)
{
	u8 *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	memset(&im, 0xa5, sizeof(im));
	err = NULL;
	ret = mb1_parse(copy, len, &im, &err);
	free(copy);
	return ret;
}

static int parse(void)
{
	return parse_len(img_len);
}

static void assert_error(int ret, const char *word)
{
	assert_int_equal(ret, -1);
	assert_non_null(err);
	if (!strstr(err, word))
		fail_msg("the error \"%s\" does not mention \"%s\"", err, word);
}

static void assert_refused(const char *word)
{
	assert_error(parse(), word);
}

static void assert_segment(u32 i, u64 gpa, u64 offset, u64 filesz, u64 memsz)
{
	assert_true(i < im.nr_segments);
	assert_int_equal(im.segments[i].gpa, gpa);
	assert_int_equal(im.segments[i].offset, offset);
	assert_int_equal(im.segments[i].filesz, filesz);
	assert_int_equal(im.segments[i].memsz, memsz);
}

/* ---- ELF images ---- */

static void elf32_segments_load_at_their_physical_addresses(void **state)
{
	elf_kernel(false);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 2);
	assert_segment(0, 0x100000, 0x1000, 0x800, 0x800);
	assert_segment(1, 0x200000, 0x2000, 0x100, 0x3000);
	assert_int_equal(im.entry, 0x100010);
	assert_int_equal(im.header_flags, 0);
	assert_int_equal(im.end, 0x203000);
}

static void elf64_segments_load_at_their_physical_addresses(void **state)
{
	elf_kernel(true);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 2);
	assert_segment(0, 0x100000, 0x1000, 0x800, 0x800);
	assert_segment(1, 0x200000, 0x2000, 0x100, 0x3000);
	assert_int_equal(im.entry, 0x100010);
	assert_int_equal(im.end, 0x203000);
}

static void elf64_segment_above_4_gib_is_kept_with_its_64_bit_address(void **state)
{
	elf64_begin(0x100000);
	elf_load(0x1000, 0x100000, 0x100, 0x100);
	elf_load(0x2000, 0x140000000ULL, 0x100, 0x200);

	assert_int_equal(parse(), 0);
	assert_segment(1, 0x140000000ULL, 0x2000, 0x100, 0x200);
	assert_int_equal(im.end, 0x140000200ULL);
}

static void bss_beyond_the_file_size_is_kept_as_memory_size(void **state)
{
	elf32_begin(0x100000);
	elf_load(0x1000, 0x100000, 0x10, 0x100000);
	elf_load(0x1000, 0x300000, 0, 0x1000); /* all .bss */

	assert_int_equal(parse(), 0);
	assert_segment(0, 0x100000, 0x1000, 0x10, 0x100000);
	assert_segment(1, 0x300000, 0x1000, 0, 0x1000);
	assert_int_equal(im.end, 0x301000);
}

static void image_end_is_the_highest_segment_end_in_any_order(void **state)
{
	elf32_begin(0x100000);
	elf_load(0x1000, 0x400000, 0x100, 0x2000);
	elf_load(0x1000, 0x100000, 0x100, 0x100);
	elf_load(0x2000, 0x300000, 0x100, 0x100);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 3);
	assert_int_equal(im.end, 0x402000);
}

static void only_pt_load_segments_are_loaded(void **state)
{
	elf32_begin(0x100000);
	/* Other types are skipped without a look, even pointing outside the file. */
	elf_phdr(PT_NULL, 0xffffff00, 0x8000, 0xffff, 0xffff);
	elf_phdr(PT_PHDR, PH_OFF, 0x100040, 0xa0, 0xa0);
	elf_load(0x1000, 0x100000, 0x200, 0x200);
	elf_phdr(PT_NOTE, 0x100000, 0, 0x10, 0x10);
	elf_phdr(PT_GNU_STACK, 0, 0, 0, 0x100000);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 1);
	assert_segment(0, 0x100000, 0x1000, 0x200, 0x200);
}

static void empty_pt_load_is_skipped(void **state)
{
	elf32_begin(0x100000);
	elf_load(0x1000, 0x500000, 0, 0);
	elf_load(0x1000, 0x100000, 0x200, 0x200);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 1);
	assert_segment(0, 0x100000, 0x1000, 0x200, 0x200);
	assert_int_equal(im.end, 0x100200);
}

static void larger_program_header_entries_are_stepped_over(void **state)
{
	elf32_begin(0x200000);
	put16(e_phentsize_at(), 48);
	elf_load(0x1000, 0x100000, 0x100, 0x100);
	elf_load(0x2000, 0x200000, 0x100, 0x100);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 2);
	assert_segment(1, 0x200000, 0x2000, 0x100, 0x100);
}

static void sixteen_segments_are_accepted(void **state)
{
	u32 i;

	elf32_begin(0x100000);
	for (i = 0; i < 16; i++)
		elf_load(0x1000 + i * 0x100, 0x100000 + i * 0x1000, 0x100, 0x1000);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 16);
	assert_segment(15, 0x10f000, 0x1f00, 0x100, 0x1000);
	assert_int_equal(im.end, 0x110000);
}

static void more_than_sixteen_segments_are_refused(void **state)
{
	u32 i;

	elf64_begin(0x100000);
	for (i = 0; i < 17; i++)
		elf_load(0x1000 + i * 0x100, 0x100000 + i * 0x1000, 0x100, 0x1000);

	assert_refused("more loadable segments");
}

static void elf_with_no_pt_load_has_nothing_to_load(void **state)
{
	elf32_begin(0x100000);
	assert_refused("nothing to load");

	elf_phdr(PT_NOTE, 0x1000, 0x100000, 0x100, 0x100);
	elf_load(0x1000, 0x100000, 0, 0);
	assert_refused("nothing to load");
}

/* ---- where the Multiboot header may be ---- */

static void header_at_a_nonzero_aligned_offset_is_found(void **state)
{
	static const u32 offsets[] = { 0x100, 0x804, 0xffc, 0x1a00 };
	struct aout a = aout_default();
	u32 i;

	/* Anywhere after the ELF and program headers... */
	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		elf_kernel(false);
		memset(buf + MB_OFF, 0, 12);
		mb1_header_at(offsets[i], FLAG_VIDEO);
		assert_int_equal(parse(), 0);
		assert_int_equal(im.header_flags, FLAG_VIDEO);
	}

	/* ...and in an address-fields image, 4 bytes in. */
	a.header_addr = LOAD + 4;
	aout_build_at(4, 0, &a, IMG_LEN);
	assert_int_equal(parse(), 0);
	assert_segment(0, LOAD, 0, 0x800, 0x2000);
}

static void header_ending_exactly_at_8_kib_is_found(void **state)
{
	elf_kernel(false);
	memset(buf + MB_OFF, 0, 12);
	mb1_header_at(MB1_SEARCH_LIMIT - 12, FLAG_VIDEO);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.header_flags, FLAG_VIDEO);
}

static void header_at_or_beyond_8_kib_is_not_found(void **state)
{
	elf_kernel(false);
	memset(buf + MB_OFF, 0, 12);
	mb1_header_at(MB1_SEARCH_LIMIT, 0);
	assert_refused("no Multiboot header");

	elf_kernel(false);
	memset(buf + MB_OFF, 0, 12);
	mb1_header_at(MB1_SEARCH_LIMIT + 0x100, 0);
	assert_refused("no Multiboot header");
}

static void header_straddling_8_kib_is_not_found(void **state)
{
	elf_kernel(false);
	memset(buf + MB_OFF, 0, 12);
	mb1_header_at(MB1_SEARCH_LIMIT - 8, 0);

	assert_refused("no Multiboot header");
}

static void misaligned_header_is_not_found(void **state)
{
	u32 misalign;

	for (misalign = 1; misalign < 4; misalign++) {
		elf_kernel(false);
		memset(buf + MB_OFF, 0, 12);
		mb1_header_at(MB_OFF + misalign, 0);
		assert_refused("no Multiboot header");
	}
}

static void header_with_a_bad_checksum_is_not_found(void **state)
{
	elf_kernel(false);
	put32(MB_OFF + 8, -MB1_HEADER_MAGIC + 1);
	assert_refused("no Multiboot header");

	/* The checksum covers the flags. */
	elf_kernel(false);
	put32(MB_OFF + 4, FLAG_VIDEO);
	assert_refused("no Multiboot header");
}

static void image_cut_inside_the_header_has_no_header(void **state)
{
	elf_kernel(false);

	assert_error(parse_len(MB_OFF + 11), "no Multiboot header");
	assert_error(parse_len(0), "no Multiboot header");
}

/* ---- header flags ---- */

static void unsupported_required_flag_bits_are_refused(void **state)
{
	u32 bit;

	for (bit = 3; bit <= 15; bit++) {
		elf_kernel(false);
		mb1_header_at(MB_OFF, BIT(bit));
		assert_refused("requires a feature");
	}
}

static void page_align_memory_info_and_video_flags_are_accepted(void **state)
{
	elf_kernel(true);
	mb1_header_at(MB_OFF, BIT(0) | BIT(1) | FLAG_VIDEO);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.header_flags, BIT(0) | BIT(1) | FLAG_VIDEO);
}

static void unknown_optional_flag_bits_are_ignored(void **state)
{
	elf_kernel(false);
	mb1_header_at(MB_OFF, BIT(17) | BIT(31));

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 2);
}

/* ---- the header's address fields ---- */

static void address_fields_give_one_segment_with_bss(void **state)
{
	struct aout a = aout_default();

	aout_build(&a);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 1);
	assert_segment(0, LOAD, 0, 0x800, 0x2000);
	assert_int_equal(im.entry, LOAD + 0x100);
	assert_int_equal(im.header_flags, FLAG_ADDRESS_FIELDS);
	assert_int_equal(im.end, LOAD + 0x2000);
}

static void address_fields_take_precedence_over_elf(void **state)
{
	elf_kernel(false);
	mb1_header_at(MB_OFF, FLAG_ADDRESS_FIELDS);
	put32(MB_OFF + 12, 0x400000 + MB_OFF); /* header_addr */
	put32(MB_OFF + 16, 0x400000); /* load_addr */
	put32(MB_OFF + 20, 0); /* load_end_addr: the whole file */
	put32(MB_OFF + 24, 0); /* bss_end_addr: none */
	put32(MB_OFF + 28, 0x400000); /* entry_addr */

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 1);
	assert_segment(0, 0x400000, 0, IMG_LEN, IMG_LEN);
	assert_int_equal(im.entry, 0x400000);
}

static void header_addr_below_its_file_offset_loads_from_inside_the_file(void **state)
{
	struct aout a = aout_default();

	/* The header is 0x30 bytes into what is loaded: loading starts at file offset 0x10. */
	a.header_addr = LOAD + 0x30;
	aout_build(&a);

	assert_int_equal(parse(), 0);
	assert_segment(0, LOAD, 0x10, 0x800, 0x2000);
}

static void header_addr_below_load_addr_is_refused(void **state)
{
	struct aout a = aout_default();

	a.header_addr = LOAD - 4;
	aout_build(&a);

	assert_refused("header_addr/load_addr");
}

static void header_addr_placing_load_before_the_file_is_refused(void **state)
{
	struct aout a = aout_default();

	/* The header would be 0x44 bytes into the load, but is 0x40 into the file. */
	a.header_addr = LOAD + AOUT_HDR + 4;
	aout_build(&a);
	assert_refused("header_addr/load_addr");

	a.header_addr = LOAD + AOUT_HDR;
	a.load_addr = 0;
	aout_build(&a);
	assert_refused("header_addr/load_addr");
}

static void zero_load_end_addr_loads_the_rest_of_the_file(void **state)
{
	struct aout a = aout_default();

	a.header_addr = LOAD + 0x20; /* file offset 0x20 on */
	a.load_end = 0;
	a.bss_end = 0;
	aout_build(&a);

	assert_int_equal(parse(), 0);
	assert_segment(0, LOAD, 0x20, IMG_LEN - 0x20, IMG_LEN - 0x20);
	assert_int_equal(im.end, LOAD + IMG_LEN - 0x20);
}

static void load_end_addr_below_load_addr_is_refused(void **state)
{
	struct aout a = aout_default();

	a.load_end = LOAD - 1;
	aout_build(&a);

	assert_refused("load_end_addr is below");
}

static void load_end_addr_at_the_end_of_the_file_is_accepted(void **state)
{
	struct aout a = aout_default();

	a.load_end = LOAD + IMG_LEN;
	a.bss_end = 0;
	aout_build(&a);

	assert_int_equal(parse(), 0);
	assert_segment(0, LOAD, 0, IMG_LEN, IMG_LEN);
}

static void load_end_addr_beyond_the_file_is_refused(void **state)
{
	struct aout a = aout_default();

	a.load_end = LOAD + IMG_LEN + 1;
	a.bss_end = 0;
	aout_build(&a);
	assert_refused("more bytes than the image");

	a.load_end = 0xffffffff;
	aout_build(&a);
	assert_refused("more bytes than the image");
}

static void bss_end_addr_below_the_loaded_data_is_refused(void **state)
{
	struct aout a = aout_default();

	a.bss_end = a.load_end - 1;
	aout_build(&a);
	assert_refused("bss_end_addr");

	a.load_end = 0; /* the whole file */
	a.bss_end = LOAD + IMG_LEN - 1;
	aout_build(&a);
	assert_refused("bss_end_addr");
}

static void bss_end_addr_at_the_end_of_the_data_adds_no_bss(void **state)
{
	struct aout a = aout_default();

	a.bss_end = a.load_end;
	aout_build(&a);

	assert_int_equal(parse(), 0);
	assert_segment(0, LOAD, 0, 0x800, 0x800);
}

static void address_fields_past_the_end_of_the_image_are_refused(void **state)
{
	struct aout a = aout_default();

	aout_build(&a);
	/* The header's first 12 bytes are there, its address fields are not. */
	assert_error(parse_len(AOUT_HDR + 31), "address fields run past");
	assert_error(parse_len(AOUT_HDR + 12), "address fields run past");
}

static void address_fields_loading_nothing_are_refused(void **state)
{
	struct aout a = aout_default();

	a.load_end = LOAD;
	a.bss_end = 0;
	aout_build(&a);

	assert_refused("nothing to load");
}

/* ---- the entry point ---- */

static void entry_point_in_a_later_segment_or_its_bss_is_accepted(void **state)
{
	elf_kernel(false);
	put32(24, 0x202fff); /* the last byte of the second segment's .bss */

	assert_int_equal(parse(), 0);
	assert_int_equal(im.entry, 0x202fff);
}

static void entry_point_outside_every_segment_is_refused(void **state)
{
	struct aout a = aout_default();

	elf_kernel(false);
	put32(24, 0x100800); /* just past the first segment, before the second */
	assert_refused("outside every loaded segment");

	elf_kernel(true);
	put64(24, 0x100010 + VIRT_OFFSET); /* the virtual address: not loaded there */
	assert_refused("outside every loaded segment");

	a.entry = a.bss_end;
	aout_build(&a);
	assert_refused("outside every loaded segment");

	a.entry = LOAD - 1;
	aout_build(&a);
	assert_refused("outside every loaded segment");
}

static void entry_point_above_4_gib_is_refused(void **state)
{
	elf64_begin(0x100000010ULL);
	elf_load(0x1000, 0x100000000ULL, 0x800, 0x800);

	assert_refused("above 4 GiB");
}

/* ---- program headers and segments against the file ---- */

static void program_headers_ending_at_the_end_of_the_file_are_accepted(void **state)
{
	int elf64;

	for (elf64 = 0; elf64 <= 1; elf64++) {
		size_t table;

		elf_begin(elf64, 0x100000);
		table = 2 * get16(e_phentsize_at());
		elf_load(0x1000, 0x100000, 0x100, 0x100);
		elf_load(0x1100, 0x200000, 0x100, 0x100);
		/* Move the table to the end of the file. */
		memcpy(buf + 0x1200, buf + PH_OFF, table);
		put(e_phoff_at(), 0x1200, is64 ? 8 : 4);
		img_len = 0x1200 + table;

		assert_int_equal(parse(), 0);
		assert_int_equal(im.nr_segments, 2);
		assert_segment(1, 0x200000, 0x1100, 0x100, 0x100);
		assert_error(parse_len(img_len - 1), "program headers");
	}
}

static void program_headers_outside_the_file_are_refused(void **state)
{
	elf_kernel(false);
	put32(e_phoff_at(), IMG_LEN + 1);
	assert_refused("program headers");

	elf_kernel(true);
	put64(e_phoff_at(), 0xffffffffffffffc0ULL);
	assert_refused("program headers");

	/* The table ends one byte past the file. */
	elf_kernel(false);
	put32(e_phoff_at(), IMG_LEN - 2 * 32 + 1);
	assert_refused("program headers");

	elf_kernel(true);
	put16(e_phnum_at(), 0xffff);
	assert_refused("program headers");
}

static void program_header_entries_too_small_are_refused(void **state)
{
	elf_kernel(false);
	put16(e_phentsize_at(), 31);
	assert_refused("program headers");

	elf_kernel(true);
	put16(e_phentsize_at(), 55);
	assert_refused("program headers");

	elf_kernel(true);
	put16(e_phentsize_at(), 0);
	assert_refused("program headers");
}

static void segment_ending_at_the_end_of_the_file_is_accepted(void **state)
{
	elf32_begin(0x100000);
	elf_load(0x1000, 0x100000, IMG_LEN - 0x1000, IMG_LEN - 0x1000);
	elf_load(IMG_LEN, 0x300000, 0, 0x1000);

	assert_int_equal(parse(), 0);
	assert_segment(0, 0x100000, 0x1000, IMG_LEN - 0x1000, IMG_LEN - 0x1000);
	assert_segment(1, 0x300000, IMG_LEN, 0, 0x1000);
}

static void segment_outside_the_file_is_refused(void **state)
{
	/* Its offset past the end */
	elf32_begin(0x100000);
	elf_load(IMG_LEN + 1, 0x100000, 0, 0x1000);
	assert_refused("segment lies outside the file");

	/* its data one byte past the end */
	elf32_begin(0x100000);
	elf_load(0x1000, 0x100000, IMG_LEN - 0x1000 + 1, 0x10000);
	assert_refused("segment lies outside the file");

	/* offset + filesz wrapping around to inside the file */
	elf64_begin(0x100000);
	elf_load(0x1000, 0x100000, 0xfffffffffffff000ULL, 0xfffffffffffff000ULL);
	assert_refused("segment lies outside the file");

	elf64_begin(0x100000);
	elf_load(0xffffffffffffff00ULL, 0x100000, 0x200, 0x200);
	assert_refused("segment lies outside the file");
}

static void file_size_above_memory_size_is_refused(void **state)
{
	elf32_begin(0x100000);
	elf_load(0x1000, 0x100000, 0x101, 0x100);

	assert_refused("file size exceeds its memory size");
}

static void segment_wrapping_around_2_64_is_refused(void **state)
{
	elf64_begin(0x100000);
	elf_load(0x1000, 0x100000, 0x100, 0x100);
	elf_load(0x1000, 0xfffffffffffff000ULL, 0x100, 0x1000); /* ends at exactly 2^64 */
	assert_refused("wraps around");

	elf64_begin(0x100000);
	elf_load(0x1000, 0x100000, 0x100, 0xffffffffffffffffULL);
	assert_refused("wraps around");
}

/* ---- what is an ELF file ---- */

static void image_neither_elf_nor_with_address_fields_is_refused(void **state)
{
	elf_kernel(false);
	buf[1] = 'e';
	assert_refused("not an ELF file");

	/* Too short for an ELF32 header. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\177ELF\1\1\1", 7);
	mb1_header_at(16, 0);
	assert_error(parse_len(51), "not an ELF file");
}

static void unknown_elf_class_is_refused(void **state)
{
	elf_kernel(false);
	buf[4] = 3;
	assert_refused("ELF class");

	buf[4] = 0;
	assert_refused("ELF class");
}

static void big_endian_elf_is_refused(void **state)
{
	elf_kernel(false);
	buf[5] = 2; /* ELFDATA2MSB */
	assert_refused("little-endian x86");

	elf_kernel(true);
	buf[5] = 2;
	assert_refused("little-endian x86");
}

static void non_x86_elf_is_refused(void **state)
{
	elf_kernel(false);
	put16(18, 40); /* EM_ARM */
	assert_refused("little-endian x86");

	elf_kernel(true);
	put16(18, 183); /* EM_AARCH64 */
	assert_refused("little-endian x86");
}

static void elf_that_is_not_an_executable_is_refused(void **state)
{
	elf_kernel(false);
	put16(16, 3); /* ET_DYN */
	assert_refused("little-endian x86");

	elf_kernel(true);
	put16(16, 1); /* ET_REL */
	assert_refused("little-endian x86");
}

static void x86_64_machine_in_an_elf32_file_is_accepted(void **state)
{
	elf_kernel(false);
	put16(18, 62);

	assert_int_equal(parse(), 0);
	assert_int_equal(im.nr_segments, 2);
}

static void truncated_elf64_header_is_refused(void **state)
{
	/* 60 bytes: enough for an ELF32 header, not an ELF64 one. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\177ELF\2\1\1", 7);
	put16(16, 2);
	put16(18, 62);
	mb1_header_at(40, 0); /* e_shoff and e_flags */

	assert_error(parse_len(60), "truncated ELF64 header");
}

/* ---- loader_check_fit() for Multiboot images (no boot data of hv's to avoid) ---- */

static int fit(u64 gpa, u64 memsz, u64 ram_size)
{
	struct load_segment s = { gpa, 0, 0, memsz };

	err = NULL;
	return loader_check_fit(&s, 1, ram_size, false, &err);
}

static void segment_ending_exactly_at_the_end_of_ram_fits(void **state)
{
	assert_int_equal(fit(0x100000, 0x100000, 0x200000), 0);
	assert_int_equal(fit(0, 0x8000, 0x8000), 0);
}

static void segment_one_byte_beyond_ram_does_not_fit(void **state)
{
	assert_error(fit(0x100000, 0x100001, 0x200000), "does not fit");
	assert_error(fit(0x100000, 0x100000, 0x1fffff), "does not fit");
}

static void segment_starting_at_or_beyond_the_end_of_ram_does_not_fit(void **state)
{
	assert_error(fit(0x200000, 1, 0x200000), "does not fit");
	assert_error(fit(0x140000000ULL, 0x1000, 0x200000), "does not fit");
	/* gpa + memsz would wrap around: no overflow fools the check. */
	assert_error(fit(0x100000, 0xfffffffffff00000ULL, 0x200000), "does not fit");
	assert_error(fit(0xffffffffffff0000ULL, 0x20000, 0xffffffffffffffffULL), "does not fit");
}

static void segment_overlapping_the_reserved_low_area_is_refused(void **state)
{
	u64 ram = 128 * MiB;

	/* The lower edge: the last byte is 0x9fc00. */
	assert_error(fit(0x9f000, 0xc01, ram), "overlaps the reserved area 0x9fc00-0xfffff");
	/* The upper edge: the first byte is 0xfffff. */
	assert_error(fit(0xfffff, 0x1000, ram), "overlaps the reserved area");
	/* Inside (the ACPI tables), and all of it. */
	assert_error(fit(0xe0000, 0x100, ram), "overlaps the reserved area");
	assert_error(fit(0, 0x100000, ram), "overlaps the reserved area");
}

/* QEMU loads a Multiboot kernel anywhere in RAM: hv's information goes where it is not. */
static void segment_in_low_memory_or_at_1_mib_fits(void **state)
{
	u64 ram = 128 * MiB;

	assert_int_equal(fit(0x8000, 0x8000, ram), 0); /* where hv's information used to be */
	assert_int_equal(fit(0, 0x9fc00, ram), 0); /* ends at 0x9fc00 */
	assert_int_equal(fit(0x100000, 0x1000, ram), 0);
}

static void every_segment_of_a_parsed_image_must_fit(void **state)
{
	elf_kernel(false);
	assert_int_equal(parse(), 0);
	assert_int_equal(loader_check_fit(im.segments, im.nr_segments, 0x203000, false, &err), 0);
	err = NULL;
	assert_error(loader_check_fit(im.segments, im.nr_segments, 0x202fff, false, &err),
		     "does not fit");

	elf32_begin(0x100000);
	elf_load(0x1000, 0x100000, 0x100, 0x100);
	elf_load(0x1000, 0x9f000, 0x100, 0xc01);
	assert_int_equal(parse(), 0);
	err = NULL;
	assert_error(loader_check_fit(im.segments, im.nr_segments, 128 * MiB, false, &err),
		     "overlaps");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(elf32_segments_load_at_their_physical_addresses),
		cmocka_unit_test(elf64_segments_load_at_their_physical_addresses),
		cmocka_unit_test(elf64_segment_above_4_gib_is_kept_with_its_64_bit_address),
		cmocka_unit_test(bss_beyond_the_file_size_is_kept_as_memory_size),
		cmocka_unit_test(image_end_is_the_highest_segment_end_in_any_order),
		cmocka_unit_test(only_pt_load_segments_are_loaded),
		cmocka_unit_test(empty_pt_load_is_skipped),
		cmocka_unit_test(larger_program_header_entries_are_stepped_over),
		cmocka_unit_test(sixteen_segments_are_accepted),
		cmocka_unit_test(more_than_sixteen_segments_are_refused),
		cmocka_unit_test(elf_with_no_pt_load_has_nothing_to_load),
		cmocka_unit_test(header_at_a_nonzero_aligned_offset_is_found),
		cmocka_unit_test(header_ending_exactly_at_8_kib_is_found),
		cmocka_unit_test(header_at_or_beyond_8_kib_is_not_found),
		cmocka_unit_test(header_straddling_8_kib_is_not_found),
		cmocka_unit_test(misaligned_header_is_not_found),
		cmocka_unit_test(header_with_a_bad_checksum_is_not_found),
		cmocka_unit_test(image_cut_inside_the_header_has_no_header),
		cmocka_unit_test(unsupported_required_flag_bits_are_refused),
		cmocka_unit_test(page_align_memory_info_and_video_flags_are_accepted),
		cmocka_unit_test(unknown_optional_flag_bits_are_ignored),
		cmocka_unit_test(address_fields_give_one_segment_with_bss),
		cmocka_unit_test(address_fields_take_precedence_over_elf),
		cmocka_unit_test(header_addr_below_its_file_offset_loads_from_inside_the_file),
		cmocka_unit_test(header_addr_below_load_addr_is_refused),
		cmocka_unit_test(header_addr_placing_load_before_the_file_is_refused),
		cmocka_unit_test(zero_load_end_addr_loads_the_rest_of_the_file),
		cmocka_unit_test(load_end_addr_below_load_addr_is_refused),
		cmocka_unit_test(load_end_addr_at_the_end_of_the_file_is_accepted),
		cmocka_unit_test(load_end_addr_beyond_the_file_is_refused),
		cmocka_unit_test(bss_end_addr_below_the_loaded_data_is_refused),
		cmocka_unit_test(bss_end_addr_at_the_end_of_the_data_adds_no_bss),
		cmocka_unit_test(address_fields_past_the_end_of_the_image_are_refused),
		cmocka_unit_test(address_fields_loading_nothing_are_refused),
		cmocka_unit_test(entry_point_in_a_later_segment_or_its_bss_is_accepted),
		cmocka_unit_test(entry_point_outside_every_segment_is_refused),
		cmocka_unit_test(entry_point_above_4_gib_is_refused),
		cmocka_unit_test(program_headers_ending_at_the_end_of_the_file_are_accepted),
		cmocka_unit_test(program_headers_outside_the_file_are_refused),
		cmocka_unit_test(program_header_entries_too_small_are_refused),
		cmocka_unit_test(segment_ending_at_the_end_of_the_file_is_accepted),
		cmocka_unit_test(segment_outside_the_file_is_refused),
		cmocka_unit_test(file_size_above_memory_size_is_refused),
		cmocka_unit_test(segment_wrapping_around_2_64_is_refused),
		cmocka_unit_test(image_neither_elf_nor_with_address_fields_is_refused),
		cmocka_unit_test(unknown_elf_class_is_refused),
		cmocka_unit_test(big_endian_elf_is_refused),
		cmocka_unit_test(non_x86_elf_is_refused),
		cmocka_unit_test(elf_that_is_not_an_executable_is_refused),
		cmocka_unit_test(x86_64_machine_in_an_elf32_file_is_accepted),
		cmocka_unit_test(truncated_elf64_header_is_refused),
		cmocka_unit_test(segment_ending_exactly_at_the_end_of_ram_fits),
		cmocka_unit_test(segment_one_byte_beyond_ram_does_not_fit),
		cmocka_unit_test(segment_starting_at_or_beyond_the_end_of_ram_does_not_fit),
		cmocka_unit_test(segment_overlapping_the_reserved_low_area_is_refused),
		cmocka_unit_test(segment_in_low_memory_or_at_1_mib_fits),
		cmocka_unit_test(every_segment_of_a_parsed_image_must_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
