/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few ACPI facts hv needs: CPUs (MADT), the PM timer and the S5 sleep
 * type for power-off (FADT, DSDT). The parsers take table bytes and lengths so
 * host tests and fuzzers can feed them malformed tables.
 */
#ifndef HV_CORE_ACPI_H
#define HV_CORE_ACPI_H

#include <types.h>

#define ACPI_SDT_HEADER_LEN 36U

struct acpi_facts {
	u32 nr_cpus; /* enabled processors, boot CPU included */
	u32 apic_ids[64];
	u64 lapic_pa; /* xAPIC MMIO base from the MADT */
	u16 pm_timer_port; /* 0: no PM timer */
	bool pm_timer_32bit;
	u16 pm1a_cnt_port;
	u16 pm1b_cnt_port;
	u16 slp_typ_a; /* S5 SLP_TYP values from the DSDT's \_S5 package */
	u16 slp_typ_b;
	bool have_s5;
	u64 dsdt_pa;
};

/* Validates an RSDP copy and returns the XSDT (preferred) or RSDT address, or 0. */
u64 acpi_root_from_rsdp(const u8 *rsdp, size_t len, bool *is_xsdt);

/* Table parsers: each returns 0, or -1 for a malformed table. */
int acpi_parse_madt(const u8 *table, size_t len, struct acpi_facts *f);
int acpi_parse_fadt(const u8 *table, size_t len, struct acpi_facts *f);
int acpi_parse_dsdt_s5(const u8 *table, size_t len, struct acpi_facts *f);

/* Checks the signature, length and checksum of a system description table. */
bool acpi_table_valid(const u8 *table, size_t avail, const char sig[4]);

#endif /* HV_CORE_ACPI_H */
