// SPDX-License-Identifier: GPL-2.0
#include <hv/core/console.h>
#include <hv/core/platform.h>
#include <hv/core/trap.h>
#include <hv/lib/string.h>
#include <x86/hw.h>

#define BIOS_EBDA_SEGMENT_PTR 0x40e
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_END 0x100000
#define RSDP_ALIGN 16

#define PM_TIMER_HZ 3579545ULL
#define PM_TIMER_24BIT_MASK 0xffffffU
#define PM1_CNT_SLP_TYP_SHIFT 10
#define PM1_CNT_SLP_EN BIT(13)

#define PIT_CH2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_GATE_PORT 0x61
#define PIT_GATE_CH2 0x01
#define PIT_SPEAKER 0x02
#define PIT_OUT2 0x20
#define PIT_HZ 1193182ULL
#define PIT_CH2_MODE0_LOHI 0xb0

/* Bochs: writing "Shutdown" to this port powers the emulator off. */
#define BOCHS_SHUTDOWN_PORT 0x8900

struct acpi_facts platform;
u64 tsc_khz;

static const u8 *scan_rsdp(u64 start, u64 end)
{
	u64 pa;

	for (pa = ALIGN_UP(start, RSDP_ALIGN); pa + 20 <= end; pa += RSDP_ALIGN) {
		const u8 *p = phys_to_virt(pa);
		bool xsdt;

		if (!memcmp(p, "RSD PTR ", 8) && acpi_root_from_rsdp(p, 36, &xsdt))
			return p;
	}
	return NULL;
}

/* Returns the table if its header, length and checksum are sound. */
static const u8 *map_table(u64 pa, const char sig[4])
{
	const u8 *t;

	if (!pa)
		return NULL;
	t = phys_to_virt(pa);
	if (memcmp(t, sig, 4))
		return NULL;
	return acpi_table_valid(t, *(const u32 *)(t + 4), sig) ? t : NULL;
}

static void read_tables(u64 root, bool is_xsdt)
{
	const u8 *sdt = map_table(root, is_xsdt ? "XSDT" : "RSDT");
	size_t entry = is_xsdt ? 8 : 4, off, len;

	if (!sdt) {
		printk("hv: ACPI root table at 0x%llx is invalid\n", (unsigned long long)root);
		return;
	}
	len = *(const u32 *)(sdt + 4);
	for (off = ACPI_SDT_HEADER_LEN; off + entry <= len; off += entry) {
		u64 pa = 0;
		const u8 *t;

		memcpy(&pa, sdt + off, entry);
		t = phys_to_virt(pa);
		if (!pa)
			continue;
		if (map_table(pa, "APIC"))
			acpi_parse_madt(t, *(const u32 *)(t + 4), &platform);
		else if (map_table(pa, "FACP"))
			acpi_parse_fadt(t, *(const u32 *)(t + 4), &platform);
	}
	if (platform.dsdt_pa) {
		const u8 *dsdt = map_table(platform.dsdt_pa, "DSDT");

		if (dsdt)
			acpi_parse_dsdt_s5(dsdt, *(const u32 *)(dsdt + 4), &platform);
	}
}

/*
 * The legacy 8259 PICs: hv takes no interrupts from them. Firmware may
 * leave them delivering the PIT's IRQ 0 at vector 8 (#DF) to the boot CPU,
 * which an idle CPU with interrupts enabled would take. Moved to vectors
 * 0x20-0x2f (a spurious IRQ 7 or 15 cannot look like an exception), all
 * lines masked (Intel 8259A datasheet: ICW1-ICW4, then OCW1).
 */
#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_ICW1_INIT_ICW4 0x11
#define PIC_ICW3_SLAVE_ON_IRQ2 0x04
#define PIC_ICW3_SLAVE_ID 0x02
#define PIC_ICW4_8086 0x01
#define PIC_MASK_ALL 0xff

