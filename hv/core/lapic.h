/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical local APIC of each CPU, as hv itself uses it (IPIs between
 * hv's CPUs, AP start-up). The guests' virtual APICs are in hv/apic/.
 */
#ifndef HV_CORE_LAPIC_H
#define HV_CORE_LAPIC_H

#include <types.h>

void lapic_init(void);
u32 lapic_id(void);
void lapic_eoi(void);
void lapic_send_nmi(u32 apic_id);
/* A fixed, edge-triggered interrupt at @vector to the CPU with @apic_id (physical destination). */
void lapic_send_ipi(u32 apic_id, u8 vector);
/*
 * The timer interrupt (VECTOR_TIMER) comes when the TSC reaches @tsc (0:
 * never). Returns false when the CPU has no TSC-deadline timer.
 */
bool lapic_timer_arm(u64 tsc);
/* INIT-SIPI-SIPI (SDM Vol. 3A 9.4.4.1) with the start-up code at page @vector. */
void lapic_start_ap(u32 apic_id, u8 start_page);
bool lapic_is_x2apic(void);

#endif /* HV_CORE_LAPIC_H */
