// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for mb2_parse(): the input is the Multiboot2 information
 * structure as the boot loader would leave it. Beyond the sanitizers, it
 * checks what the rest of hv relies on in a struct boot_info.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <boot/boot_info.h>
#include "fuzz_check.h"

static struct boot_info bi, bi_exact;

static void check_terminated(const char *s, size_t size)
{
	check(memchr(s, '\0', size));
}

/* A range needs a 24-byte entry after the 8-byte header and a 16-byte mmap tag header. */
static void check_ranges_fit(const u8 *data, size_t size)
{
	u32 total;

	if (size < 8)
		return;
	memcpy(&total, data, sizeof(total));
	if (total <= size && total >= 24)
		check(bi.nr_mem_ranges <= (total - 24) / 24);
}

static void check_invariants(int ret)
{
	u32 i;

	check(ret == 0 || ret == -1 || ret == -2);
	check(bi.nr_mem_ranges <= BOOT_MAX_MEM_RANGES);
	check(bi.nr_modules <= BOOT_MAX_MODULES);
	check(bi.has_rsdp <= 1 && bi.booted_by_uefi <= 1 && bi.mem_truncated <= 1);
	check(!bi.modules_dropped || bi.nr_modules == BOOT_MAX_MODULES);
	check(bi.efi_system_table == 0 || bi.booted_by_uefi);
	if (ret == 0)
		check(bi.nr_mem_ranges > 0);
	if (ret == -2)
		check(bi.nr_mem_ranges == 0);
	check_terminated(bi.loader, sizeof(bi.loader));
	check_terminated(bi.cmdline, sizeof(bi.cmdline));
	for (i = 0; i < bi.nr_modules; i++) {
		check(bi.modules[i].start <= bi.modules[i].end);
		check_terminated(bi.modules[i].cmdline, sizeof(bi.modules[i].cmdline));
	}
	for (i = 0; i < bi.nr_mem_ranges; i++) {
		check(bi.mem[i].length != 0);
		check(bi.mem[i].type >= BOOT_MEM_USABLE && bi.mem[i].type <= BOOT_MEM_BAD);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 total;
	u8 *exact;
	int ret, ret_exact;

	ret = mb2_parse(data, size, &bi);
	check_invariants(ret);
	check_ranges_fit(data, size);

	/*
	 * total_size, not the buffer length, bounds the structure: parsing just
	 * the first total_size bytes, from an exact-size copy so ASan sees any
	 * read beyond them, must give the same result.
	 */
	if (size < 8)
		return 0;
	memcpy(&total, data, sizeof(total));
	if (total < 8 || total > size)
		return 0;
	exact = malloc(total);
	if (!exact)
		return 0;
	memcpy(exact, data, total);
	ret_exact = mb2_parse(exact, total, &bi_exact);
	free(exact);
	check(ret_exact == ret);
	check(!memcmp(&bi, &bi_exact, sizeof(bi)));
	return 0;
}
