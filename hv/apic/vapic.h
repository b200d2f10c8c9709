/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv/apic's internals, shared by its files (apic.h is its contract with
 * the rest of hv). The virtual-APIC page is the register file in every
 * mode: each register at its xAPIC offset (SDM Vol. 3A Table 11-1), where
 * the CPU's APIC virtualization reads and writes them too (Vol. 3C 30.1.1);
 * in x2APIC mode the ICR is one 64-bit register at 300H, as RDMSR of 830H
 * reads it there (30.5).
 */
#ifndef HV_APIC_VAPIC_H
#define HV_APIC_VAPIC_H

#include <hv/apic/apic.h>
#include <hv/core/feature.h>
#include <hv/core/partition.h>
#include <types.h>
#include <x86/msr.h>

extern const struct feature apic_feature;

/* Register offsets (SDM Vol. 3A Table 11-1; x2APIC MSR = 800H + offset / 16, Table 11-6). */
#define APIC_ID 0x020U
#define APIC_VERSION 0x030U
#define APIC_TPR 0x080U
#define APIC_PPR 0x0a0U
#define APIC_EOI 0x0b0U
#define APIC_LDR 0x0d0U
#define APIC_DFR 0x0e0U
#define APIC_SVR 0x0f0U
#define APIC_ISR 0x100U /* eight 32-bit registers, 10H apart */
#define APIC_TMR 0x180U
#define APIC_IRR 0x200U
#define APIC_ESR 0x280U
#define APIC_LVT_CMCI 0x2f0U
#define APIC_ICR 0x300U /* xAPIC: the low half; x2APIC: all 64 bits */
#define APIC_ICR_HIGH 0x310U /* xAPIC only */
#define APIC_LVT_FIRST 0x320U /* enum apic_lvt i is at APIC_LVT_FIRST + 10H * i */
#define APIC_TIMER_INITIAL 0x380U
#define APIC_TIMER_CURRENT 0x390U
#define APIC_TIMER_DIVIDE 0x3e0U
#define APIC_SELF_IPI 0x3f0U /* x2APIC only */
#define APIC_REGS_END 0x400U

#define APIC_LVT(lvt) (APIC_LVT_FIRST + 0x10U * (lvt))
#define X2APIC_MSR(offset) (0x800U + (offset) / 16U)
#define X2APIC_OFFSET(msr) (((msr)-0x800U) * 16U)

/* Local APIC version register (11.4.8): version 14H, LVT entries 0..5 (no CMCI). */
#define APIC_VERSION_VALUE (0x14U | ((NR_APIC_LVTS - 1U) << 16))

/* Spurious-interrupt vector register (11.9) */
#define APIC_SVR_VECTOR_MASK 0xffU
#define APIC_SVR_ENABLE BIT(8)
#define APIC_SVR_NO_FOCUS_CHECK BIT(9)
#define APIC_SVR_RESET 0xffU

/* Destination format register (11.6.2.2): model in bits 31:28, the rest reads as 1s. */
#define APIC_DFR_FLAT 0xffffffffU
#define APIC_DFR_MODEL_MASK 0xf0000000U
#define APIC_DFR_CLUSTER_MODEL 0U
#define APIC_LDR_XAPIC_MASK 0xff000000U

/* LVT entries (11.5.1, Figure 11-8) */
#define APIC_LVT_VECTOR_MASK 0xffU
#define APIC_LVT_DELIVERY_MASK GENMASK(10, 8)
#define APIC_LVT_DELIVERY_FIXED 0U
#define APIC_LVT_DELIVERY_NMI (4U << 8)
#define APIC_LVT_STATUS BIT(12)
#define APIC_LVT_POLARITY BIT(13)
#define APIC_LVT_REMOTE_IRR BIT(14)
#define APIC_LVT_LEVEL BIT(15)
#define APIC_LVT_MASKED BIT(16)
#define APIC_LVT_TIMER_MODE_MASK GENMASK(18, 17)
#define APIC_LVT_TIMER_ONE_SHOT 0U
#define APIC_LVT_TIMER_PERIODIC (1U << 17)
#define APIC_LVT_TIMER_TSC_DEADLINE (2U << 17)
#define APIC_LVT_RESET APIC_LVT_MASKED

/* Divide configuration register (11.5.4, Figure 11-10): bits 0, 1 and 3. */
#define APIC_TIMER_DIVIDE_MASK 0xbU

