/* SPDX-License-Identifier: MIT */
/*
 * The guest platform: where every guest finds its devices and how their
 * interrupts are wired, as the ACPI tables hv builds describe them (MADT,
 * FADT) and the service partition emulates them. A PC in the shape of
 * QEMU's `pc` machine without PCI; docs/porting.md tells the whole of it.
 * Shared by hv, the service partition and guest code: <stdint.h> only.
 */
#ifndef HV_PUBLIC_PLATFORM_H
#define HV_PUBLIC_PLATFORM_H

#include <stdint.h>

/* Interrupt controllers (MMIO in the MMIO window; the local APIC: hv.h, HV_LOCAL_APIC_GPA). */
#define HV_IOAPIC_BASE 0xfec00000ULL
#define HV_IOAPIC_SIZE 0x1000ULL
#define HV_IOAPIC_ID 0U
#define HV_IOAPIC_PINS 24U
#define HV_IOAPIC_VERSION 0x20U /* with the EOI register, as the ICH's */

/*
 * ISA interrupts reach I/O APIC pin = IRQ, except IRQ 0 (the PIT), which is
 * wired to pin 2 (an interrupt source override in the MADT, as on PCs).
 * ISA interrupts are edge-triggered, active high; the SCI is level-triggered.
 */
#define HV_IRQ_PIT 0U
#define HV_GSI_PIT 2U
#define HV_IRQ_COM1 4U
#define HV_IRQ_RTC 8U
#define HV_IRQ_SCI 9U

/* Legacy ports. */
#define HV_PIC_MASTER_PORT 0x20U /* 0x20-0x21; the slave at 0xa0-0xa1 */
#define HV_PIC_SLAVE_PORT 0xa0U
#define HV_PIC_ELCR_PORT 0x4d0U /* edge/level control, 0x4d0-0x4d1 */
#define HV_PIT_PORT 0x40U /* 0x40-0x43 */
#define HV_PIT_GATE_PORT 0x61U /* NMI status and control: channel 2's gate and output */
#define HV_RTC_PORT 0x70U /* 0x70 index (bit 7: NMI disable), 0x71 data */
#define HV_RESET_PORT 0xcf9U /* reset control: the FADT's reset register */
#define HV_RESET_VALUE 0x06U

/* ACPI fixed hardware (ACPI 6.4, 4.8), QEMU's PIIX4 PM base. */
#define HV_PM_BASE 0x600U
#define HV_PM1A_EVT_PORT (HV_PM_BASE + 0) /* PM1 status (2 bytes), enable (2 bytes) */
#define HV_PM1A_CNT_PORT (HV_PM_BASE + 4) /* PM1 control (2 bytes) */
#define HV_PM_TMR_PORT (HV_PM_BASE + 8) /* PM timer (4 bytes, 32-bit counter) */
#define HV_PM_PORTS 12U
#define HV_PM_TIMER_HZ 3579545U /* ACPI 6.4, 4.8.3.3 */
#define HV_SLP_TYP_S5 5U /* the DSDT's \_S5 package */

/* PM1 control register bits (ACPI 6.4, Table 4.13). */
#define HV_PM1_CNT_SCI_EN (1U << 0)
#define HV_PM1_CNT_SLP_TYP_SHIFT 10
#define HV_PM1_CNT_SLP_TYP_MASK (7U << HV_PM1_CNT_SLP_TYP_SHIFT)
#define HV_PM1_CNT_SLP_EN (1U << 13)

/* The ACPI tables, in the BIOS area: the RSDP where a scan of 0xF0000 finds it first. */
#define HV_ACPI_TABLES_GPA 0xe0000ULL
#define HV_ACPI_RSDP_GPA 0xf0000ULL

#endif /* HV_PUBLIC_PLATFORM_H */
