// SPDX-License-Identifier: GPL-2.0
/* ACPI table parsing (ACPI 6.4 sections 5.2.5 RSDP, 5.2.9 FADT, 5.2.12 MADT). */
#include <hv/core/acpi.h>
#include <hv/lib/string.h>
#include <hv/lib/unaligned.h>

#define RSDP_V1_LEN 20U
#define RSDP_OFF_REVISION 15
#define RSDP_OFF_RSDT 16
#define RSDP_OFF_LENGTH 20
#define RSDP_OFF_XSDT 24

#define MADT_OFF_LAPIC_ADDR 36
#define MADT_OFF_ENTRIES 44
#define MADT_TYPE_LAPIC 0
#define MADT_TYPE_X2APIC 9
#define MADT_LAPIC_ENABLED BIT(0)

#define FADT_OFF_DSDT 40
#define FADT_OFF_PM1A_CNT 64
#define FADT_OFF_PM1B_CNT 68
#define FADT_OFF_PM_TMR 76
#define FADT_OFF_PM_TMR_LEN 91
#define FADT_OFF_FLAGS 112
#define FADT_OFF_X_DSDT 140
#define FADT_FLAG_TMR_VAL_EXT BIT(8)
#define FADT_PM_TMR_LEN 4

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_BYTE_PREFIX 0x0a
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12

static u8 checksum(const u8 *p, size_t len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

u64 acpi_root_from_rsdp(const u8 *rsdp, size_t len, bool *is_xsdt)
{
	if (len < RSDP_V1_LEN || memcmp(rsdp, "RSD PTR ", 8) || checksum(rsdp, RSDP_V1_LEN))
		return 0;
	if (rsdp[RSDP_OFF_REVISION] >= 2 && len >= 36 && get32(rsdp + RSDP_OFF_LENGTH) >= 36 &&
	    !checksum(rsdp, 36) && get64(rsdp + RSDP_OFF_XSDT)) {
		*is_xsdt = true;
		return get64(rsdp + RSDP_OFF_XSDT);
	}
	*is_xsdt = false;
	return get32(rsdp + RSDP_OFF_RSDT);
}

bool acpi_table_valid(const u8 *table, size_t avail, const char sig[4])
{
	u32 len;

	if (avail < ACPI_SDT_HEADER_LEN || memcmp(table, sig, 4))
		return false;
	len = get32(table + 4);
	return len >= ACPI_SDT_HEADER_LEN && len <= avail && !checksum(table, len);
}

static void add_cpu(struct acpi_facts *f, u32 apic_id)
{
	u32 i;

	for (i = 0; i < f->nr_cpus; i++)
		if (f->apic_ids[i] == apic_id)
			return;
	if (f->nr_cpus < ARRAY_SIZE(f->apic_ids))
		f->apic_ids[f->nr_cpus++] = apic_id;
}

int acpi_parse_madt(const u8 *t, size_t len, struct acpi_facts *f)
{
	size_t off;

	if (len < MADT_OFF_ENTRIES)
		return -1;
	f->lapic_pa = get32(t + MADT_OFF_LAPIC_ADDR);
	for (off = MADT_OFF_ENTRIES; off + 2 <= len; off += t[off + 1]) {
		u8 type = t[off], elen = t[off + 1];

		if (elen < 2 || off + elen > len)
			return -1;
		if (type == MADT_TYPE_LAPIC && elen >= 8) {
			if (get32(t + off + 4) & MADT_LAPIC_ENABLED)
				add_cpu(f, t[off + 3]);
		} else if (type == MADT_TYPE_X2APIC && elen >= 16) {
			if (get32(t + off + 8) & MADT_LAPIC_ENABLED)
				add_cpu(f, get32(t + off + 4));
		}
	}
	return 0;
}

int acpi_parse_fadt(const u8 *t, size_t len, struct acpi_facts *f)
{
	if (len < FADT_OFF_FLAGS + 4)
		return -1;
	f->dsdt_pa = get32(t + FADT_OFF_DSDT);
	if (len >= FADT_OFF_X_DSDT + 8 && get64(t + FADT_OFF_X_DSDT))
		f->dsdt_pa = get64(t + FADT_OFF_X_DSDT);
	f->pm1a_cnt_port = (u16)get32(t + FADT_OFF_PM1A_CNT);
	f->pm1b_cnt_port = (u16)get32(t + FADT_OFF_PM1B_CNT);
	if (t[FADT_OFF_PM_TMR_LEN] == FADT_PM_TMR_LEN) {
		f->pm_timer_port = (u16)get32(t + FADT_OFF_PM_TMR);
		f->pm_timer_32bit = get32(t + FADT_OFF_FLAGS) & FADT_FLAG_TMR_VAL_EXT;
	}
	return 0;
}

/* Reads one AML integer constant of the forms a \_S5 package uses. */
static int aml_small_int(const u8 *p, const u8 *end, u16 *val, size_t *used)
{
	if (p >= end)
		return -1;
	if (*p == AML_ZERO_OP || *p == AML_ONE_OP) {
		*val = *p;
		*used = 1;
		return 0;
	}
	if (*p == AML_BYTE_PREFIX && p + 1 < end) {
		*val = p[1];
		*used = 2;
		return 0;
	}
	return -1;
}

/*
 * Finds "Name(_S5_, Package(){a, b, ...})" in the DSDT's AML without an AML
 * interpreter: the form every firmware we know emits for \_S5.
 */
int acpi_parse_dsdt_s5(const u8 *t, size_t len, struct acpi_facts *f)
{
	const u8 *end = t + len, *p;

	if (len < ACPI_SDT_HEADER_LEN)
		return -1;
	for (p = t + ACPI_SDT_HEADER_LEN; end - p >= 4; p++) {
		size_t used, pkglen_bytes;

		if (memcmp(p, "_S5_", 4))
			continue;
		/* NameOp, optionally with a root prefix '\' before the name. */
		if (!(p > t && (p[-1] == AML_NAME_OP ||
				(p[-1] == '\\' && p - 1 > t && p[-2] == AML_NAME_OP))))
			continue;
		if (end - p < 5 || p[4] != AML_PACKAGE_OP)
			continue;
		p += 5;
		if (p >= end)
			return -1;
		pkglen_bytes = (*p >> 6) + 1; /* PkgLength lead byte bits 7:6 */
		/* Skip PkgLength and NumElements, without pointing past the end. */
		if ((size_t)(end - p) <= pkglen_bytes + 1)
			return -1;
		p += pkglen_bytes + 1;
		if (aml_small_int(p, end, &f->slp_typ_a, &used))
			return -1;
		p += used;
		if (aml_small_int(p, end, &f->slp_typ_b, &used))
			f->slp_typ_b = f->slp_typ_a;
		f->have_s5 = true;
		return 0;
	}
	return -1;
}
