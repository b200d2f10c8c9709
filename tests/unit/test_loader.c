// SPDX-License-Identifier: GPL-2.0
/*
 * hv/loader: the image picks the boot protocol, and each protocol hands the
 * guest what its specification says, where it says. Each test builds an
 * image in memory (a PVH ELF, a bzImage, a Multiboot kernel), loads it into
 * a buffer that stands for guest RAM, and reads the result back the way the
 * guest would: hvm_start_info (Xen's public/arch-x86/hvm/start_info.h),
 * boot_params (Linux's Documentation/arch/x86/zero-page.rst, boot.rst),
 * the Multiboot information (Multiboot 0.6.96), the page tables a 64-bit
 * entry walks, and the ACPI tables, which hv's own ACPI parsers
 * (hv/core/acpi.c, written for the host's firmware) must accept. Refused
 * images must give -1 and the error naming what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/core/acpi.h>
#include <hv/core/mb1_loader.h>
#include <hv/loader/acpi_tables.h>
#include <hv/loader/image.h>
#include <hv/loader/loader.h>
#include <public/hv.h>
#include <public/platform.h>
#include <x86/hw.h>

u64 tsc_khz = 10001; /* what hv measured at boot (hv/core/platform.h) */

#define RAM_SIZE (96 * MiB)
#define IMG_MAX (64 * 1024)
#define KERNEL_PADDR 0x1000000ULL /* 16 MiB, where Linux's vmlinux loads */
#define PVH_ENTRY (KERNEL_PADDR + 0x850)

static u8 *ram;
static u64 ram_len;
static u8 img[IMG_MAX];
static size_t img_len;
static struct guest_module mods[MAX_GUEST_MODULES];
static u32 nr_mods;
static const char *cmdline;
static struct guest_start start;
static enum boot_protocol protocol;
static const char *err;
static u32 vcpus;

static void ram_write(void *ctx, u64 gpa, const void *src, u64 len)
{
	assert_true(gpa < ram_len && len <= ram_len - gpa);
	memcpy(ram + gpa, src, len);
}

static int setup(void **state)
{
	ram_len = RAM_SIZE;
	ram = calloc(1, ram_len);
	memset(img, 0, sizeof(img));
	img_len = 0;
	nr_mods = 0;
	cmdline = "linux console=ttyS0";
	vcpus = 2;
	err = NULL;
	return 0;
}

static int teardown(void **state)
{
	free(ram);
	return 0;
}

static int load_with(u64 ram_size)
{
	u8 *copy = malloc(img_len ? img_len : 1);
	const struct loader_input in = { "test", copy,	  img_len, cmdline,
					 mods,	 nr_mods, vcpus,   ram_size };
	const struct guest_ram gr = { NULL, ram_write };
	int ret;

	/* An exact-size copy: ASan sees any read past the image. */
	memcpy(copy, img, img_len);
	err = NULL;
	ret = loader_load(&in, &gr, &start, &protocol, &err);
	free(copy);
	return ret;
}

static int load(void)
{
	return load_with(RAM_SIZE);
}

#define assert_refused(expr, text)                    \
	do {                                          \
		assert_int_equal((expr), -1);         \
		assert_non_null(err);                 \
		assert_non_null(strstr(err, (text))); \
	} while (0)

static void put(size_t off, u64 v, size_t n)
{
	assert_true(off + n <= IMG_MAX);
	memcpy(img + off, &v, n);
}

static u64 get(const u8 *p, size_t n)
{
	u64 v = 0;

	memcpy(&v, p, n);
	return v;
}

static u64 ram_get(u64 gpa, size_t n)
{
	return get(ram + gpa, n);
}

/* ---- a PVH ELF64: a load segment at 16 MiB and a note segment ---- */

#define PH_OFF 64U
#define NOTE_OFF 0x200U
#define TEXT_OFF 0x1000U
#define TEXT_LEN 0x2000U

static void elf64_header(u16 phnum)
{
	memcpy(img, "\177ELF", 4);
	img[4] = 2; /* ELFCLASS64 */
	img[5] = 1; /* little-endian */
	img[6] = 1;
	put(16, 2, 2); /* ET_EXEC */
	put(18, 62, 2); /* EM_X86_64 */
	put(24, 0xffffffff81000000ULL, 8); /* e_entry: virtual, not what PVH uses */
	put(32, PH_OFF, 8);
	put(52, 64, 2);
	put(54, 56, 2);
	put(56, phnum, 2);
}

static void phdr64(u16 i, u32 type, u64 off, u64 paddr, u64 filesz, u64 memsz)
{
	size_t ph = PH_OFF + i * 56U;

	put(ph, type, 4);
	put(ph + 8, off, 8);
	put(ph + 16, paddr | 0xffffffff80000000ULL, 8); /* p_vaddr: ignored */
	put(ph + 24, paddr, 8);
	put(ph + 32, filesz, 8);
	put(ph + 40, memsz, 8);
}

