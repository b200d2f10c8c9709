// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI parsing (ACPI 6.4: 5.2.5 RSDP, 5.2.9 FADT, 5.2.12 MADT, 20.2 AML
 * grammar for the \_S5 package). Tables are built field by field and parsed
 * from exact-size heap copies so any read past the end is an ASan error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hv/core/acpi.h>

#define TABLE_MAX 4096

/* MADT (5.2.12) */
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_X2APIC 9
#define LAPIC_ENABLED 1
#define LAPIC_ONLINE_CAPABLE 2

/* FADT (5.2.9) */
#define FADT_REV1_LEN 116
#define FADT_REV6_LEN 276
#define FADT_DSDT 40
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_PM_TMR 76
#define FADT_PM_TMR_LEN 91
#define FADT_FLAGS 112
#define FADT_X_DSDT 140
#define FADT_TMR_VAL_EXT (1U << 8)

/* AML (20.2) */
#define NAME_OP 0x08
#define PACKAGE_OP 0x12
#define ZERO_OP 0x00
#define ONE_OP 0x01
#define BYTE_PREFIX 0x0a
#define WORD_PREFIX 0x0b
#define ROOT_CHAR '\\'

struct table {
	u8 b[TABLE_MAX];
	u32 len;
};

static struct table t;
static struct acpi_facts f;

static void put8(u32 off, u8 v)
{
	t.b[off] = v;
}

static void put32(u32 off, u32 v)
{
	memcpy(t.b + off, &v, 4);
}

static void put64(u32 off, u64 v)
{
	memcpy(t.b + off, &v, 8);
}

static void append(const void *p, u32 n)
{
	assert_true(t.len + n <= TABLE_MAX);
	memcpy(t.b + t.len, p, n);
	t.len += n;
}

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* A system description table header (5.2.6); the body is appended after it. */
static void sdt_begin(const char sig[4], u8 revision)
{
	memset(&t, 0, sizeof(t));
	memcpy(t.b, sig, 4);
	put8(8, revision);
	memcpy(t.b + 10, "BOCHS ", 6);
	memcpy(t.b + 16, "BXPC    ", 8);
	put32(24, 1);
	memcpy(t.b + 28, "BXPC", 4);
	put32(32, 1);
	t.len = ACPI_SDT_HEADER_LEN;
}

/* Sets the length field and the checksum. */
static void sdt_finish(void)
{
	put32(4, t.len);
	put8(9, 0);
	put8(9, (u8)-sum(t.b, t.len));
}

static void facts_reset(void)
{
	memset(&f, 0, sizeof(f));
}

/* Runs @fn on an exact-size heap copy of the first @len bytes of the table. */
static int run_len(int (*fn)(const u8 *, size_t, struct acpi_facts *), u32 len)
{
	u8 *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, t.b, len);
	ret = fn(copy, len, &f);
	free(copy);
	return ret;
}

static int run(int (*fn)(const u8 *, size_t, struct acpi_facts *))
{
	return run_len(fn, t.len);
}

static bool valid_len(u32 avail, const char sig[4])
{
	u8 *copy = malloc(avail ? avail : 1);
	bool ret;

	assert_non_null(copy);
	memcpy(copy, t.b, avail);
	ret = acpi_table_valid(copy, avail, sig);
	free(copy);
	return ret;
}

/* RSDP (5.2.5.3) */

static void rsdp_build(u8 revision, u32 rsdt, u64 xsdt)
{
	memset(&t, 0, sizeof(t));
	memcpy(t.b, "RSD PTR ", 8);
	memcpy(t.b + 9, "BOCHS ", 6);
	put8(15, revision);
	put32(16, rsdt);
	put8(8, (u8)-sum(t.b, 20));
	t.len = 20;
	if (revision >= 2) {
		put32(20, 36);
		put64(24, xsdt);
		put8(32, (u8)-sum(t.b, 36));
		t.len = 36;
	}
}

static u64 root_len(u32 len, bool *is_xsdt)
{
	u8 *copy = malloc(len ? len : 1);
	u64 root;

	assert_non_null(copy);
	memcpy(copy, t.b, len);
	root = acpi_root_from_rsdp(copy, len, is_xsdt);
	free(copy);
	return root;
}

