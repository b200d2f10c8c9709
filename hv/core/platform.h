/* SPDX-License-Identifier: GPL-2.0 */
/* Machine facts found at boot, timing and power-off. */
#ifndef HV_CORE_PLATFORM_H
#define HV_CORE_PLATFORM_H

#include <boot/boot_info.h>
#include <hv/core/acpi.h>
#include <types.h>

extern struct acpi_facts platform;
extern u64 tsc_khz;

/* Finds the ACPI tables (boot information, or the BIOS areas) and reads them. */
void platform_init(const struct boot_info *bi);
/* Calibrates the TSC against the ACPI PM timer, or the PIT without one. */
void tsc_calibrate(void);
void udelay(u32 us);

static inline u64 tsc_from_us(u64 us)
{
	return us * tsc_khz / 1000;
}

/* ACPI S5; falls back to the Bochs shutdown port, then halts. */
void platform_poweroff(void) __noreturn;

#endif /* HV_CORE_PLATFORM_H */