/* A note: namesz, descsz, type, name (4-byte aligned), desc. Returns its size. */
static size_t note(size_t off, const char *name, u32 type, u64 desc, u32 descsz)
{
	u32 namesz = (u32)strlen(name) + 1;
	size_t desc_off = off + 12 + ALIGN_UP(namesz, 4);

	put(off, namesz, 4);
	put(off + 4, descsz, 4);
	put(off + 8, type, 4);
	memcpy(img + off + 12, name, namesz);
	put(desc_off, desc, descsz);
	return desc_off + ALIGN_UP(descsz, 4) - off;
}

static void pvh_kernel_with_note(u64 entry, u32 descsz)
{
	size_t notes;

	elf64_header(2);
	/* Another owner's note first, then Xen's: the parser must walk past the first. */
	notes = note(NOTE_OFF, "GNU", 3, 0x1234, 4);
	notes += note(NOTE_OFF + notes, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, entry, descsz);
	phdr64(0, 1 /* PT_LOAD */, TEXT_OFF, KERNEL_PADDR, TEXT_LEN, TEXT_LEN + 0x3000);
	phdr64(1, 4 /* PT_NOTE */, NOTE_OFF, 0, notes, notes);
	memset(img + TEXT_OFF, 0xc3, TEXT_LEN);
	img_len = TEXT_OFF + TEXT_LEN;
}

static void pvh_kernel(void)
{
	pvh_kernel_with_note(PVH_ENTRY, 8);
}

static void add_module(const char *string, size_t len, u8 fill)
{
	u8 *data = malloc(len);

	memset(data, fill, len);
	mods[nr_mods++] = (struct guest_module){ data, len, string };
}

static void free_modules(void)
{
	while (nr_mods)
		free((void *)mods[--nr_mods].data);
}

static void pvh_kernel_starts_32_bit_at_its_note_with_ebx_at_hvm_start_info(void **state)
{
	pvh_kernel();
	assert_int_equal(load(), 0);
	assert_int_equal(protocol, BOOT_PVH);
	assert_int_equal(start.rip, PVH_ENTRY);
	assert_int_equal(start.rbx, GUEST_BOOT_PARAMS);
	assert_false(start.long_mode);
	assert_int_equal(ram_get(start.rbx, 4), 0x336ec578); /* XEN_HVM_START_MAGIC_VALUE */
	assert_int_equal(ram_get(start.rbx + 4, 4), 1); /* version 1: with the memory map */
	/* The segment: its file bytes, then zeroes up to memsz. */
	assert_int_equal(ram[KERNEL_PADDR], 0xc3);
	assert_int_equal(ram[KERNEL_PADDR + TEXT_LEN - 1], 0xc3);
	assert_int_equal(ram[KERNEL_PADDR + TEXT_LEN], 0);
}

static void pvh_entry_note_of_4_bytes_is_accepted(void **state)
{
	pvh_kernel_with_note(PVH_ENTRY, 4);
	assert_int_equal(load(), 0);
	assert_int_equal(start.rip, PVH_ENTRY);
}

static void pvh_start_info_has_command_line_rsdp_and_memory_map(void **state)
{
	struct e820_entry map[LOADER_MAX_E820];
	u32 n = loader_memory_map(RAM_SIZE, map), i;
	u64 si = GUEST_BOOT_PARAMS, memmap;

	pvh_kernel();
	assert_int_equal(load(), 0);
	assert_string_equal((const char *)ram + ram_get(si + 24, 8), cmdline);
	assert_int_equal(ram_get(si + 32, 8), HV_ACPI_RSDP_GPA);
	memmap = ram_get(si + 40, 8);
	assert_int_equal(ram_get(si + 48, 4), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(ram_get(memmap + i * 24, 8), map[i].addr);
		assert_int_equal(ram_get(memmap + i * 24 + 8, 8), map[i].size);
		assert_int_equal(ram_get(memmap + i * 24 + 16, 4), map[i].type);
	}
	assert_int_equal(ram_get(si + 12, 4), 0); /* no modules */
}

