// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a guest (loader.h): recognise the image, copy it in, place the
 * modules, and hand over the memory map, the command line and the ACPI
 * tables the way its boot protocol says.
 *
 *   Multiboot  the information right after the image, then the modules
 *              (where QEMU's -kernel puts them)
 *   PVH        hvm_start_info at GUEST_BOOT_PARAMS, the modules at the top
 *              of low RAM
 *   Linux64    boot_params at GUEST_BOOT_PARAMS, identity-mapped page
 *              tables and a GDT below it, the modules concatenated into
 *              one initrd at the top of low RAM (as GRUB's `initrd a b`)
 */
#include <hv/core/mb1_loader.h>
#include <hv/lib/string.h>
#include <hv/loader/acpi_tables.h>
#include <hv/loader/image.h>
#include <hv/loader/loader.h>
#include <public/hv.h>
#include <public/platform.h>

#define PAGE 4096ULL
#define E820_ENTRY_SIZE 20U /* boot_params' packed struct boot_e820_entry */

/* Multiboot information (Multiboot 0.6.96, 3.3) */
#define MBI_FLAG_MEMORY BIT(0)
#define MBI_FLAG_CMDLINE BIT(2)
#define MBI_FLAG_MODS BIT(3)
#define MBI_FLAG_MMAP BIT(6)
#define MBI_FLAG_LOADER_NAME BIT(9)

struct mbi {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr, drives_length, drives_addr, config_table;
	u32 boot_loader_name, apm_table;
} __packed;

struct mbi_module {
	u32 mod_start, mod_end, string, reserved;
} __packed;

struct mbi_mmap_entry {
	u32 size; /* of the rest of the entry: 20 */
	u64 base, length;
	u32 type;
} __packed;

/* The Multiboot information area, right after the image. */
#define MBI_OFF_INFO 0x0
#define MBI_OFF_MMAP 0x100
#define MBI_OFF_LOADER_NAME 0x200
#define MBI_OFF_MODS 0x300
#define MBI_OFF_CMDLINE 0x400
#define MBI_CMDLINE_MAX 0x1000
#define MBI_OFF_MOD_STRINGS 0x1400
#define MBI_AREA_SIZE 0x2000ULL

_Static_assert(MBI_OFF_MODS + MAX_GUEST_MODULES * sizeof(struct mbi_module) <= MBI_OFF_CMDLINE,
	       "module list overlaps the command line");
_Static_assert(MBI_OFF_MOD_STRINGS + MAX_GUEST_MODULES * LOADER_MODULE_STRING_MAX <= MBI_AREA_SIZE,
	       "module strings overflow the Multiboot information area");

/* hvm_start_info and its tables (Xen's public/arch-x86/hvm/start_info.h) */
#define XEN_HVM_START_MAGIC 0x336ec578U
#define HVM_START_INFO_VERSION 1U /* with the memory map */

struct hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	u32 memmap_entries, reserved;
};

struct hvm_modlist_entry {
	u64 paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_table_entry {
	u64 addr, size;
	u32 type, reserved;
};

#define PVH_OFF_MODLIST 0x40
#define PVH_OFF_MEMMAP 0x400
_Static_assert(PVH_OFF_MODLIST + MAX_GUEST_MODULES * sizeof(struct hvm_modlist_entry) <=
		       PVH_OFF_MEMMAP,
	       "module list overlaps the memory map");

/* boot_params ("zero page", Linux's Documentation/arch/x86/zero-page.rst) */
#define BP_SIZE 4096U
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_E820_ENTRIES 0x1e8
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_CODE32_START 0x214
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_CMD_LINE_PTR 0x228
#define BP_E820_TABLE 0x2d0
#define LOADER_TYPE_UNDEFINED 0xff /* boot.rst: a loader without an assigned ID */
#define LOADFLAGS_QUIET BIT(5)
#define LINUX64_ENTRY_OFFSET 0x200 /* startup_64, from the start of the kernel */
#define INITRD_ALIGN 4U /* concatenated cpio archives start 4-byte aligned */

/* The 64-bit entry's GDT (boot.rst: __BOOT_CS 0x10, __BOOT_DS 0x18) and page tables. */
#define BOOT_CS 0x10
#define BOOT_DS 0x18
#define GDT_CODE64 0x00af9b000000ffffULL /* flat, L, present, execute/read */
#define GDT_DATA 0x00cf93000000ffffULL /* flat 4 GiB, present, read/write */
#define PTE_P BIT(0)
#define PTE_RW BIT(1)
#define PTE_PS BIT(7)
#define BOOT_PDPT (GUEST_BOOT_PML4 + PAGE)
#define BOOT_PD (GUEST_BOOT_PML4 + 2 * PAGE)
#define BOOT_PDS 4U /* 4 GiB */

_Static_assert(BOOT_PD + BOOT_PDS * PAGE <= GUEST_BOOT_PARAMS, "page tables overlap boot_params");
_Static_assert(GUEST_BOOT_PARAMS + BP_SIZE <= GUEST_BOOT_CMDLINE, "boot_params overlap");
_Static_assert(GUEST_BOOT_MOD_STRINGS + MAX_GUEST_MODULES * LOADER_MODULE_STRING_MAX <=
		       GUEST_BOOT_DATA_END,
	       "module strings overflow the boot data");

static void put(u8 *p, u64 v, unsigned int n)
{
	memcpy(p, &v, n);
}

static void write(const struct guest_ram *ram, u64 gpa, const void *src, u64 len)
{
	ram->write(ram->ctx, gpa, src, len);
}

const char *boot_protocol_name(enum boot_protocol protocol)
{
	switch (protocol) {
	case BOOT_MULTIBOOT:
		return "Multiboot";
	case BOOT_PVH:
		return "PVH";
	default:
		return "Linux 64-bit boot protocol (bzImage)";
	}
}

u64 loader_low_ram(u64 ram_size)
{
	return MIN(ram_size, HV_MMIO_WINDOW_START);
}

u32 loader_memory_map(u64 ram_size, struct e820_entry map[LOADER_MAX_E820])
{
	u64 low = loader_low_ram(ram_size);
	u32 n = 0;

	map[n++] = (struct e820_entry){ 0, GUEST_LOW_RAM_END, E820_RAM };
	map[n++] = (struct e820_entry){ GUEST_LOW_RAM_END, 0xa0000 - GUEST_LOW_RAM_END,
					E820_RESERVED };
	map[n++] = (struct e820_entry){ GUEST_BIOS_AREA, GUEST_BIOS_AREA_END - GUEST_BIOS_AREA,
					E820_RESERVED };
	map[n++] =
		(struct e820_entry){ GUEST_HIGH_RAM_START, low - GUEST_HIGH_RAM_START, E820_RAM };
	if (ram_size > low) {
		map[n++] = (struct e820_entry){ HV_MMIO_WINDOW_START,
						HV_MMIO_WINDOW_END - HV_MMIO_WINDOW_START,
						E820_RESERVED };
		map[n++] = (struct e820_entry){ HV_MMIO_WINDOW_END, ram_size - low, E820_RAM };
	}
	return n;
}

static bool overlaps(u64 a, u64 a_len, u64 b, u64 b_end)
{
	return a < b_end && b < a + a_len;
}

int loader_check_fit(const struct load_segment *s, u32 n, u64 ram_end, bool boot_data,
		     const char **error)
{
	u32 i;

	for (i = 0; i < n; i++, s++) {
		if (s->gpa >= ram_end || s->memsz > ram_end - s->gpa) {
			*error = "the image does not fit in the guest's RAM";
			return -1;
		}
		if (overlaps(s->gpa, s->memsz, GUEST_LOW_RAM_END, GUEST_HIGH_RAM_START)) {
			*error = "the image overlaps the reserved area 0x9fc00-0xfffff (EBDA, BIOS "
				 "area with the ACPI tables)";
			return -1;
		}
		if (boot_data && overlaps(s->gpa, s->memsz, GUEST_BOOT_GDT, GUEST_BOOT_DATA_END)) {
			*error = "the image overlaps hv's boot data at 0x1000-0xefff";
			return -1;
		}
	}
	return 0;
}

static void load_segments(const struct guest_ram *ram, const u8 *img, const struct load_segment *s,
			  u32 n)
{
	/* RAM is zeroed when allocated, so the rest of memsz needs nothing. */
	for (; n--; s++)
		write(ram, s->gpa, img + s->offset, s->filesz);
}

static int put_acpi_tables(const struct loader_input *in, const struct guest_ram *ram,
			   const char **error)
{
	static struct acpi_tables t; /* callers are serialized by partition creation */

	if (acpi_tables_build(&t, in->nr_vcpus)) {
		*error = "the ACPI tables do not fit (too many vCPUs)";
		return -1;
	}
	write(ram, HV_ACPI_TABLES_GPA, t.tables, t.tables_len);
	write(ram, HV_ACPI_RSDP_GPA, t.rsdp, sizeof(t.rsdp));
	return 0;
}

static u64 modules_size(const struct loader_input *in, u64 align)
{
	u64 total = 0;
	u32 i;

	for (i = 0; i < in->nr_modules; i++)
		total = ALIGN_UP(total, align) + in->modules[i].len;
	return total;
}

/*
 * Where the modules go when they go to the top of low RAM (PVH, Linux):
 * their block, each module @align-aligned, ends at @top at the latest and
 * starts at or above @floor. 0 if they do not fit.
 */
static u64 place_modules_high(const struct loader_input *in, u64 top, u64 floor, u64 align)
{
	u64 size = modules_size(in, align), start;

	if (size > top)
		return 0;
	start = ALIGN_DOWN(top - size, PAGE);
	return start >= floor ? start : 0;
}

static int cmdline_fits(const struct loader_input *in, u64 max, const char **error)
{
	if (strlen(in->cmdline) + 1 > max) {
		*error = "the command line is longer than the boot protocol allows";
		return -1;
	}
	return 0;
}

/* ---- Multiboot ---- */

static void put_mb1_mmap(struct mbi_mmap_entry *e, const struct e820_entry *src)
{
	*e = (struct mbi_mmap_entry){ sizeof(*e) - sizeof(e->size), src->addr, src->size,
				      src->type };
}

static int load_multiboot(const struct loader_input *in, const struct guest_ram *ram,
			  struct guest_start *start, const char **error)
{
	static struct mb1_image im;
	u64 low = loader_low_ram(in->ram_size), info, gpa;
	struct e820_entry map[LOADER_MAX_E820];
	struct mbi_mmap_entry mmap[LOADER_MAX_E820];
	struct mbi mbi = { 0 };
	u32 i, n;

	if (mb1_parse(in->image, in->image_len, &im, error) ||
	    loader_check_fit(im.segments, im.nr_segments, low, false, error) ||
	    cmdline_fits(in, MBI_CMDLINE_MAX, error))
		return -1;
	/* Right after the image; above the reserved low area if it does not fit below it. */
	info = ALIGN_UP(im.end, PAGE);
	if (info < GUEST_HIGH_RAM_START && info + MBI_AREA_SIZE > GUEST_LOW_RAM_END)
		info = GUEST_HIGH_RAM_START;
	gpa = info + MBI_AREA_SIZE;
	if (gpa < GUEST_HIGH_RAM_START && gpa + modules_size(in, PAGE) > GUEST_LOW_RAM_END)
		gpa = MAX(gpa, GUEST_HIGH_RAM_START);
	if (gpa + modules_size(in, PAGE) > low) {
		*error = "the Multiboot information and the modules do not fit in guest RAM after "
			 "the image";
		return -1;
	}
	load_segments(ram, in->image, im.segments, im.nr_segments);
	for (i = 0; i < in->nr_modules; i++) {
		const struct guest_module *m = &in->modules[i];
		u64 string = info + MBI_OFF_MOD_STRINGS + (u64)i * LOADER_MODULE_STRING_MAX;
		struct mbi_module entry = { (u32)gpa, (u32)(gpa + m->len), (u32)string, 0 };

		write(ram, gpa, m->data, m->len);
		write(ram, string, m->cmdline, strnlen(m->cmdline, LOADER_MODULE_STRING_MAX - 1));
		write(ram, info + MBI_OFF_MODS + i * sizeof(entry), &entry, sizeof(entry));
		gpa = ALIGN_UP(gpa + m->len, PAGE);
	}
	n = loader_memory_map(in->ram_size, map);
	for (i = 0; i < n; i++)
		put_mb1_mmap(&mmap[i], &map[i]);
	mbi.flags = MBI_FLAG_MEMORY | MBI_FLAG_CMDLINE | MBI_FLAG_MMAP | MBI_FLAG_LOADER_NAME |
		    MBI_FLAG_MODS;
	mbi.mem_lower = GUEST_LOW_RAM_END / KiB;
	mbi.mem_upper = (low - GUEST_HIGH_RAM_START) / KiB;
	mbi.cmdline = info + MBI_OFF_CMDLINE;
	mbi.mods_count = in->nr_modules;
	mbi.mods_addr = info + MBI_OFF_MODS;
	mbi.mmap_length = n * sizeof(mmap[0]);
	mbi.mmap_addr = info + MBI_OFF_MMAP;
	mbi.boot_loader_name = info + MBI_OFF_LOADER_NAME;
	write(ram, info + MBI_OFF_INFO, &mbi, sizeof(mbi));
	write(ram, info + MBI_OFF_MMAP, mmap, mbi.mmap_length);
	write(ram, info + MBI_OFF_LOADER_NAME, "hv", 3);
	write(ram, info + MBI_OFF_CMDLINE, in->cmdline, strlen(in->cmdline));
	*start = (struct guest_start){ .rip = im.entry,
				       .rax = MB1_BOOTLOADER_MAGIC,
				       .rbx = info + MBI_OFF_INFO };
	return 0;
}

/* ---- PVH ---- */

static void put_module_strings(const struct loader_input *in, const struct guest_ram *ram)
{
	u32 i;

	for (i = 0; i < in->nr_modules; i++)
		write(ram, GUEST_BOOT_MOD_STRINGS + (u64)i * LOADER_MODULE_STRING_MAX,
		      in->modules[i].cmdline,
		      strnlen(in->modules[i].cmdline, LOADER_MODULE_STRING_MAX - 1));
}

static int load_pvh(const struct loader_input *in, const struct guest_ram *ram,
		    struct guest_start *start, const char **error)
{
	static struct pvh_image im;
	u64 low = loader_low_ram(in->ram_size), gpa;
	struct hvm_start_info si = { 0 };
	struct e820_entry map[LOADER_MAX_E820];
	struct hvm_memmap_table_entry memmap[LOADER_MAX_E820];
	u32 i, n;

	if (pvh_parse(in->image, in->image_len, &im, error) ||
	    loader_check_fit(im.segments, im.nr_segments, low, true, error) ||
	    cmdline_fits(in, GUEST_BOOT_CMDLINE_MAX, error))
		return -1;
	gpa = place_modules_high(in, low, ALIGN_UP(MAX(im.end, GUEST_HIGH_RAM_START), PAGE), PAGE);
	if (in->nr_modules && !gpa) {
		*error = "the modules do not fit in guest RAM above the kernel";
		return -1;
	}
	load_segments(ram, in->image, im.segments, im.nr_segments);
	put_module_strings(in, ram);
	for (i = 0; i < in->nr_modules; i++) {
		const struct guest_module *m = &in->modules[i];
		struct hvm_modlist_entry e = {
			gpa, m->len, GUEST_BOOT_MOD_STRINGS + (u64)i * LOADER_MODULE_STRING_MAX, 0
		};

		write(ram, gpa, m->data, m->len);
		write(ram, GUEST_BOOT_PARAMS + PVH_OFF_MODLIST + i * sizeof(e), &e, sizeof(e));
		gpa = ALIGN_UP(gpa + m->len, PAGE);
	}
	n = loader_memory_map(in->ram_size, map);
	for (i = 0; i < n; i++)
		memmap[i] =
			(struct hvm_memmap_table_entry){ map[i].addr, map[i].size, map[i].type, 0 };
	write(ram, GUEST_BOOT_PARAMS + PVH_OFF_MEMMAP, memmap, n * sizeof(memmap[0]));
	write(ram, GUEST_BOOT_CMDLINE, in->cmdline, strlen(in->cmdline));
	si.magic = XEN_HVM_START_MAGIC;
	si.version = HVM_START_INFO_VERSION;
	si.nr_modules = in->nr_modules;
	si.modlist_paddr = in->nr_modules ? GUEST_BOOT_PARAMS + PVH_OFF_MODLIST : 0;
	si.cmdline_paddr = GUEST_BOOT_CMDLINE;
	si.rsdp_paddr = HV_ACPI_RSDP_GPA;
	si.memmap_paddr = GUEST_BOOT_PARAMS + PVH_OFF_MEMMAP;
	si.memmap_entries = n;
	write(ram, GUEST_BOOT_PARAMS, &si, sizeof(si));
	*start = (struct guest_start){ .rip = im.entry, .rbx = GUEST_BOOT_PARAMS };
	return 0;
}

/* ---- Linux, 64-bit boot protocol ---- */

static void put_boot_page_tables(const struct guest_ram *ram)
{
	u64 table[512], gdt[4] = { 0, 0, GDT_CODE64, GDT_DATA };
	u32 pd, i;

	memset(table, 0, sizeof(table));
	table[0] = BOOT_PDPT | PTE_P | PTE_RW;
	write(ram, GUEST_BOOT_PML4, table, sizeof(table));
	for (i = 0; i < BOOT_PDS; i++)
		table[i] = (BOOT_PD + i * PAGE) | PTE_P | PTE_RW;
	write(ram, BOOT_PDPT, table, sizeof(table));
	for (pd = 0; pd < BOOT_PDS; pd++) {
		for (i = 0; i < 512; i++)
			table[i] = ((u64)pd * GiB + i * 2 * MiB) | PTE_P | PTE_RW | PTE_PS;
		write(ram, BOOT_PD + pd * PAGE, table, sizeof(table));
	}
	write(ram, GUEST_BOOT_GDT, gdt, sizeof(gdt));
}

static int load_linux64(const struct loader_input *in, const struct guest_ram *ram,
			struct guest_start *start, const char **error)
{
	static u8 bp[BP_SIZE];
	struct linux64_image li;
	struct load_segment kernel;
	struct e820_entry map[LOADER_MAX_E820];
	u64 low = loader_low_ram(in->ram_size), initrd = 0, initrd_size, gpa;
	u32 i, n;

	if (linux64_parse(in->image, in->image_len, &li, error))
		return -1;
	/* The kernel needs init_size bytes from where it runs before it reads the memory map. */
	kernel = (struct load_segment){ li.load_addr, 0, li.kernel_len, li.init_size };
	if (loader_check_fit(&kernel, 1, low, true, error)) {
		*error = "the kernel does not fit in the guest's RAM (it needs init_size bytes "
			 "from its preferred address): give it more (hv.mem=)";
		return -1;
	}
	if (strlen(in->cmdline) > li.cmdline_size ||
	    strlen(in->cmdline) >= GUEST_BOOT_CMDLINE_MAX) {
		*error = "the command line is longer than the kernel accepts (its cmdline_size)";
		return -1;
	}
	initrd_size = modules_size(in, INITRD_ALIGN);
	if (in->nr_modules) {
		initrd = place_modules_high(in, MIN(low, li.initrd_addr_max + 1),
					    li.load_addr + li.init_size, INITRD_ALIGN);
		if (!initrd) {
			*error = "the initrd does not fit in guest RAM above the kernel (and below "
				 "its initrd_addr_max): give the guest more RAM (hv.mem=)";
			return -1;
		}
	}
	write(ram, li.load_addr, li.kernel, li.kernel_len);
	for (i = 0, gpa = initrd; i < in->nr_modules; i++) {
		gpa = ALIGN_UP(gpa, INITRD_ALIGN);
		write(ram, gpa, in->modules[i].data, in->modules[i].len);
		gpa += in->modules[i].len;
	}
	put_boot_page_tables(ram);
	write(ram, GUEST_BOOT_CMDLINE, in->cmdline, strlen(in->cmdline));
	memset(bp, 0, sizeof(bp));
	memcpy(bp + LINUX_SETUP_HEADER, in->image + LINUX_SETUP_HEADER, li.setup_header_len);
	bp[BP_TYPE_OF_LOADER] = LOADER_TYPE_UNDEFINED;
	bp[BP_LOADFLAGS] &= ~LOADFLAGS_QUIET;
	put(bp + BP_CODE32_START, li.load_addr, 4);
	put(bp + BP_RAMDISK_IMAGE, initrd, 4);
	put(bp + BP_RAMDISK_SIZE, initrd_size, 4);
	put(bp + BP_CMD_LINE_PTR, GUEST_BOOT_CMDLINE, 4);
	put(bp + BP_ACPI_RSDP_ADDR, HV_ACPI_RSDP_GPA, 8);
	n = loader_memory_map(in->ram_size, map);
	bp[BP_E820_ENTRIES] = (u8)n;
	for (i = 0; i < n; i++) {
		u8 *e = bp + BP_E820_TABLE + i * E820_ENTRY_SIZE;

		put(e, map[i].addr, 8);
		put(e + 8, map[i].size, 8);
		put(e + 16, map[i].type, 4);
	}
	write(ram, GUEST_BOOT_PARAMS, bp, sizeof(bp));
	*start = (struct guest_start){ .rip = li.load_addr + LINUX64_ENTRY_OFFSET,
				       .rsi = GUEST_BOOT_PARAMS,
				       .long_mode = true,
				       .cr3 = GUEST_BOOT_PML4,
				       .gdt_base = GUEST_BOOT_GDT,
				       .gdt_limit = 4 * 8 - 1,
				       .code_selector = BOOT_CS,
				       .data_selector = BOOT_DS };
	return 0;
}

/* QEMU's -kernel order: a Linux setup header, then a Multiboot header, then an ELF PVH note. */
static enum boot_protocol identify(const u8 *img, size_t len, bool *known)
{
	*known = true;
	if (linux64_is_bzimage(img, len))
		return BOOT_LINUX64;
	if (mb1_has_header(img, len))
		return BOOT_MULTIBOOT;
	*known = pvh_is_elf(img, len);
	return BOOT_PVH;
}

int loader_load(const struct loader_input *in, const struct guest_ram *ram,
		struct guest_start *start, enum boot_protocol *protocol, const char **error)
{
	bool known;
	int ret;

	if (in->nr_modules > MAX_GUEST_MODULES) {
		*error = "more modules than hv hands to a guest (16)";
		return -1;
	}
	*protocol = identify(in->image, in->image_len, &known);
	if (!known) {
		*error = "not a kernel image hv knows: no Linux setup header (bzImage), no "
			 "Multiboot header, not an ELF file with a PVH entry note";
		return -1;
	}
	switch (*protocol) {
	case BOOT_MULTIBOOT:
		ret = load_multiboot(in, ram, start, error);
		break;
	case BOOT_PVH:
		ret = load_pvh(in, ram, start, error);
		break;
	default:
		ret = load_linux64(in, ram, start, error);
		break;
	}
	return ret ? ret : put_acpi_tables(in, ram, error);
}
