/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables each guest gets (ACPI 6.4, chapter 5.2): RSDP, RSDT and
 * XSDT, FADT (with the PM timer and PM1 registers: not hardware-reduced,
 * see acpi_tables.c), FACS, a DSDT holding only \_S5, and a MADT with one
 * local APIC per vCPU, the I/O APIC and the PC's interrupt overrides.
 */
#ifndef HV_LOADER_ACPI_TABLES_H
#define HV_LOADER_ACPI_TABLES_H

#include <types.h>

#define ACPI_RSDP_SIZE 36U
#define ACPI_TABLES_MAX 2048U

struct acpi_tables {
	u8 rsdp[ACPI_RSDP_SIZE]; /* goes to HV_ACPI_RSDP_GPA */
	u8 tables[ACPI_TABLES_MAX]; /* goes to HV_ACPI_TABLES_GPA */
	u32 tables_len;
};

/* Builds the tables for a guest with @nr_vcpus vCPUs (APIC IDs 0 .. n-1); 0 or -1. */
int acpi_tables_build(struct acpi_tables *t, u32 nr_vcpus);

#endif /* HV_LOADER_ACPI_TABLES_H */