static void pvh_modules_go_page_aligned_to_the_top_of_ram_with_their_strings(void **state)
{
	u64 si = GUEST_BOOT_PARAMS, list, first, second;

	pvh_kernel();
	add_module("initrd", 5000, 0x11);
	add_module("env", 100, 0x22);
	assert_int_equal(load(), 0);
	assert_int_equal(ram_get(si + 12, 4), 2);
	list = ram_get(si + 16, 8);
	first = ram_get(list, 8);
	second = ram_get(list + 32, 8);
	assert_int_equal(first % 4096, 0);
	assert_int_equal(second, first + 8192);
	assert_int_equal(ram_get(list + 8, 8), 5000);
	assert_int_equal(ram_get(list + 40, 8), 100);
	assert_true(second + 100 <= RAM_SIZE && second + 100 > RAM_SIZE - 4096);
	assert_int_equal(ram[first], 0x11);
	assert_int_equal(ram[first + 4999], 0x11);
	assert_int_equal(ram[second + 99], 0x22);
	assert_string_equal((const char *)ram + ram_get(list + 16, 8), "initrd");
	assert_string_equal((const char *)ram + ram_get(list + 48, 8), "env");
	free_modules();
}

static void pvh_modules_that_do_not_fit_above_the_kernel_are_refused(void **state)
{
	pvh_kernel();
	/* 96 MiB of RAM, the kernel ends 20 KiB past 16 MiB. */
	add_module("initrd", 80 * MiB, 0);
	assert_refused(load(), "the modules do not fit in guest RAM above the kernel");
	free_modules();
}

static void elf_without_entry_note_is_refused(void **state)
{
	pvh_kernel();
	put(NOTE_OFF + 16 + 8 + 8, 17, 4); /* Xen's note, another type */
	assert_refused(load(), "without a PVH entry note");
}

static void pvh_entry_note_with_high_bits_is_refused(void **state)
{
	pvh_kernel_with_note(0x100001000ULL, 8);
	assert_refused(load(), "not a 32-bit address");
}

static void pvh_note_running_past_its_segment_is_refused(void **state)
{
	pvh_kernel();
	put(NOTE_OFF + 16 + 4, 0x1000, 4); /* Xen's descsz */
	assert_refused(load(), "runs past its segment");
}

static void pvh_entry_outside_the_segments_is_refused(void **state)
{
	pvh_kernel_with_note(KERNEL_PADDR + TEXT_LEN + 0x3000, 8);
	assert_refused(load(), "outside every loaded segment");
}

static void truncated_pvh_kernel_is_refused(void **state)
{
	pvh_kernel();
	img_len = TEXT_OFF + TEXT_LEN - 1;
	assert_refused(load(), "outside the file (truncated?)");
	img_len = PH_OFF + 56;
	assert_refused(load(), "outside the file (truncated?)");
}

static void pvh_kernel_over_hvs_boot_data_is_refused(void **state)
{
	pvh_kernel();
	put(56, 3, 2); /* a third program header */
	phdr64(2, 1, TEXT_OFF, 0xe000, 0x10, 0x1001);
	assert_refused(load(), "overlaps hv's boot data");
	phdr64(2, 1, TEXT_OFF, 0xf000, 0x10, 0x1000);
	assert_int_equal(load(), 0);
}

static void pvh_kernel_larger_than_ram_is_refused(void **state)
{
	pvh_kernel();
	assert_refused(load_with(16 * MiB), "does not fit in the guest's RAM");
}

static void pvh_command_line_too_long_is_refused(void **state)
{
	static char longline[GUEST_BOOT_CMDLINE_MAX + 1];

	memset(longline, 'x', GUEST_BOOT_CMDLINE_MAX);
	pvh_kernel();
	cmdline = longline;
	assert_refused(load(), "command line is longer");
	longline[GUEST_BOOT_CMDLINE_MAX - 1] = '\0';
	assert_int_equal(load(), 0);
}

/* ---- a bzImage (boot protocol 2.15) ---- */

#define SETUP_SECTS 1U
#define BZ_KERNEL_LEN 0x4000U
#define BZ_INIT_SIZE 0x800000U

static void bzimage(void)
{
	size_t kernel = (SETUP_SECTS + 1) * 512;

	img[0x1f1] = SETUP_SECTS;
	put(0x1f4, BZ_KERNEL_LEN / 16, 4); /* syssize */
	put(0x1fe, 0xaa55, 2);
	img[0x200] = 0xeb;
	img[0x201] = 0x6a; /* the header ends at 0x26c */
	put(0x202, LINUX_HDRS_MAGIC, 4);
	put(0x206, 0x020f, 2);
	img[0x211] = 0x01 | 0x20; /* LOADED_HIGH, QUIET */
	put(0x214, 0x100000, 4);
	put(0x22c, 0x7fffffff, 4);
	put(0x230, 0x200000, 4);
	img[0x234] = 1;
	put(0x236, 0x7f, 2); /* XLF_KERNEL_64 and more */
	put(0x238, 255, 4);
	put(0x258, KERNEL_PADDR, 8);
	put(0x260, BZ_INIT_SIZE, 4);
	put(0x268, 0xabcd, 4); /* inside the header: copied as it is */
	memset(img + kernel, 0x90, BZ_KERNEL_LEN);
	img_len = kernel + BZ_KERNEL_LEN;
}