/* Error status register (11.5.3, Figure 11-9) */
#define APIC_ESR_SEND_ILLEGAL_VECTOR BIT(5)
#define APIC_ESR_RECEIVE_ILLEGAL_VECTOR BIT(6)
#define APIC_ESR_ILLEGAL_REGISTER BIT(7)

/* Interrupt command register (11.6.1, Figure 11-12) */
#define APIC_ICR_VECTOR_MASK 0xffU
#define APIC_ICR_DELIVERY_MASK GENMASK(10, 8)
#define APIC_ICR_FIXED 0U
#define APIC_ICR_LOWEST_PRIORITY (1U << 8)
#define APIC_ICR_SMI (2U << 8)
#define APIC_ICR_NMI (4U << 8)
#define APIC_ICR_INIT (5U << 8)
#define APIC_ICR_STARTUP (6U << 8)
#define APIC_ICR_LOGICAL BIT(11)
#define APIC_ICR_DELIVERY_PENDING BIT(12)
#define APIC_ICR_ASSERT BIT(14)
#define APIC_ICR_LEVEL BIT(15)
#define APIC_ICR_SHORTHAND_MASK GENMASK(19, 18)
#define APIC_ICR_SELF (1U << 18)
#define APIC_ICR_ALL (2U << 18)
#define APIC_ICR_ALL_BUT_SELF (3U << 18)
/* The bits a write may set: xAPIC ignores others, x2APIC #GPs (30.5: 31:20, 17:16, 13). */
#define APIC_ICR_WRITABLE                                                                     \
	(APIC_ICR_VECTOR_MASK | APIC_ICR_DELIVERY_MASK | APIC_ICR_LOGICAL | APIC_ICR_ASSERT | \
	 APIC_ICR_LEVEL | APIC_ICR_SHORTHAND_MASK)
#define X2APIC_ICR_RESERVED (GENMASK(31, 20) | GENMASK(17, 16) | BIT(13))
#define XAPIC_DESTINATION_SHIFT 24
#define XAPIC_BROADCAST 0xffU
#define X2APIC_BROADCAST 0xffffffffU

/* The vectors the architecture allows interrupts at (11.5.2: 0-15 are illegal). */
#define FIRST_LEGAL_VECTOR 16U

/* INIT and SIPI sent to a vCPU (apic_vcpu.events). */
#define APIC_EVENT_INIT (1U << 0) /* reset it */
#define APIC_EVENT_SIPI (1U << 1) /* start it at the vector in bits 15:8 */
#define APIC_EVENT_WAITING (1U << 2) /* it waits for a SIPI (after its INIT) */
#define APIC_EVENT_SIPI_VECTOR_SHIFT 8
#define APIC_EVENT_SIPI_VECTOR_MASK 0xff00U

enum apic_mode { APIC_MODE_DISABLED, APIC_MODE_XAPIC, APIC_MODE_X2APIC };

static inline enum apic_mode apic_mode(const struct vcpu *v)
{
	if (!(v->apic.base & APIC_BASE_XAPIC_ENABLE))
		return APIC_MODE_DISABLED;
	return v->apic.base & APIC_BASE_X2APIC_ENABLE ? APIC_MODE_X2APIC : APIC_MODE_XAPIC;
}

static inline u32 reg_get(const struct vcpu *v, u32 offset)
{
	return READ_ONCE(v->apic.page[offset / 4]);
}

static inline void reg_set(struct vcpu *v, u32 offset, u32 value)
{
	WRITE_ONCE(v->apic.page[offset / 4], value);
}

/* ISR, TMR and IRR: 256 bits as eight 32-bit registers 10H apart. */
static inline bool vec_test(const struct vcpu *v, u32 base, u8 vector)
{
	return reg_get(v, base + (vector / 32U) * 0x10U) & BIT(vector % 32);
}

static inline void vec_set(struct vcpu *v, u32 base, u8 vector)
{
	u32 offset = base + (vector / 32U) * 0x10U;

	reg_set(v, offset, reg_get(v, offset) | (u32)BIT(vector % 32));
}

static inline void vec_clear(struct vcpu *v, u32 base, u8 vector)
{
	u32 offset = base + (vector / 32U) * 0x10U;

	reg_set(v, offset, reg_get(v, offset) & ~(u32)BIT(vector % 32));
}