static void rsdp_1_0_gives_the_rsdt(void **state)
{
	bool is_xsdt = true;

	rsdp_build(0, 0x7fe14a3, 0);
	assert_int_equal(root_len(20, &is_xsdt), 0x7fe14a3);
	assert_false(is_xsdt);
	/* The 36-byte copy hv keeps of a 1.0 RSDP is zero-extended. */
	assert_int_equal(root_len(36, &is_xsdt), 0x7fe14a3);
	assert_false(is_xsdt);
}

static void rsdp_2_0_gives_the_xsdt(void **state)
{
	bool is_xsdt = false;

	rsdp_build(2, 0x7fe14a3, 0x17fe15000ULL);
	assert_int_equal(root_len(36, &is_xsdt), 0x17fe15000ULL);
	assert_true(is_xsdt);
}

static void rsdp_2_0_with_bad_extended_checksum_falls_back_to_the_rsdt(void **state)
{
	bool is_xsdt = true;

	rsdp_build(2, 0x7fe14a3, 0x7fe15000);
	put8(32, t.b[32] + 1);
	assert_int_equal(root_len(36, &is_xsdt), 0x7fe14a3);
	assert_false(is_xsdt);
}

static void rsdp_2_0_without_an_xsdt_gives_the_rsdt(void **state)
{
	bool is_xsdt = true;

	rsdp_build(2, 0x7fe14a3, 0);
	assert_int_equal(root_len(36, &is_xsdt), 0x7fe14a3);
	assert_false(is_xsdt);
}

static void rsdp_2_0_with_short_length_field_gives_the_rsdt(void **state)
{
	bool is_xsdt = true;

	rsdp_build(2, 0x7fe14a3, 0x7fe15000);
	put32(20, 20);
	put8(32, 0);
	put8(32, (u8)-sum(t.b, 36));
	assert_int_equal(root_len(36, &is_xsdt), 0x7fe14a3);
	assert_false(is_xsdt);
}

static void rsdp_2_0_copy_of_20_bytes_gives_the_rsdt(void **state)
{
	bool is_xsdt = true;

	rsdp_build(2, 0x7fe14a3, 0x7fe15000);
	assert_int_equal(root_len(20, &is_xsdt), 0x7fe14a3);
	assert_false(is_xsdt);
}

static void rsdp_with_bad_checksum_is_rejected(void **state)
{
	bool is_xsdt;

	rsdp_build(0, 0x7fe14a3, 0);
	put8(8, t.b[8] + 1);
	assert_int_equal(root_len(20, &is_xsdt), 0);

	/* A good extended checksum does not excuse a bad 1.0 checksum. */
	rsdp_build(2, 0x7fe14a3, 0x7fe15000);
	put8(8, t.b[8] + 1);
	put8(32, t.b[32] - 1);
	assert_int_equal(sum(t.b, 36), 0);
	assert_int_equal(root_len(36, &is_xsdt), 0);
}

static void rsdp_with_bad_signature_is_rejected(void **state)
{
	bool is_xsdt;

	rsdp_build(0, 0x7fe14a3, 0);
	memcpy(t.b, "RSD PTR_", 8);
	put8(8, t.b[8] + ' ' - '_');
	assert_int_equal(sum(t.b, 20), 0);
	assert_int_equal(root_len(20, &is_xsdt), 0);
}

static void rsdp_shorter_than_20_bytes_is_rejected(void **state)
{
	bool is_xsdt;

	rsdp_build(0, 0x7fe14a3, 0);
	assert_int_equal(root_len(19, &is_xsdt), 0);
	assert_int_equal(root_len(0, &is_xsdt), 0);
}

/* Table header validation (5.2.6) */

static void well_formed_table_is_valid(void **state)
{
	sdt_begin("APIC", 1);
	append("\0\0\xe0\xfe\1\0\0\0", 8);
	sdt_finish();
	assert_true(valid_len(t.len, "APIC"));
	/* Bytes after the table are not the table's business. */
	assert_true(valid_len(t.len + 100, "APIC"));
}

static void table_with_bad_checksum_is_invalid(void **state)
{
	sdt_begin("FACP", 1);
	t.len = FADT_REV1_LEN;
	sdt_finish();
	put8(50, t.b[50] + 1);
	assert_false(valid_len(t.len, "FACP"));
}

static void table_with_other_signature_is_invalid(void **state)
{
	sdt_begin("FACP", 1);
	t.len = FADT_REV1_LEN;
	sdt_finish();
	assert_false(valid_len(t.len, "APIC"));
	assert_false(valid_len(t.len, "facp"));
}