static const u8 *boot_params(void)
{
	return ram + start.rsi;
}

/* The 64-bit entry's page tables, walked as the CPU would (4-level, 2 MiB leaves). */
static u64 translate(u64 cr3, u64 va)
{
	u64 pml4e = ram_get(cr3 + ((va >> 39) & 511) * 8, 8);
	u64 pdpte = ram_get((pml4e & ~0xfffULL) + ((va >> 30) & 511) * 8, 8);
	u64 pde = ram_get((pdpte & ~0xfffULL) + ((va >> 21) & 511) * 8, 8);

	assert_true(pml4e & 1);
	assert_true(pdpte & 1);
	assert_true((pde & 0x83) == 0x83); /* present, writable, 2 MiB */
	return (pde & ~0x1fffffULL) + (va & 0x1fffff);
}

static void bzimage_starts_in_64_bit_mode_at_load_address_plus_0x200(void **state)
{
	bzimage();
	assert_int_equal(load(), 0);
	assert_int_equal(protocol, BOOT_LINUX64);
	assert_true(start.long_mode);
	assert_int_equal(start.rip, KERNEL_PADDR + 0x200);
	assert_int_equal(start.rsi, GUEST_BOOT_PARAMS);
	assert_int_equal(start.code_selector, 0x10);
	assert_int_equal(start.data_selector, 0x18);
	/* The protected-mode kernel, not the setup sectors, at the preferred address. */
	assert_int_equal(ram[KERNEL_PADDR], 0x90);
	assert_int_equal(ram[KERNEL_PADDR + BZ_KERNEL_LEN - 1], 0x90);
	assert_int_equal(ram[KERNEL_PADDR + BZ_KERNEL_LEN], 0);
}

static void bzimage_gdt_has_flat_boot_cs_and_ds(void **state)
{
	bzimage();
	assert_int_equal(load(), 0);
	assert_true(start.gdt_limit >= 0x1f);
	/* __BOOT_CS: 64-bit (L), present, DPL 0, execute/read; __BOOT_DS: flat read/write. */
	assert_int_equal(ram_get(start.gdt_base + 0x10, 8), 0x00af9b000000ffffULL);
	assert_int_equal(ram_get(start.gdt_base + 0x18, 8), 0x00cf93000000ffffULL);
}

static void bzimage_page_tables_identity_map_the_first_4_gib(void **state)
{
	u64 va[] = { 0,
		     KERNEL_PADDR + 0x200,
		     GUEST_BOOT_PARAMS,
		     0xbfffffffULL,
		     HV_IOAPIC_BASE,
		     0xffffffffULL };
	size_t i;

	bzimage();
	assert_int_equal(load(), 0);
	for (i = 0; i < ARRAY_SIZE(va); i++)
		assert_int_equal(translate(start.cr3, va[i]), va[i]);
}

static void bzimage_boot_params_hold_header_e820_command_line_and_rsdp(void **state)
{
	struct e820_entry map[LOADER_MAX_E820];
	u32 n = loader_memory_map(RAM_SIZE, map), i;
	const u8 *bp;

	bzimage();
	assert_int_equal(load(), 0);
	bp = boot_params();
	assert_int_equal(get(bp + 0x202, 4), LINUX_HDRS_MAGIC);
	assert_int_equal(get(bp + 0x268, 4), 0xabcd);
	assert_int_equal(get(bp + 0x26c, 4), 0); /* past the header's end: not copied */
	assert_int_equal(bp[0x210], 0xff); /* type_of_loader: undefined */
	assert_int_equal(bp[0x211] & 0x20, 0); /* QUIET cleared */
	assert_int_equal(bp[0x211] & 0x01, 0x01);
	assert_int_equal(get(bp + 0x214, 4), KERNEL_PADDR);
	assert_string_equal((const char *)ram + get(bp + 0x228, 4), cmdline);
	assert_int_equal(get(bp + 0x70, 8), HV_ACPI_RSDP_GPA);
	assert_int_equal(bp[0x1e8], n);
	for (i = 0; i < n; i++) {
		const u8 *e = bp + 0x2d0 + i * 20;

		assert_int_equal(get(e, 8), map[i].addr);
		assert_int_equal(get(e + 8, 8), map[i].size);
		assert_int_equal(get(e + 16, 4), map[i].type);
	}
	assert_int_equal(get(bp + 0x218, 4), 0); /* no initrd */
	assert_int_equal(get(bp + 0x21c, 4), 0);
}

