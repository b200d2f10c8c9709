// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI fixed hardware as the guest's FADT describes it (hv/loader/
 * acpi_tables.c; ACPI 6.4, 4.8): PM1 status and enable (no event ever
 * sets a status bit, so the SCI never fires), PM1 control with SCI_EN
 * always set (the platform is always in ACPI mode), the 32-bit PM timer at
 * 3.579545 MHz from the TSC, and the reset register at 0xcf9. Setting
 * SLP_EN with \_S5's SLP_TYP powers the guest off: its partition ends
 * like a debug-exit write of 0, reported as "ACPI power-off"; the reset
 * value ends it as "reset". Other sleep states do not exist.
 */
#include <stdio.h>
#include <hypercall.h>
#include "service.h"

#define PM1_STS 0
#define PM1_EN 2
#define PM1_CNT 4
#define PM_TMR 8
#define PM1_CNT_WRITABLE (HV_PM1_CNT_SLP_TYP_MASK | 0x0006) /* SLP_TYP, BM_RLD, GBL_RLS */
#define RESET_CPU 0x04 /* 0xcf9 bit 2: the reset happens */
#define RESET_CONTROL_MASK 0x0e

void pm_reset(struct pm *pm, uint64_t now)
{
	*pm = (struct pm){ .pm1_cnt = HV_PM1_CNT_SCI_EN, .timer_base = now };
}

static void end_guest(struct channel *ch, uint64_t how)
{
	long ret;

	uart_flush(ch);
	ret = svc_hypercall(HV_HC_PARTITION_EXIT, ch->id, 0, how, 0);
	if (ret < 0)
		printf("service: [%s] HV_HC_PARTITION_EXIT(%u, 0, %llu) failed: %ld\n", ch->name,
		       ch->id, (unsigned long long)how, ret);
	else
		ch->exit_requested = true;
}

static uint16_t read16(const struct pm *pm, uint64_t reg)
{
	switch (reg) {
	case PM1_STS:
		return pm->pm1_sts;
	case PM1_EN:
		return pm->pm1_en;
	case PM1_CNT:
		return pm->pm1_cnt;
	default:
		return 0;
	}
}

static void pm1_cnt_write(struct channel *ch, uint16_t value)
{
	struct pm *pm = &ch->pm;
	unsigned int slp_typ = (value & HV_PM1_CNT_SLP_TYP_MASK) >> HV_PM1_CNT_SLP_TYP_SHIFT;

	pm->pm1_cnt = HV_PM1_CNT_SCI_EN | (value & PM1_CNT_WRITABLE);
	if (!(value & HV_PM1_CNT_SLP_EN))
		return;
	if (slp_typ == HV_SLP_TYP_S5) {
		end_guest(ch, HV_EXIT_BY_ACPI_POWEROFF);
	} else if (!pm->sleep_reported) {
		pm->sleep_reported = true;
		printf("service: [%s] sleep type %u asked: only S5 (power-off) exists\n", ch->name,
		       slp_typ);
	}
}

/* Accesses of 1, 2 or 4 bytes inside a register; the timer is read-only. */
uint64_t pm_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	(void)size;
	if (offset >= PM_TMR)
		return svc_tsc_to_ticks(svc_now() - ch->pm.timer_base, HV_PM_TIMER_HZ) >>
		       (8 * (offset - PM_TMR));
	return (read16(&ch->pm, offset & ~1ULL) | (uint32_t)read16(&ch->pm, (offset & ~1ULL) + 2)
							  << 16) >>
	       (8 * (offset & 1));
}

void pm_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	struct pm *pm = &ch->pm;

	switch (offset) {
	case PM1_STS:
		pm->pm1_sts &= ~(uint16_t)value; /* write 1 to clear */
		if (size == 4)
			pm->pm1_en = value >> 16;
		break;
	case PM1_EN:
		pm->pm1_en = (uint16_t)value;
		break;
	case PM1_CNT:
		pm1_cnt_write(ch, (uint16_t)value);
		break;
	}
}

uint64_t reset_read(struct channel *ch, uint64_t offset, unsigned int size)
{
	(void)offset;
	(void)size;
	return ch->pm.reset_control;
}

void reset_write(struct channel *ch, uint64_t offset, unsigned int size, uint64_t value)
{
	(void)offset;
	(void)size;
	ch->pm.reset_control = value & RESET_CONTROL_MASK;
	if (value & RESET_CPU)
		end_guest(ch, HV_EXIT_BY_RESET);
}