static void table_longer_than_the_buffer_is_invalid(void **state)
{
	sdt_begin("DSDT", 2);
	t.len = 100;
	sdt_finish();
	assert_false(valid_len(99, "DSDT"));
	assert_true(valid_len(100, "DSDT"));
}

static void table_length_below_the_header_is_invalid(void **state)
{
	sdt_begin("DSDT", 2);
	sdt_finish();
	put32(4, ACPI_SDT_HEADER_LEN - 1);
	put8(9, t.b[9] + 1);
	assert_false(valid_len(t.len, "DSDT"));
	put32(4, 0);
	assert_false(valid_len(t.len, "DSDT"));
}

static void buffer_shorter_than_a_header_is_invalid(void **state)
{
	sdt_begin("DSDT", 2);
	sdt_finish();
	assert_false(valid_len(ACPI_SDT_HEADER_LEN - 1, "DSDT"));
	assert_false(valid_len(0, "DSDT"));
}

/* MADT (5.2.12) */

static void madt_begin(u32 lapic_pa)
{
	sdt_begin("APIC", 5);
	append(&lapic_pa, 4);
	append("\1\0\0\0", 4); /* PCAT_COMPAT */
}

static void madt_lapic(u8 uid, u8 apic_id, u32 flags)
{
	u8 e[8] = { MADT_LAPIC, 8, uid, apic_id };

	memcpy(e + 4, &flags, 4);
	append(e, sizeof(e));
}

static void madt_x2apic(u32 apic_id, u32 flags, u32 uid)
{
	u8 e[16] = { MADT_X2APIC, 16 };

	memcpy(e + 4, &apic_id, 4);
	memcpy(e + 8, &flags, 4);
	memcpy(e + 12, &uid, 4);
	append(e, sizeof(e));
}

static void madt_ioapic(u8 id, u32 pa, u32 gsi_base)
{
	u8 e[12] = { MADT_IOAPIC, 12, id, 0 };

	memcpy(e + 4, &pa, 4);
	memcpy(e + 8, &gsi_base, 4);
	append(e, sizeof(e));
}

static void madt_lists_enabled_processors_and_the_lapic_base(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	madt_lapic(1, 1, LAPIC_ENABLED);
	madt_ioapic(0, 0xfec00000, 0);
	madt_lapic(2, 2, LAPIC_ENABLED);
	madt_lapic(3, 6, LAPIC_ENABLED);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.lapic_pa, 0xfee00000);
	assert_int_equal(f.nr_cpus, 4);
	assert_int_equal(f.apic_ids[0], 0);
	assert_int_equal(f.apic_ids[1], 1);
	assert_int_equal(f.apic_ids[2], 2);
	assert_int_equal(f.apic_ids[3], 6);
}

static void madt_disabled_processors_are_skipped(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	madt_lapic(1, 1, 0);
	/* Online capable but not enabled: hv does not hot-add CPUs. */
	madt_lapic(2, 2, LAPIC_ONLINE_CAPABLE);
	madt_x2apic(0x100, 0, 3);
	madt_lapic(4, 4, LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.nr_cpus, 2);
	assert_int_equal(f.apic_ids[0], 0);
	assert_int_equal(f.apic_ids[1], 4);
}

static void madt_duplicate_apic_ids_are_counted_once(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	madt_lapic(1, 1, LAPIC_ENABLED);
	madt_lapic(2, 1, LAPIC_ENABLED);
	madt_lapic(3, 0, LAPIC_ENABLED);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.nr_cpus, 2);
}

static void madt_x2apic_entries_are_listed(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	madt_x2apic(0x100, LAPIC_ENABLED, 1);
	madt_x2apic(0xfffffffe, LAPIC_ENABLED, 2);
	/* The same CPU listed as xAPIC and x2APIC counts once. */
	madt_x2apic(0, LAPIC_ENABLED, 0);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.nr_cpus, 3);
	assert_int_equal(f.apic_ids[1], 0x100);
	assert_int_equal(f.apic_ids[2], 0xfffffffe);
}

static void madt_entries_too_short_for_their_type_are_ignored(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	append((u8[]){ MADT_LAPIC, 6, 1, 1, 1, 0 }, 6);
	append((u8[]){ MADT_X2APIC, 12, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0 }, 12);
	madt_lapic(3, 3, LAPIC_ENABLED);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.nr_cpus, 2);
	assert_int_equal(f.apic_ids[1], 3);
}