static void bzimage_modules_are_one_initrd_at_the_top_concatenated_4_byte_aligned(void **state)
{
	u64 image, size;

	bzimage();
	add_module("initramfs", 1001, 0x33);
	add_module("more", 50, 0x44);
	assert_int_equal(load(), 0);
	image = get(boot_params() + 0x218, 4);
	size = get(boot_params() + 0x21c, 4);
	assert_int_equal(size, 1004 + 50);
	assert_int_equal(image % 4096, 0);
	assert_true(image + size <= RAM_SIZE && image + size > RAM_SIZE - 4096);
	assert_int_equal(ram[image], 0x33);
	assert_int_equal(ram[image + 1000], 0x33);
	assert_int_equal(ram[image + 1004], 0x44);
	assert_int_equal(ram[image + 1053], 0x44);
	free_modules();
}

static void bzimage_initrd_stays_below_initrd_addr_max(void **state)
{
	u64 image;

	bzimage();
	put(0x22c, 0x3ffffff, 4); /* 64 MiB - 1 */
	add_module("initramfs", 4096, 0x55);
	assert_int_equal(load(), 0);
	image = get(boot_params() + 0x218, 4);
	assert_int_equal(image + 4096, 64 * MiB);
	free_modules();
}

static void bzimage_initrd_that_does_not_fit_above_the_kernel_is_refused(void **state)
{
	bzimage();
	/* 96 MiB of RAM, the kernel needs [16, 24) MiB: 72 MiB are left above it. */
	add_module("initramfs", 72 * MiB + 1, 0);
	assert_refused(load(), "the initrd does not fit");
	free_modules();
	add_module("initramfs", 72 * MiB, 0);
	assert_int_equal(load(), 0);
	free_modules();
}

static void bzimage_needing_more_ram_than_the_guest_has_is_refused(void **state)
{
	bzimage();
	assert_refused(load_with(KERNEL_PADDR + BZ_INIT_SIZE - 2 * MiB), "give it more");
	assert_int_equal(load_with(KERNEL_PADDR + BZ_INIT_SIZE), 0);
}

static void bzimage_command_line_longer_than_cmdline_size_is_refused(void **state)
{
	static char line[257];

	memset(line, 'a', 256);
	bzimage();
	cmdline = line;
	assert_refused(load(), "longer than the kernel accepts");
	line[255] = '\0';
	assert_int_equal(load(), 0);
}

static void truncated_bzimage_is_refused(void **state)
{
	bzimage();
	img_len -= 1;
	assert_refused(load(), "truncated bzImage");
	img_len = 0x230;
	assert_refused(load(), "truncated bzImage");
}

static void bzimage_without_64_bit_entry_is_refused(void **state)
{
	bzimage();
	put(0x236, 0x7e, 2);
	assert_refused(load(), "no 64-bit entry");
	bzimage();
	put(0x206, 0x020b, 2);
	assert_refused(load(), "no 64-bit entry");
}

static void bzimage_without_boot_flag_is_refused(void **state)
{
	bzimage();
	put(0x1fe, 0, 2);
	assert_refused(load(), "no boot flag");
}

static void bzimage_with_misaligned_preferred_address_is_refused(void **state)
{
	bzimage();
	put(0x258, KERNEL_PADDR + 0x1000, 8);
	assert_refused(load(), "not aligned");
}

static void bzimage_init_size_smaller_than_the_kernel_is_refused(void **state)
{
	bzimage();
	put(0x260, BZ_KERNEL_LEN - 1, 4);
	assert_refused(load(), "init_size");
}

/* ---- Multiboot: the information after the image, as QEMU's -kernel ---- */

#define MB_LOAD 0x8000U
#define MB_HDR 0x40U

/* An address-fields Multiboot kernel loading @len bytes at @load. */
static void multiboot_kernel_at(u32 load, u32 len)
{
	u32 flags = 0x00010003;

	put(MB_HDR, MB1_HEADER_MAGIC, 4);
	put(MB_HDR + 4, flags, 4);
	put(MB_HDR + 8, -(MB1_HEADER_MAGIC + flags), 4);
	put(MB_HDR + 12, load + MB_HDR, 4); /* header_addr */
	put(MB_HDR + 16, load, 4);
	put(MB_HDR + 20, load + len, 4);
	put(MB_HDR + 24, 0, 4);
	put(MB_HDR + 28, load + 0x100, 4);
	img_len = len;
}

static void multiboot_information_goes_right_after_a_low_kernel(void **state)
{
	u64 info;

	multiboot_kernel_at(MB_LOAD, 0x1800);
	add_module("data", 3000, 0x66);
	assert_int_equal(load(), 0);
	assert_int_equal(protocol, BOOT_MULTIBOOT);
	assert_int_equal(start.rax, MB1_BOOTLOADER_MAGIC);
	assert_int_equal(start.rip, MB_LOAD + 0x100);
	info = start.rbx;
	assert_int_equal(info, ALIGN_UP(MB_LOAD + 0x1800, 4096));
	assert_string_equal((const char *)ram + ram_get(info + 16, 4), cmdline);
	assert_int_equal(ram_get(info + 20, 4), 1); /* mods_count */
	/* The module after the information, page-aligned, still below the EBDA. */
	assert_true(ram_get(ram_get(info + 24, 4), 4) > info);
	assert_int_equal(ram_get(ram_get(info + 24, 4), 4) % 4096, 0);
	assert_int_equal(ram[ram_get(ram_get(info + 24, 4), 4)], 0x66);
	free_modules();
}