/* The highest vector set in ISR, TMR or IRR, -1 if none. */
int vec_highest(const struct vcpu *v, u32 base);

/* Whether the APIC accepts fixed and lowest-priority interrupts (11.4.7.2: software-enabled). */
static inline bool apic_accepts_interrupts(const struct vcpu *v)
{
	return apic_mode(v) != APIC_MODE_DISABLED && (reg_get(v, APIC_SVR) & APIC_SVR_ENABLE);
}

/* The processor priority (11.8.3.1): TPR or the in-service class, whichever is higher. */
u32 apic_ppr(const struct vcpu *v);

/* ---- regs.c: the registers ---- */

/* The APIC as reset or INIT leaves it (11.4.7.1, 11.4.7.3): ID and base kept. */
void apic_regs_reset(struct vcpu *v);
/* The ID and LDR of the mode the APIC is in now (11.12.5.1 on a switch to x2APIC mode). */
void apic_regs_set_mode_ids(struct vcpu *v);
/*
 * A register access (@offset in xAPIC layout, 32-bit aligned) in the
 * APIC's mode; 0, or -1 for #GP (x2APIC: a register that does not exist,
 * a read of a write-only one, a write to a read-only one or of reserved
 * bits). In xAPIC mode illegal accesses are ignored or read 0, as the
 * hardware does (11.5.3: an illegal register address sets ESR bit 7).
 * The x2APIC ICR is 64 bits; every other value is 32.
 */
int apic_reg_read(struct vcpu *v, u32 offset, u64 *value);
int apic_reg_write(struct vcpu *v, u32 offset, u64 value);
/* An error the APIC saw (ESR bit), and its LVT error interrupt. */
void apic_error(struct vcpu *v, u32 esr_bit);

/* ---- timer.c: the APIC timer ---- */

void apic_timer_reset(struct vcpu *v);
/* The LVT timer entry was written (the page holds the new value). */
void apic_timer_lvt_written(struct vcpu *v);
void apic_timer_start(struct vcpu *v);
u32 apic_timer_current(const struct vcpu *v);
int apic_tsc_deadline_read(struct vcpu *v, u32 msr, u64 *value);
int apic_tsc_deadline_write(struct vcpu *v, u32 msr, u64 value);
u64 apic_timer_deadline(const struct vcpu *v);
void apic_timer_fire(struct vcpu *v);

/* ---- ipi.c: sending and receiving ---- */

/*
 * An interrupt for @t (fixed delivery): posted in its descriptor (edge)
 * or its level set, then the notification. Any CPU.
 */
void apic_post(struct vcpu *t, u8 vector, bool level);
/* The ICR was written: sends what it says (11.6.1); @icr is the whole 64-bit value. */
void apic_send_icr(struct vcpu *v, u64 icr);
/* A self-IPI (the x2APIC SELF IPI register, 11.12.11). */
void apic_self_ipi(struct vcpu *v, u8 vector);
/*
 * The receiver's half, on @v's CPU with its VMCS current: what was posted
 * goes into the IRR (and RVI, with virtual-interrupt delivery). Returns
 * whether anything came.
 */
bool apic_sync(struct vcpu *v);
/* INIT and SIPI that other vCPUs sent, before @v enters (apic_vcpu.events). */
void apic_init_sipi(struct vcpu *v);
/* Sends INIT or a SIPI to @t (11.6.1 delivery modes 101, 110). */
void apic_send_init(struct vcpu *t);
void apic_send_sipi(struct vcpu *t, u8 vector);

/* ---- apic.c ---- */

/* The mode changed: the VMCS controls and MSR bitmap of the new one (@v's VMCS current). */
void apic_mode_changed(struct vcpu *v);
/* A level-triggered vector's EOI: the service partition hears of it (hv/ioreq). */
void apic_level_eoi(struct vcpu *v, u8 vector);
/* Software interrupt delivery (no virtual-interrupt delivery): the event path should look. */
void apic_want_event(struct vcpu *v);

/*
 * The APIC's reset and INIT (11.4.7): registers, timer, what was posted
 * (ID and base kept); with VID, RVI/SVI and the EOI-exit bitmap too.
 */
void apic_reset(struct vcpu *v);

#endif /* HV_APIC_VAPIC_H */