static void madt_entry_of_length_zero_is_rejected(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	append((u8[]){ MADT_IOAPIC, 0, 0, 0 }, 4);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), -1);
}

static void madt_entry_of_length_one_is_rejected(void **state)
{
	madt_begin(0xfee00000);
	append((u8[]){ MADT_LAPIC, 1, 0, 0 }, 4);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), -1);
}

static void madt_entry_overrunning_the_table_is_rejected(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	madt_lapic(1, 1, LAPIC_ENABLED);
	sdt_finish();
	facts_reset();
	/* The second entry is cut short by the length hv is given. */
	assert_int_equal(run_len(acpi_parse_madt, t.len - 1), -1);

	madt_begin(0xfee00000);
	append((u8[]){ MADT_X2APIC, 16, 0, 0 }, 4);
	sdt_finish();
	facts_reset();
	assert_int_equal(run(acpi_parse_madt), -1);
	assert_int_equal(f.nr_cpus, 0);
}

static void madt_trailing_byte_shorter_than_an_entry_header_is_ignored(void **state)
{
	madt_begin(0xfee00000);
	madt_lapic(0, 0, LAPIC_ENABLED);
	append("\0", 1);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.nr_cpus, 1);
}

static void madt_without_entries_lists_no_processor(void **state)
{
	madt_begin(0xfee00000);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.nr_cpus, 0);
	assert_int_equal(f.lapic_pa, 0xfee00000);
}

static void madt_shorter_than_its_fixed_fields_is_rejected(void **state)
{
	madt_begin(0xfee00000);
	sdt_finish();
	facts_reset();

	assert_int_equal(run_len(acpi_parse_madt, 43), -1);
	assert_int_equal(run_len(acpi_parse_madt, 0), -1);
}

static void madt_more_processors_than_fit_are_dropped(void **state)
{
	u32 i, n = ARRAY_SIZE(f.apic_ids);

	madt_begin(0xfee00000);
	for (i = 0; i < n + 10; i++)
		madt_x2apic(i, LAPIC_ENABLED, i);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_madt), 0);
	assert_int_equal(f.nr_cpus, n);
	assert_int_equal(f.apic_ids[n - 1], n - 1);
}

/* FADT (5.2.9) */

static void fadt_begin(u8 revision, u32 len)
{
	sdt_begin("FACP", revision);
	t.len = len;
	put32(FADT_DSDT, 0x7fe0040);
	put32(FADT_PM1A_CNT, 0x604);
	put32(FADT_PM_TMR, 0x608);
	put8(FADT_PM_TMR_LEN, 4);
}

static void fadt_gives_dsdt_pm1_control_and_pm_timer(void **state)
{
	fadt_begin(1, FADT_REV1_LEN);
	put32(FADT_PM1B_CNT, 0x704);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), 0);
	assert_int_equal(f.dsdt_pa, 0x7fe0040);
	assert_int_equal(f.pm1a_cnt_port, 0x604);
	assert_int_equal(f.pm1b_cnt_port, 0x704);
	assert_int_equal(f.pm_timer_port, 0x608);
	assert_false(f.pm_timer_32bit);
}

static void fadt_pm_timer_is_32_bit_with_tmr_val_ext(void **state)
{
	fadt_begin(1, FADT_REV1_LEN);
	put32(FADT_FLAGS, FADT_TMR_VAL_EXT | 0xa5);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), 0);
	assert_int_equal(f.pm_timer_port, 0x608);
	assert_true(f.pm_timer_32bit);
}

static void fadt_pm_timer_is_24_bit_without_tmr_val_ext(void **state)
{
	fadt_begin(1, FADT_REV1_LEN);
	put32(FADT_FLAGS, ~FADT_TMR_VAL_EXT);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), 0);
	assert_int_equal(f.pm_timer_port, 0x608);
	assert_false(f.pm_timer_32bit);
}

static void fadt_pm_timer_of_other_length_is_not_used(void **state)
{
	fadt_begin(1, FADT_REV1_LEN);
	put8(FADT_PM_TMR_LEN, 0);
	put32(FADT_FLAGS, FADT_TMR_VAL_EXT);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), 0);
	assert_int_equal(f.pm_timer_port, 0);
	assert_false(f.pm_timer_32bit);
	assert_int_equal(f.pm1a_cnt_port, 0x604);
}