static void multiboot_information_that_would_reach_the_ebda_goes_to_1_mib(void **state)
{
	multiboot_kernel_at(0x9d000, 0x1000);
	assert_int_equal(load(), 0);
	assert_int_equal(start.rbx, GUEST_HIGH_RAM_START);
}

static void multiboot_memory_map_is_the_platforms(void **state)
{
	struct e820_entry map[LOADER_MAX_E820];
	u32 n = loader_memory_map(RAM_SIZE, map), i;
	u64 info, mmap;

	multiboot_kernel_at(0x100000, 0x1000);
	assert_int_equal(load(), 0);
	info = start.rbx;
	mmap = ram_get(info + 48, 4);
	assert_int_equal(ram_get(info + 44, 4), n * 24);
	for (i = 0; i < n; i++) {
		assert_int_equal(ram_get(mmap + i * 24, 4), 20);
		assert_int_equal(ram_get(mmap + i * 24 + 4, 8), map[i].addr);
		assert_int_equal(ram_get(mmap + i * 24 + 12, 8), map[i].size);
		assert_int_equal(ram_get(mmap + i * 24 + 20, 4), map[i].type);
	}
	assert_int_equal(ram_get(info + 4, 4), 639); /* mem_lower, KiB */
	assert_int_equal(ram_get(info + 8, 4), (RAM_SIZE - MiB) / KiB);
}

/* ---- what every protocol shares ---- */

static void image_of_no_known_kind_is_refused_in_one_line(void **state)
{
	memcpy(img, "#!/bin/sh\necho not a kernel\n", 28);
	img_len = 28;
	assert_refused(load(), "not a kernel image hv knows");
	assert_null(strchr(err, '\n'));
}

/* QEMU's order: the Linux header wins over a Multiboot header, which wins over PVH. */
static void linux_header_then_multiboot_then_pvh_decide(void **state)
{
	pvh_kernel();
	assert_int_equal(load(), 0);
	assert_int_equal(protocol, BOOT_PVH);
	put(0x800, MB1_HEADER_MAGIC, 4);
	put(0x804, 0, 4);
	put(0x808, -MB1_HEADER_MAGIC, 4);
	assert_refused(load(), "a Multiboot kernel starts in 32-bit mode");
	assert_int_equal(protocol, BOOT_MULTIBOOT);
	put(0x202, LINUX_HDRS_MAGIC, 4);
	assert_refused(load(), "bzImage");
	assert_int_equal(protocol, BOOT_LINUX64);
}

static void memory_map_reserves_the_ebda_and_bios_area_and_the_mmio_window(void **state)
{
	struct e820_entry map[LOADER_MAX_E820];
	u32 n = loader_memory_map(4 * GiB, map);

	assert_int_equal(n, 6);
	assert_int_equal(map[0].addr, 0);
	assert_int_equal(map[0].size, 0x9fc00);
	assert_int_equal(map[0].type, E820_RAM);
	assert_int_equal(map[1].type, E820_RESERVED);
	assert_int_equal(map[2].addr, 0xe0000);
	assert_int_equal(map[2].addr + map[2].size, 0x100000);
	assert_int_equal(map[2].type, E820_RESERVED);
	assert_int_equal(map[3].addr + map[3].size, 3 * GiB);
	assert_int_equal(map[4].addr, 3 * GiB);
	assert_int_equal(map[4].type, E820_RESERVED);
	assert_int_equal(map[5].addr, 4 * GiB);
	assert_int_equal(map[5].size, GiB);
	assert_int_equal(loader_memory_map(3 * GiB, map), 4);
}

/* ---- the ACPI tables, read with hv's own parsers ---- */

