// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's ACPI tables (ACPI 6.4: 5.2.5 RSDP, 5.2.7 RSDT, 5.2.8 XSDT,
 * 5.2.9 FADT, 5.2.10 FACS, 5.2.11.1 DSDT, 5.2.12 MADT).
 *
 * The FADT describes a PC with fixed hardware, not a hardware-reduced
 * platform: its PM timer is a clock a guest can read without trusting the
 * TSC (Linux's acpi_pm clocksource and its TSC watchdog use it), kernels
 * built for QEMU's `pc` machine expect it, and power-off is the PM1 control
 * register's SLP_EN with \_S5's SLP_TYP, which every ACPI OS knows. The
 * price is small: SCI_EN is always set (no SMI command port, no mode
 * switch) and no event ever raises the SCI. No 8042 and no VGA: the boot
 * architecture flags say so, so a guest does not probe for them.
 */
#include <hv/loader/acpi_tables.h>
#include <hv/lib/string.h>
#include <public/hv.h>
#include <public/platform.h>

#define OEM_ID "HV    "
#define OEM_TABLE_ID "HVGUEST "
#define OEM_REVISION 1U
#define CREATOR_ID "HV  "
#define CREATOR_REVISION 1U

#define SDT_HEADER_LEN 36U
#define SDT_OFF_LENGTH 4
#define SDT_OFF_CHECKSUM 9

#define RSDP_V1_LEN 20U
#define RSDP_REVISION 2U

#define FACS_LEN 64U
#define FACS_ALIGN 64U
#define FACS_VERSION 2U

#define FADT_LEN 276U
#define FADT_REVISION 6U
#define FADT_MINOR_REVISION 4U
#define FADT_PM1_EVT_LEN 4U
#define FADT_PM1_CNT_LEN 2U
#define FADT_PM_TMR_LEN 4U
#define FADT_C2_UNSUPPORTED 101U /* a P_LVL2_LAT above 100: no C2 */
#define FADT_C3_UNSUPPORTED 1001U /* a P_LVL3_LAT above 1000: no C3 */
#define FADT_CENTURY_CMOS 0x32U /* the CMOS register holding the century */
/* IA-PC boot architecture flags (Table 5.11) */
#define IAPC_LEGACY_DEVICES BIT(0)
#define IAPC_VGA_NOT_PRESENT BIT(2)
#define IAPC_MSI_NOT_SUPPORTED BIT(3)
/* FADT flags (Table 5.10) */
#define FADT_WBINVD BIT(0)
#define FADT_PROC_C1 BIT(2)
#define FADT_PWR_BUTTON BIT(4) /* no fixed power button */
#define FADT_SLP_BUTTON BIT(5) /* no fixed sleep button */
#define FADT_FIX_RTC BIT(6) /* no RTC wake status in the fixed registers */
#define FADT_TMR_VAL_EXT BIT(8) /* the PM timer counts 32 bits */
#define FADT_RESET_REG_SUP BIT(10)

/* Generic address structure (5.2.3.2) */
#define GAS_SYSTEM_IO 1U
#define GAS_ACCESS_BYTE 1U
#define GAS_ACCESS_WORD 2U
#define GAS_ACCESS_DWORD 3U
#define GAS_LEN 12U

#define MADT_PCAT_COMPAT BIT(0) /* a pair of 8259s is present (masked) */
#define MADT_TYPE_LAPIC 0U
#define MADT_TYPE_IOAPIC 1U
#define MADT_TYPE_OVERRIDE 2U
#define MADT_TYPE_LAPIC_NMI 4U
#define MADT_LAPIC_ENABLED BIT(0)
#define MPS_INTI_CONFORMS 0x0U /* ISA: edge, active high */
#define MPS_INTI_ACTIVE_HIGH 0x1U
#define MPS_INTI_LEVEL (0x3U << 2)
#define MADT_ALL_PROCESSORS 0xffU
#define LAPIC_LINT1 1U /* wired to NMI, as on PCs */

/* AML (ACPI 6.4, 20.2): Name (_S5, Package (4) { 5, 5, 0, 0 }) */
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_BYTE_PREFIX 0x0a
#define AML_ZERO_OP 0x00

struct builder {
	u8 *buf;
	u32 len, cap;
	bool overflow;
};

static void put(u8 *p, u64 v, unsigned int n)
{
	memcpy(p, &v, n);
}

/* Reserves @n zeroed bytes at an @align-aligned offset; NULL when full. */
static u8 *reserve(struct builder *b, u32 n, u32 align, u32 *offset)
{
	u32 at = (u32)ALIGN_UP(b->len, align);

	if (at > b->cap || n > b->cap - at) {
		b->overflow = true;
		return NULL;
	}
	*offset = at;
	b->len = at + n;
	return memset(b->buf + at, 0, n);
}

static u8 checksum(const u8 *p, size_t len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return (u8)-sum;
}

static void sdt_header(u8 *t, const char sig[4], u32 len, u8 revision)
{
	memcpy(t, sig, 4);
	put(t + SDT_OFF_LENGTH, len, 4);
	t[8] = revision;
	memcpy(t + 10, OEM_ID, 6);
	memcpy(t + 16, OEM_TABLE_ID, 8);
	put(t + 24, OEM_REVISION, 4);
	memcpy(t + 28, CREATOR_ID, 4);
	put(t + 32, CREATOR_REVISION, 4);
}

static void sdt_finish(u8 *t, u32 len)
{
	t[SDT_OFF_CHECKSUM] = 0;
	t[SDT_OFF_CHECKSUM] = checksum(t, len);
}

static void gas_io(u8 *g, u8 bits, u8 access, u64 port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = bits;
	g[2] = 0;
	g[3] = access;
	put(g + 4, port, 8);
}

static u32 gpa(u32 offset)
{
	return (u32)HV_ACPI_TABLES_GPA + offset;
}

static u32 build_dsdt(struct builder *b)
{
	static const u8 s5[] = { AML_NAME_OP,
				 '_',
				 'S',
				 '5',
				 '_',
				 AML_PACKAGE_OP,
				 0x08 /* PkgLength */,
				 0x04 /* NumElements */,
				 AML_BYTE_PREFIX,
				 HV_SLP_TYP_S5,
				 AML_BYTE_PREFIX,
				 HV_SLP_TYP_S5,
				 AML_ZERO_OP,
				 AML_ZERO_OP };
	u32 len = SDT_HEADER_LEN + sizeof(s5), off;
	u8 *t = reserve(b, len, 16, &off);

	if (!t)
		return 0;
	sdt_header(t, "DSDT", len, 2);
	memcpy(t + SDT_HEADER_LEN, s5, sizeof(s5));
	sdt_finish(t, len);
	return off;
}

static u32 build_facs(struct builder *b)
{
	u32 off;
	u8 *t = reserve(b, FACS_LEN, FACS_ALIGN, &off);

	if (!t)
		return 0;
	memcpy(t, "FACS", 4);
	put(t + 4, FACS_LEN, 4);
	t[32] = FACS_VERSION;
	return off;
}

static u32 build_fadt(struct builder *b, u32 facs, u32 dsdt)
{
	u32 off;
	u8 *t = reserve(b, FADT_LEN, 16, &off);

	if (!t)
		return 0;
	sdt_header(t, "FACP", FADT_LEN, FADT_REVISION);
	put(t + 36, gpa(facs), 4);
	put(t + 40, gpa(dsdt), 4);
	put(t + 46, HV_IRQ_SCI, 2);
	/* 48: SMI_CMD 0: the platform is always in ACPI mode (SCI_EN reads 1). */
	put(t + 56, HV_PM1A_EVT_PORT, 4);
	put(t + 64, HV_PM1A_CNT_PORT, 4);
	put(t + 76, HV_PM_TMR_PORT, 4);
	t[88] = FADT_PM1_EVT_LEN;
	t[89] = FADT_PM1_CNT_LEN;
	t[91] = FADT_PM_TMR_LEN;
	put(t + 96, FADT_C2_UNSUPPORTED, 2);
	put(t + 98, FADT_C3_UNSUPPORTED, 2);
	t[108] = FADT_CENTURY_CMOS;
	put(t + 109, IAPC_LEGACY_DEVICES | IAPC_VGA_NOT_PRESENT | IAPC_MSI_NOT_SUPPORTED, 2);
	put(t + 112,
	    FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON | FADT_FIX_RTC |
		    FADT_TMR_VAL_EXT | FADT_RESET_REG_SUP,
	    4);
	gas_io(t + 116, 8, GAS_ACCESS_BYTE, HV_RESET_PORT);
	t[128] = HV_RESET_VALUE;
	t[131] = FADT_MINOR_REVISION;
	/* X_FIRMWARE_CTRL stays 0: when it is set, FIRMWARE_CTRL must be 0 (5.2.9). */
	put(t + 140, gpa(dsdt), 8);
	gas_io(t + 148, FADT_PM1_EVT_LEN * 8, GAS_ACCESS_WORD, HV_PM1A_EVT_PORT);
	gas_io(t + 172, FADT_PM1_CNT_LEN * 8, GAS_ACCESS_WORD, HV_PM1A_CNT_PORT);
	gas_io(t + 208, FADT_PM_TMR_LEN * 8, GAS_ACCESS_DWORD, HV_PM_TMR_PORT);
	sdt_finish(t, FADT_LEN);
	return off;
}

static void madt_override(u8 *e, u8 irq, u32 gsi, u16 flags)
{
	e[0] = MADT_TYPE_OVERRIDE;
	e[1] = 10;
	e[2] = 0; /* ISA */
	e[3] = irq;
	put(e + 4, gsi, 4);
	put(e + 8, flags, 2);
}

static u32 build_madt(struct builder *b, u32 nr_vcpus)
{
	u32 len = 44 + 8 * nr_vcpus + 12 + 2 * 10 + 6, off, i;
	u8 *t = reserve(b, len, 16, &off), *e;

	if (!t)
		return 0;
	sdt_header(t, "APIC", len, 5);
	put(t + 36, HV_LOCAL_APIC_GPA, 4);
	put(t + 40, MADT_PCAT_COMPAT, 4);
	e = t + 44;
	for (i = 0; i < nr_vcpus; i++, e += 8) {
		e[0] = MADT_TYPE_LAPIC;
		e[1] = 8;
		e[2] = (u8)i; /* ACPI processor UID */
		e[3] = (u8)i; /* APIC ID: the vCPU's index (hv/vmx/cpuid.c) */
		put(e + 4, MADT_LAPIC_ENABLED, 4);
	}
	e[0] = MADT_TYPE_IOAPIC;
	e[1] = 12;
	e[2] = HV_IOAPIC_ID;
	put(e + 4, HV_IOAPIC_BASE, 4);
	put(e + 8, 0, 4); /* GSI base */
	e += 12;
	madt_override(e, HV_IRQ_PIT, HV_GSI_PIT, MPS_INTI_CONFORMS);
	e += 10;
	madt_override(e, HV_IRQ_SCI, HV_IRQ_SCI, MPS_INTI_ACTIVE_HIGH | MPS_INTI_LEVEL);
	e += 10;
	e[0] = MADT_TYPE_LAPIC_NMI;
	e[1] = 6;
	e[2] = MADT_ALL_PROCESSORS;
	put(e + 3, 0, 2);
	e[5] = LAPIC_LINT1;
	sdt_finish(t, len);
	return off;
}

/* The RSDT (32-bit pointers, for old readers) and the XSDT list the same tables. */
static u32 build_root(struct builder *b, bool xsdt, const u32 *tables, u32 n)
{
	u32 entry = xsdt ? 8 : 4, len = SDT_HEADER_LEN + n * entry, off, i;
	u8 *t = reserve(b, len, 16, &off);

	if (!t)
		return 0;
	sdt_header(t, xsdt ? "XSDT" : "RSDT", len, 1);
	for (i = 0; i < n; i++)
		put(t + SDT_HEADER_LEN + i * entry, gpa(tables[i]), entry);
	sdt_finish(t, len);
	return off;
}

int acpi_tables_build(struct acpi_tables *at, u32 nr_vcpus)
{
	struct builder b = { at->tables, 0, sizeof(at->tables), false };
	u32 facs, dsdt, list[2], rsdt, xsdt;
	u8 *r = at->rsdp;

	if (!nr_vcpus || nr_vcpus > 255)
		return -1;
	memset(at, 0, sizeof(*at));
	facs = build_facs(&b);
	dsdt = build_dsdt(&b);
	list[0] = build_fadt(&b, facs, dsdt);
	list[1] = build_madt(&b, nr_vcpus);
	rsdt = build_root(&b, false, list, 2);
	xsdt = build_root(&b, true, list, 2);
	if (b.overflow)
		return -1;
	at->tables_len = b.len;
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, OEM_ID, 6);
	r[15] = RSDP_REVISION;
	put(r + 16, gpa(rsdt), 4);
	put(r + 20, ACPI_RSDP_SIZE, 4);
	put(r + 24, gpa(xsdt), 8);
	r[8] = checksum(r, RSDP_V1_LEN);
	r[32] = checksum(r, ACPI_RSDP_SIZE);
	return 0;
}