static void fadt_x_dsdt_is_preferred_when_set(void **state)
{
	fadt_begin(6, FADT_REV6_LEN);
	put64(FADT_X_DSDT, 0x17fe0040ULL);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), 0);
	assert_int_equal(f.dsdt_pa, 0x17fe0040ULL);
}

static void fadt_zero_x_dsdt_keeps_the_32_bit_dsdt(void **state)
{
	fadt_begin(6, FADT_REV6_LEN);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), 0);
	assert_int_equal(f.dsdt_pa, 0x7fe0040);
}

static void fadt_x_dsdt_cut_off_by_the_length_is_not_read(void **state)
{
	fadt_begin(3, FADT_X_DSDT + 7);
	put64(FADT_X_DSDT, 0x17fe0040ULL);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), 0);
	assert_int_equal(f.dsdt_pa, 0x7fe0040);
}

static void fadt_too_short_for_the_flags_is_rejected(void **state)
{
	fadt_begin(1, FADT_REV1_LEN - 1);
	sdt_finish();
	facts_reset();

	assert_int_equal(run(acpi_parse_fadt), -1);
	assert_int_equal(f.pm1a_cnt_port, 0);
	assert_int_equal(f.dsdt_pa, 0);
	assert_int_equal(run_len(acpi_parse_fadt, ACPI_SDT_HEADER_LEN), -1);
}

/* DSDT \_S5 (7.4.2, 20.2) */

static void dsdt_begin(void)
{
	sdt_begin("DSDT", 1);
	/* Some AML before \_S5: Scope (\_SB) { Name (_UID, One) } */
	append("\x10\x0c\x5c_SB_\x08_UID\x01", 13);
}

/* Name (_S5_, Package () { elements }) with a one-byte PkgLength. */
static void dsdt_s5(bool root_prefix, const u8 *elements, u8 n_bytes, u8 n_elements)
{
	append((u8[]){ NAME_OP }, 1);
	if (root_prefix)
		append((u8[]){ ROOT_CHAR }, 1);
	append("_S5_", 4);
	append((u8[]){ PACKAGE_OP, (u8)(n_bytes + 2), n_elements }, 3);
	append(elements, n_bytes);
}

static void dsdt_trailer(void)
{
	/* Method (_PTS, 1) { } */
	append("\x14\x06_PTS\x01", 7);
}

static int s5(void)
{
	facts_reset();
	return run(acpi_parse_dsdt_s5);
}

static void dsdt_s5_of_zeros_as_qemu_emits_it(void **state)
{
	dsdt_begin();
	dsdt_s5(false, (u8[]){ ZERO_OP, ZERO_OP, ZERO_OP, ZERO_OP }, 4, 4);
	dsdt_trailer();
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_true(f.have_s5);
	assert_int_equal(f.slp_typ_a, 0);
	assert_int_equal(f.slp_typ_b, 0);
}

static void dsdt_s5_with_root_prefix_is_found(void **state)
{
	dsdt_begin();
	dsdt_s5(true, (u8[]){ BYTE_PREFIX, 5, BYTE_PREFIX, 5, ZERO_OP, ZERO_OP }, 6, 4);
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_true(f.have_s5);
	assert_int_equal(f.slp_typ_a, 5);
	assert_int_equal(f.slp_typ_b, 5);
}

static void dsdt_s5_byte_constants_are_read(void **state)
{
	dsdt_begin();
	dsdt_s5(false, (u8[]){ BYTE_PREFIX, 7, BYTE_PREFIX, 0xff }, 4, 2);
	dsdt_trailer();
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 7);
	assert_int_equal(f.slp_typ_b, 0xff);
}

static void dsdt_s5_one_and_zero_elements_are_read(void **state)
{
	dsdt_begin();
	dsdt_s5(false, (u8[]){ ONE_OP, ZERO_OP }, 2, 2);
	dsdt_trailer();
	sdt_finish();
	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 1);
	assert_int_equal(f.slp_typ_b, 0);

	dsdt_begin();
	dsdt_s5(false, (u8[]){ ZERO_OP, BYTE_PREFIX, 3 }, 3, 2);
	sdt_finish();
	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 0);
	assert_int_equal(f.slp_typ_b, 3);
}