static void acpi_tables_reached_from_the_rsdp_in_guest_ram(void **state)
{
	struct acpi_facts f = { 0 };
	bool is_xsdt = false;
	u64 root, fadt = 0, madt = 0, entry;
	u32 i, len;

	vcpus = 3;
	pvh_kernel();
	assert_int_equal(load(), 0);
	root = acpi_root_from_rsdp(ram + HV_ACPI_RSDP_GPA, 36, &is_xsdt);
	assert_true(is_xsdt);
	assert_true(acpi_table_valid(ram + root, 4096, "XSDT"));
	len = (u32)ram_get(root + 4, 4);
	for (i = 36; i < len; i += 8) {
		entry = ram_get(root + i, 8);
		assert_true(entry >= GUEST_BIOS_AREA && entry < GUEST_BIOS_AREA_END);
		if (!memcmp(ram + entry, "FACP", 4))
			fadt = entry;
		if (!memcmp(ram + entry, "APIC", 4))
			madt = entry;
	}
	assert_true(fadt && madt);
	assert_true(acpi_table_valid(ram + fadt, 4096, "FACP"));
	assert_true(acpi_table_valid(ram + madt, 4096, "APIC"));
	assert_int_equal(acpi_parse_fadt(ram + fadt, ram_get(fadt + 4, 4), &f), 0);
	assert_int_equal(acpi_parse_madt(ram + madt, ram_get(madt + 4, 4), &f), 0);
	assert_true(acpi_table_valid(ram + f.dsdt_pa, 4096, "DSDT"));
	assert_int_equal(acpi_parse_dsdt_s5(ram + f.dsdt_pa, ram_get(f.dsdt_pa + 4, 4), &f), 0);
	assert_int_equal(f.nr_cpus, 3);
	assert_int_equal(f.apic_ids[0], 0);
	assert_int_equal(f.apic_ids[2], 2);
	assert_int_equal(f.lapic_pa, HV_LOCAL_APIC_GPA);
	assert_int_equal(f.pm_timer_port, HV_PM_TMR_PORT);
	assert_true(f.pm_timer_32bit);
	assert_int_equal(f.pm1a_cnt_port, HV_PM1A_CNT_PORT);
	assert_true(f.have_s5);
	assert_int_equal(f.slp_typ_a, HV_SLP_TYP_S5);
}

static void acpi_rsdt_lists_the_same_tables_as_the_xsdt(void **state)
{
	struct acpi_tables t;
	u64 rsdt, xsdt;

	assert_int_equal(acpi_tables_build(&t, 1), 0);
	rsdt = get(t.rsdp + 16, 4) - HV_ACPI_TABLES_GPA;
	xsdt = get(t.rsdp + 24, 8) - HV_ACPI_TABLES_GPA;
	assert_true(acpi_table_valid(t.tables + rsdt, t.tables_len - rsdt, "RSDT"));
	assert_int_equal(get(t.tables + rsdt + 36, 4), get(t.tables + xsdt + 36, 8));
	assert_int_equal(get(t.tables + rsdt + 40, 4), get(t.tables + xsdt + 44, 8));
}

static void acpi_madt_describes_the_io_apic_and_the_pc_overrides(void **state)
{
	struct acpi_tables t;
	const u8 *madt = NULL, *e, *end;
	u64 xsdt;
	u32 i, overrides = 0, ioapics = 0;

	assert_int_equal(acpi_tables_build(&t, 2), 0);
	xsdt = get(t.rsdp + 24, 8) - HV_ACPI_TABLES_GPA;
	for (i = 0; i < 2; i++) {
		const u8 *tab =
			t.tables + get(t.tables + xsdt + 36 + 8 * i, 8) - HV_ACPI_TABLES_GPA;

		if (!memcmp(tab, "APIC", 4))
			madt = tab;
	}
	assert_non_null(madt);
	assert_int_equal(get(madt + 40, 4) & 1, 1); /* PCAT_COMPAT: the 8259s are there */
	end = madt + get(madt + 4, 4);
	for (e = madt + 44; e < end; e += e[1]) {
		assert_true(e[1] >= 2);
		if (e[0] == 1) {
			ioapics++;
			assert_int_equal(e[2], HV_IOAPIC_ID);
			assert_int_equal(get(e + 4, 4), HV_IOAPIC_BASE);
			assert_int_equal(get(e + 8, 4), 0);
		}
		if (e[0] == 2 && e[3] == HV_IRQ_PIT) {
			overrides++;
			assert_int_equal(get(e + 4, 4), HV_GSI_PIT);
		}
		if (e[0] == 2 && e[3] == HV_IRQ_SCI) {
			overrides++;
			assert_int_equal(get(e + 8, 2), 0xd); /* level, active high */
		}
	}
	assert_int_equal(e, end);
	assert_int_equal(ioapics, 1);
	assert_int_equal(overrides, 2);
}

