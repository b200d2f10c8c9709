/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's local APIC (SDM Vol. 3A chapter 11), as test kernels use it:
 * in whichever mode it is in, xAPIC (the page at APIC_BASE_GPA, mapped with
 * a 4 KiB uncached page by the library) or x2APIC (MSRs 800H + offset / 16).
 */
#ifndef GUEST_APIC_H
#define GUEST_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_IA32_APIC_BASE 0x1bU
#define MSR_IA32_TSC_DEADLINE 0x6e0U
#define APIC_BASE_BSP (1ULL << 8)
#define APIC_BASE_EXTD (1ULL << 10)
#define APIC_BASE_EN (1ULL << 11)
#define APIC_BASE_GPA 0xfee00000ULL
#define X2APIC_MSR(offset) (0x800U + (offset) / 16U)

/* Register offsets (Table 11-1) */
#define APIC_ID 0x020U
#define APIC_VERSION 0x030U
#define APIC_TPR 0x080U
#define APIC_PPR 0x0a0U
#define APIC_EOI 0x0b0U
#define APIC_LDR 0x0d0U
#define APIC_DFR 0x0e0U
#define APIC_SVR 0x0f0U
#define APIC_ISR 0x100U
#define APIC_TMR 0x180U
#define APIC_IRR 0x200U
#define APIC_ESR 0x280U
#define APIC_ICR 0x300U
#define APIC_ICR_HIGH 0x310U
#define APIC_LVT_TIMER 0x320U
#define APIC_LVT_THERMAL 0x330U
#define APIC_LVT_PMC 0x340U
#define APIC_LVT_LINT0 0x350U
#define APIC_LVT_LINT1 0x360U
#define APIC_LVT_ERROR 0x370U
#define APIC_TIMER_INITIAL 0x380U
#define APIC_TIMER_CURRENT 0x390U
#define APIC_TIMER_DIVIDE 0x3e0U
#define APIC_SELF_IPI 0x3f0U

#define APIC_SVR_ENABLE (1U << 8)
#define APIC_LVT_MASKED (1U << 16)
#define APIC_LVT_NMI (4U << 8)
#define APIC_TIMER_ONE_SHOT (0U << 17)
#define APIC_TIMER_PERIODIC (1U << 17)
#define APIC_TIMER_TSC_DEADLINE (2U << 17)
#define APIC_TIMER_DIVIDE_1 0xbU
#define APIC_ESR_SEND_ILLEGAL_VECTOR (1U << 5)
#define APIC_ESR_ILLEGAL_REGISTER (1U << 7)

/* ICR (Figure 11-12) */
#define ICR_FIXED (0U << 8)
#define ICR_LOWEST_PRIORITY (1U << 8)
#define ICR_NMI (4U << 8)
#define ICR_INIT (5U << 8)
#define ICR_STARTUP (6U << 8)
#define ICR_LOGICAL (1U << 11)
#define ICR_DELIVERY_PENDING (1U << 12)
#define ICR_ASSERT (1U << 14)
#define ICR_LEVEL (1U << 15)
#define ICR_SELF (1U << 18)
#define ICR_ALL (2U << 18)
#define ICR_ALL_BUT_SELF (3U << 18)

bool apic_x2apic(void);
/* Switches this vCPU's APIC to x2APIC mode (from xAPIC); false if the write faulted. */
bool apic_enable_x2apic(void);
/* A 32-bit register in the current mode (x2APIC: the MSR's low half). */
uint32_t apic_read(uint32_t offset);
void apic_write(uint32_t offset, uint32_t value);
/* The ICR: destination (an APIC ID, or a logical destination) and the low half. */
void apic_icr(uint32_t destination, uint32_t icr);
/* Software-enables the APIC with spurious vector 0xff, TPR 0. */
void apic_enable(void);
void apic_eoi(void);
/* This vCPU's APIC ID. */
uint32_t apic_id(void);

#endif /* GUEST_APIC_H */