static void dsdt_s5_with_one_element_uses_it_for_both(void **state)
{
	dsdt_begin();
	dsdt_s5(false, (u8[]){ BYTE_PREFIX, 5 }, 2, 1);
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 5);
	assert_int_equal(f.slp_typ_b, 5);
}

static void dsdt_s5_second_element_of_other_form_falls_back_to_the_first(void **state)
{
	dsdt_begin();
	dsdt_s5(false, (u8[]){ BYTE_PREFIX, 5, WORD_PREFIX, 5, 0 }, 5, 2);
	dsdt_trailer();
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 5);
	assert_int_equal(f.slp_typ_b, 5);
}

static void dsdt_s5_with_two_byte_pkglength_is_read(void **state)
{
	dsdt_begin();
	/* PkgLength 0x46 0x00: bits 7:6 of the lead byte say one more byte follows. */
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', PACKAGE_OP, 0x46, 0x00, 2, BYTE_PREFIX, 6,
		       ONE_OP },
	       12);
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 6);
	assert_int_equal(f.slp_typ_b, 1);
}

static void dsdt_s5_not_named_by_name_op_is_skipped(void **state)
{
	dsdt_begin();
	/* A reference to \_S5 in a method body, then the real definition. */
	append("\x14\x10_FOO\x00\xa4_S5_", 12);
	append((u8[]){ PACKAGE_OP, 4, 2, ONE_OP, ONE_OP }, 5);
	dsdt_s5(false, (u8[]){ BYTE_PREFIX, 5, BYTE_PREFIX, 6 }, 4, 2);
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 5);
	assert_int_equal(f.slp_typ_b, 6);
}

static void dsdt_s5_not_followed_by_a_package_is_not_used(void **state)
{
	dsdt_begin();
	/* Name (_S5_, 5) */
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', BYTE_PREFIX, 5 }, 7);
	dsdt_trailer();
	sdt_finish();
	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);

	/* ...but a well-formed one later is. */
	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', BYTE_PREFIX, 5 }, 7);
	dsdt_s5(false, (u8[]){ ONE_OP, ONE_OP }, 2, 2);
	sdt_finish();
	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 1);
}

static void dsdt_without_s5_is_rejected(void **state)
{
	dsdt_begin();
	dsdt_trailer();
	sdt_finish();

	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);
}

static void dsdt_s5_name_at_the_end_of_the_table_is_rejected(void **state)
{
	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_' }, 5);
	sdt_finish();

	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);
}

static void dsdt_s5_truncated_in_the_package_header_is_rejected(void **state)
{
	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', PACKAGE_OP }, 6);
	sdt_finish();
	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);

	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', PACKAGE_OP, 0x06 }, 7);
	sdt_finish();
	assert_int_equal(s5(), -1);

	/* A four-byte PkgLength running off the end. */
	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', PACKAGE_OP, 0xc0, 0 }, 8);
	sdt_finish();
	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);
}

static void dsdt_s5_truncated_in_the_first_element_is_rejected(void **state)
{
	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', PACKAGE_OP, 0x06, 4 }, 8);
	sdt_finish();
	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);

	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', PACKAGE_OP, 0x06, 4, BYTE_PREFIX }, 9);
	sdt_finish();
	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);
}

static void dsdt_s5_truncated_in_the_second_element_uses_the_first(void **state)
{
	dsdt_begin();
	append((u8[]){ NAME_OP, '_', 'S', '5', '_', PACKAGE_OP, 0x06, 4, BYTE_PREFIX, 5,
		       BYTE_PREFIX },
	       11);
	sdt_finish();

	assert_int_equal(s5(), 0);
	assert_int_equal(f.slp_typ_a, 5);
	assert_int_equal(f.slp_typ_b, 5);
}

static void dsdt_s5_in_the_header_is_not_aml(void **state)
{
	dsdt_begin();
	/* OEM table ID "\x08_S5_..." followed by a package opcode in the revision. */
	memcpy(t.b + 15, "\x08_S5_\x12\x04\x02\x01\x01", 10);
	sdt_finish();

	assert_int_equal(s5(), -1);
	assert_false(f.have_s5);
}