static void acpi_fadt_is_not_hardware_reduced_and_has_no_8042(void **state)
{
	struct acpi_tables t;
	const u8 *fadt;
	u64 xsdt;

	assert_int_equal(acpi_tables_build(&t, 1), 0);
	xsdt = get(t.rsdp + 24, 8) - HV_ACPI_TABLES_GPA;
	fadt = t.tables + get(t.tables + xsdt + 36, 8) - HV_ACPI_TABLES_GPA;
	assert_memory_equal(fadt, "FACP", 4);
	assert_int_equal(get(fadt + 112, 4) & BIT(20), 0); /* HW_REDUCED_ACPI */
	assert_int_equal(get(fadt + 109, 2) & BIT(1), 0); /* no 8042 */
	assert_int_equal(get(fadt + 46, 2), HV_IRQ_SCI);
	assert_int_equal(get(fadt + 48, 4), 0); /* no SMI command: always in ACPI mode */
	assert_int_equal(get(fadt + 132, 8), 0); /* X_FIRMWARE_CTRL 0: FIRMWARE_CTRL counts */
	assert_int_equal(get(fadt + 116 + 4, 8), HV_RESET_PORT);
	assert_int_equal(fadt[128], HV_RESET_VALUE);
	assert_int_equal(get(fadt + 148 + 4, 8), HV_PM1A_EVT_PORT);
}

static void acpi_tables_for_too_many_vcpus_are_refused(void **state)
{
	struct acpi_tables t;

	assert_int_equal(acpi_tables_build(&t, 0), -1);
	assert_int_equal(acpi_tables_build(&t, 255), -1); /* the MADT would not fit */
	assert_int_equal(acpi_tables_build(&t, 64), 0);
}

/* ---- CPUID's timing leaves ---- */

static void cpuid_leaf_15_tells_the_tsc_rate_as_crystal_and_ratio(void **state)
{
	struct cpuid_regs r = { 0x12345678, 2, 3, 4 };

	cpuid_timing_leaf(0x15, &r);
	assert_int_equal(r.eax, 1);
	assert_int_equal(r.ebx, 1);
	assert_int_equal(r.ecx, 10001000);
	assert_int_equal(r.edx, 0);
	r = (struct cpuid_regs){ 0 };
	cpuid_timing_leaf(0x16, &r);
	assert_int_equal(r.eax, 10);
	assert_int_equal(r.ebx, 10);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(pvh_kernel_starts_32_bit_at_its_note_with_ebx_at_hvm_start_info),
		T(pvh_entry_note_of_4_bytes_is_accepted),
		T(pvh_start_info_has_command_line_rsdp_and_memory_map),
		T(pvh_modules_go_page_aligned_to_the_top_of_ram_with_their_strings),
		T(pvh_modules_that_do_not_fit_above_the_kernel_are_refused),
		T(elf_without_entry_note_is_refused),
		T(pvh_entry_note_with_high_bits_is_refused),
		T(pvh_note_running_past_its_segment_is_refused),
		T(pvh_entry_outside_the_segments_is_refused),
		T(truncated_pvh_kernel_is_refused),
		T(pvh_kernel_over_hvs_boot_data_is_refused),
		T(pvh_kernel_larger_than_ram_is_refused),
		T(pvh_command_line_too_long_is_refused),
		T(bzimage_starts_in_64_bit_mode_at_load_address_plus_0x200),
		T(bzimage_gdt_has_flat_boot_cs_and_ds),
		T(bzimage_page_tables_identity_map_the_first_4_gib),
		T(bzimage_boot_params_hold_header_e820_command_line_and_rsdp),
		T(bzimage_modules_are_one_initrd_at_the_top_concatenated_4_byte_aligned),
		T(bzimage_initrd_stays_below_initrd_addr_max),
		T(bzimage_initrd_that_does_not_fit_above_the_kernel_is_refused),
		T(bzimage_needing_more_ram_than_the_guest_has_is_refused),
		T(bzimage_command_line_longer_than_cmdline_size_is_refused),
		T(truncated_bzimage_is_refused),
		T(bzimage_without_64_bit_entry_is_refused),
		T(bzimage_without_boot_flag_is_refused),
		T(bzimage_with_misaligned_preferred_address_is_refused),
		T(bzimage_init_size_smaller_than_the_kernel_is_refused),
		T(multiboot_information_goes_right_after_a_low_kernel),
		T(multiboot_information_that_would_reach_the_ebda_goes_to_1_mib),
		T(multiboot_memory_map_is_the_platforms),
		T(image_of_no_known_kind_is_refused_in_one_line),
		T(linux_header_then_multiboot_then_pvh_decide),
		T(memory_map_reserves_the_ebda_and_bios_area_and_the_mmio_window),
		T(acpi_tables_reached_from_the_rsdp_in_guest_ram),
		T(acpi_rsdt_lists_the_same_tables_as_the_xsdt),
		T(acpi_madt_describes_the_io_apic_and_the_pc_overrides),
		T(acpi_fadt_is_not_hardware_reduced_and_has_no_8042),
		T(acpi_tables_for_too_many_vcpus_are_refused),
		T(cpuid_leaf_15_tells_the_tsc_rate_as_crystal_and_ratio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