static void pic_disable(void)
{
	outb(PIC1_CMD, PIC_ICW1_INIT_ICW4);
	outb(PIC2_CMD, PIC_ICW1_INIT_ICW4);
	outb(PIC1_DATA, VECTOR_PIC_BASE);
	outb(PIC2_DATA, VECTOR_PIC_BASE + 8);
	outb(PIC1_DATA, PIC_ICW3_SLAVE_ON_IRQ2);
	outb(PIC2_DATA, PIC_ICW3_SLAVE_ID);
	outb(PIC1_DATA, PIC_ICW4_8086);
	outb(PIC2_DATA, PIC_ICW4_8086);
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
}

void platform_init(const struct boot_info *bi)
{
	const u8 *rsdp = bi->has_rsdp ? bi->rsdp : NULL;
	bool is_xsdt = false;
	u64 root = 0;

	pic_disable();
	if (!rsdp && !bi->booted_by_uefi) {
		u64 ebda = (u64) * (const u16 *)phys_to_virt(BIOS_EBDA_SEGMENT_PTR) << 4;

		if (ebda)
			rsdp = scan_rsdp(ebda, ebda + KiB);
		if (!rsdp)
			rsdp = scan_rsdp(BIOS_AREA_START, BIOS_AREA_END);
	}
	if (rsdp)
		root = acpi_root_from_rsdp(rsdp, ACPI_RSDP_V2_LEN, &is_xsdt);
	if (root)
		read_tables(root, is_xsdt);
	else
		printk("hv: no ACPI tables found: one CPU, no ACPI power-off\n");
}

static u32 pm_timer_read(void)
{
	u32 v = inl(platform.pm_timer_port);

	return platform.pm_timer_32bit ? v : v & PM_TIMER_24BIT_MASK;
}

static u32 pm_timer_elapsed(u32 from, u32 to)
{
	return platform.pm_timer_32bit ? to - from : (to - from) & PM_TIMER_24BIT_MASK;
}

static void pit_wait_ticks(u32 ticks)
{
	u8 gate = inb(PIT_GATE_PORT);

	outb(PIT_GATE_PORT, (gate & ~PIT_SPEAKER) | PIT_GATE_CH2);
	outb(PIT_COMMAND, PIT_CH2_MODE0_LOHI);
	outb(PIT_CH2_DATA, ticks & 0xff);
	outb(PIT_CH2_DATA, (ticks >> 8) & 0xff);
	while (!(inb(PIT_GATE_PORT) & PIT_OUT2))
		cpu_relax();
	outb(PIT_GATE_PORT, gate);
}

void udelay(u32 us)
{
	if (platform.pm_timer_port) {
		u32 start = pm_timer_read(), ticks = (u32)(us * PM_TIMER_HZ / 1000000);

		while (pm_timer_elapsed(start, pm_timer_read()) < ticks)
			cpu_relax();
		return;
	}
	while (us) {
		u32 chunk = MIN(us, 50000U);

		pit_wait_ticks((u32)(chunk * PIT_HZ / 1000000));
		us -= chunk;
	}
}

void tsc_calibrate(void)
{
	const u32 window_us = 10000;
	u64 t0 = rdtsc(), t1;

	udelay(window_us);
	t1 = rdtsc();
	tsc_khz = (t1 - t0) * 1000 / window_us;
	if (!tsc_khz)
		tsc_khz = 1;
}

void platform_poweroff(void)
{
	static const char bochs_shutdown[] = "Shutdown";
	const char *p;

	irq_disable();
	console_flush();
	if (platform.have_s5 && platform.pm1a_cnt_port) {
		outw(platform.pm1a_cnt_port,
		     (platform.slp_typ_a << PM1_CNT_SLP_TYP_SHIFT) | PM1_CNT_SLP_EN);
		if (platform.pm1b_cnt_port)
			outw(platform.pm1b_cnt_port,
			     (platform.slp_typ_b << PM1_CNT_SLP_TYP_SHIFT) | PM1_CNT_SLP_EN);
		udelay(100000);
	}
	for (p = bochs_shutdown; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, *p);
	printk("hv: power-off failed; halting\n");
	for (;;)
		halt();
}