static void dsdt_shorter_than_a_header_is_rejected(void **state)
{
	dsdt_begin();
	sdt_finish();
	facts_reset();

	assert_int_equal(run_len(acpi_parse_dsdt_s5, 20), -1);
	assert_int_equal(run_len(acpi_parse_dsdt_s5, 0), -1);
	assert_false(f.have_s5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rsdp_1_0_gives_the_rsdt),
		cmocka_unit_test(rsdp_2_0_gives_the_xsdt),
		cmocka_unit_test(rsdp_2_0_with_bad_extended_checksum_falls_back_to_the_rsdt),
		cmocka_unit_test(rsdp_2_0_without_an_xsdt_gives_the_rsdt),
		cmocka_unit_test(rsdp_2_0_with_short_length_field_gives_the_rsdt),
		cmocka_unit_test(rsdp_2_0_copy_of_20_bytes_gives_the_rsdt),
		cmocka_unit_test(rsdp_with_bad_checksum_is_rejected),
		cmocka_unit_test(rsdp_with_bad_signature_is_rejected),
		cmocka_unit_test(rsdp_shorter_than_20_bytes_is_rejected),
		cmocka_unit_test(well_formed_table_is_valid),
		cmocka_unit_test(table_with_bad_checksum_is_invalid),
		cmocka_unit_test(table_with_other_signature_is_invalid),
		cmocka_unit_test(table_longer_than_the_buffer_is_invalid),
		cmocka_unit_test(table_length_below_the_header_is_invalid),
		cmocka_unit_test(buffer_shorter_than_a_header_is_invalid),
		cmocka_unit_test(madt_lists_enabled_processors_and_the_lapic_base),
		cmocka_unit_test(madt_disabled_processors_are_skipped),
		cmocka_unit_test(madt_duplicate_apic_ids_are_counted_once),
		cmocka_unit_test(madt_x2apic_entries_are_listed),
		cmocka_unit_test(madt_entries_too_short_for_their_type_are_ignored),
		cmocka_unit_test(madt_entry_of_length_zero_is_rejected),
		cmocka_unit_test(madt_entry_of_length_one_is_rejected),
		cmocka_unit_test(madt_entry_overrunning_the_table_is_rejected),
		cmocka_unit_test(madt_trailing_byte_shorter_than_an_entry_header_is_ignored),
		cmocka_unit_test(madt_without_entries_lists_no_processor),
		cmocka_unit_test(madt_shorter_than_its_fixed_fields_is_rejected),
		cmocka_unit_test(madt_more_processors_than_fit_are_dropped),
		cmocka_unit_test(fadt_gives_dsdt_pm1_control_and_pm_timer),
		cmocka_unit_test(fadt_pm_timer_is_32_bit_with_tmr_val_ext),
		cmocka_unit_test(fadt_pm_timer_is_24_bit_without_tmr_val_ext),
		cmocka_unit_test(fadt_pm_timer_of_other_length_is_not_used),
		cmocka_unit_test(fadt_x_dsdt_is_preferred_when_set),
		cmocka_unit_test(fadt_zero_x_dsdt_keeps_the_32_bit_dsdt),
		cmocka_unit_test(fadt_x_dsdt_cut_off_by_the_length_is_not_read),
		cmocka_unit_test(fadt_too_short_for_the_flags_is_rejected),
		cmocka_unit_test(dsdt_s5_of_zeros_as_qemu_emits_it),
		cmocka_unit_test(dsdt_s5_with_root_prefix_is_found),
		cmocka_unit_test(dsdt_s5_byte_constants_are_read),
		cmocka_unit_test(dsdt_s5_one_and_zero_elements_are_read),
		cmocka_unit_test(dsdt_s5_with_one_element_uses_it_for_both),
		cmocka_unit_test(dsdt_s5_second_element_of_other_form_falls_back_to_the_first),
		cmocka_unit_test(dsdt_s5_with_two_byte_pkglength_is_read),
		cmocka_unit_test(dsdt_s5_not_named_by_name_op_is_skipped),
		cmocka_unit_test(dsdt_s5_not_followed_by_a_package_is_not_used),
		cmocka_unit_test(dsdt_without_s5_is_rejected),
		cmocka_unit_test(dsdt_s5_name_at_the_end_of_the_table_is_rejected),
		cmocka_unit_test(dsdt_s5_truncated_in_the_package_header_is_rejected),
		cmocka_unit_test(dsdt_s5_truncated_in_the_first_element_is_rejected),
		cmocka_unit_test(dsdt_s5_truncated_in_the_second_element_uses_the_first),
		cmocka_unit_test(dsdt_s5_in_the_header_is_not_aml),
		cmocka_unit_test(dsdt_shorter_than_a_header_is_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
