// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for loader_load(): the input is a kernel image as a boot
 * module brings it (bzImage, Multiboot, PVH ELF or none), loaded into a
 * guest whose RAM size and module come from the input's first bytes.
 * Beyond the sanitizers, it checks that the loader writes only inside the
 * guest's RAM below the MMIO window and never into the reserved area
 * between the EBDA and the BIOS area (0x9fc00-0xdffff, which nothing
 * uses), that a refusal says why, and that the start state is one the
 * protocol allows.
 */
#include <stdlib.h>
#include <string.h>

#include <hv/loader/loader.h>
#include <public/platform.h>
#include "fuzz_check.h"

static u64 low_ram;

static void ram_write(void *ctx, u64 gpa, const void *src, u64 len)
{
	check(gpa < low_ram && len <= low_ram - gpa);
	check(gpa + len <= GUEST_LOW_RAM_END || gpa >= GUEST_BIOS_AREA);
	check(gpa + len <= GUEST_BIOS_AREA_END || gpa >= GUEST_HIGH_RAM_START ||
	      gpa >= HV_ACPI_TABLES_GPA);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u8 module[4096];
	const struct guest_module mod = { module, sizeof(module), "initrd" };
	struct guest_start start;
	enum boot_protocol protocol;
	const char *error = NULL;
	u64 ram_size;
	int ret;

	if (size < 2)
		return 0;
	/* 2 MiB .. 512 MiB of RAM, 0 or 1 module, then the image. */
	ram_size = (u64)(data[0] % 256 + 1) * 2 * MiB;
	low_ram = loader_low_ram(ram_size);
	{
		const struct loader_input in = { "fuzz",
						 data + 2,
						 size - 2,
						 "fuzz console=ttyS0",
						 &mod,
						 data[1] & 1,
						 1 + (data[1] >> 1) % 4,
						 ram_size };
		const struct guest_ram ram = { NULL, ram_write };

		ret = loader_load(&in, &ram, &start, &protocol, &error);
	}
	check(ret == 0 || ret == -1);
	if (ret) {
		check(error != NULL && !strchr(error, '\n'));
		return 0;
	}
	if (start.long_mode) {
		check(protocol == BOOT_LINUX64);
		check(start.rsi == GUEST_BOOT_PARAMS && start.cr3 == GUEST_BOOT_PML4);
		check(start.rip < low_ram);
	} else {
		check(protocol != BOOT_LINUX64);
		check(start.rip <= 0xffffffffULL);
		check(protocol == BOOT_MULTIBOOT ? start.rbx < low_ram :
						   start.rbx == GUEST_BOOT_PARAMS);
	}
	return 0;
}
