// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the ACPI parsers. The first byte picks the parser, the
 * rest is the table (or RSDP) with its exact length. Beyond the sanitizers,
 * it checks what the rest of hv relies on in a struct acpi_facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/core/acpi.h>
#include "fuzz_check.h"

enum target { RSDP, TABLE_VALID, MADT, FADT, DSDT, NR_TARGETS };

static u8 sum(const u8 *p, size_t n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

static void fuzz_rsdp(const u8 *t, size_t len)
{
	bool is_xsdt = false;
	u64 root = acpi_root_from_rsdp(t, len, &is_xsdt);
	u64 xsdt = 0;
	u32 rsdt = 0;

	if (!root)
		return;
	check(len >= 20 && !memcmp(t, "RSD PTR ", 8) && sum(t, 20) == 0);
	if (is_xsdt) {
		memcpy(&xsdt, t + 24, 8);
		check(len >= 36 && t[15] >= 2 && sum(t, 36) == 0 && root == xsdt);
	} else {
		memcpy(&rsdt, t + 16, 4);
		check(root == rsdt);
	}
}

static void fuzz_table_valid(const u8 *t, size_t len)
{
	u32 tlen;

	/* The signature under test is the table's own, or "APIC" half the time. */
	if (len < 4)
		return;
	if (!acpi_table_valid(t, len, (t[0] & 1) ? "APIC" : (const char *)t))
		return;
	memcpy(&tlen, t + 4, 4);
	check(tlen >= ACPI_SDT_HEADER_LEN && tlen <= len && sum(t, tlen) == 0);
}

static void check_facts_untouched(const struct acpi_facts *f, const struct acpi_facts *before)
{
	check(!memcmp(f, before, sizeof(*f)));
}

static void fuzz_madt(const u8 *t, size_t len, struct acpi_facts *f)
{
	struct acpi_facts before = *f;
	u32 i, j;
	int ret = acpi_parse_madt(t, len, f);

	check(ret == 0 || ret == -1);
	if (len < 44) {
		check(ret == -1);
		check_facts_untouched(f, &before);
	}
	check(f->nr_cpus <= ARRAY_SIZE(f->apic_ids));
	for (i = 0; i < f->nr_cpus; i++)
		for (j = i + 1; j < f->nr_cpus; j++)
			check(f->apic_ids[i] != f->apic_ids[j]);
}

static void fuzz_fadt(const u8 *t, size_t len, struct acpi_facts *f)
{
	struct acpi_facts before = *f;
	int ret = acpi_parse_fadt(t, len, f);

	check(ret == 0 || ret == -1);
	if (ret) {
		check_facts_untouched(f, &before);
		return;
	}
	check(len >= 116);
	check(f->pm_timer_32bit == 0 || f->pm_timer_32bit == 1);
	if (t[91] != 4)
		check(f->pm_timer_port == before.pm_timer_port);
}

static void fuzz_dsdt(const u8 *t, size_t len, struct acpi_facts *f)
{
	int ret = acpi_parse_dsdt_s5(t, len, f);

	check(ret == 0 || ret == -1);
	if (ret == 0)
		check(f->have_s5 && len > ACPI_SDT_HEADER_LEN);
	/* Sleep types are 3-bit fields read from ByteConsts at most. */
	check(f->slp_typ_a <= 0xff && f->slp_typ_b <= 0xff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_facts f;

	if (!size)
		return 0;
	memset(&f, 0, sizeof(f));
	switch (data[0] % NR_TARGETS) {
	case RSDP:
		fuzz_rsdp(data + 1, size - 1);
		break;
	case TABLE_VALID:
		fuzz_table_valid(data + 1, size - 1);
		break;
	case MADT:
		fuzz_madt(data + 1, size - 1, &f);
		/* A second MADT adds to what the first found, without duplicates. */
		fuzz_madt(data + 1, size - 1, &f);
		break;
	case FADT:
		fuzz_fadt(data + 1, size - 1, &f);
		break;
	case DSDT:
		fuzz_dsdt(data + 1, size - 1, &f);
		break;
	}
	return 0;
}
